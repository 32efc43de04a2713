import { redactString } from '../redact/redact.js';
import type { JobRun } from '../store/schemas.js';
import type { JobName } from '../store/vocabulary.js';
import type { Workspace } from '../workspace/workspace.js';
import { claimJob, recordRun, type Claimant } from './runs.js';

export type JobReason = JobRun['reason'];

/** What a job does: returns one line for the Jobs screen, or throws (the run is recorded as failed). */
export type JobAction = (ws: Workspace) => Promise<string>;
/** Every job's action; the application's own are app/jobs.ts's ACTIONS. */
export type JobActions = Record<JobName, JobAction>;

/** `crashed`: the process meant to run it died or never started, so no run was recorded. */
export type JobResult = { ran: true; name: JobName; run: JobRun } | { ran: false; name: JobName; reason: string; crashed?: boolean };

export interface RunJobOptions {
  reason: JobReason;
  by: Claimant;
  /** The scheduled (or missed) time this run stands for: a second process due for it runs nothing. */
  slot?: Date;
  actions: JobActions;
}

// A run's summary is one line for the Jobs screen and `jobs list`: a longer error is cut.
const MAX_SUMMARY = 600;

function oneLine(text: string): string {
  const flat = text.replace(/\s*\n\s*/g, ' ').trim();
  return flat.length > MAX_SUMMARY ? `${flat.slice(0, MAX_SUMMARY - 1)}…` : flat;
}

/**
 * Runs one job once, unless another process runs it or already ran its slot, and records the run
 * in store/jobs.json. A failing job is recorded as failed with its error and never throws here.
 */
export async function runJobOnce(ws: Workspace, name: JobName, opts: RunJobOptions): Promise<JobResult> {
  const claim = await claimJob(ws, name, opts.by, opts.slot);
  if (!claim.claimed) return { ran: false, name, reason: claim.reason };
  const started = ws.clock();
  const t0 = performance.now();
  let outcome: JobRun['outcome'] = 'ok';
  let summary: string;
  try {
    summary = await opts.actions[name](ws);
  } catch (err) {
    outcome = 'failed';
    summary = (err as Error).message || String(err);
  }
  // store/jobs.json is committed: an error quoting a command's stderr (an external analyst's, say)
  // can hold a token, so the summary is redacted like a hook payload.
  const run: JobRun = { at: started.toISOString(), durationMs: Math.round(performance.now() - t0), outcome, reason: opts.reason, summary: oneLine(redactString(summary)), by: opts.by.by };
  await recordRun(ws, name, run);
  return { ran: true, name, run };
}
