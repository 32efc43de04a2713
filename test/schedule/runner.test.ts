// The job runner on a real workspace with an injected clock: its timers are driven by hand (the
// times node-schedule would fire at, from the same cron-parser), the jobs are counting stand-ins.
import { existsSync, mkdirSync, readFileSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { nextRun } from '../../src/util/cron.js';
import { JobRunner, runJob } from '../../src/app/jobs.js';
import type { RunnerOptions } from '../../src/schedule/runner.js';
import { acquireRunner, currentRunner } from '../../src/schedule/runner-lock.js';
import { claimant, recordRun } from '../../src/schedule/runs.js';
import { JOB_NAMES, type JobName } from '../../src/store/vocabulary.js';
import { parseConfig } from '../../src/workspace/config.js';
import { openWorkspace, type Workspace } from '../../src/workspace/workspace.js';
import { freshWorkspace } from '../helpers/workspace.js';
import { watchOwnerless } from '../helpers/lock-watch.js';

const runners: JobRunner[] = [];
afterEach(async () => {
  for (const r of runners.splice(0)) await r.stop();
});

interface Harness {
  ws: Workspace;
  now: { t: Date };
  ran: { name: JobName; at: string }[];
  timers: Map<JobName, { cron: string; tz: string; fire: (d: Date) => void }>;
  runner: JobRunner;
}

/** A workspace in `tz` whose clock the test moves, and a runner whose jobs only note when they ran. */
async function harness(tz: string, start: string, extra: Partial<RunnerOptions> = {}, shared?: { ws: Workspace; now: { t: Date } }): Promise<Harness> {
  const now = shared?.now ?? { t: new Date(start) };
  let ws = shared?.ws;
  if (!ws) {
    const fresh = await freshWorkspace({ clock: () => now.t });
    ws = openWorkspace(fresh.root, { clock: () => now.t, config: parseConfig({ timeZone: tz }, 'config.json') });
  }
  const ran: Harness['ran'] = [];
  const actions = Object.fromEntries(
    JOB_NAMES.map((name) => [
      name,
      async () => {
        ran.push({ name, at: now.t.toISOString() });
        return `${name} done`;
      },
    ]),
  ) as unknown as RunnerOptions['actions'];
  const timers: Harness['timers'] = new Map();
  const runner = new JobRunner(ws, {
    kind: 'daemon',
    actions,
    timer: (cron, timeZone, onTime) => {
      const name = [...JOB_NAMES].find((n) => ws!.config.schedule.jobs[n as Exclude<JobName, 'ingest'>]?.cron === cron && !timers.has(n))!;
      timers.set(name, { cron, tz: timeZone, fire: onTime });
      return { next: () => nextRun(cron, timeZone, now.t), cancel: () => timers.delete(name) };
    },
    ...extra,
  });
  runners.push(runner);
  return { ws, now, ran, timers, runner };
}

/** Marks every timed job as run at `iso`, as if a runner had been up until then. */
async function ranAt(ws: Workspace, iso: string) {
  for (const name of JOB_NAMES) if (name !== 'ingest') await recordRun(ws, name, { at: iso, durationMs: 5, outcome: 'ok', reason: 'schedule', summary: 'ok', by: 'earlier' });
}

/** Moves the clock through the fire times of every armed job up to `until`, firing each in order. */
async function runUntil(h: Harness, until: string) {
  const end = Date.parse(until);
  for (;;) {
    const next = [...h.timers].map(([name, t]) => ({ name, t, at: nextRun(t.cron, t.tz, h.now.t) })).sort((a, b) => a.at.getTime() - b.at.getTime())[0];
    if (!next || next.at.getTime() > end) break;
    h.now.t = next.at;
    next.t.fire(next.at);
    await h.runner.idle();
  }
  h.now.t = new Date(end);
}

describe('jobs fire at their times in the configured zone', () => {
  it('runs each daily job once a day at its Paris wall-clock time across the spring daylight-saving change', async () => {
    const h = await harness('Europe/Paris', '2026-03-27T12:00:00Z');
    await ranAt(h.ws, '2026-03-27T11:00:00Z');
    expect(await h.runner.start()).toBe('runner');
    await h.runner.idle();
    expect(h.ran).toEqual([]);
    expect([...h.timers.values()].every((t) => t.tz === 'Europe/Paris')).toBe(true);
    await runUntil(h, '2026-03-30T12:00:00Z');
    const consolidate = h.ran.filter((r) => r.name === 'consolidate').map((r) => r.at);
    // 03:00 in Paris is 02:00Z in winter and 01:00Z once summer time began on the 29th.
    expect(consolidate).toEqual(['2026-03-28T02:00:00.000Z', '2026-03-29T01:00:00.000Z', '2026-03-30T01:00:00.000Z']);
    expect(h.ran.filter((r) => r.name === 'self-review').map((r) => r.at)).toEqual(['2026-03-27T23:17:00.000Z', '2026-03-28T23:17:00.000Z', '2026-03-29T22:17:00.000Z']);
    const doc = await h.ws.store.read('jobs');
    const rec = doc.records.find((r) => r.id === 'consolidate')!;
    expect(rec.lastRun).toBe('2026-03-30T01:00:00.000Z');
    expect(rec.recent[0]).toMatchObject({ outcome: 'ok', reason: 'schedule', summary: 'consolidate done', by: `daemon pid ${process.pid}` });
  });

  it('keeps New York times through the autumn change (fitness at 23:55, self-review at 00:17)', async () => {
    const h = await harness('America/New_York', '2026-10-31T12:00:00Z');
    await ranAt(h.ws, '2026-10-31T11:00:00Z');
    await h.runner.start();
    await runUntil(h, '2026-11-02T12:00:00Z');
    expect(h.ran.filter((r) => r.name === 'fitness').map((r) => r.at)).toEqual(['2026-11-01T03:55:00.000Z', '2026-11-02T04:55:00.000Z']);
    expect(h.ran.filter((r) => r.name === 'self-review').map((r) => r.at)).toEqual(['2026-11-01T04:17:00.000Z', '2026-11-02T05:17:00.000Z']);
  });
});

describe('catch-up at start', () => {
  it('runs every job that missed a night once, oldest missed time first, and then nothing more', async () => {
    const h = await harness('UTC', '2026-11-21T09:00:00Z');
    await ranAt(h.ws, '2026-11-19T23:56:00Z');
    await h.runner.start();
    await h.runner.idle();
    // fitness ran at 23:56 on the 19th; its next time (23:55 on the 20th) was missed too
    expect(h.ran.map((r) => r.name)).toEqual(['fitness', 'self-review', 'consolidate', 'validate-skills']);
    const doc = await h.ws.store.read('jobs');
    expect(doc.records.find((r) => r.id === 'consolidate')!.recent[0]!.reason).toBe('catch-up');
    await h.runner.stop();

    const again = await harness('UTC', '', {}, { ws: h.ws, now: h.now });
    await again.runner.start();
    await again.runner.idle();
    expect(again.ran).toEqual([]);
  });

  it('a job that never ran is caught up; one that ran after its last time is not', async () => {
    const h = await harness('UTC', '2026-11-21T09:00:00Z');
    await recordRun(h.ws, 'consolidate', { at: '2026-11-21T03:00:00.000Z', durationMs: 5, outcome: 'ok', reason: 'schedule', summary: 'ok', by: 'earlier' });
    await h.runner.start();
    await h.runner.idle();
    expect(h.ran.map((r) => r.name).sort()).toEqual(['fitness', 'self-review', 'validate-skills']);
  });
});

describe('one runner per workspace', () => {
  it('a second runner stands by, names the first, and runs nothing', async () => {
    const a = await harness('UTC', '2026-11-21T09:00:00Z');
    await ranAt(a.ws, '2026-11-21T08:59:00Z');
    expect(await a.runner.start()).toBe('runner');
    const b = await harness('UTC', '', { kind: 'tui' }, { ws: openWorkspace(a.ws.root, { clock: () => a.now.t, config: a.ws.config }), now: a.now });
    expect(await b.runner.start()).toBe('standby');
    expect(b.runner.owner).toMatchObject({ pid: process.pid, kind: 'daemon' });
    expect(currentRunner(a.ws.layout)).toMatchObject({ kind: 'daemon' });
    expect(b.timers.size).toBe(0);
    expect(await b.runner.enqueue('consolidate', 'schedule', new Date('2026-11-22T03:00:00Z'))).toBeNull();
    expect(b.ran).toEqual([]);
  });

  it('two processes due for the same time run the job once', async () => {
    const h = await harness('UTC', '2026-11-22T03:00:00Z');
    const slot = new Date('2026-11-22T03:00:00Z');
    let runs = 0;
    const slow = { consolidate: async () => (runs++, await new Promise((r) => setTimeout(r, 50)), 'done') } as never;
    const [x, y] = await Promise.all([
      runJob(h.ws, 'consolidate', { reason: 'schedule', by: { pid: 111111, host: 'other-host', by: 'tui pid 111111' }, slot, actions: slow }),
      runJob(h.ws, 'consolidate', { reason: 'schedule', by: claimant('daemon'), slot, actions: slow }),
    ]);
    expect(runs).toBe(1);
    expect([x.ran, y.ran].sort()).toEqual([false, true]);
    const refused = x.ran ? y : x;
    expect(!refused.ran && refused.reason).toMatch(/consolidate (is running in|already ran at)/);
  });

  it('a standby takes over once the runner stops', async () => {
    const a = await harness('UTC', '2026-11-21T09:00:00Z');
    await ranAt(a.ws, '2026-11-21T08:59:00Z');
    await a.runner.start();
    const b = await harness('UTC', '', { kind: 'tui', standbyRetryMs: 50 }, { ws: a.ws, now: a.now });
    expect(await b.runner.start()).toBe('standby');
    await a.runner.stop();
    for (let i = 0; i < 100 && b.runner.role !== 'runner'; i++) await new Promise((r) => setTimeout(r, 20));
    expect(b.runner.role).toBe('runner');
    expect(currentRunner(a.ws.layout)).toMatchObject({ kind: 'tui', pid: process.pid });
  });
});

describe('the runner lock', () => {
  it('outlives the store transactions of its jobs and is gone once the runner stops', async () => {
    const h = await harness('UTC', '2026-11-21T09:00:00Z');
    await h.runner.start();
    await h.runner.idle();
    expect(h.ran.length).toBe(4);
    // Each run took and released the workspace lock twice; the runner's own lock is still held.
    expect(existsSync(h.ws.layout.runnerLock)).toBe(true);
    expect(currentRunner(h.ws.layout)).toMatchObject({ kind: 'daemon' });
    await h.runner.stop();
    expect(existsSync(h.ws.layout.runnerLock)).toBe(false);
    expect(currentRunner(h.ws.layout)).toBeNull();
  });

  it("given back after it was taken away (the runner slept past its stale time), leaves the new runner's lock alone", async () => {
    const ws = await freshWorkspace();
    const got = await acquireRunner(ws.layout, 'tui', () => new Date());
    if (!('lease' in got)) throw new Error('the runner lock was not free');
    // Another runner broke it as stale and took it, before this one's refresh noticed.
    rmSync(ws.layout.runnerOwner, { force: true });
    rmdirSync(ws.layout.runnerLock);
    mkdirSync(ws.layout.runnerLock);
    const st = statSync(ws.layout.runnerLock);
    writeFileSync(ws.layout.runnerOwner, JSON.stringify({ pid: 1, host: 'elsewhere', command: 'daemon', since: 'now', ino: st.ino, birth: st.birthtimeMs }));
    await got.lease.release();
    expect(existsSync(ws.layout.runnerLock)).toBe(true);
    expect(JSON.parse(readFileSync(ws.layout.runnerOwner, 'utf8'))).toMatchObject({ host: 'elsewhere', command: 'daemon' });
  });

  it('is never seen without its owner, taken or given back: a runner killed at any moment leaves none to wait out', async () => {
    const ws = await freshWorkspace();
    const watch = watchOwnerless(ws.layout.runnerLock, ws.layout.runnerOwner);
    for (let i = 0; i < 3; i++) {
      const got = await acquireRunner(ws.layout, 'daemon', () => new Date());
      if (!('lease' in got)) throw new Error('the runner lock was not free');
      await got.lease.release();
    }
    expect(watch.stop()).toBe(0);
    expect(existsSync(ws.layout.runnerLock)).toBe(false);
    expect(existsSync(ws.layout.runnerOwner)).toBe(false);
  });
});

describe('a failing job', () => {
  it('is recorded as failed with its error, and the next jobs still run', async () => {
    const h = await harness('UTC', '2026-11-21T09:00:00Z');
    const ran: string[] = [];
    const actions = Object.fromEntries(JOB_NAMES.map((n) => [n, async () => (ran.push(n), 'ok')])) as Record<JobName, () => Promise<string>>;
    actions['self-review'] = async () => {
      throw new Error('analyst timed out after 120000 ms\nsee the ledger');
    };
    const r = new JobRunner(h.ws, { kind: 'daemon', actions, timer: () => ({ next: () => null, cancel: () => undefined }) });
    runners.push(r);
    await r.start();
    await r.idle();
    expect(ran.sort()).toEqual(['consolidate', 'fitness', 'validate-skills']);
    const rec = (await h.ws.store.read('jobs')).records.find((j) => j.id === 'self-review')!;
    expect(rec).toMatchObject({ outcome: 'failed', error: 'analyst timed out after 120000 ms see the ledger' });
    expect(rec.running).toBeUndefined();
  });
});

describe('a job run elsewhere (the TUI hands them to child processes)', () => {
  it('records a child that died before recording its run as a failed run, with why, clearing its mark', async () => {
    const h = await harness('UTC', '2026-11-21T09:00:00Z');
    await ranAt(h.ws, '2026-11-21T08:59:00Z');
    // the child claimed the run, then died
    await h.ws.store.transact(async (tx) => {
      const doc = await tx.doc('jobs');
      doc.records.find((r) => r.id === 'self-review')!.running = { pid: 999_999_999, host: 'elsewhere', since: '2026-11-21T09:00:00.000Z', by: 'tui pid 1' };
      tx.touch('jobs');
    });
    const r = new JobRunner(h.ws, {
      kind: 'tui',
      execute: async (name) => ({ ran: false, name, reason: `${name} stopped (SIGKILL) without a result`, crashed: true }),
      timer: () => ({ next: () => null, cancel: () => undefined }),
    });
    runners.push(r);
    await r.start();
    const result = await r.enqueue('self-review', 'manual');
    expect(result).toMatchObject({ ran: true, run: { outcome: 'failed', summary: 'self-review stopped (SIGKILL) without a result', by: `tui pid ${process.pid}` } });
    const rec = (await h.ws.store.read('jobs')).records.find((j) => j.id === 'self-review')!;
    expect(rec).toMatchObject({ outcome: 'failed', error: 'self-review stopped (SIGKILL) without a result' });
    expect(rec.running).toBeUndefined();
    // a child that refused (someone else runs it) records nothing
    const refusing = new JobRunner(h.ws, { kind: 'tui', execute: async (name) => ({ ran: false, name, reason: `${name} is running in daemon pid 7` }), timer: () => ({ next: () => null, cancel: () => undefined }) });
    runners.push(refusing);
    const runs = rec.runs;
    await r.stop();
    await refusing.start();
    expect(await refusing.enqueue('fitness', 'manual')).toMatchObject({ ran: false });
    expect((await h.ws.store.read('jobs')).records.find((j) => j.id === 'self-review')!.runs).toBe(runs);
  });
});

describe('ingest keeps its own lane', () => {
  it('new events are ingested while a long self-review is still waiting for its analyst', async () => {
    const h = await harness('UTC', '2026-11-21T09:00:00Z');
    await ranAt(h.ws, '2026-11-21T08:59:00Z');
    let release!: () => void;
    const analyst = new Promise<void>((r) => (release = r));
    const done: string[] = [];
    const actions = Object.fromEntries(JOB_NAMES.map((n) => [n, async () => (done.push(n), 'ok')])) as Record<JobName, () => Promise<string>>;
    actions['self-review'] = async () => {
      await analyst;
      done.push('self-review');
      return 'ok';
    };
    const r = new JobRunner(h.ws, { kind: 'daemon', actions, timer: () => ({ next: () => null, cancel: () => undefined }) });
    runners.push(r);
    await r.start();
    const review = r.enqueue('self-review', 'schedule', new Date('2026-11-22T00:17:00Z'));
    await new Promise((res) => setTimeout(res, 50));
    expect(r.current).toBe('self-review');
    const fitness = r.enqueue('fitness', 'manual');
    expect(await r.enqueue('ingest', 'change')).toMatchObject({ ran: true, run: { outcome: 'ok' } });
    // ingest went past; fitness waits its turn behind the self-review
    expect(done).toEqual(['ingest']);
    release();
    await Promise.all([review, fitness]);
    expect(done).toEqual(['ingest', 'self-review', 'fitness']);
  });
});

describe('ingest when an open session\'s transcript grew (the capture by turn)', () => {
  it('asks at every poll and ingests when the answer is yes, with no trigger waiting', async () => {
    let grew = false;
    let asked = 0;
    const grown = async () => {
      asked++;
      const was = grew;
      grew = false;
      return was;
    };
    const h = await harness('UTC', '2026-11-21T09:00:00Z', { grown, grownPollMs: 20 });
    await h.runner.start();
    await new Promise((res) => setTimeout(res, 120));
    expect(asked).toBeGreaterThan(1);
    expect(h.ran.filter((r) => r.name === 'ingest')).toHaveLength(0);
    grew = true;
    const until = Date.now() + 5000;
    while (!h.ran.some((r) => r.name === 'ingest') && Date.now() < until) await new Promise((res) => setTimeout(res, 20));
    expect(h.ran.filter((r) => r.name === 'ingest')).toHaveLength(1);
  });
});
