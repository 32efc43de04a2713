// The scheduler's costs: what a job run adds around the job itself (claim and record in
// store/jobs.json), the self-review on a long-used workspace, and what an idle daemon takes while
// it waits for the night.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runJob } from '../src/app/jobs.js';
import { claimant } from '../src/schedule/runs.js';
import { planSelfReview, renderReport } from '../src/schedule/self-review.js';
import { runSelfReview } from '../src/schedule/self-review-run.js';
import { loadRules } from '../src/rules/load.js';
import { JOB_NAMES, type JobName } from '../src/store/vocabulary.js';
import { initWorkspace } from '../src/app/init.js';
import { openWorkspace } from '../src/workspace/workspace.js';
import { bigWorkspace } from './fixture-big.js';
import { fmt, median, percentile } from './util.js';

const CLI = resolve('dist', 'bin.cjs');
const noop = Object.fromEntries(JOB_NAMES.map((n) => [n, async () => 'ok'])) as Record<JobName, () => Promise<string>>;

async function bookkeeping() {
  const project = mkdtempSync(join(tmpdir(), 'nevo-bench-jobs-'));
  const { workspace } = await initWorkspace({ project, cwd: project });
  const ws = openWorkspace(workspace);
  const times: number[] = [];
  for (let i = 0; i < 60; i++) {
    const t0 = performance.now();
    await runJob(ws, 'fitness', { reason: 'manual', by: claimant('bench'), actions: noop });
    times.push(performance.now() - t0);
  }
  console.log(`job bookkeeping (claim + record in store/jobs.json, no-op job), 60 runs: p50 ${fmt(median(times))}, p95 ${fmt(percentile(times, 95))}`);
}

async function selfReview() {
  const root = await bigWorkspace();
  const ws = openWorkspace(root);
  const [telemetry, incidents] = [await ws.store.read('telemetry'), await ws.store.read('incidents')];
  const rules = loadRules(ws.root).rules;
  const plans: number[] = [];
  let review = null as ReturnType<typeof planSelfReview> | null;
  for (let i = 0; i < 10; i++) {
    const t0 = performance.now();
    review = planSelfReview({ now: new Date(), timeZone: '', telemetry: telemetry.records, incidents: incidents.records, rules, days: 14, proposals: 3, effectivenessDays: 14 });
    renderReport(review, []);
    plans.push(performance.now() - t0);
  }
  console.log(`self-review plan + report over ${incidents.records.length} incidents and ${rules.length} rules: median ${fmt(median(plans))} (${review!.repeated.length} repeated errors, ${review!.ruled.length} ruled error types)`);
  const t0 = performance.now();
  const r = await runSelfReview(ws);
  console.log(`self-review run, built-in analyst, ${r.proposals.length} proposals, report and facts in one commit: ${fmt(performance.now() - t0)}`);
}

/** CPU and memory of a daemon that has nothing to do: it should cost nothing while it waits. */
async function idleDaemon() {
  const project = mkdtempSync(join(tmpdir(), 'nevo-bench-daemon-'));
  await initWorkspace({ project, cwd: project });
  const once = spawn(process.execPath, [CLI, 'daemon', '--once'], { cwd: project, stdio: 'ignore' });
  await new Promise((r) => once.on('exit', r));
  const d = spawn(process.execPath, [CLI, 'daemon'], { cwd: project, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((r) => d.stdout!.on('data', (b) => String(b).includes('running the jobs') && r()));
  const ticks = () => {
    const f = readFileSync(`/proc/${d.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return Number(f[11]) + Number(f[12]);
  };
  const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${d.pid}/status`, 'utf8'))![1]) / 1024;
  // what start-up left to do (collection of its garbage) is not the idle cost
  await new Promise((r) => setTimeout(r, 3000));
  const before = ticks();
  const seconds = 20;
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const cpuMs = (ticks() - before) * 10;
  console.log(`idle daemon over ${seconds} s: CPU ${cpuMs} ms (${((cpuMs / (seconds * 1000)) * 100).toFixed(2)}%), RSS ${rss().toFixed(0)} MiB`);
  d.kill('SIGTERM');
  await new Promise((r) => d.on('exit', r));
}

await bookkeeping();
await selfReview();
await idleDaemon();
