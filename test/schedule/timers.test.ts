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

  it('fires a 02:30 job once on the autumn night when 02:30 happens twice, and once when spring skips it', async () => {
    expect(await firesOver('30 2 * * *', 'Europe/Paris', '2026-10-24T12:00:00Z', 3)).toEqual(['2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z', '2026-10-27T01:30:00.000Z']);
    expect(await firesOver('30 2 * * *', 'Europe/Paris', '2026-03-28T12:00:00Z', 2)).toEqual(['2026-03-29T01:30:00.000Z', '2026-03-30T00:30:00.000Z']);
  });

  it('reads the time in the configured zone, not the machine\'s', async () => {
    expect(await firesOver('17 0 * * *', 'America/New_York', '2026-11-21T12:00:00Z', 2)).toEqual(['2026-11-22T05:17:00.000Z', '2026-11-23T05:17:00.000Z']);
    expect(await firesOver('17 0 * * *', 'Asia/Tokyo', '2026-11-21T12:00:00Z', 1)).toEqual(['2026-11-21T15:17:00.000Z']);
  });

  it('stops firing once cancelled, and says when it fires next', async () => {
    vi.useFakeTimers({ now: new Date('2026-11-21T12:00:00Z') });
    const fired: string[] = [];
    const t = cronTimer('0 3 * * *', 'UTC', () => fired.push(new Date().toISOString()));
    expect(t.next()?.toISOString()).toBe('2026-11-22T03:00:00.000Z');
    t.cancel();
    await vi.advanceTimersByTimeAsync(2 * 86_400_000);
    expect(fired).toEqual([]);
  });
});
