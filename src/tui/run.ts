import { render } from 'ink';
import { createElement } from 'react';
import { UserError } from '../errors.js';
import type { Workspace } from '../workspace/workspace.js';
import { childExecutor } from '../schedule/child-run.js';
import { JobRunner } from '../app/jobs.js';
import type { CommandServer } from '../serve/server.js';
import { App } from './app.js';
import type { ScreenId } from './keymap.js';
import { workspaceServices } from './services.js';
import { themeFor } from './theme.js';

export const NOT_A_TERMINAL = `the TUI needs an interactive terminal (stdin and stdout must be a TTY).
Without one, use the command line; every screen has a command:
  nevo-tui status | events | incidents | stats      (watch)
  nevo-tui rules list | show ID | approve ID | reject ID --reason .. | edit ID   (review, rules)
  nevo-tui incidents show ID | dismiss ID --reason ..   (incidents)
  nevo-tui log | show COMMIT | revert COMMIT         (history)
  nevo-tui memory search QUERY | show ID | pin ID | hide ID | forget --id ID   (memory)
  nevo-tui skills list | show NAME | approve NAME | deactivate NAME   (skills)
  nevo-tui jobs list | run NAME, nevo-tui daemon   (jobs)
Add --json to any of them for machine output.`;

// The jobs start a moment after the first frame with data: a catch-up run must not hold up the
// screen a person opened.
const JOBS_DELAY_MS = 1000;

export interface TuiOptions {
  screen?: ScreenId;
  jobs?: boolean;
  /** Starts answering other processes' `memory search` while the TUI is open (commands/serve-search.ts). */
  serve?: (ws: Workspace) => Promise<CommandServer | null>;
}

/** Opens the TUI on a workspace; resolves when the person quits. The terminal is always restored. */
export async function runTui(ws: Workspace, opts: TuiOptions = {}): Promise<void> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) throw new UserError(NOT_A_TERMINAL);
  // The monochrome theme passes no colour at all, so bold and inverse still mark state.
  const theme = themeFor(process.env);
  const out = process.stdout;
  // The alternate screen keeps the person's scrollback as it was; leaving it restores the view.
  out.write('\x1b[?1049h\x1b[H');
  const restore = () => out.write('\x1b[?25h\x1b[?1049l');
  process.once('exit', restore);
  // Stopped (SIGTERM) or its terminal closed (SIGHUP): exit, so the terminal is restored and the
  // socket that answers searches is removed ('exit' listeners), rather than dying without either.
  const stopped = (signal: NodeJS.Signals) => process.exit(signal === 'SIGHUP' ? 129 : 143);
  process.once('SIGTERM', stopped);
  process.once('SIGHUP', stopped);
  // The timed jobs run in child processes, so the keys stay quick while the self-review works.
  const execute = process.argv[1] ? childExecutor(process.argv[1], ws.root, `tui pid ${process.pid}`) : undefined;
  const runner = opts.jobs !== false && ws.config.schedule.inTui ? new JobRunner(ws, { kind: 'tui', execute }) : undefined;
  const services = workspaceServices(ws, { runner });
  // After the first load: the jobs start, and dist/bin.cjs writes the TUI's code cache once that
  // frame with data is drawn (Ink draws at most every 33 ms).
  let startJobs: NodeJS.Timeout | null = null;
  let loaded = false;
  let serving = null as Promise<CommandServer | null> | null;
  const load = services.load;
  services.load = async () => {
    const snapshot = await load();
    if (!loaded) {
      loaded = true;
      if (runner) startJobs = setTimeout(() => void runner.start().catch(() => undefined), JOBS_DELAY_MS);
      // The agent's `memory search` is answered here while the TUI is open (src/serve/).
      if (opts.serve) serving = opts.serve(ws).catch(() => null);
      setTimeout(() => process.emit('nevo-tui:drawn' as never), 100).unref();
    }
    return snapshot;
  };
  const app = render(createElement(App, { services, theme, initialScreen: opts.screen ?? 'watch' }), { exitOnCtrlC: false, patchConsole: true, maxFps: 30 });
  try {
    await app.waitUntilExit();
  } finally {
    app.cleanup();
    restore();
    process.removeListener('exit', restore);
    process.removeListener('SIGTERM', stopped);
    process.removeListener('SIGHUP', stopped);
    if (startJobs) clearTimeout(startJobs);
    await (await serving)?.close();
    if (runner) {
      if (runner.current) process.stderr.write(`Waiting for the ${runner.current} job to finish…\n`);
      await runner.stop();
    }
  }
}
