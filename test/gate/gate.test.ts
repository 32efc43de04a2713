import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { breakerText, failureText, nextStep, type GateHistory, type GatePlan } from '../../src/gate/gate.js';
import { runGate, type CommandRunner } from '../../src/gate/run.js';
import { loadRules } from '../../src/rules/load.js';
import { configSchema } from '../../src/workspace/config.js';
import { openWorkspace } from '../../src/workspace/workspace.js';
import { cli } from '../helpers/cli.js';
import { freshWorkspace } from '../helpers/workspace.js';

const stages = [
  { name: 'typecheck', command: 'tc' },
  { name: 'test', command: 't' },
  { name: 'lint', command: 'l' },
];
const plan = (refine = '', maxIterations = 3): GatePlan => ({ stages, refine, maxIterations });
const pass = (name: string) => ({ kind: 'stage' as const, name, ok: true });
const fail = (name: string) => ({ kind: 'stage' as const, name, ok: false });
const refine = { kind: 'refine' as const };

describe('the gate decisions', () => {
  it('runs the stages in order and passes when all pass', () => {
    expect(nextStep(plan(), [])).toMatchObject({ kind: 'stage', index: 0, iteration: 1, stage: { name: 'typecheck' } });
    expect(nextStep(plan(), [pass('typecheck')])).toMatchObject({ kind: 'stage', index: 1, stage: { name: 'test' } });
    expect(nextStep(plan(), [pass('typecheck'), pass('test'), pass('lint')])).toEqual({ kind: 'passed', iteration: 1 });
    expect(nextStep({ stages: [], refine: '', maxIterations: 3 }, [])).toEqual({ kind: 'passed', iteration: 1 });
  });

  it('stops at the first failure when there is no refine command', () => {
    expect(nextStep(plan(), [pass('typecheck'), fail('test')])).toEqual({ kind: 'failed', failed: 'test', iteration: 1 });
    expect(nextStep(plan('   '), [fail('typecheck')])).toEqual({ kind: 'failed', failed: 'typecheck', iteration: 1 });
  });

  it('refines and retries from the first stage, then escalates after the last iteration', () => {
    let h: GateHistory = [pass('typecheck'), fail('test')];
    expect(nextStep(plan('fix'), h)).toEqual({ kind: 'refine', failed: 'test', iteration: 1 });
    h = [...h, refine];
    expect(nextStep(plan('fix'), h)).toMatchObject({ kind: 'stage', index: 0, iteration: 2 });
    h = [...h, pass('typecheck'), fail('test')];
    expect(nextStep(plan('fix'), h)).toEqual({ kind: 'refine', failed: 'test', iteration: 2 });
    h = [...h, refine, fail('typecheck')];
    expect(nextStep(plan('fix'), h)).toEqual({ kind: 'escalate', failed: 'typecheck', iteration: 3 });
    expect(nextStep(plan('fix', 1), [fail('lint')])).toEqual({ kind: 'escalate', failed: 'lint', iteration: 1 });
  });

  it('passes on a later iteration once the refine fixed it', () => {
    expect(nextStep(plan('fix'), [fail('test'), refine, pass('typecheck'), pass('test'), pass('lint')])).toEqual({ kind: 'passed', iteration: 2 });
  });

  it('words failures so the same one fingerprints the same', () => {
    expect(failureText({ code: 1, timedOut: false, timeoutMs: 1000, output: 'a\nb\n' })).toBe('Exit code 1\na\nb');
    expect(failureText({ code: null, timedOut: true, timeoutMs: 1500, output: '' })).toBe('Timed out after 1500 ms and was stopped\n(no output)');
    expect(failureText({ code: null, timedOut: false, timeoutMs: 1, output: '', spawnError: 'ENOENT' })).toMatch(/^Could not start the command: ENOENT/);
    expect(breakerText('test', 3, 'Exit code 1')).toMatch(/stage test did not pass in 3 iteration\(s\) \(2 refine run\(s\)\)/);
  });
});

/** A shell command that runs a node script (the script uses double quotes only). */
const node = (script: string) => `"${process.execPath}" -e '${script}'`;
const ok = node('process.exit(0)');
const needsFixed = node('if (!require("fs").existsSync("fixed.txt")) { console.log("expected fixed.txt to exist"); console.error("1 failed"); process.exit(1) }');

async function gateWorkspace(gate: Record<string, unknown>) {
  const ws = await freshWorkspace();
  const raw = JSON.parse(readFileSync(join(ws.root, 'config.json'), 'utf8'));
  raw.gate = gate;
  writeFileSync(join(ws.root, 'config.json'), `${JSON.stringify(raw, null, 2)}\n`);
  return { ...openWorkspace(ws.root, { config: configSchema.parse(raw) }), project: ws.project };
}

describe('running the gate', () => {
  it('has defaults: typecheck, test and lint, no refine, 3 iterations', () => {
    const gate = configSchema.parse({}).gate;
    expect(gate.stages.map((s) => s.name)).toEqual(['typecheck', 'test', 'lint']);
    expect(gate).toMatchObject({ refine: '', maxIterations: 3, timeoutMs: 600000, cwd: '' });
    expect(() => configSchema.parse({ gate: { stages: [{ name: 'a', command: 'x' }, { name: 'a', command: 'y' }] } })).toThrow(/unique/);
  });

  it('passes with no incident when every stage passes', async () => {
    const ws = await gateWorkspace({ stages: [{ name: 'typecheck', command: ok }, { name: 'test', command: ok }, { name: 'lint', command: ok }] });
    const r = await runGate(ws);
    expect(r).toMatchObject({ passed: true, iterations: 1, escalated: false, incidents: [] });
    expect(r.stages.map((s) => [s.name, s.ok])).toEqual([
      ['typecheck', true],
      ['test', true],
      ['lint', true],
    ]);
    expect((await ws.store.read('incidents')).records).toHaveLength(0);
  });

  it('stops at a failing test stage, before lint, and opens a quality incident named after it', async () => {
    const lintRan = join('lint-ran.txt');
    const ws = await gateWorkspace({
      stages: [
        { name: 'typecheck', command: ok },
        { name: 'test', command: needsFixed },
        { name: 'lint', command: node(`require("fs").writeFileSync("${lintRan}", "x")`) },
      ],
    });
    const r = await runGate(ws);
    expect(r).toMatchObject({ passed: false, iterations: 1, escalated: false });
    expect(r.stages.map((s) => s.name)).toEqual(['typecheck', 'test']);
    expect(existsSync(join(ws.project, lintRan))).toBe(false);
    const incidents = (await ws.store.read('incidents')).records;
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({ id: r.incidents[0], signal: 'quality', tool: 'gate:test' });
    expect(incidents[0]!.sample.error).toMatch(/^Exit code 1\n/);
    expect(incidents[0]!.sample.error).toContain('expected fixed.txt to exist');
    expect(r.stages[1]!.incident).toBe(incidents[0]!.id);
  });

  it('passes on iteration 2 when the refine command fixes the problem', async () => {
    const ws = await gateWorkspace({
      stages: [{ name: 'test', command: needsFixed }],
      refine: node('const input = require("fs").readFileSync(0, "utf8"); require("fs").writeFileSync("fixed.txt", input + process.env.NEVO_GATE_STAGE)'),
    });
    const r = await runGate(ws);
    expect(r).toMatchObject({ passed: true, iterations: 2, escalated: false });
    expect(r.refines).toHaveLength(1);
    expect(r.stages.map((s) => [s.iteration, s.ok])).toEqual([
      [1, false],
      [2, true],
    ]);
    // The refine command read the failure on stdin.
    const told = readFileSync(join(ws.project, 'fixed.txt'), 'utf8');
    expect(told).toContain('The quality gate stage "test" failed on iteration 1 of 3');
    expect(told).toContain('expected fixed.txt to exist');
    expect(told.endsWith('test')).toBe(true);
    expect(r.incidents).toHaveLength(1);
  });

  it('escalates after exactly 3 failed iterations: a breaker incident, analyzed into a proposal for the Review screen', async () => {
    const ws = await gateWorkspace({
      stages: [{ name: 'typecheck', command: ok }, { name: 'test', command: needsFixed }],
      refine: node('require("fs").appendFileSync("refines.txt", "x")'),
    });
    const r = await runGate(ws);
    expect(r).toMatchObject({ passed: false, iterations: 3, escalated: true });
    expect(r.stages.filter((s) => s.name === 'test').map((s) => s.iteration)).toEqual([1, 2, 3]);
    expect(r.refines).toHaveLength(2);
    expect(readFileSync(join(ws.project, 'refines.txt'), 'utf8')).toBe('xx');
    const incidents = (await ws.store.read('incidents')).records;
    const quality = incidents.filter((i) => i.signal === 'quality');
    const breaker = incidents.filter((i) => i.signal === 'breaker');
    // The same failure three times is one incident counted three times.
    expect(quality).toHaveLength(1);
    expect(quality[0]!.count).toBe(3);
    expect(breaker).toHaveLength(1);
    expect(breaker[0]).toMatchObject({ tool: 'breaker:gate' });
    expect(breaker[0]!.sample.error).toMatch(/stage test did not pass in 3 iteration\(s\) \(2 refine run\(s\)\)/);
    expect(breaker[0]!.sample.error).toContain('expected fixed.txt to exist');
    expect(r.incidents).toEqual([quality[0]!.id, breaker[0]!.id]);
    // Analyzed like any new incident (analyst.auto): a proposed rule lists it as evidence, and so
    // it waits in the Review screen (here the proposal of the quality incident, which it overlaps).
    const outcome = r.analyzed.find((a) => a.incident === breaker[0]!.id);
    expect(['propose', 'link']).toContain(outcome?.decision);
    const proposed = loadRules(ws.root).rules.filter((rule) => rule.status === 'proposed' && rule.incidents.some((i) => i.fingerprint === breaker[0]!.fingerprint));
    expect(proposed).toHaveLength(1);
  });

  it('stops a stage that runs past its timeout and reports it', async () => {
    const ws = await gateWorkspace({ stages: [{ name: 'slow', command: node('setInterval(() => {}, 1000)'), timeoutMs: 1000 }, { name: 'after', command: ok }] });
    const started = Date.now();
    const r = await runGate(ws);
    expect(Date.now() - started).toBeLessThan(15000);
    expect(r.stages).toHaveLength(1);
    expect(r.stages[0]).toMatchObject({ name: 'slow', ok: false, timedOut: true });
    const incidents = (await ws.store.read('incidents')).records;
    expect(incidents[0]!.sample.error).toMatch(/^Timed out after 1000 ms and was stopped/);
    expect(incidents[0]!.category).toBe('timeout');
  });

  it('redacts secrets in the output it records', async () => {
    const runner: CommandRunner = async () => ({ ok: false, code: 1, timedOut: false, ms: 1, output: 'DB_PASSWORD=hunter2hunter2\nboom' });
    const ws = await gateWorkspace({ stages: [{ name: 'test', command: 'x' }] });
    const r = await runGate(ws, { runner });
    expect(r.passed).toBe(false);
    const incident = (await ws.store.read('incidents')).records[0]!;
    expect(incident.sample.error).not.toContain('hunter2hunter2');
    expect(incident.sample.error).toContain('[REDACTED');
  });
});

describe('nevo-tui gate', () => {
  it('exits 0 when the gate passes and 1 with a breaker incident when it escalates', async () => {
    const good = await gateWorkspace({ stages: [{ name: 'test', command: ok }] });
    const passed = cli(['gate'], { cwd: good.project });
    expect(passed.code, passed.stderr).toBe(0);
    expect(passed.stdout).toMatch(/✓ test {2}\d+/);
    expect(passed.stdout).toContain('Gate passed.');

    const bad = await gateWorkspace({ stages: [{ name: 'test', command: needsFixed }], refine: ok, maxIterations: 3 });
    const r = cli(['gate', '--json'], { cwd: bad.project });
    expect(r.code, r.stderr).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ passed: false, iterations: 3, escalated: true });
    expect(out.stages).toHaveLength(3);
    expect(out.incidents).toHaveLength(2);

    const human = cli(['gate'], { cwd: bad.project });
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/✗ test {2}\d+.*exit code 1/);
    expect(human.stdout).toContain('↻ refine after test (iteration 1)');
    expect(human.stdout).toMatch(/Gate escalated: test still failed after 3 iteration\(s\); breaker incident \S+ waits for a person/);
  });
});

describe('gate stages that leave things behind', () => {
  it('do not hang the gate or outlive it, and their secrets are not printed', async () => {
    const { shellRunner } = await import('../../src/gate/run.js');
    const dir = (await import('node:os')).tmpdir();
    const token = 'ghp_' + 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ab';
    const started = Date.now();
    const r = await shellRunner(`sleep 30 & echo started; echo token=${token}`, { input: '', cwd: dir, timeoutMs: 10_000, env: {} });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(r).toMatchObject({ ok: true, code: 0, timedOut: false });
    expect(r.output).toContain('started');
    expect(r.output).not.toContain(token);
  });
});

describe('nevo-tui gate interrupted', () => {
  it('takes the running stage and everything it started down with it', async () => {
    const { spawn } = await import('node:child_process');
    const { readdirSync, readFileSync: read } = await import('node:fs');
    const { CLI } = await import('../helpers/scripts.js');
    // A marker no other process has: the seconds are unusual on purpose.
    const marker = 'sleep 47.31';
    // Each process still running the marker, with its state, parent, group and session: what a failure needs.
    const survivors = () =>
      readdirSync('/proc').filter((p) => /^\d+$/.test(p)).flatMap((p) => {
        try {
          const cmd = read(`/proc/${p}/cmdline`, 'utf8').replace(/\0/g, ' ');
          return cmd.includes(marker) ? [`${read(`/proc/${p}/stat`, 'utf8').split(' ').slice(0, 6).join(' ')} :: ${cmd}`] : [];
        } catch {
          return [];
        }
      });
    const running = () => survivors().length > 0;
    const ws = await gateWorkspace({ stages: [{ name: 'slow', command: `${marker} & ${marker}` }] });
    const child = spawn(process.execPath, [CLI, 'gate'], { cwd: ws.project, env: { ...process.env, NEVO_WORKSPACE: '' }, stdio: 'ignore' });
    const deadline = Date.now() + 10_000;
    while (!running() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(running()).toBe(true);
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    child.kill('SIGINT');
    expect(await exited).toBe('SIGINT');
    // The killed processes go when the system gets to them: a busy machine took longer than the
    // 300 ms this waited before. Nothing it started may still be running after that.
    const gone = Date.now() + 15_000;
    while (running() && Date.now() < gone) await new Promise((r) => setTimeout(r, 100));
    expect(survivors(), `gate pid ${child.pid}`).toEqual([]);
  });
});
