import type { JobRecord } from '../store/schemas.js';
import { JOB_NAMES, type JobName } from '../store/vocabulary.js';
import type { Config } from '../workspace/config.js';
import { nextRun } from '../util/cron.js';

/** One job as configured: a cron time, or (ingest) every change of triggers/ plus a poll. */
export interface JobSpec {
  name: JobName;
  description: string;
  enabled: boolean;
  /** Five-field cron expression in the workspace's time zone; null for ingest. */
  cron: string | null;
  /** Ingest only: how often triggers/ is looked at in case a file change was missed. */
  pollSeconds?: number;
  /** Why a job that is on in config does not run. */
  off?: string;
}

export const JOB_DESCRIPTIONS: Record<JobName, string> = {
  ingest: 'hook events waiting in triggers/ become events and incidents',
  consolidate: 'narratives into weekly and monthly digests, expired facts out',
  'validate-skills': 'every skill of skills/ validated, deployed copies checked for drift',
  'self-review': 'repeated errors, rule proposals and the report in journal/reports/',
  fitness: "the day's fitness snapshot: failure rate, incidents, rules, memory",
  sync: "rules, skills and incident counts shared with the team's remote (sync.remote)",
};

export function jobSpecs(config: Config): JobSpec[] {
  const jobs = config.schedule.jobs;
  return JOB_NAMES.map((name) => {
    if (name === 'ingest') return { name, description: JOB_DESCRIPTIONS[name], enabled: jobs.ingest.enabled, cron: null, pollSeconds: jobs.ingest.pollSeconds };
    const j = jobs[name];
    // Without a remote there is nothing to sync with: the job is off until `nevo-tui sync --remote URL`.
    if (name === 'sync') return { name, description: JOB_DESCRIPTIONS[name], enabled: j.enabled && config.sync.remote !== '', cron: j.cron, ...(config.sync.remote ? {} : { off: 'no sync.remote' }) };
    return { name, description: JOB_DESCRIPTIONS[name], enabled: j.enabled, cron: j.cron };
  });
}

export function isJobName(name: string): name is JobName {
  return (JOB_NAMES as readonly string[]).includes(name);
}

/** `daily 03:00` for the usual daily expressions, else the expression itself. */
export function describeSchedule(spec: JobSpec): string {
  if (!spec.enabled) return spec.off ? `off (${spec.off})` : 'off';
  if (spec.cron === null) return `on change, every ${spec.pollSeconds}s`;
  const m = /^(\d{1,2}) (\d{1,2}) \* \* \*$/.exec(spec.cron.trim());
  return m ? `daily ${m[2]!.padStart(2, '0')}:${m[1]!.padStart(2, '0')}` : spec.cron;
}

/** A job as `nevo-tui jobs list` and the Jobs screen show it. */
export interface JobStatus {
  name: JobName;
  description: string;
  enabled: boolean;
  schedule: string;
  cron: string | null;
  /** The next time it fires (null: on change, or off). */
  next: string | null;
  lastRun: string | null;
  durationMs: number | null;
  outcome: 'ok' | 'failed' | null;
  error: string | null;
  summary: string;
  runs: number;
  running: JobRecord['running'] | null;
  recent: JobRecord['recent'];
}

/**
 * Pure: each job's configuration joined with its record in store/jobs.json. `alive` says whether a
 * running mark's process still runs it: a mark left by a killed process is no run in progress.
 */
export function jobStatuses(config: Config, records: JobRecord[], now: Date, alive: (running: NonNullable<JobRecord['running']>) => boolean = () => true): JobStatus[] {
  return jobSpecs(config).map((spec) => {
    const r = records.find((x) => x.id === spec.name);
    return {
      name: spec.name,
      description: spec.description,
      enabled: spec.enabled,
      schedule: describeSchedule(spec),
      cron: spec.cron,
      next: spec.enabled && spec.cron ? nextRun(spec.cron, config.timeZone, now).toISOString() : null,
      lastRun: r?.lastRun ?? null,
      durationMs: r?.durationMs ?? null,
      outcome: r?.outcome ?? null,
      error: r?.error ?? null,
      summary: r?.summary ?? '',
      runs: r?.runs ?? 0,
      running: r?.running && alive(r.running) ? r.running : null,
      recent: r?.recent ?? [],
    };
  });
}
