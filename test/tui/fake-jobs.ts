/**
 * The scheduled jobs of the fake workspace: a jobs view as a TUI that runs them sees it (some ran
 * fine, self-review failed last night, fitness never ran), relative to the real clock as the real
 * view is, and a jobRun that changes it the way `jobs run NAME` changes store/jobs.json.
 */
import { nextRun } from '../../src/util/cron.js';
import { JOB_DESCRIPTIONS, type JobStatus } from '../../src/schedule/jobs.js';
import type { Report } from '../../src/schedule/reports.js';
import type { JobResult } from '../../src/schedule/run-job.js';
import type { JobRun } from '../../src/store/schemas.js';
import type { JobName } from '../../src/store/vocabulary.js';
import type { JobsView, Snapshot } from '../../src/tui/services.js';

export const TIME_ZONE = 'Europe/Paris';
export const BY = 'tui pid 31337 on dev-box';
export const SELF_REVIEW_ERROR =
  'git commit failed: the workspace lock is held by pid 777 (nevo-tui memory forget) for over 30 s; the report for the day was not written and will be written on the next run';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const iso = (t: number) => new Date(t).toISOString();

function run(at: number, outcome: JobRun['outcome'], reason: JobRun['reason'], durationMs: number, summary: string): JobRun {
  return { at: iso(at), outcome, reason, durationMs, summary, by: BY };
}

function job(name: JobName, cron: string | null, now: number, recent: JobRun[]): JobStatus {
  const last = recent[0];
  return {
    name,
    description: JOB_DESCRIPTIONS[name],
    enabled: true,
    schedule: cron === null ? 'on change, every 60s' : `daily ${cron.split(' ')[1]!.padStart(2, '0')}:${cron.split(' ')[0]!.padStart(2, '0')}`,
    cron,
    next: cron === null ? null : nextRun(cron, TIME_ZONE, new Date(now)).toISOString(),
    lastRun: last?.at ?? null,
    durationMs: last?.durationMs ?? null,
    outcome: last?.outcome ?? null,
    error: last?.outcome === 'failed' ? last.summary : null,
    summary: last?.summary ?? '',
    runs: recent.length,
    running: null,
    recent,
  };
}

/** The report the self-review wrote the night before it failed. */
export const REPORT_DAY = '2026-03-09';

export function reportMarkdown(day: string): string {
  const lines = [`# Self-review ${day}`, '', 'The agent failed 9 of 120 tool calls (7.5%), up from 7 of 70.', '', '## Failure rate per day', '', '| Day | Calls | Failures | Rate |', '|---|---:|---:|---:|'];
  for (let d = 1; d <= 14; d++) lines.push(`| 2026-02-${String(d + 10).padStart(2, '0')} | ${80 + d} | ${d % 5} | ${((d % 5) / (80 + d) * 100).toFixed(1)}% |`);
  lines.push('', '## Repeated errors (7 days)', '');
  for (let n = 1; n <= 12; n++) lines.push(`- repeated error ${n}: Cannot find module 'mod-${n}' (${n + 1} times in ${1 + (n % 3)} session(s))`);
  lines.push('', '## Proposals', '', '- PROJ-004 Install node modules before running the test suite', '', '## Rules in effect: before and after', '', '- PROJ-001: 9 before, 0 after: working', '- PROJ-002: 6 before, 4 after: not working yet', '', 'End of the report.');
  return `${lines.join('\n')}\n`;
}

export function reportOf(file: string | null): Report | null {
  if (!file) return null;
  const day = /(\d{4}-\d{2}-\d{2})\.md$/.exec(file)?.[1] ?? REPORT_DAY;
  return { file, day, markdown: reportMarkdown(day) };
}

export function fakeJobs(now = Date.now()): JobsView {
  return {
    role: 'runner',
    owner: null,
    current: null,
    timeZone: TIME_ZONE,
    latestReport: `journal/reports/${REPORT_DAY}.md`,
    error: null,
    jobs: [
      job('ingest', null, now, [run(now - 2 * MINUTE, 'ok', 'change', 42, '1 event(s) stored, 1 incident(s) opened'), run(now - 40 * MINUTE, 'ok', 'change', 38, '2 event(s) stored')]),
      job('consolidate', '0 3 * * *', now, [run(now - 21 * HOUR, 'ok', 'schedule', 1240, '2 narrative(s) into weekly digest 2026-W10; 3 expired fact(s) out'), run(now - 45 * HOUR, 'ok', 'catch-up', 980, 'nothing to consolidate')]),
      job('validate-skills', '30 3 * * *', now, [run(now - 20 * HOUR, 'ok', 'schedule', 310, '5 skill(s): 1 invalid, 1 drifted')]),
      job('self-review', '17 0 * * *', now, [run(now - 3 * HOUR, 'failed', 'schedule', 2050, SELF_REVIEW_ERROR), run(now - 27 * HOUR, 'ok', 'schedule', 1830, `report journal/reports/${REPORT_DAY}.md; 1 rule proposed`)]),
      job('fitness', '55 23 * * *', now, []),
    ],
  };
}

const SUMMARIES: Record<JobName, string> = {
  ingest: '0 event(s) stored',
  consolidate: 'nothing to consolidate',
  'validate-skills': '5 skill(s): 1 invalid, 1 drifted',
  'self-review': 'report journal/reports/<day>.md; 0 rule(s) proposed',
  fitness: 'fitness snapshot of the day: 7.5% failed, 3 active rule(s)',
  sync: '2 other member(s); in: PROJ-004',
};

/** Runs a job the way runJob does: refused while it runs, recorded as ok or failed, never thrown. */
export async function jobRunFake(state: Snapshot, name: JobName, opts: { jobFailures: Partial<Record<JobName, string>>; holdJobs: Promise<void> | null }): Promise<JobResult> {
  const j = state.jobs.jobs.find((x) => x.name === name);
  if (!j) throw new Error(`No job ${name}`);
  if (j.running) return { ran: false, name, reason: `${name} is running in ${j.running.by} since ${j.running.since}` };
  const started = Date.now();
  j.running = { pid: 31337, host: 'dev-box', since: iso(started), by: BY };
  if (opts.holdJobs) await opts.holdJobs;
  const day = new Date(started).toISOString().slice(0, 10);
  const error = opts.jobFailures[name];
  const summary = error ?? SUMMARIES[name].replace('<day>', day);
  const r = run(started, error ? 'failed' : 'ok', 'manual', 1200, summary);
  Object.assign(j, { running: null, lastRun: r.at, durationMs: r.durationMs, outcome: r.outcome, error: error ?? null, summary, runs: j.runs + 1, recent: [r, ...j.recent].slice(0, 20) });
  if (name === 'self-review' && !error) state.jobs.latestReport = `journal/reports/${day}.md`;
  return { ran: true, name, run: r };
}
