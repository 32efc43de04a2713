import { hostname } from 'node:os';
import type { JobRecord, JobRun } from '../store/schemas.js';
import type { JobName } from '../store/vocabulary.js';
import { pidAlive } from '../store/lock.js';
import { CLOCK_SLACK_MS } from '../util/cron.js';
import { jobStatuses, type JobStatus } from './jobs.js';
import type { Workspace } from '../workspace/workspace.js';

/** The latest runs kept per job. */
const RECENT_RUNS = 20;
// A run marked by a process on another machine is believed until it is this old.
const FOREIGN_RUN_MS = 6 * 3600_000;

export type Claim = { claimed: true } | { claimed: false; reason: string };

export interface Claimant {
  pid: number;
  host: string;
  by: string;
}

/** The job's record among `jobs`, added to them when it has none yet. */
function record(jobs: JobRecord[], name: JobName): JobRecord {
  let r = jobs.find((j) => j.id === name);
  if (!r) {
    r = { id: name, summary: '', runs: 0, recent: [] };
    jobs.push(r);
  }
  return r;
}

/**
 * Pure: marks `name` as running for `me` unless another live process runs it, or someone already
 * ran the time `slot` stands for (a scheduled or missed time). Two processes that both think a
 * job is due therefore run it once: the second finds the first's mark or its finished run.
 */
export function claimRun(jobs: JobRecord[], name: JobName, me: Claimant, now: Date, alive: (running: NonNullable<JobRecord['running']>) => boolean, slot?: Date): Claim {
  const r = record(jobs, name);
  if (r.running && alive(r.running)) return { claimed: false, reason: `${name} is running in ${r.running.by} since ${r.running.since}` };
  // A last run later than now was stamped by a clock that has since been set back: it stands for no
  // slot, or the job would not run again until the clock passed it (a year, after a wrong date).
  const last = r.lastRun ? Date.parse(r.lastRun) : NaN;
  if (slot && last >= slot.getTime() && last <= now.getTime() + CLOCK_SLACK_MS) return { claimed: false, reason: `${name} already ran at ${r.lastRun}` };
  r.running = { pid: me.pid, host: me.host, since: now.toISOString(), by: me.by };
  return { claimed: true };
}

/** Pure: records a finished run and clears the running mark. */
function finishRun(jobs: JobRecord[], name: JobName, run: JobRun): JobRecord {
  const r = record(jobs, name);
  delete r.running;
  r.lastRun = run.at;
  r.durationMs = run.durationMs;
  r.outcome = run.outcome;
  r.summary = run.summary;
  if (run.outcome === 'failed') r.error = run.summary;
  else delete r.error;
  r.runs += 1;
  r.recent = [run, ...r.recent].slice(0, RECENT_RUNS);
  return r;
}

/** A running mark is live while its process is (same machine), or for a while (another machine). */
export function markAlive(running: NonNullable<JobRecord['running']>, now: Date): boolean {
  if (running.host === hostname()) return running.pid === process.pid || pidAlive(running.pid);
  return now.getTime() - Date.parse(running.since) < FOREIGN_RUN_MS;
}

/**
 * The jobs as `jobs list` and the TUI show them now, with the zone their times are in (the
 * workspace's, else the system's); a running mark whose process is gone is no run in progress.
 */
export function jobsNow(ws: Workspace, records: JobRecord[]): { timeZone: string; jobs: JobStatus[] } {
  const now = ws.clock();
  return { timeZone: ws.config.timeZone || Intl.DateTimeFormat().resolvedOptions().timeZone, jobs: jobStatuses(ws.config, records, now, (r) => markAlive(r, now)) };
}

export function claimant(kind: string): Claimant {
  return { pid: process.pid, host: hostname(), by: `${kind} pid ${process.pid}` };
}

// Jobs this process is running now: its own running mark is live only for these (a mark left by a
// run of this process that failed to record its end does not block the next one).
const runningHere = new Set<string>();
const here = (ws: Workspace, name: JobName) => `${ws.root}\0${name}`;

// jobs.json is run state: it joins the next batch commit instead of adding a commit per run.
export async function claimJob(ws: Workspace, name: JobName, me: Claimant, slot?: Date): Promise<Claim> {
  return ws.store.transact(
    async (tx) => {
      const jobs = await tx.jobs.list();
      const now = ws.clock();
      const c = claimRun(jobs, name, me, now, (r) => (r.pid === me.pid && r.host === me.host ? runningHere.has(here(ws, name)) : markAlive(r, now)), slot);
      if (c.claimed) {
        await tx.jobs.upsert(jobs.filter((j) => j.id === name));
        runningHere.add(here(ws, name));
      }
      return c;
    },
    { purpose: `job ${name}` },
  );
}

export async function recordRun(ws: Workspace, name: JobName, run: JobRun): Promise<JobRecord> {
  try {
    return await ws.store.transact(
      async (tx) => {
        const r = finishRun(await tx.jobs.list(), name, run);
        await tx.jobs.upsert([r]);
        return r;
      },
      { purpose: `job ${name}` },
    );
  } finally {
    runningHere.delete(here(ws, name));
  }
}
