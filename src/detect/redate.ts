/**
 * Moves a Claude Code transcript in time: every line's `timestamp` shifted by the same amount, so
 * the demo's sample sessions look like last days' work (the 7-day figures, today's calls and the
 * nightly review have something to show). Pure; lines that are not JSON stay as they are.
 */

/** The newest `timestamp` of a transcript, in milliseconds, or null when it has none. */
export function lastTimestamp(text: string): number | null {
  let last: number | null = null;
  for (const line of text.split('\n')) {
    const t = stamped(line)?.time ?? null;
    if (t !== null && (last === null || t > last)) last = t;
  }
  return last;
}

export function redateTranscript(text: string, shiftMs: number): string {
  return text
    .split('\n')
    .map((line) => {
      const hit = stamped(line);
      if (!hit) return line;
      hit.record.timestamp = new Date(hit.time + shiftMs).toISOString();
      return JSON.stringify(hit.record);
    })
    .join('\n');
}

/** A line's record and its `timestamp` in milliseconds, when it is a JSON object with one. */
function stamped(line: string): { record: Record<string, unknown>; time: number } | null {
  if (!line.includes('"timestamp"')) return null;
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch {
    return null;
  }
  if (!record || typeof record !== 'object' || Array.isArray(record)) return null;
  const value = (record as Record<string, unknown>).timestamp;
  const time = typeof value === 'string' ? Date.parse(value) : NaN;
  return Number.isNaN(time) ? null : { record: record as Record<string, unknown>, time };
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
