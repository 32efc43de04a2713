import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { emit } from '../output.js';
import { duration } from '../util/format.js';
import { isJobName, type JobStatus } from '../schedule/jobs.js';
import { runJob } from '../app/jobs.js';
import type { JobResult } from '../schedule/run-job.js';
import { currentRunner, describeRunner } from '../schedule/runner-lock.js';
import { claimant, jobsNow } from '../schedule/runs.js';
import { JOB_NAMES } from '../store/vocabulary.js';
import { dayAndMinute } from '../util/day.js';
import type { Workspace } from '../workspace/workspace.js';
import { workspaceOf } from './context.js';

interface Opts {
  json?: boolean;
}

/** `jobs run` as a runner's child process calls it: the reason, the time it stands for, whose run. */
interface RunOpts extends Opts {
  reason?: string;
  slot?: string;
  by?: string;
}

const REASONS = ['schedule', 'catch-up', 'manual', 'change'] as const;

function when(iso: string | null, tz: string): string {
  if (!iso) return '-';
  const { day, hm } = dayAndMinute(iso, tz);
  return `${day} ${hm}`;
}

function jobLine(j: JobStatus, tz: string): string {
  const last = j.lastRun ? `${j.outcome === 'failed' ? '✗' : '✓'} ${when(j.lastRun, tz)} (${duration(j.durationMs)})` : 'never run';
  const head = `${j.name.padEnd(16)} ${j.schedule.padEnd(24)} next ${when(j.next, tz).padEnd(16)} last ${last}${j.running ? `  running in ${j.running.by}` : ''}`;
  return j.summary ? `${head}\n${' '.repeat(17)}${j.summary}` : head;
}

export async function listJobs(ws: Workspace) {
  const { timeZone, jobs } = jobsNow(ws, await ws.store.jobs.list());
  return { timeZone, runner: currentRunner(ws.layout), jobs };
}

export async function list(opts: Opts, cmd: Command): Promise<void> {
  const ws = workspaceOf(cmd);
  const r = await listJobs(ws);
  emit(opts.json, r, () =>
    [
      `Jobs (times in ${r.timeZone}); run by ${r.runner ? describeRunner(r.runner) : 'no process now: open the TUI or start `nevo-tui daemon`'}`,
      ...r.jobs.map((j) => jobLine(j, ws.config.timeZone)),
    ].join('\n'),
  );
}

export function resultLine(r: JobResult): string {
  if (!r.ran) return `${r.name}: not run: ${r.reason}`;
  return `${r.run.outcome === 'ok' ? '✓' : '✗'} ${r.name} (${duration(r.run.durationMs)}): ${r.run.summary}`;
}

export async function runOne(name: string, opts: RunOpts, cmd: Command): Promise<void> {
  if (!isJobName(name)) throw new UserError(`No job "${name}". The jobs are: ${JOB_NAMES.join(', ')}.`);
  const reason = (opts.reason ?? 'manual') as (typeof REASONS)[number];
  if (!REASONS.includes(reason)) throw new UserError(`--reason must be one of ${REASONS.join(', ')}, not "${reason}".`);
  const slot = opts.slot ? new Date(opts.slot) : undefined;
  if (slot && Number.isNaN(slot.getTime())) throw new UserError(`--slot must be a time such as 2026-11-21T03:00:00.000Z, not "${opts.slot}".`);
  const ws = workspaceOf(cmd);
  const by = claimant('cli');
  const r = await runJob(ws, name, { reason, slot, by: opts.by ? { ...by, by: opts.by } : by });
  emit(opts.json, r, () => resultLine(r));
  if (!r.ran || r.run.outcome === 'failed') process.exitCode = 1;
}
