/**
 * Moves a Claude Code transcript in time: every line's `timestamp` shifted by the same amount, so
 * the demo's sample sessions look like last days' work (the 7-day figures, today's calls and the
 * nightly review have something to show). Pure; lines that are not JSON stay as they are.
 */

/** The newest `timestamp` of a transcript, in milliseconds, or null when it has none. */
export function lastTimestamp(text: string): number | null {
  let last: number | null = null;
  for (const line of text.split('\n')) {
    const t = timestampOf(line);
    if (t !== null && (last === null || t > last)) last = t;
  }
  return last;
}

export function redateTranscript(text: string, shiftMs: number): string {
  return text
    .split('\n')
    .map((line) => {
      const t = timestampOf(line);
      if (t === null) return line;
      const record = JSON.parse(line) as Record<string, unknown>;
      record.timestamp = new Date(t + shiftMs).toISOString();
      return JSON.stringify(record);
    })
    .join('\n');
}

function timestampOf(line: string): number | null {
  if (!line.includes('"timestamp"')) return null;
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch {
    return null;
  }
  if (!record || typeof record !== 'object' || Array.isArray(record)) return null;
  const value = (record as Record<string, unknown>).timestamp;
  const t = typeof value === 'string' ? Date.parse(value) : NaN;
  return Number.isNaN(t) ? null : t;
}

/**
 * How far to shift each transcript so the newest ends five minutes before `now`, the one before it
 * a day earlier, and so on: one session a day, in their recorded order.
 */
export function recentShifts(ends: number[], now: number): number[] {
  const order = ends.map((end, i) => ({ end, i })).sort((a, b) => a.end - b.end);
  const shifts = new Array<number>(ends.length).fill(0);
  order.forEach(({ end, i }, rank) => {
    const daysBack = order.length - 1 - rank;
    shifts[i] = now - 5 * MINUTE - daysBack * DAY - end;
  });
  return shifts;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
