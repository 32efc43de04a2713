/**
 * The App over the real services of a workspace on disk (what `nevo-tui tui` runs, without the job
 * runner), in a fake terminal of a chosen size: for checks that need the core's own answers, not
 * the fake snapshot.
 */
import { App } from '../../src/tui/app.js';
import type { ScreenId } from '../../src/tui/keymap.js';
import { workspaceServices, type TuiServices } from '../../src/tui/services.js';
import { colourTheme } from '../../src/tui/theme.js';
import type { Workspace } from '../../src/workspace/workspace.js';
import { renderTerminal, tick, waitFor } from './helpers.js';

export async function renderWorkspaceApp(ws: Workspace, screen: ScreenId, size: { columns?: number; rows?: number } = {}) {
  const real = workspaceServices(ws);
  let linted = 0;
  // Lint flags come a moment after the first frame: the test waits for them.
  const services: TuiServices = {
    ...real,
    async lint(snapshot) {
      const flags = await real.lint(snapshot);
      linted++;
      return flags;
    },
  };
  const t = renderTerminal(<App services={services} theme={colourTheme} initialScreen={screen} />, { columns: size.columns ?? 100, rows: size.rows ?? 24 });
  await waitFor(() => linted > 0 && !t.frame().includes('Loading the workspace'), 'the workspace and its lint flags', { frame: t.frame });
  await tick();
  return {
    ...t,
    /** Found also when Ink wrapped it over lines. */
    waitForText: (text: string) => waitFor(() => t.frame().replace(/\s*\n\s*/g, ' ').includes(text), JSON.stringify(text), { frame: t.frame }),
    unmount: () => t.instance.unmount(),
  };
}
