// The built TUI in a real terminal, for the tmux tests: tmux runs `dist/bin.cjs` in a pane of a
// known size, a test types keys with send-keys and reads the screen with capture-pane. Needs tmux
// on PATH and dist/ built (`npm test` builds it first).
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { closeAfterTest } from './cleanup.js';
import { CLI } from './scripts.js';

const POLL_MS = 100;
const TIMEOUT_MS = 15_000;

/**
 * The environment of the tmux server, and so of the TUI: no colour overrides, and no CI markers
 * (Ink draws no frames at all when it believes it runs in CI), and never the caller's own tmux.
 */
export function terminalEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ['TMUX', 'TMUX_PANE', 'CI', 'CONTINUOUS_INTEGRATION', 'NO_COLOR', 'FORCE_COLOR', 'NEVO_WORKSPACE', 'NEVO_DEBUG']) delete env[k];
  return { ...env, TERM: 'xterm-256color', ...extra };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let sockets = 0;

/** One tmux server on its own socket with one session: parallel test files never share one. */
export class Terminal {
  readonly socket = `nevo-tui-test-${process.pid}-${Date.now().toString(36)}-${++sockets}`;
  readonly target = 'tui';

  constructor(
    readonly cols: number,
    readonly rows: number,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  tmux(...args: string[]): string {
    return execFileSync('tmux', ['-f', '/dev/null', '-L', this.socket, ...args], { encoding: 'utf8', env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
  }

  /**
   * Starts the TUI. A small sh wrapper around it records the terminal modes before and after and
   * prints the exit code, then waits for Enter, so a test can look at the terminal the TUI left
   * behind before the pane closes (remain-on-exit keeps the dead pane for a last look).
   */
  start(args: string[]): this {
    const script = [
      'before=$(stty -g)',
      '"$@"',
      'code=$?',
      'if [ "$(stty -g)" = "$before" ]; then echo "[tty modes restored]"; else echo "[tty modes changed]"; fi',
      'echo "[nevo-tui exited $code]"',
      'read _',
    ].join('; ');
    closeAfterTest(() => this.kill());
    this.tmux(
      'new-session', '-d', '-s', this.target, '-x', String(this.cols), '-y', String(this.rows),
      'sh', '-c', script, 'sh', process.execPath, CLI, ...args,
      ';', 'set-option', '-t', this.target, 'remain-on-exit', 'on',
    );
    return this;
  }

  /** The visible screen; `escapes` keeps colours and attributes, `join` joins wrapped lines. */
  screen(opts: { escapes?: boolean; join?: boolean } = {}): string {
    return this.tmux('capture-pane', '-p', ...(opts.escapes ? ['-e'] : []), ...(opts.join ? ['-J'] : []), '-t', this.target);
  }

  keys(...keys: string[]): void {
    this.tmux('send-keys', '-t', this.target, ...keys);
  }

  format(f: string): string {
    return this.tmux('display-message', '-p', '-t', this.target, f).trim();
  }

  /**
   * Polls the screen until `test` passes on two captures in a row that are the same (so a frame
   * drawn halfway is never judged); on time-out fails with what the screen showed.
   */
  async waitFor(what: string, test: (screen: string) => boolean, timeout = TIMEOUT_MS): Promise<string> {
    const end = Date.now() + timeout;
    let last = '';
    let previous: string | null = null;
    for (;;) {
      try {
        last = this.screen();
        if (test(last) && last === previous) return last;
        previous = last;
      } catch (err) {
        last = `(capture-pane failed: ${(err as Error).message})`;
      }
      if (Date.now() > end) throw new Error(`timed out after ${timeout} ms waiting for ${what}; the screen was:\n${last}`);
      await sleep(POLL_MS);
    }
  }

  waitForText(text: string | RegExp): Promise<string> {
    return this.waitFor(JSON.stringify(String(text)), (s) => (typeof text === 'string' ? s.includes(text) : text.test(s)));
  }

  async waitForFormat(f: string, value: string): Promise<void> {
    const end = Date.now() + TIMEOUT_MS;
    let last = '';
    for (;;) {
      try {
        last = this.format(f);
        if (last === value) return;
      } catch (err) {
        last = (err as Error).message;
      }
      if (Date.now() > end) throw new Error(`timed out waiting for ${f} to be ${value}; last: ${last}`);
      await sleep(POLL_MS);
    }
  }

  kill(): void {
    try {
      this.tmux('kill-server');
    } catch {
      // already gone
    }
    // tmux 3.3 leaves its socket file behind when its server is killed: a run would leave dozens.
    rmSync(join(process.env.TMUX_TMPDIR || '/tmp', `tmux-${process.getuid?.() ?? 0}`, this.socket), { force: true });
  }
}

/** Quits with `keys` and checks that the TUI exited 0 and left the terminal as it found it. */
export async function quitAndCheckRestored(term: Terminal, ...keys: string[]): Promise<void> {
  term.keys(...keys);
  const after = await term.waitForText(/\[nevo-tui exited \d+\]/);
  expect(after).toContain('[nevo-tui exited 0]');
  expect(after).toContain('[tty modes restored]');
  // The alternate screen was left: the main screen is back, without any of the TUI's frame.
  expect(term.format('#{alternate_on}')).toBe('0');
  expect(term.format('#{cursor_flag}')).toBe('1');
  expect(after).not.toContain('q quit');
  expect(after).not.toContain(' 1 Watch ');
  // The wrapper ends on Enter; the pane's process is then gone.
  term.keys('Enter');
  await term.waitForFormat('#{pane_dead}', '1');
}

/** Visible width of a captured line (the TUI draws no double-width characters here). */
export const widthOf = (line: string) => [...line].length;

