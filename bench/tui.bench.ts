// The TUI on a long-used workspace (10,000 incidents, 500 rules): (a) cold start of the real
// binary in a terminal (tmux) until the first frame with data; (b) key press to the next frame on
// the Incidents screen, measured in-process (tmux polling is too coarse for that).
import { execFileSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import chalk from 'chalk';
import { render } from 'ink';
import { createElement } from 'react';
import { childExecutor } from '../src/schedule/child-run.js';
import { JobRunner } from '../src/app/jobs.js';
import { App } from '../src/tui/app.js';
import { workspaceServices } from '../src/tui/services.js';
import { colourTheme } from '../src/tui/theme.js';
import { openWorkspace } from '../src/workspace/workspace.js';
import { FakeStdin } from '../test/tui/fake-stdin.js';
import { bigWorkspace } from './fixture-big.js';
import { fmt, median, percentile } from './util.js';

const INCIDENTS = 10000;
const RULES = 500;
const STARTS = Number(process.env.BENCH_RUNS ?? 5);
const PRESSES = 100;
const GOAL_MS = 50;

const root = await bigWorkspace(INCIDENTS, RULES);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---- (a) cold start in a real terminal ------------------------------------------------------

const env: NodeJS.ProcessEnv = { ...process.env };
// Ink draws nothing when it believes it runs in CI; the bench measures what a person sees.
for (const k of ['TMUX', 'TMUX_PANE', 'CI', 'CONTINUOUS_INTEGRATION', 'NO_COLOR', 'NEVO_WORKSPACE']) delete env[k];
const socket = `nevo-bench-tui-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', ['-f', '/dev/null', '-L', socket, ...args], { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'] });

/** Milliseconds from spawning `cmd` in a new 100x30 window until each pattern is on screen. */
async function timeToScreen(cmd: string[], patterns: RegExp[]): Promise<number[]> {
  const name = `w${Math.random().toString(36).slice(2, 8)}`;
  const seen: number[] = [];
  const start = performance.now();
  tmux('new-window', '-d', '-t', 'bench', '-n', name, ...cmd);
  try {
    while (seen.length < patterns.length) {
      if (performance.now() - start > 60_000) throw new Error(`no ${patterns[seen.length]} on screen after 60 s:\n${tmux('capture-pane', '-p', '-t', `bench:${name}`)}`);
      const screen = tmux('capture-pane', '-p', '-t', `bench:${name}`);
      const now = performance.now();
      while (seen.length < patterns.length && patterns[seen.length]!.test(screen)) seen.push(now - start);
      if (seen.length < patterns.length) await sleep(2);
    }
  } finally {
    tmux('kill-window', '-t', `bench:${name}`);
  }
  return seen;
}

tmux('new-session', '-d', '-s', 'bench', '-x', '100', '-y', '30', 'sleep', '3600');
const node = process.execPath;
const tui = [node, 'dist/bin.cjs', 'tui', '--screen', 'incidents', '--workspace', root];
const ready = [node, '-e', "process.stdout.write('ready'); setInterval(() => {}, 1000)"];
const firstFrame = /1 Watch/;
const dataFrame = new RegExp(`${INCIDENTS} incident\\(s\\) · sorted by`);
await timeToScreen(tui, [firstFrame, dataFrame]); // warm the file cache
const base: number[] = [];
const frame: number[] = [];
const data: number[] = [];
for (let i = 0; i < STARTS; i++) {
  base.push((await timeToScreen(ready, [/ready/]))[0]!);
  const [f, d] = await timeToScreen(tui, [firstFrame, dataFrame]);
  frame.push(f!);
  data.push(d!);
}
tmux('kill-server');
const baseMs = median(base);
console.log(`cold start, ${INCIDENTS} incidents and ${RULES} rules, in tmux 100x30 (capture-pane polled every ~5 ms)`);
const line = (name: string, xs: number[]) => console.log(`  ${name.padEnd(36)} median ${fmt(median(xs)).padStart(9)}   ${(median(xs) / baseMs).toFixed(2)}x node   (${xs.length} runs)`);
line('node printing one word (reference)', base);
line('first frame (Loading the workspace…)', frame);
line('first frame with data (Incidents)', data);

// ---- (b) key press to frame, in-process ----------------------------------------------------

/** A terminal that records when each frame is written. */
class FakeStdout extends EventEmitter {
  readonly columns = 100;
  readonly rows = 30;
  readonly isTTY = true;
  frames: { at: number; text: string }[] = [];
  private waiting: ((at: number) => void) | null = null;
  write = (text: string) => {
    const at = performance.now();
    this.frames.push({ at, text });
    const w = this.waiting;
    this.waiting = null;
    w?.(at);
    return true;
  };
  /** Resolves with the time of the next write. */
  next(): Promise<number> {
    return new Promise((resolve) => (this.waiting = resolve));
  }
}

// The real TUI draws in colour; chalk would switch colour off here when stdout is not a terminal.
chalk.level = 2;

function open(services: ReturnType<typeof workspaceServices>, initialScreen: 'watch' | 'incidents') {
  const out = new FakeStdout();
  const input = new FakeStdin();
  const rendered = render(createElement(App, { services, theme: colourTheme, initialScreen }), {
    stdout: out as unknown as NodeJS.WriteStream,
    stderr: new FakeStdout() as unknown as NodeJS.WriteStream,
    stdin: input as unknown as NodeJS.ReadStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  return { out, input, rendered };
}

async function untilOn(out: FakeStdout, test: (text: string) => boolean, what: string): Promise<void> {
  const end = performance.now() + 60_000;
  while (!out.frames.some((f) => test(f.text))) {
    if (performance.now() > end) throw new Error(`no frame with ${what}`);
    await sleep(5);
  }
}

// (b0) Right after start, the lint of 500 rules runs (in slices): keys pressed meanwhile.
const lintServices = workspaceServices(openWorkspace(root));
const lintOf = lintServices.lint.bind(lintServices);
let lintMs = 0;
let linting = false;
lintServices.lint = async (snapshot) => {
  linting = true;
  const start = performance.now();
  try {
    return await lintOf(snapshot);
  } finally {
    lintMs = performance.now() - start;
    linting = false;
  }
};
const early = open(lintServices, 'incidents');
await untilOn(early.out, (t) => dataFrame.test(t), 'the Incidents list');
while (!linting && !lintMs) await sleep(1);
const duringLint: number[] = [];
while (linting) {
  const next = early.out.next();
  const start = performance.now();
  early.input.write(duringLint.length % 2 ? 'k' : 'j');
  duringLint.push((await next) - start);
  await sleep(20);
}
early.rendered.unmount();
early.rendered.cleanup();

// A reload, as after each event: the documents that did not change are not parsed again.
const reloads: number[] = [];
for (let i = 0; i < 10; i++) {
  const start = performance.now();
  await lintServices.load();
  reloads.push(performance.now() - start);
}

const { out: stdout, input: stdin, rendered: app } = open(workspaceServices(openWorkspace(root)), 'watch');
const until = (test: (text: string) => boolean, what: string) => untilOn(stdout, test, what);

/** Waits until nothing has been drawn for `ms` (the lint flags arrive after the first data frame). */
async function quiet(ms: number): Promise<void> {
  for (;;) {
    const n = stdout.frames.length;
    await sleep(ms);
    if (stdout.frames.length === n) return;
  }
}

await until((t) => t.includes('tool calls'), 'the Watch screen');
await quiet(500);
const switchStart = performance.now();
stdin.write('4');
await until((t) => dataFrame.test(t), 'the Incidents list');
const switchMs = stdout.frames.find((f) => f.at >= switchStart && dataFrame.test(f.text))!.at - switchStart;
await quiet(300);

/** Key press to the next frame, `PRESSES` times; a short pause between presses, as a person types. */
async function presses(key: string): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < PRESSES; i++) {
    const next = stdout.next();
    const start = performance.now();
    stdin.write(key);
    out.push((await next) - start);
    await sleep(5);
  }
  return out;
}

const results: Record<string, number[]> = {
  'j (next incident)': await presses('j'),
  'pagedown': await presses('\x1b[6~'),
  'k (previous incident)': await presses('k'),
};
const lastFrame = stdout.frames.at(-1)!.text;

// ---- (c) the same keys while the nightly jobs run in the TUI's process ----------------------
// As the TUI runs them: each timed job in a child process (what run.ts sets up).
const runner = new JobRunner(openWorkspace(root), { kind: 'tui', execute: childExecutor(resolve('dist/bin.cjs'), root, `tui pid ${process.pid}`) });
const jobsStart = performance.now();
const jobs = Promise.all((['self-review', 'consolidate', 'validate-skills', 'fitness'] as const).map((n) => runner.enqueue(n, 'manual')));
let jobsDone = false;
void jobs.then(() => (jobsDone = true));
const during: number[] = [];
while (!jobsDone) {
  const next = stdout.next();
  const start = performance.now();
  stdin.write(during.length % 2 ? 'k' : 'j');
  during.push((await next) - start);
  await sleep(20);
}
const jobsMs = performance.now() - jobsStart;
await runner.stop();
app.unmount();
app.cleanup();

console.log(`key press to frame on Incidents, ${INCIDENTS} incidents, in-process (Ink debug renderer, ${PRESSES} presses each; goal ${GOAL_MS} ms)`);
console.log(`  ${'switch to Incidents (4)'.padEnd(24)} ${fmt(switchMs).padStart(9)}   ${switchMs <= GOAL_MS ? 'within' : 'OVER'} the goal`);
for (const [name, xs] of Object.entries(results)) {
  const p95 = percentile(xs, 95);
  console.log(`  ${name.padEnd(24)} p50 ${fmt(percentile(xs, 50)).padStart(9)}   p95 ${fmt(p95).padStart(9)}   max ${fmt(Math.max(...xs)).padStart(9)}   ${p95 <= GOAL_MS ? 'within' : 'OVER'} the goal at p95`);
}
if (!lastFrame.includes('›')) console.log('  (warning: the last frame shows no selected row)');
console.log(`reload of the snapshot with no document changed (after an event that changes only the small ones, about the same): p50 ${fmt(percentile(reloads, 50))}, max ${fmt(Math.max(...reloads))}`);
console.log(`key press to frame while the lint compares the ${RULES} rules, right after start (${fmt(lintMs)}, ${duringLint.length} presses)`);
console.log(`  ${'j/k during the lint'.padEnd(24)} p50 ${fmt(percentile(duringLint, 50)).padStart(9)}   p95 ${fmt(percentile(duringLint, 95)).padStart(9)}   max ${fmt(Math.max(...duringLint)).padStart(9)}`);
console.log(`key press to frame while self-review, consolidate, validate-skills and fitness run in child processes of the TUI (${fmt(jobsMs)} in all, ${during.length} presses)`);
console.log(`  ${'j/k during the jobs'.padEnd(24)} p50 ${fmt(percentile(during, 50)).padStart(9)}   p95 ${fmt(percentile(during, 95)).padStart(9)}   max ${fmt(Math.max(...during)).padStart(9)}`);

rmSync(dirname(root), { recursive: true, force: true });
process.exit(0);
