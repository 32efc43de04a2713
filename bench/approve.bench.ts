// `rules approve` on a workspace the size of the heavy year's day 365 (bench/year.bench.ts), with
// a day of calls waiting in the batch, as a process (what a person waits for at the prompt) and in
// the process that ingested (what the TUI's Review screen waits for).
//
// The workspace is grown once with the year's own simulation, a day per ingest (the same events,
// files and records as the hook's bursts of 25, in far fewer transactions), and kept in
// BENCH_YEAR_WORKSPACE when that is set, so later runs (the code before and after a change)
// measure copies of the same workspace. BENCH_DAYS (default 365) sets its size.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { approveAndRemember } from '../src/app/loop.js';
import { applyInTransaction } from '../src/detect/ingest.js';
import type { IncomingEvent } from '../src/detect/normalise.js';
import { serialiseRule } from '../src/rules/rule.js';
import { fileStamp } from '../src/store/stamps.js';
import { openWorkspace, type Workspace } from '../src/workspace/workspace.js';
import { fmt, median, timeRun } from './util.js';
import { CALLS_PER_DAY, progress, SESSIONS_PER_DAY, startYear, TOOLS } from './year-sim.js';

const DAYS = Number(process.env.BENCH_DAYS ?? 365);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
// BENCH_CLI: another build's bin.cjs, to measure the code before a change on the same workspace.
// BENCH_PROFILE: a folder where each approval as a process leaves its CPU profile.
const PROFILE = process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROFILE] : [];
const CLI = process.env.BENCH_CLI ?? join(process.cwd(), 'dist', 'bin.cjs');

/** The grown workspace's folder (its project folder holds `.nevo/`), grown now when it is not there. */
async function grown(): Promise<string> {
  const kept = process.env.BENCH_YEAR_WORKSPACE;
  const project = kept ?? mkdtempSync(join(tmpdir(), 'nevo-bench-approve-'));
  const done = join(project, 'grown.json');
  if (existsSync(done)) {
    const { days } = JSON.parse(readFileSync(done, 'utf8')) as { days: number };
    if (days === DAYS) return project;
    throw new Error(`${project} holds ${days} days, not ${DAYS}: remove it or set BENCH_DAYS=${days}`);
  }
  if (kept && existsSync(project) && readdirSync(project).length) throw new Error(`${project} is not empty and not a grown workspace`);
  const sim = await startYear(project, { perRun: CALLS_PER_DAY / SESSIONS_PER_DAY, wholeDays: true });
  const wall = performance.now();
  for (let day = 1; day <= DAYS; day++) progress(wall, await sim.day());
  await sim.ws.store.flush();
  writeFileSync(done, JSON.stringify({ days: DAYS, now: sim.clock().toISOString(), next: sim.nextId() }));
  console.error(`grew ${DAYS} days in ${((performance.now() - wall) / 1000).toFixed(0)} s`);
  return project;
}

const source = await grown();
const meta = JSON.parse(readFileSync(join(source, 'grown.json'), 'utf8')) as { now: string; next: number };
const copy = mkdtempSync(join(tmpdir(), 'nevo-bench-approve-run-'));
cpSync(join(source, '.nevo'), join(copy, '.nevo'), { recursive: true });
const root = join(copy, '.nevo');
// A copy has new inodes and times, so the store would check every shard again as if edited by
// hand; the grown workspace's files were all written by the store, so their copies are stamped
// as its own, as they were there.
const stampsFile = join('.cache', 'store-stamps.json');
const stamps = JSON.parse(readFileSync(join(source, '.nevo', stampsFile), 'utf8')) as Record<string, string>;
const copied = Object.entries(stamps).flatMap(([rel, stamp]) => (fileStamp(join(source, '.nevo', rel)) === stamp ? [[rel, fileStamp(join(root, rel))] as const] : []));
writeFileSync(join(root, stampsFile), JSON.stringify(Object.fromEntries(copied)));
let now = Date.parse(meta.now);
let n = meta.next;
const clock = () => new Date(now);
const ws = openWorkspace(root, { clock });

const git = (...args: string[]) => execFileSync('git', ['-C', root, ...args], { encoding: 'utf8' });
const tracked = git('ls-files').split('\n').filter(Boolean).length;
const incidents = await ws.store.incidents.count();

/** Part of a day of calls, left waiting in the batch: what an approval finds on a busy day. */
async function waitingBatch(calls: number): Promise<number> {
  const before = ws.store.readPending().records;
  now += 3_600_000;
  for (let s = 0; s < SESSIONS_PER_DAY; s++) {
    const incoming: IncomingEvent[] = [];
    for (let i = 0; i < calls / SESSIONS_PER_DAY; i++, n++) {
      const failed = n % 14 === 0;
      incoming.push({ id: `ev-${n}`, time: new Date(now + i * 1000).toISOString(), source: 'hook', signal: 'hook', kind: failed ? 'PostToolUseFailure' : 'PostToolUse', session: `wait-${now}-${s}`, tool: TOOLS[n % TOOLS.length]!, target: `src/w${n % 31}.ts`, ok: !failed, ...(failed ? { error: `Exit code 1\nError: Cannot find module 'wait-${n}'` } : {}) });
    }
    await applyInTransaction(ws, incoming, [], 'bench');
  }
  return ws.store.readPending().records - before;
}

/** A proposal for the newest incidents: its approval changes the shard the batch changed too. */
async function proposal(k: number): Promise<string> {
  const id = `PROJ-8${String(k).padStart(3, '0')}`;
  const linked = (await ws.store.incidents.list()).slice(-3).map((i) => ({ id: i.id, fingerprint: i.fingerprint }));
  const day = clock().toISOString().slice(0, 10);
  writeFileSync(join(root, 'rules', `${id}.md`), serialiseRule({ id, title: `Check the module exists (${k})`, scope: 'project', status: 'proposed', trigger: 'Before requiring a module', enforcement: 'Install it first', verification: 'No missing-module failures', incidents: linked, novelty: 'checked: no overlap', created: day, updated: day, hits: 0, body: 'Install a module before you require it.' }));
  return id;
}

// With BENCH_PROFILE, the in-process approvals leave their CPU profiles there too.
const session = process.env.BENCH_PROFILE ? new Session() : null;
session?.connect();
session?.post('Profiler.enable');
const process_: number[] = [];
const floor: number[] = [];
const inProcess: number[] = [];
const batches: number[] = [];
for (let k = 0; k < RUNS; k++) {
  batches.push(await waitingBatch(CALLS_PER_DAY));
  const id = await proposal(2 * k);
  process_.push(timeRun(process.execPath, [...PROFILE, CLI, 'rules', 'approve', id, '--workspace', root]));
  // What any command on this workspace costs before it does anything: Node, the modules, the config.
  floor.push(timeRun(process.execPath, [CLI, 'rules', 'list', '--workspace', root]));
  batches.push(await waitingBatch(CALLS_PER_DAY));
  const other = await proposal(2 * k + 1);
  if (session) session.post('Profiler.start');
  const t = performance.now();
  await approveAndRemember(ws as Workspace, other);
  inProcess.push(performance.now() - t);
  if (session) session.post('Profiler.stop', (err, r) => !err && writeFileSync(join(process.env.BENCH_PROFILE!, `in-process-${k}.cpuprofile`), JSON.stringify(r.profile)));
}
// The history's own commands at this size, as processes: each must cost what its change costs,
// not what the history holds. The copy's files have new inodes, so one commit first stages their
// stat, as the grown workspace's own index had it.
execFileSync(process.execPath, [CLI, 'commit', '--workspace', root]);
const logs: number[] = [];
const reviews: number[] = [];
const commits: number[] = [];
const reverts: number[] = [];
for (let k = 0; k < RUNS; k++) {
  logs.push(timeRun(process.execPath, [CLI, 'log', '--workspace', root]));
  reviews.push(timeRun(process.execPath, [CLI, 'review', '--workspace', root]));
  await waitingBatch(CALLS_PER_DAY);
  commits.push(timeRun(process.execPath, [...PROFILE, CLI, 'commit', '--workspace', root]));
  // An approval's commit taken back, a day's batch waiting: what `nevo-tui revert` and the Review's `u` do.
  await approveAndRemember(ws as Workspace, await proposal(100 + k));
  const approval = git('rev-parse', 'HEAD').trim();
  await waitingBatch(CALLS_PER_DAY);
  reverts.push(timeRun(process.execPath, [...PROFILE, CLI, 'revert', approval, '--workspace', root]));
  if (!git('log', '-1', '--format=%s').startsWith('revert: ')) throw new Error(`nevo-tui revert ${approval} made no revert commit`);
}
// An incident analyzed as a process: a missing program gets a proposal with a guard, backtested on
// the last 90 days of the journal (180,000 calls at this size).
const missing = (await ws.store.incidents.list((i) => i.status === 'new' && i.category === 'command not found')).slice(-RUNS);
const analyses = missing.map((i) => timeRun(process.execPath, [...PROFILE, CLI, 'analyze', i.id, '--workspace', root]));
// timeRun takes exit 2 (an internal error) as a run: the listing must also succeed.
const listed = spawnSync(process.execPath, [CLI, 'log', '--workspace', root], { encoding: 'utf8' });
const logNote = listed.status === 0 ? '' : ` (FAILED, exit ${listed.status}: ${listed.stdout.trim().split('\n').pop()})`;

// What git status shows beyond the batch still waiting: nothing, when the index is right.
const pending = new Set(ws.store.readPending().paths);
const stray = git('status', '--porcelain', '-uall').split('\n').filter(Boolean).map((l) => l.slice(3)).filter((p) => !pending.has(p) && p !== 'config.json'); // the simulation edits config.json by hand
console.log(`rules approve at day ${DAYS}: ${incidents.toLocaleString('en')} incidents, ${tracked.toLocaleString('en')} tracked files, ${Math.round(median(batches)).toLocaleString('en')} record changes waiting`);
console.log(`  as a process (nevo-tui rules approve): median ${fmt(median(process_))} of ${RUNS} (${process_.map((x) => x.toFixed(0)).join(', ')})`);
console.log(`  nevo-tui rules list beside it, for scale:  median ${fmt(median(floor))} of ${RUNS}`);
console.log(`  in-process (the TUI's Review):         median ${fmt(median(inProcess))} of ${RUNS} (${inProcess.map((x) => x.toFixed(0)).join(', ')})`);
console.log(`  git status afterwards, beyond the waiting batch: ${stray.length ? stray.join(', ') : 'nothing'}`);
console.log(`  nevo-tui log (20 commits with their files): median ${fmt(median(logs))} of ${RUNS}${logNote}`);
console.log(`  nevo-tui review (the queue, the recent reasons from 200 commits): median ${fmt(median(reviews))} of ${RUNS}`);
console.log(`  nevo-tui commit (a day's batch, every file offered): median ${fmt(median(commits))} of ${RUNS}`);
console.log(`  nevo-tui revert (an approval): median ${fmt(median(reverts))} of ${reverts.length}`);
console.log(`  nevo-tui analyze (one new incident, its guard backtested): median ${fmt(median(analyses))} of ${analyses.length}`);
console.log('goal at day 365: approve <= 300 ms');
rmSync(copy, { recursive: true, force: true });
