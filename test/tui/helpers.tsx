/**
 * Shared helpers for the TUI tests: render the App over fake services, press keys, wait for a
 * frame, and render into a terminal of a chosen size (ink-testing-library's is 100 columns, no rows).
 */
import { EventEmitter } from 'node:events';
import { render as inkRender, type Instance } from 'ink';
import { cleanup as cleanupAll, render } from 'ink-testing-library';
import type { ReactElement } from 'react';
import { unstable_IdlePriority, unstable_scheduleCallback } from 'scheduler';
import chalk from 'chalk';
import { afterEach, beforeEach } from 'vitest';
import { afterEveryTest } from '../helpers/cleanup.js';
import { App } from '../../src/tui/app.js';
import type { ScreenId } from '../../src/tui/keymap.js';
import { colourTheme, type Theme } from '../../src/tui/theme.js';
import { fakeServices, type FakeServices } from './fake-services.js';
import { FakeStdin } from './fake-stdin.js';

/** Text only each screen shows. */
export const SCREEN_TEXT: Record<ScreenId, string> = {
  watch: 'tool calls',
  review: 'verification',
  rules: 'active ones take about',
  incidents: 'sorted by',
  history: 'commit(s), newest first',
  memory: 'result(s) of',
  skills: 'skill(s) ·',
  jobs: 'time zone',
};

/** Ink's own test (is-in-ci): in CI it writes no frames until it exits, and ignores resizes. */

export const KEY = {
  up: '\u001B[A',
  down: '\u001B[B',
  right: '\u001B[C',
  left: '\u001B[D',
  pageUp: '\u001B[5~',
  pageDown: '\u001B[6~',
  home: '\u001B[H',
  end: '\u001B[F',
  enter: '\r',
  esc: '\u001B',
  tab: '\t',
  shiftTab: '\u001B[Z',
  backspace: '\u007F',
  ctrlC: '\u0003',
  ctrlD: '\u0004',
  ctrlL: '\u000C',
  ctrlS: '\u0013',
  ctrlU: '\u0015',
} as const;

/** Resolves once React's scheduler has nothing left to do, passive effects included. */
const reactIdle = () => new Promise<void>((resolve) => unstable_scheduleCallback(unstable_IdlePriority, () => resolve()));

/**
 * Lets a key press take effect. Ink flushes a lone ESC on setImmediate; useInput subscribes, and
 * re-subscribes with a fresh handler after every render, in an effect that React's scheduler runs
 * later (and may split over several macrotasks). A key written before that reaches the old handler
 * with stale state, so wait until the scheduler is idle, not for a fixed number of ticks.
 */
export async function tick(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  await reactIdle();
  await new Promise((resolve) => setTimeout(resolve, 0));
}

/** Polls until `check` holds; fails with `what` and the last frame after `timeout` ms. */
export async function waitFor(check: () => boolean, what = 'the condition', opts: { timeout?: number; frame?: () => string } = {}): Promise<void> {
  // Generous: a wait ends as soon as the text is there; only a failure waits this long, and a busy
  // machine must not turn a slow render into a failure.
  const deadline = Date.now() + (opts.timeout ?? 20000);
  for (;;) {
    if (check()) return;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}${opts.frame ? `; the last frame was:\n${opts.frame()}` : ''}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

interface Keyboard {
  stdin: { write(data: string): void };
  frame(): string;
}

/** Helpers shared by both renderers: press keys and wait for text. */
function driver(k: Keyboard) {
  return {
    frame: k.frame,
    /** Writes one key (or a pasted string) and lets Ink and React settle. */
    async press(...keys: string[]) {
      for (const key of keys) {
        k.stdin.write(key);
        await tick();
      }
    },
    /** Types text one character at a time, as a person would. */
    async type(text: string) {
      for (const ch of text) {
        k.stdin.write(ch);
        await tick();
      }
      await tick();
    },
    waitForText: (text: string, timeout?: number) => waitFor(() => k.frame().includes(text), JSON.stringify(text), { timeout, frame: k.frame }),
    waitForNoText: (text: string, timeout?: number) => waitFor(() => !k.frame().includes(text), `${JSON.stringify(text)} to go`, { timeout, frame: k.frame }),
  };
}

afterEveryTest(cleanupAll);

export interface RenderAppOptions {
  services?: FakeServices;
  theme?: Theme;
  screen?: ScreenId;
  /** Wait until the workspace is loaded and the first screen shows (default true). */
  ready?: boolean;
}

/** Renders the App with ink-testing-library (100 columns, 24 rows assumed) over fake services. */
export async function renderApp(opts: RenderAppOptions = {}) {
  const services = opts.services ?? fakeServices();
  const r = render(<App services={services} theme={opts.theme ?? colourTheme} initialScreen={opts.screen ?? 'watch'} />);
  const frame = () => r.lastFrame() ?? '';
  const d = driver({ stdin: r.stdin, frame });
  if (opts.ready ?? true) await waitUntilReady(frame, services);
  await tick();
  return { ...r, ...d, services };
}

/**
 * The snapshot is in and lint flags have arrived (they come a moment after the first frame). Until
 * then the first load is still busy, and a reload asked for in the meantime waits for it.
 */
async function waitUntilReady(frame: () => string, services: FakeServices) {
  await waitFor(() => services.counts.lint > 0 && !frame().includes('Loading the workspace'), 'the workspace to load', { frame });
  await tick();
}

// ---------------------------------------------------------------- a terminal of any size

/** A stdout with settable columns and rows; `resize` changes them and tells Ink, as a terminal does. */
export class FakeStdout extends EventEmitter {
  readonly isTTY = true;
  readonly frames: string[] = [];
  constructor(
    public columns: number,
    public rows: number,
  ) {
    super();
  }
  write = (data: string): boolean => {
    this.frames.push(data);
    return true;
  };
  lastFrame = (): string => this.frames.at(-1) ?? '';
  resize(columns: number, rows: number) {
    this.columns = columns;
    this.rows = rows;
    this.emit('resize');
  }
}

export { FakeStdin };

const terminals: Instance[] = [];

afterEveryTest(() => {
  for (const t of terminals.splice(0)) {
    t.unmount();
    t.cleanup();
  }
});

/**
 * Renders with Ink's own `render` into a fake terminal of `columns` x `rows` (what
 * ink-testing-library does, but with a size). `debug: true` writes each whole frame; with
 * `debug: false` the writes are what a real terminal would receive.
 */
export function renderTerminal(tree: ReactElement, opts: { columns?: number; rows?: number; debug?: boolean } = {}) {
  const stdout = new FakeStdout(opts.columns ?? 80, opts.rows ?? 24);
  const stderr = new FakeStdout(opts.columns ?? 80, opts.rows ?? 24);
  const stdin = new FakeStdin();
  const instance = inkRender(tree, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: stderr as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    debug: opts.debug ?? true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  terminals.push(instance);
  return { stdout, stdin, instance, ...driver({ stdin, frame: stdout.lastFrame }) };
}

/** The App in a fake terminal, loaded and ready. */
export async function renderAppInTerminal(opts: RenderAppOptions & { columns?: number; rows?: number; debug?: boolean } = {}) {
  const services = opts.services ?? fakeServices();
  const t = renderTerminal(<App services={services} theme={opts.theme ?? colourTheme} initialScreen={opts.screen ?? 'watch'} />, opts);
  if (opts.ready ?? true) await waitUntilReady(t.frame, services);
  await tick();
  return { ...t, services };
}

/** A foreground (30-39, 90-97) or background (40-49, 100-107) colour code, the reset codes included. */
export const COLOUR = /\u001B\[(?:[0-9;]*;)?(?:3\d|4\d|9\d|10\d)(?:;[0-9;]*)?m/;

/**
 * Under the test runner stdout is no terminal and chalk would print no escape codes at all, which
 * would make "no colour" true of any theme: call in a describe to force colour on, so only the
 * theme decides.
 */
export function forceColour(): void {
  let level: typeof chalk.level;
  beforeEach(() => {
    level = chalk.level;
    chalk.level = 1;
  });
  afterEach(() => {
    chalk.level = level;
  });
}
