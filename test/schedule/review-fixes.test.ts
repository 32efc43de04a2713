// Regressions found by trying to break the scheduler: a broken store/jobs.json, a clock set back,
// a killed runner's mark, a token in an error.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ingestTriggers } from '../../src/detect/ingest.js';
import { handleInput } from '../../src/hook.js';
import { missedRun, nextRun } from '../../src/util/cron.js';
import { jobStatuses } from '../../src/schedule/jobs.js';
import { JobRunner, runJob } from '../../src/app/jobs.js';
import type { RunnerOptions } from '../../src/schedule/runner.js';
import { claimRun, claimant, markAlive } from '../../src/schedule/runs.js';
import { runSelfReview } from '../../src/schedule/self-review-run.js';
import { type Doc } from '../../src/store/schemas.js';
import { JOB_NAMES, type JobName } from '../../src/store/vocabulary.js';
import { parseConfig } from '../../src/workspace/config.js';
import { openWorkspace } from '../../src/workspace/workspace.js';
import { cli } from '../helpers/cli.js';
import { freshWorkspace } from '../helpers/workspace.js';

const runners: JobRunner[] = [];
afterEach(async () => {
  for (const r of runners.splice(0)) await r.stop();
});

const BROKEN = '{"version":1,"records":[';
const TOKEN = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';
const at = (iso: string) => new Date(iso);

/** A pid no process has: a process that ran and exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid!;
}

describe('a broken store/jobs.json', () => {
  it('is reported by the runner, at catch-up and when a timer fires, instead of skipping the jobs without a word', async () => {
    const now = { t: at('2026-11-21T12:00:00Z') };
    const made = await freshWorkspace({ clock: () => now.t });
    const ws = openWorkspace(made.root, { clock: () => now.t, config: parseConfig({ timeZone: 'UTC' }, 'config.json') });
    writeFileSync(join(ws.root, 'store/jobs.json'), BROKEN);
    const errors: { name: JobName | null; message: string }[] = [];
    const fire = new Map<JobName, (d: Date) => void>();
    const runner = new JobRunner(ws, {
      kind: 'daemon',
      actions: Object.fromEntries(JOB_NAMES.map((n) => [n, async () => 'done'])) as unknown as RunnerOptions['actions'],
      timer: (cron, _tz, onTime) => {
        fire.set(JOB_NAMES.find((n) => n !== 'ingest' && ws.config.schedule.jobs[n].cron === cron && !fire.has(n))!, onTime);
        return { next: () => nextRun(cron, 'UTC', now.t), cancel: () => undefined };
      },
      onError: (err, name) => errors.push({ name, message: err.message }),
    });
    runners.push(runner);
    expect(await runner.start()).toBe('runner');
    await runner.idle();
    expect(errors).toEqual([{ name: null, message: expect.stringMatching(/store\/jobs\.json: not valid JSON[\s\S]*doctor --restore store\/jobs\.json/) }]);

    fire.get('fitness')!(at('2026-11-21T23:55:00Z'));
    await runner.idle();
    expect(errors[1]).toEqual({ name: 'fitness', message: expect.stringMatching(/store\/jobs\.json/) });
    // Nothing was written over the person's file.
    expect(readFileSync(join(ws.root, 'store/jobs.json'), 'utf8')).toBe(BROKEN);
  });

  it('makes `daemon --once` exit 1 naming the file and its fix, not say "Nothing was due."', async () => {
    const ws = await freshWorkspace();
    writeFileSync(join(ws.root, 'store/jobs.json'), BROKEN);
    const r = cli(['daemon', '--once'], { cwd: ws.project });
    expect(r.code).toBe(1);
    expect(r.stdout).not.toMatch(/Nothing was due/);
    expect(r.stderr).toMatch(/store\/jobs\.json: not valid JSON/);
    expect(r.stderr).toMatch(/doctor --restore store\/jobs\.json/);
    expect(readFileSync(join(ws.root, 'store/jobs.json'), 'utf8')).toBe(BROKEN);
  });
});

describe('a clock set back', () => {
  // The date was wrong (a year ahead) while the jobs ran, then fixed: the last runs are in the future.
  const future = '2027-11-21T03:00:00.000Z';
  const doc = (): Doc<'jobs'> => ({ version: 1, records: [{ id: 'consolidate', lastRun: future, summary: '', runs: 1, recent: [] }] });
  const me = { pid: process.pid, host: hostname(), by: 'test' };

  it('still runs a scheduled time: a last run after now stands for no slot', () => {
    const now = at('2026-11-22T03:00:00Z');
    expect(claimRun(doc().records, 'consolidate', me, now, () => false, now)).toEqual({ claimed: true });
    // A run a moment ahead (another machine's clock) still counts.
    const skewed: Doc<'jobs'> = { version: 1, records: [{ id: 'consolidate', lastRun: '2026-11-22T03:00:20.000Z', summary: '', runs: 1, recent: [] }] };
    expect(claimRun(skewed.records, 'consolidate', me, now, () => false, now)).toMatchObject({ claimed: false });
  });

  it('catches up the time missed instead of waiting for the clock to pass the last run', () => {
    expect(missedRun('0 3 * * *', 'UTC', future, at('2026-11-22T09:00:00Z'))?.toISOString()).toBe('2026-11-22T03:00:00.000Z');
    expect(missedRun('0 3 * * *', 'UTC', '2026-11-22T03:00:01.000Z', at('2026-11-22T09:00:00Z'))).toBeNull();
  });
});

describe('a running mark whose process is gone', () => {
  it('is not shown as a run in progress by `jobs list` (it was killed; the next run takes over)', async () => {
    const ws = await freshWorkspace();
    const pid = deadPid();
    const running = { pid, host: hostname(), since: new Date().toISOString(), by: `daemon pid ${pid}` };
    writeFileSync(join(ws.root, 'store/jobs.json'), JSON.stringify({ version: 1, records: [{ id: 'fitness', summary: '', runs: 0, recent: [], running }] }));
    const r = cli(['jobs', 'list', '--json'], { cwd: ws.project });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).jobs.find((j: { name: string }) => j.name === 'fitness').running).toBeNull();
    expect(cli(['jobs'], { cwd: ws.project }).stdout).not.toMatch(/running in/);
    // A live one still is.
    const live = { ...running, pid: process.pid, by: 'tui pid 1' };
    const st = jobStatuses(ws.config, [{ id: 'fitness', summary: '', runs: 0, recent: [], running: live }], new Date(), (m) => markAlive(m, new Date()));
    expect(st.find((j) => j.name === 'fitness')!.running).toEqual(live);
  });
});

describe('secrets in errors', () => {
  it('are redacted from the run summary written to store/jobs.json', async () => {
    const ws = await freshWorkspace();
    const fail = async () => {
      throw new Error(`push refused: Authorization: Bearer ${TOKEN}`);
    };
    const r = await runJob(ws, 'fitness', { reason: 'manual', by: claimant('test'), actions: { fitness: fail } as unknown as RunnerOptions['actions'] });
    expect(r).toMatchObject({ ran: true, run: { outcome: 'failed' } });
    const text = readFileSync(join(ws.root, 'store/jobs.json'), 'utf8');
    expect(text).toContain('push refused');
    expect(text).not.toContain(TOKEN);
  });

  it("are redacted from a failing analyst's stderr quoted in the self-review report", { timeout: 20_000 }, async () => {
    const now = new Date('2026-11-21T10:00:00Z');
    const made = await freshWorkspace({ clock: () => now });
    const command = `echo "401: bad key ANTHROPIC_API_KEY=sk-ant-api03-${TOKEN}" >&2; exit 3`;
    const ws = openWorkspace(made.root, { clock: () => now, config: { ...made.config, timeZone: 'UTC', analyst: { ...made.config.analyst, auto: false, command } } });
    for (const [n, session] of ['a', 'b'].entries()) {
      const body = JSON.stringify({ hook_event_name: 'PostToolUseFailure', session_id: session, cwd: made.project, tool_name: 'Bash', tool_input: { command: 'tree src' }, tool_use_id: `toolu_${n}`, error: 'Exit code 127\n(eval):1: command not found: tree', timestamp: now.toISOString() });
      expect(handleInput({ head: Buffer.from(body), bytes: body.length, timedOut: false }, { CLAUDE_PROJECT_DIR: made.project })).not.toBeNull();
    }
    await ingestTriggers(ws);
    const r = await runSelfReview(ws);
    expect(r.proposals).toEqual([expect.objectContaining({ error: expect.stringContaining('exited with code 3') })]);
    const report = readFileSync(join(ws.root, r.file), 'utf8');
    expect(report).toContain('analyst failed');
    expect(report).not.toContain(TOKEN);
  });
});

describe('a second process finding the runner lock taken', () => {
  it('names the holder even when the holder writes its name late (a busy machine)', async () => {
    const { acquireRunner } = await import('../../src/schedule/runner-lock.js');
    const { mkdirSync: mkdir } = await import('node:fs');
    const ws = await freshWorkspace();
    // The lock is taken, its owner not yet named: the name comes a whole second later.
    mkdir(ws.layout.runnerLock);
    const owner = { pid: process.pid, host: hostname(), command: 'daemon --once', since: new Date().toISOString(), ino: 0, birth: 0 };
    setTimeout(() => writeFileSync(ws.layout.runnerOwner, JSON.stringify(owner)), 1000);
    const r = await acquireRunner(ws.layout, 'daemon --once', () => new Date());
    expect(r).toMatchObject({ owner: { pid: process.pid, kind: 'daemon --once' } });
  });
});
