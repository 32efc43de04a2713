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
import { initWorkspace } from '../src/app/init.js';
import { applyInTransaction } from '../src/detect/ingest.js';
import type { IncomingEvent } from '../src/detect/normalise.js';
import { consolidateMemory } from '../src/memory/consolidate.js';
import { rememberSessions } from '../src/memory/remember.js';
import { searchWorkspaceMemory } from '../src/memory/search.js';
import { serialiseRule } from '../src/rules/rule.js';
import { openWorkspace, type Workspace } from '../src/workspace/workspace.js';
import { du, fmt, median, percentile, timeRun } from './util.js';

const DAYS = Number(process.env.BENCH_DAYS ?? 30);
const CHECKPOINTS = [1, 30, 90, 180, 365].filter((d) => d <= DAYS);
const CALLS_PER_DAY = 2000;
const SESSIONS_PER_DAY = 20;
const PER_RUN = Number(process.env.BENCH_PER_RUN ?? 25); // events per ingest: the hook's bursts
const FAILURE_RATE = 0.07;
const NEW_ERROR_SHARE = 0.55; // of failures: about 80 new incidents a day, as measured on a heavy user
const TOOLS = ['Bash', 'Read', 'Edit', 'Grep', 'Write', 'Glob'];
const WORDS = 'alpha bravo cache delta engine fabric gamma harbor index jetty kernel ledger matrix nexus orbit pixel quartz router signal tensor umbra vector widget xenon yield zephyr'.split(' ');

// A deterministic stream, so two runs simulate the same year.
let seed = 42;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);

/** The text of the k-th distinct error: different programs, modules and files, so fingerprints differ. */
function errorText(k: number): { tool: string; target: string; error: string } {
  const w = (i: number) => WORDS[(k * 7 + i * 13 + Math.floor(k / WORDS.length)) % WORDS.length];
  switch (k % 4) {
    case 0:
      return { tool: 'Bash', target: `npm run ${w(1)}-${k}`, error: `Exit code 1\nnpm error Missing script: "${w(1)}-${k}"` };
    case 1:
      return { tool: 'Bash', target: `node scripts/${w(2)}.js`, error: `Exit code 1\nError: Cannot find module '${w(2)}-${w(3)}-${k}'` };
    case 2:
      return { tool: 'Read', target: `/repo/src/${w(4)}/${w(5)}-${k}.ts`, error: `File does not exist.` };
    default:
      return { tool: 'Bash', target: `${w(6)}${k} --check`, error: `Exit code 127\n(eval):1: command not found: ${w(6)}${k}` };
  }
}


function fileCount(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) n += e.isDirectory() ? fileCount(join(dir, e.name)) : 1;
  return n;
}

const CLI = join(process.cwd(), 'dist', 'bin.cjs');
/** A command as a person runs it: a process of its own, on this workspace. */
const timeCli = (args: string[], root: string): number => timeRun(process.execPath, [CLI, ...args, '--workspace', root]);

/** The TUI in tmux until its first frame with data, and the most memory it held by then. */
async function tuiFirstFrame(root: string): Promise<{ ms: number; mib: number }> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ['TMUX', 'TMUX_PANE', 'CI', 'NO_COLOR', 'NEVO_WORKSPACE']) delete env[k];
  const socket = `nevo-bench-year-${process.pid}`;
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
  for (let i = 0; i < 20; i++) {
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
  const tui = await tuiFirstFrame(root);
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
const start = Date.parse('2026-01-05T08:00:00Z');
let now = start;
const clock = () => new Date(now);
const { workspace } = await initWorkspace({ project, cwd: project, now: clock });
// The analyst is left out: proposals are a person's to review, not part of the cost of a change.
const config = JSON.parse(readFileSync(join(workspace, 'config.json'), 'utf8'));
config.analyst.auto = false;
// Another batch policy to compare (BENCH_BATCH_RECORDS, BENCH_BATCH_MINUTES); the default otherwise.
if (process.env.BENCH_BATCH_RECORDS) config.history.batchRecords = Number(process.env.BENCH_BATCH_RECORDS);
if (process.env.BENCH_BATCH_MINUTES) config.history.batchMinutes = Number(process.env.BENCH_BATCH_MINUTES);
writeFileSync(join(workspace, 'config.json'), JSON.stringify(config, null, 2));
const ws = openWorkspace(workspace, { clock });

let n = 0;
let errors = 0; // distinct errors made so far
const rows: string[][] = [];
const wall = performance.now();
for (let day = 1; day <= DAYS; day++) {
  const dayStart = start + (day - 1) * 86_400_000;
  const perSession = CALLS_PER_DAY / SESSIONS_PER_DAY;
  for (let s = 0; s < SESSIONS_PER_DAY; s++) {
    const session = `s-${day}-${s}`;
    for (let burst = 0; burst < perSession / PER_RUN; burst++) {
      now = dayStart + ((s * perSession + burst * PER_RUN) / CALLS_PER_DAY) * 10 * 3_600_000; // a 10-hour working day
      const incoming: IncomingEvent[] = [];
      for (let i = 0; i < PER_RUN; i++, n++) {
        const failed = rand() < FAILURE_RATE;
        let call = { tool: TOOLS[n % TOOLS.length]!, target: `src/module-${n % 97}/file-${n % 13}.ts`, error: undefined as string | undefined };
        if (failed) {
          // New errors, or a recurring one: recent errors recur most.
          const k = errors === 0 || rand() < NEW_ERROR_SHARE ? errors++ : Math.max(0, errors - 1 - Math.floor(-Math.log(1 - rand() * 0.999) * 200) % errors);
          call = errorText(k);
        }
        incoming.push({ id: `ev-${n}`, time: new Date(now + i * 1000).toISOString(), source: 'hook', signal: 'hook', kind: failed ? 'PostToolUseFailure' : 'PostToolUse', session, tool: call.tool, target: call.target, ok: !failed, durationMs: n % 900, ...(call.error ? { error: call.error } : {}) });
      }
      await applyInTransaction(ws, incoming, [], 'bench');
    }
    // The session ends: its Stop, and its narrative and facts.
    await applyInTransaction(ws, [{ id: `stop-${session}`, time: new Date(now + 60_000).toISOString(), source: 'hook', signal: 'hook', kind: 'Stop', session }], [], 'bench');
    await rememberSessions(ws, [session]);
  }
  // The nightly consolidation, at 03:00 of the next day.
  now = dayStart + 19 * 3_600_000;
  await consolidateMemory(ws);
  if (day % 10 === 0) console.error(`day ${day} simulated after ${((performance.now() - wall) / 1000).toFixed(0)} s`);
  if (CHECKPOINTS.includes(day)) {
    await ws.store.flush();
    rows.push(await checkpoint(ws, day, clock, () => n++));
    console.error(`day ${day} measured after ${((performance.now() - wall) / 1000).toFixed(0)} s of simulation`);
  }
}

const head = ['', 'incidents', 'one-event tx p50 / p95', 'ingest ev/s', 'rules approve', 'status', 'TUI first frame, memory', 'memory search p95', 'memory search (process)', '.git'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
console.log(`A heavy year in scaled time: ${CALLS_PER_DAY} calls a day, ${PER_RUN} per ingest, ${(FAILURE_RATE * 100).toFixed(0)}% failing; ${DAYS} days simulated (${(DAYS * CALLS_PER_DAY).toLocaleString('en')} calls) in ${((performance.now() - wall) / 1000).toFixed(0)} s`);
for (const r of [head, ...rows]) console.log(r.map((c, i) => c.padEnd(widths[i]!)).join('  '));
console.log('goals at day 365: one-event tx p50 <= 30 ms, ingest >= 5,000 ev/s, approve <= 300 ms, TUI first frame <= 1 s and <= 200 MiB, search process p50 <= 150 ms, .git <= 150 MiB');
