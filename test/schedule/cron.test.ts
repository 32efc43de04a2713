import { describe, expect, it } from 'vitest';
import { cronProblem, missedRun, nextRun, previousRun } from '../../src/util/cron.js';
import { describeSchedule, jobSpecs, jobStatuses } from '../../src/schedule/jobs.js';
import { defaultConfig, parseConfig } from '../../src/workspace/config.js';

const at = (iso: string) => new Date(iso);

describe('cron times in a time zone', () => {
  it('keeps 03:00 Paris time across both daylight-saving changes', () => {
    expect(nextRun('0 3 * * *', 'Europe/Paris', at('2026-03-28T12:00:00Z')).toISOString()).toBe('2026-03-29T01:00:00.000Z');
    expect(nextRun('0 3 * * *', 'Europe/Paris', at('2026-03-27T12:00:00Z')).toISOString()).toBe('2026-03-28T02:00:00.000Z');
    expect(nextRun('0 3 * * *', 'Europe/Paris', at('2026-10-24T12:00:00Z')).toISOString()).toBe('2026-10-25T02:00:00.000Z');
    expect(nextRun('0 3 * * *', 'Europe/Paris', at('2026-10-25T12:00:00Z')).toISOString()).toBe('2026-10-26T02:00:00.000Z');
  });

  it('fires a time the spring change skips once, an hour later, and a repeated time once', () => {
    // 02:30 does not exist in Paris on 2026-03-29: it fires at 03:30 CEST (01:30Z), once.
    expect(nextRun('30 2 * * *', 'Europe/Paris', at('2026-03-28T12:00:00Z')).toISOString()).toBe('2026-03-29T01:30:00.000Z');
    // 02:30 happens twice on 2026-10-25: the first one only.
    const first = nextRun('30 2 * * *', 'Europe/Paris', at('2026-10-24T12:00:00Z'));
    expect(first.toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(nextRun('30 2 * * *', 'Europe/Paris', first).toISOString()).toBe('2026-10-26T01:30:00.000Z');
  });

  it('reads the self-review time in New York, not in UTC', () => {
    expect(nextRun('17 0 * * *', 'America/New_York', at('2026-11-21T12:00:00Z')).toISOString()).toBe('2026-11-22T05:17:00.000Z');
    expect(nextRun('17 0 * * *', 'UTC', at('2026-11-21T12:00:00Z')).toISOString()).toBe('2026-11-22T00:17:00.000Z');
  });

  it('previous run includes the very instant it fires', () => {
    expect(previousRun('0 3 * * *', 'UTC', at('2026-11-21T03:00:00Z'))!.toISOString()).toBe('2026-11-21T03:00:00.000Z');
    expect(previousRun('0 3 * * *', 'UTC', at('2026-11-21T02:59:59Z'))!.toISOString()).toBe('2026-11-20T03:00:00.000Z');
  });
});

describe('catch-up: missed times', () => {
  const now = at('2026-11-21T09:00:00Z');
  it('is due when the last run began before the latest time it should have fired', () => {
    expect(missedRun('0 3 * * *', 'UTC', '2026-11-20T03:00:01Z', now)?.toISOString()).toBe('2026-11-21T03:00:00.000Z');
    expect(missedRun('0 3 * * *', 'UTC', '2026-11-19T03:00:00Z', now)?.toISOString()).toBe('2026-11-21T03:00:00.000Z');
  });
  it('is not due when it ran at or after that time', () => {
    expect(missedRun('0 3 * * *', 'UTC', '2026-11-21T03:00:00Z', now)).toBeNull();
    expect(missedRun('0 3 * * *', 'UTC', '2026-11-21T08:00:00Z', now)).toBeNull();
  });
  it('a job that never ran is due', () => {
    expect(missedRun('17 0 * * *', 'UTC', undefined, now)?.toISOString()).toBe('2026-11-21T00:17:00.000Z');
  });
});

describe('job configuration', () => {
  it('has the default times of every job', () => {
    const specs = jobSpecs(defaultConfig());
    expect(specs.map((s) => [s.name, describeSchedule(s)])).toEqual([
      ['ingest', 'on change, every 60s'],
      ['consolidate', 'daily 03:00'],
      ['validate-skills', 'daily 03:30'],
      ['self-review', 'daily 00:17'],
      ['fitness', 'daily 23:55'],
      ['sync', 'off (no sync.remote)'],
    ]);
  });

  // A config that keeps a job's default time is not run through the cron parser when read: the
  // defaults must be good ones.
  it('every default cron expression parses', () => {
    const crons = Object.entries(defaultConfig().schedule.jobs).flatMap(([name, job]) => ('cron' in job ? [[name, job.cron] as const] : []));
    expect(crons.length).toBeGreaterThan(3);
    for (const [name, cron] of crons) expect(cronProblem(cron), name).toBeNull();
  });

  it('refuses a bad cron expression, naming the field and an example', () => {
    expect(cronProblem('0 3 * *')).toMatch(/4 field/);
    expect(() => parseConfig({ schedule: { jobs: { consolidate: { cron: '61 3 * * *' } } } }, '/w/config.json')).toThrow(/schedule\.jobs\.consolidate\.cron.*"0 3 \* \* \*"/s);
  });

  it('a disabled job has no next run and shows off', () => {
    const config = parseConfig({ timeZone: 'Europe/Paris', schedule: { jobs: { fitness: { enabled: false } } } }, 'c');
    const st = jobStatuses(config, [], at('2026-11-21T12:00:00Z'));
    const fitness = st.find((j) => j.name === 'fitness')!;
    expect(fitness.schedule).toBe('off');
    expect(fitness.next).toBeNull();
    expect(st.find((j) => j.name === 'consolidate')!.next).toBe('2026-11-22T02:00:00.000Z');
  });
});
