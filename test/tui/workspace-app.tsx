/**
 * The App over the real services of a workspace on disk (what `nevo-tui tui` runs, without the job
 * runner), rendered by ink-testing-library: for checks that need the core's own answers, not the
 * fake snapshot.
 */
import { render } from 'ink-testing-library';
import { App } from '../../src/tui/app.js';
import type { ScreenId } from '../../src/tui/keymap.js';
import { workspaceServices, type TuiServices } from '../../src/tui/services.js';
import { colourTheme } from '../../src/tui/theme.js';
import type { Workspace } from '../../src/workspace/workspace.js';
import { tick, waitFor } from './helpers.js';

export async function renderWorkspaceApp(ws: Workspace, screen: ScreenId) {
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
  const r = render(<App services={services} theme={colourTheme} initialScreen={screen} />);
  const frame = () => r.lastFrame() ?? '';
  await waitFor(() => linted > 0 && !frame().includes('Loading the workspace'), 'the workspace and its lint flags', { frame });
  await tick();
  return {
    frame,
    async press(...keys: string[]) {
      for (const key of keys) {
        r.stdin.write(key);
        await tick();
      }
    },
    /** Found also when Ink wrapped it over lines. */
    waitForText: (text: string) => waitFor(() => frame().replace(/\s*\n\s*/g, ' ').includes(text), JSON.stringify(text), { frame }),
    unmount: () => r.unmount(),
  };
}
