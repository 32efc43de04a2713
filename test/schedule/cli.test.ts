// `nevo-tui jobs` and `nevo-tui daemon` as a person runs them: the built binary, real processes,
// a real hook payload from the fixtures arriving while the daemon runs.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseTranscript, toHookPayloads } from '../../src/detect/transcript.js';
import { childExecutor } from '../../src/schedule/child-run.js';
import { JobRunner } from '../../src/app/jobs.js';
import { cli } from '../helpers/cli.js';
import { CLI } from '../helpers/scripts.js';
import { freshWorkspace } from '../helpers/workspace.js';

const SPOTTER = 'test/fixtures/claude-code/transcripts/spotter__6c2214d7__subagents__agent-afc096d.jsonl';
const TIMED = ['consolidate', 'validate-skills', 'self-review', 'fitness'];

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

function daemon(project: string, args: string[] = []): { child: ChildProcess; out: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [CLI, 'daemon', ...args], { cwd: project, env: { ...process.env, NEVO_WORKSPACE: '' } });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, out: () => out, exited };
}

async function until(what: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!what()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const jobsDoc = (root: string) => JSON.parse(readFileSync(join(root, 'store/jobs.json'), 'utf8')) as { records: { id: string; runs: number; outcome?: string; summary: string; recent: { reason: string }[] }[] };

describe('nevo-tui jobs', () => {
  it('lists every job with its schedule and next run, and who runs them', async () => {
    const ws = await freshWorkspace();
    const r = cli(['jobs', 'list', '--json'], { cwd: ws.project });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.runner).toBeNull();
    expect(out.jobs.map((j: { name: string; schedule: string }) => `${j.name} ${j.schedule}`)).toEqual(['ingest on change, every 60s', 'consolidate daily 03:00', 'validate-skills daily 03:30', 'self-review daily 00:17', 'fitness daily 23:55', 'sync off (no sync.remote)']);
    expect(Date.parse(out.jobs[1].next)).toBeGreaterThan(Date.now());
    const text = cli(['jobs'], { cwd: ws.project }).stdout;
    expect(text).toMatch(/run by no process now/);
    expect(text).toMatch(/consolidate\s+daily 03:00\s+next \d{4}-\d\d-\d\d 03:00\s+last never run/);
  });

  it('runs one job now and records its outcome; an unknown job names the real ones', async () => {
    const ws = await freshWorkspace();
    const r = cli(['jobs', 'run', 'fitness', '--json'], { cwd: ws.project });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ran: true, name: 'fitness', run: { outcome: 'ok', reason: 'manual', summary: expect.stringMatching(/failure rate 0\.0% over 7 days/) } });
    expect(jobsDoc(ws.root).records.find((j) => j.id === 'fitness')).toMatchObject({ runs: 1, outcome: 'ok' });
    expect(cli(['jobs'], { cwd: ws.project }).stdout).toMatch(/fitness .*last ✓ \d{4}-\d\d-\d\d \d\d:\d\d/);
    const bad = cli(['jobs', 'run', 'backup'], { cwd: ws.project });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/No job "backup".*ingest, consolidate, validate-skills, self-review, fitness, sync/);
  });
});

describe('nevo-tui daemon --once', () => {
  it('runs every job that is due, once, and the next --once finds nothing due', async () => {
    const ws = await freshWorkspace();
    const r = cli(['daemon', '--once', '--json'], { cwd: ws.project });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.results.map((x: { name: string }) => x.name).sort()).toEqual([...TIMED].sort());
    expect(out.results.every((x: { ran: boolean; run: { outcome: string } }) => x.ran && x.run.outcome === 'ok')).toBe(true);
    const day = out.results.find((x: { name: string }) => x.name === 'self-review').run.at.slice(0, 10);
    expect(existsSync(join(ws.root, `journal/reports/${day}.md`)) || existsSync(join(ws.root, 'journal/reports'))).toBe(true);
    const again = cli(['daemon', '--once'], { cwd: ws.project });
    expect(again.stdout.trim()).toBe('Nothing was due.');
  });

  it('two at once run each job exactly once between them', async () => {
    const ws = await freshWorkspace();
    const [a, b] = [daemon(ws.project, ['--once', '--json']), daemon(ws.project, ['--once', '--json'])];
    const codes = await Promise.all([a.exited, b.exited]);
    expect(codes).toEqual([0, 0]);
    for (const name of TIMED) expect(jobsDoc(ws.root).records.find((j) => j.id === name)!.runs).toBe(1);
    const outs = [JSON.parse(a.out()), JSON.parse(b.out())];
    // One ran them. The other stood by and named it, or, started after the first had finished
    // (a busy machine starts processes seconds apart), found nothing due.
    const worked = outs.filter((o) => o.ran && o.results.length > 0);
    expect(worked).toHaveLength(1);
    const other = outs.find((o) => o !== worked[0]);
    expect(other.ran ? `ran ${other.results.length} job(s)` : other.message).toMatch(/already run in daemon --once pid \d+|ran 0 job\(s\)/);
  });
});

describe("the TUI's runner", () => {
  it('hands each timed job to a child `nevo-tui jobs run`, recorded as its own run', async () => {
    const ws = await freshWorkspace();
    const runner = new JobRunner(ws, { kind: 'tui', execute: childExecutor(CLI, ws.root, `tui pid ${process.pid}`), timer: () => ({ next: () => null, cancel: () => undefined }) });
    expect(await runner.start()).toBe('runner');
    await runner.idle();
    await runner.stop();
    const doc = jobsDoc(ws.root);
    for (const name of TIMED) {
      const rec = doc.records.find((j) => j.id === name)!;
      expect(rec).toMatchObject({ runs: 1, outcome: 'ok' });
      expect(rec.recent[0]).toMatchObject({ reason: 'catch-up', by: `tui pid ${process.pid}` });
    }
    // a child that cannot run its job reports why instead of a result
    const broken = childExecutor(join(ws.root, 'no-such-cli.js'), ws.root, 'tui');
    const r = await broken('fitness', 'manual');
    expect(r).toMatchObject({ ran: false, name: 'fitness', reason: expect.stringMatching(/fitness stopped \(exit code 1\) without a result: .*no-such-cli/) });
  });
});

describe('a job in a child process', () => {
  it('runs at a lower priority than the process that started it, so the TUI answers keys first', async () => {
    const ws = await freshWorkspace();
    // Stands in for the CLI: prints its own priority as the result, once the parent has had time to set it.
    const script = join(ws.root, 'priority.mjs');
    writeFileSync(script, `import { getPriority } from 'node:os';
const parent = ${getPriority()};
const deadline = Date.now() + 10000;
while (getPriority() <= parent && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
console.log(JSON.stringify({ ran: false, name: 'fitness', reason: String(getPriority()) }));`);
    const r = await childExecutor(script, ws.root, 'tui')('fitness', 'manual');
    expect(r.ran).toBe(false);
    expect(Number((r as { reason: string }).reason)).toBe(Math.min(19, getPriority() + 10));
  });
});

describe('nevo-tui daemon', () => {
  it('holds the workspace: a second daemon exits naming it; it ingests a real hook payload as it arrives; SIGTERM stops it', async () => {
    const ws = await freshWorkspace();
    cli(['daemon', '--once'], { cwd: ws.project });
    const d = daemon(ws.project);
    await until(() => d.out().includes('running the jobs of'));
    expect(d.out()).toMatch(/next: .*consolidate 20\d\d-/);

    const second = cli(['daemon'], { cwd: ws.project });
    expect(second.code).toBe(1);
    expect(second.stdout).toMatch(new RegExp(`already run in daemon pid ${d.child.pid}`));
    expect(JSON.parse(cli(['jobs', '--json'], { cwd: ws.project }).stdout).runner).toMatchObject({ kind: 'daemon', pid: d.child.pid });
    expect(cli(['status'], { cwd: ws.project }).stdout).toMatch(new RegExp(`Jobs {9}run by daemon pid ${d.child.pid}, since `));

    // The real `tree` failure of the spotter subagent, through the real hook.
    const failed = toHookPayloads(parseTranscript(readFileSync(SPOTTER, 'utf8')), SPOTTER).find((p) => p.hook_event_name === 'PostToolUseFailure' && String(p.error).includes('tree'))!;
    const hook = spawnSync(process.execPath, [CLI, 'hook'], { input: JSON.stringify({ ...failed, cwd: ws.project }), env: { ...process.env, NEVO_WORKSPACE: '', CLAUDE_PROJECT_DIR: ws.project } });
    expect(hook.status).toBe(0);
    await until(() => (jobsDoc(ws.root).records.find((j) => j.id === 'ingest')?.runs ?? 0) >= 1);
    const ingest = jobsDoc(ws.root).records.find((j) => j.id === 'ingest')!;
    expect(ingest).toMatchObject({ outcome: 'ok', summary: expect.stringMatching(/^1 event from 1 trigger, 1 incident opened/) });
    expect(ingest.recent[0]!.reason).toBe('change');
    // the log line follows the record
    await until(() => /✓ ingest \(.*\): 1 event/.test(d.out()));

    d.child.kill('SIGTERM');
    expect(await d.exited).toBe(0);
    expect(JSON.parse(cli(['jobs', '--json'], { cwd: ws.project }).stdout).runner).toBeNull();
    expect(cli(['status'], { cwd: ws.project }).stdout).toMatch(/Jobs {9}no process runs them: open the TUI or start `nevo-tui daemon`/);
  });

  it('a daemon killed with SIGKILL is replaced at once by the next one', async () => {
    const ws = await freshWorkspace();
    cli(['daemon', '--once'], { cwd: ws.project });
    const d = daemon(ws.project);
    await until(() => d.out().includes('running the jobs of'));
    d.child.kill('SIGKILL');
    await d.exited;
    const next = daemon(ws.project);
    await until(() => next.out().includes('running the jobs of'), 10_000);
    expect(JSON.parse(cli(['jobs', '--json'], { cwd: ws.project }).stdout).runner).toMatchObject({ pid: next.child.pid });
    next.child.kill('SIGTERM');
    expect(await next.exited).toBe(0);
  });
});
