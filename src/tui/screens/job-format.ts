import { hostname } from 'node:os';
import type { JobStatus } from '../../schedule/jobs.js';
import type { JobRun } from '../../store/schemas.js';
import type { JobsView } from '../services.js';
import type { Theme } from '../theme.js';
import { ago } from './types.js';

// Pure text for the Jobs screen and the Watch pane's job line: data in, strings out.

const formats = new Map<string, Intl.DateTimeFormat>();

function formatIn(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    const opts: Intl.DateTimeFormatOptions = { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
    try {
      f = new Intl.DateTimeFormat('en-US', { ...opts, ...(timeZone ? { timeZone } : {}) });
    } catch {
      // a zone this Node does not know: the config check reports it; show the system's time meanwhile
      f = new Intl.DateTimeFormat('en-US', opts);
    }
    formats.set(timeZone, f);
  }
  return f;
}

/** `11-22 03:00`: month-day and time as a clock in `timeZone` shows it ('' = the system's zone). */
export function localTime(iso: string, timeZone: string): string {
  const parts = Object.fromEntries(formatIn(timeZone).formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  return `${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

/** `340 ms`, `1.2 s`, `2m 05s`. */
export const agoLabel = (iso: string | null, now = Date.now()): string => (iso ? `${ago(iso, now)} ago` : 'never');

/** The schedule in a column: ingest's poll interval is detail, not schedule. */
export const scheduleLabel = (j: JobStatus): string => (!j.enabled ? 'off' : j.cron === null ? 'on change' : j.schedule);

export function nextLabel(j: JobStatus, timeZone: string): string {
  if (!j.enabled) return 'off';
  return j.next ? localTime(j.next, timeZone) : 'on change';
}

export function isRunning(j: JobStatus, view: JobsView): boolean {
  return j.running !== null || view.current === j.name;
}

/** ✓ or ✗ of the last run, `running`, or `-` when it never ran. */
export function outcomeLabel(j: JobStatus, view: JobsView, theme: Theme): string {
  if (isRunning(j, view)) return 'running';
  return j.outcome === 'ok' ? theme.mark.ok : j.outcome === 'failed' ? theme.mark.error : '-';
}

export const runMark = (r: JobRun, theme: Theme): string => (r.outcome === 'ok' ? theme.mark.ok : theme.mark.error);

/** `daemon pid 4242` (`… on other-host` when it runs elsewhere). */
function ownerLabel(view: JobsView, host = hostname()): string {
  const o = view.owner;
  if (!o) return 'another process';
  return `${o.kind} pid ${o.pid}${o.host && o.host !== host ? ` on ${o.host}` : ''}`;
}

/** Who runs the jobs of this workspace, as a person at this TUI needs to know it. */
export function runnerLine(view: JobsView, host = hostname()): { text: string; tone: 'ok' | 'info' | 'warn' | 'error' } {
  if (view.error) return { text: `Jobs cannot run: ${view.error}`, tone: 'error' };
  if (view.role === 'runner') return { text: 'Jobs run here (this TUI)', tone: 'ok' };
  if (view.role === 'standby') {
    const since = view.owner?.since ? ` since ${localTime(view.owner.since, view.timeZone)}` : '';
    return { text: `Jobs run by ${ownerLabel(view, host)}${since}; this TUI does not run them`, tone: 'info' };
  }
  return { text: 'No process runs the jobs: start `nevo-tui daemon` or open the TUI without --no-jobs', tone: 'warn' };
}

/** Watch's one line: the jobs that ran, most recent first, with who runs them when it is not this TUI. */
export function lastRunsLine(view: JobsView, theme: Theme, now = Date.now()): string {
  if (view.error) return `Jobs cannot run: ${view.error}`;
  const ran = view.jobs.filter((j) => j.lastRun || isRunning(j, view)).sort((a, b) => Date.parse(b.lastRun ?? '') - Date.parse(a.lastRun ?? '') || 0);
  const running = ran.filter((j) => isRunning(j, view)).map((j) => `running ${j.name}`);
  const done = ran.filter((j) => !isRunning(j, view) && j.lastRun).map((j) => `${j.outcome === 'failed' ? theme.mark.error : theme.mark.ok} ${j.name} ${agoLabel(j.lastRun, now)}`);
  const who = view.role === 'standby' ? ` (run by ${ownerLabel(view)})` : view.role === 'off' ? ' (no job runner)' : '';
  const list = [...running, ...done];
  return `Jobs${who}: ${list.length ? list.join(' · ') : 'none ran yet'}`;
}
