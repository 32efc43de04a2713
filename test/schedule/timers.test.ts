import { afterEach, describe, expect, it, vi } from 'vitest';
import { cronTimer } from '../../src/schedule/timers.js';

afterEach(() => {
  vi.useRealTimers();
});

/** Fires collected while fake time runs from `from` for `days` days. */
async function firesOver(cron: string, tz: string, from: string, days: number): Promise<string[]> {
  vi.useFakeTimers({ now: new Date(from) });
  const fired: string[] = [];
  const t = cronTimer(cron, tz, () => fired.push(new Date().toISOString()));
  for (let h = 0; h < days * 24; h++) await vi.advanceTimersByTimeAsync(3600_000);
  t.cancel();
  return fired;
}

describe('cronTimer (node-schedule) with an injected clock', () => {
  it('fires a daily 03:00 job at 03:00 Paris time across the spring daylight-saving change', async () => {
    const fired = await firesOver('0 3 * * *', 'Europe/Paris', '2026-03-27T12:00:00Z', 4);
    expect(fired).toEqual(['2026-03-28T02:00:00.000Z', '2026-03-29T01:00:00.000Z', '2026-03-30T01:00:00.000Z', '2026-03-31T01:00:00.000Z']);
  });
});
