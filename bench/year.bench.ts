// A heavy year of use in scaled time: 2,000 tool calls a day (7% failing; most failures new errors,
// the rest recurring ones drawn mostly from the recent), through ingest's own transaction in
// bursts, sessions remembered when they end, memory consolidated every day, the default batch
// commits. At the checkpoint days it prints what a person waits for: a one-event transaction,
// ingest throughput, `rules approve`, `status`, the TUI's first frame with data and its memory,
// `memory search` in-process and as a process, and the size of `.git`.
//
// BENCH_DAYS (default 30) ends the run; the checkpoints are those of 1, 30, 90, 180, 365 up to it.
// A whole year (BENCH_DAYS=365) takes hours on a small machine: that is the point of measuring it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { applyInTransaction } from '../src/detect/ingest.js';
import type { IncomingEvent } from '../src/detect/normalise.js';
import { searchWorkspaceMemory } from '../src/memory/search.js';
import { serialiseRule } from '../src/rules/rule.js';
import type { Workspace } from '../src/workspace/workspace.js';
import { du, fmt, median, percentile, timeRun } from './util.js';
import { CALLS_PER_DAY, FAILURE_RATE, progress, startYear, TOOLS } from './year-sim.js';

const DAYS = Number(process.env.BENCH_DAYS ?? 30);
const CHECKPOINTS = [1, 30, 90, 180, 365].filter((d) => d <= DAYS);
const PER_RUN = Number(process.env.BENCH_PER_RUN ?? 25); // events per ingest: the hook's bursts

function fileCount(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) n += e.isDirectory() ? fileCount(join(dir, e.name)) : 1;
  return n;
}

const CLI = join(process.cwd(), 'dist', 'bin.cjs');
/** A command as a person runs it: a process of its own, on this workspace. */
const timeCli = (args: string[], root: string): number => timeRun(process.execPath, [CLI, ...args, '--workspace', root]);

let tuiStarts = 0;

/** The TUI in tmux until its first frame with data, and the most memory it held by then. */
async function tuiFirstFrame(root: string): Promise<{ ms: number; mib: number }> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ['TMUX', 'TMUX_PANE', 'CI', 'NO_COLOR', 'NEVO_WORKSPACE']) delete env[k];
  // A socket of its own per start: a server just killed may still hold the last one.
  const socket = `nevo-bench-year-${process.pid}-${++tuiStarts}`;
  const tmux = (...args: string[]) => execFileSync('tmux', ['-f', '/dev/null', '-L', socket, ...args], { encoding: 'utf8', env });
  const start = performance.now();
  tmux('new-session', '-d', '-s', 'y', '-x', '100', '-y', '30', process.execPath, CLI, 'tui', '--screen', 'incidents', '--no-jobs', '--workspace', root);
  try {
    for (;;) {
      const screen = tmux('capture-pane', '-p', '-t', 'y');
      if (/\d+ incident\(s\) · sorted by/.test(screen)) {
        const ms = performance.now() - start;
        const pid = tmux('display', '-p', '-t', 'y', '#{pane_pid}').trim();
        const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
        return { ms, mib: hwm ? Number(hwm) / 1024 : NaN };
      }
      if (performance.now() - start > 120_000) throw new Error(`no data frame after 120 s:\n${screen}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    tmux('kill-server');
  }
}

async function checkpoint(ws: Workspace, day: number, clock: () => Date, nextId: () => number): Promise<string[]> {
  const root = ws.root;
  // One-event transactions, as a hook burst of one call makes them.
  const one: number[] = [];
  // 60 of them: a median of 20 moved by a third from one run to the next on the same workspace.
  for (let i = 0; i < 60; i++) {
    const ev: IncomingEvent = { id: `probe-${day}-${i}`, time: clock().toISOString(), source: 'hook', signal: 'hook', kind: 'PostToolUse', session: `probe-${day}`, tool: 'Read', target: 'src/a.ts', ok: true };
    const t = performance.now();
    await applyInTransaction(ws, [ev], [], 'bench');
    one.push(performance.now() - t);
  }
  // Ingest throughput: a backlog of 1,000 events taken in as ingest's batches do.
  const backlog: IncomingEvent[] = Array.from({ length: 1000 }, (_, i) => {
    const n = nextId();
    return { id: `bk-${n}`, time: clock().toISOString(), source: 'hook', signal: 'hook', kind: 'PostToolUse', session: `backlog-${day}`, tool: TOOLS[i % TOOLS.length]!, target: `src/f${i}.ts`, ok: true };
  });
  const t0 = performance.now();
  await applyInTransaction(ws, backlog, [], 'bench');
  const perSecond = 1000 / ((performance.now() - t0) / 1000);
  // A proposal approved by a person, as a process.
  const id = `PROJ-9${String(day).padStart(3, '0')}`;
  writeFileSync(join(root, 'rules', `${id}.md`), serialiseRule({ id, title: `Use the project scripts on day ${day}`, scope: 'project', status: 'proposed', trigger: 'Before running a script', enforcement: 'Run only scripts package.json declares', verification: 'No missing-script failures', incidents: [], novelty: 'checked: no overlap', created: clock().toISOString().slice(0, 10), updated: clock().toISOString().slice(0, 10), hits: 0, body: 'Run only the scripts package.json declares; list them with npm run first.' }));
  const approve = timeCli(['rules', 'approve', id], root);
  const status = timeCli(['status'], root);
  const searches: number[] = [];
  for (const q of ['cache engine', 'missing script', 'router', 'kernel ledger', 'module']) {
    const t = performance.now();
    await searchWorkspaceMemory(ws, q);
    searches.push(performance.now() - t);
  }
  const searchProcess = [0, 1, 2].map(() => timeCli(['memory', 'search', 'cache engine', '--json'], root));
  // Three starts, the median: the first also builds the row index of the months written since the
  // last start, and one start alone moved by half from one run to the next.
  const starts = [];
  for (let i = 0; i < 3; i++) starts.push(await tuiFirstFrame(root));
  const tui = { ms: median(starts.map((s) => s.ms)), mib: median(starts.map((s) => s.mib)) };
  const git = join(root, '.git');
  const incidents = await ws.store.incidents.count();
  return [
    `day ${day}`,
    `${incidents}`,
    `${fmt(median(one))} / ${fmt(percentile(one, 95))}`,
    `${Math.round(perSecond)}`,
    fmt(approve),
    fmt(status),
    `${fmt(tui.ms)}, ${tui.mib.toFixed(0)} MiB`,
    fmt(percentile(searches, 95)),
    fmt(median(searchProcess)),
    `${(du(git) / 1048576).toFixed(1)} MiB, ${fileCount(git)} files`,
  ];
}

const project = mkdtempSync(join(tmpdir(), 'nevo-bench-year-'));
// Another batch policy to compare (BENCH_BATCH_RECORDS, BENCH_BATCH_MINUTES); the default otherwise.
const sim = await startYear(project, { perRun: PER_RUN, batchRecords: Number(process.env.BENCH_BATCH_RECORDS ?? 0), batchMinutes: Number(process.env.BENCH_BATCH_MINUTES ?? 0) });
const { ws } = sim;

const rows: string[][] = [];
const wall = performance.now();
for (let day = 1; day <= DAYS; day++) {
  await sim.day();
  progress(wall, day);
  if (CHECKPOINTS.includes(day)) {
    await ws.store.flush();
    rows.push(await checkpoint(ws, day, sim.clock, sim.nextId));
    console.error(`day ${day} measured after ${((performance.now() - wall) / 1000).toFixed(0)} s of simulation`);
  }
}

const head = ['', 'incidents', 'one-event tx p50 / p95', 'ingest ev/s', 'rules approve', 'status', 'TUI first frame, memory', 'memory search p95', 'memory search (process)', '.git'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
console.log(`A heavy year in scaled time: ${CALLS_PER_DAY} calls a day, ${PER_RUN} per ingest, ${(FAILURE_RATE * 100).toFixed(0)}% failing; ${DAYS} days simulated (${(DAYS * CALLS_PER_DAY).toLocaleString('en')} calls) in ${((performance.now() - wall) / 1000).toFixed(0)} s`);
for (const r of [head, ...rows]) console.log(r.map((c, i) => c.padEnd(widths[i]!)).join('  '));
console.log('goals at day 365: one-event tx p50 <= 30 ms, ingest >= 5,000 ev/s, approve <= 300 ms, TUI first frame <= 1 s and <= 200 MiB, search process p50 <= 150 ms, .git <= 150 MiB');
