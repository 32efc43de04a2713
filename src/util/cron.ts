import loadCronParser from './cron-lazy.cjs';

// node-schedule reads its cron rules with cron-parser; computing next and previous times with the
// same library means the Jobs screen and catch-up agree with when node-schedule really fires.

const options = (from: Date, timeZone: string) => ({ currentDate: from, ...(timeZone ? { tz: timeZone } : {}) });

/** Why a cron expression cannot be used, or null when it can. Five fields: seconds are not offered. */
export function cronProblem(expr: string): string | null {
  const fields = expr.trim().split(/\s+/);
  if (fields.length !== 5) return `it has ${fields.length} field(s), not 5`;
  try {
    loadCronParser().parseExpression(expr);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

/** The first time strictly after `from` that the expression fires in `timeZone` ('' = the system's). */
export function nextRun(expr: string, timeZone: string, from: Date): Date {
  return loadCronParser().parseExpression(expr, options(from, timeZone)).next().toDate();
}

/** The last time at or before `from` that the expression fired, or null when it never has. */
export function previousRun(expr: string, timeZone: string, from: Date): Date | null {
  try {
    // cron-parser's prev() is strictly before its start: a start a millisecond later includes `from`.
    return loadCronParser().parseExpression(expr, options(new Date(from.getTime() + 1), timeZone)).prev().toDate();
  } catch {
    return null;
  }
}

/**
 * A last run stamped later than now by more than this was stamped before the clock was set back
 * (a wrong date fixed, say); less is the skew between two machines' clocks.
 */
export const CLOCK_SLACK_MS = 60_000;

/**
 * Catch-up: node-schedule never runs a time it missed (the machine was off, nothing was open), so
 * a job is due at start when a time it should have fired at has passed since its last run began.
 * A job that never ran is due too. With a daily job this is "the last run is older than a day".
 */
export function missedRun(expr: string, timeZone: string, lastRun: string | undefined, now: Date): Date | null {
  const previous = previousRun(expr, timeZone, now);
  if (!previous) return null;
  if (!lastRun) return previous;
  // A last run after now was stamped before the clock was set back: it is no run since `previous`.
  const last = Date.parse(lastRun);
  return last < previous.getTime() || last > now.getTime() + CLOCK_SLACK_MS ? previous : null;
}
