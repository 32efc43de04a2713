import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleScript, CLI } from '../helpers/scripts.js';
import { cli } from '../helpers/cli.js';
import { freshWorkspace, scratch } from '../helpers/workspace.js';

const FIXTURES = 'test/fixtures/claude-code/hook-payloads';

function hook(input: string | Buffer, env: NodeJS.ProcessEnv) {
  const r = spawnSync(process.execPath, [CLI, 'hook'], { input, env: { ...process.env, NEVO_WORKSPACE: '', ...env }, maxBuffer: 1 << 20 });
  return { code: r.status, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

const triggers = (root: string) => readdirSync(join(root, 'triggers')).filter((f) => f.endsWith('.json'));

describe('nevo-tui hook', () => {
  it('turns every real Claude Code payload into one trigger, silently, with exit 0', async () => {
    const ws = await freshWorkspace();
    const payloads = ['quantstats__post_tool_use.json', 'quantstats__pre_tool_use.json', 'fabric__session_start.json'].flatMap(
      (f) => JSON.parse(readFileSync(join(FIXTURES, f), 'utf8')) as object[],
    );
    expect(payloads).toHaveLength(35);
    for (const p of payloads) {
      const r = hook(JSON.stringify(p), { CLAUDE_PROJECT_DIR: ws.project });
      expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
    }
    expect(triggers(ws.root)).toHaveLength(35);
    const ingest = JSON.parse(cli(['ingest', '--json'], { cwd: ws.project }).stdout);
    expect(ingest).toMatchObject({ files: 35, events: 35, rejected: 0, opened: [] });
    expect(triggers(ws.root)).toHaveLength(0);
    const stats = JSON.parse(cli(['stats', '--json', '--days', '3650'], { cwd: ws.project }).stdout);
    expect(stats.total).toEqual({ calls: 14, failures: 0, failureRate: 0 });
    const events = JSON.parse(cli(['events', '--json', '-n', '100'], { cwd: ws.project }).stdout).events;
    expect(events.filter((e: { kind: string }) => e.kind === 'PreToolUse')).toHaveLength(20);
    expect(events.find((e: { kind: string }) => e.kind === 'SessionStart')).toMatchObject({ session: expect.any(String), fate: { kind: 'journal' } });
  });

  it('finds the workspace from the payload cwd when CLAUDE_PROJECT_DIR is not set', async () => {
    const ws = await freshWorkspace();
    const payload = { session_id: 's', cwd: join(ws.project), hook_event_name: 'Stop', stop_hook_active: false };
    expect(hook(JSON.stringify(payload), { CLAUDE_PROJECT_DIR: '' }).code).toBe(0);
    expect(triggers(ws.root)).toHaveLength(1);
  });

  it('exits 0 on any bad input and tallies each as rejected with its reason', async () => {
    const ws = await freshWorkspace();
    const env = { CLAUDE_PROJECT_DIR: ws.project };
    const big = `{"hook_event_name":"PostToolUse","session_id":"big","tool_name":"Read","tool_response":"${'x'.repeat(50 * 1024 * 1024)}"}`;
    const bad: [string | Buffer, string][] = [
      ['', 'empty input'],
      ['{"hook_event_name": "PostToolUse", ', 'invalid JSON'],
      [Buffer.from([0xff, 0xfe, 0x00, 0x9c, 0x12, 0x80, 0xc3, 0x28, 0x00]), 'invalid JSON'],
      ['[1, 2, 3]', 'not a JSON object'],
      ['{"session_id": "x"}', 'no hook_event_name'],
      ['{"hook_event_name": "MadeUpEvent", "session_id": "x"}', 'unknown event MadeUpEvent'],
      [big, 'payload too large (over 8388608 bytes)'],
    ];
    for (const [input] of bad) expect(hook(input, env)).toEqual({ code: 0, stdout: '', stderr: '' });
    const ingest = JSON.parse(cli(['ingest', '--json'], { cwd: ws.project }).stdout);
    expect(ingest.rejected).toBe(bad.length);
    const rejections = (await ws.store.read('rejections')).records;
    const byReason = Object.fromEntries(rejections.map((r) => [r.id, r.count]));
    expect(byReason).toEqual({
      'empty input': 1,
      'invalid JSON': 2,
      'not a JSON object': 1,
      'no hook_event_name': 1,
      'unknown event MadeUpEvent': 1,
      'payload too large (over 8388608 bytes)': 1,
    });
    // Even the oversized event keeps what could be read of it.
    const events = (await ws.store.read('events')).records;
    expect(events.find((e) => e.fate.kind === 'rejected' && e.fate.reason.startsWith('payload too large'))).toMatchObject({ kind: 'PostToolUse', session: 'big', tool: 'Read' });
  });

  it('tallies an event with no workspace in a per-user log, and still exits 0', () => {
    const state = scratch();
    const elsewhere = scratch();
    const r = hook(JSON.stringify({ session_id: 's', cwd: elsewhere, hook_event_name: 'Stop' }), { CLAUDE_PROJECT_DIR: elsewhere, XDG_STATE_HOME: state });
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
    const log = readFileSync(join(state, 'nevo-tui', 'rejected.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(log).toEqual([expect.objectContaining({ reason: 'no workspace', event: 'Stop', cwd: elsewhere })]);
  });

  it('loses none of 2,000 events fired by 8 processes at once while two ingesters run', async () => {
    const ws = await freshWorkspace();
    const config = JSON.parse(readFileSync(ws.layout.config, 'utf8'));
    config.store.recentEvents = 5000;
    writeFileSync(ws.layout.config, JSON.stringify(config));
    const firer = bundleScript('test/helpers/hook-firer.ts');
    const ingester = bundleScript('test/helpers/ingester.ts');
    const stop = join(scratch(), 'stop');
    const run = (script: string, args: string[]) =>
      new Promise<string>((resolve, reject) => {
        const c = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        c.stdout.on('data', (d) => (out += d));
        c.stderr.on('data', (d) => (err += d));
        c.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(err))));
      });
    const ingesters = [run(ingester, [ws.root, stop]), run(ingester, [ws.root, stop])];
    await Promise.all(Array.from({ length: 8 }, (_, i) => run(firer, [ws.root, '250', `session-${i}`])));
    writeFileSync(stop, '');
    await Promise.all(ingesters);
    cli(['ingest'], { cwd: ws.project });
    expect(existsSync(join(ws.root, 'triggers')) && triggers(ws.root)).toEqual([]);
    const events = (await ws.store.read('events')).records;
    expect(new Set(events.map((e) => e.id)).size).toBe(2000);
    const telemetry = (await ws.store.read('telemetry')).records;
    expect(telemetry.reduce((a, d) => a + (d.calls.Bash ?? 0), 0)).toBe(2000);
    expect(telemetry.reduce((a, d) => a + (d.failures.Bash ?? 0), 0)).toBe(400);
    const incidents = (await ws.store.read('incidents')).records;
    // "missing script: step-N" is one mistake, whatever N: one incident seen in all 8 sessions.
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({ count: 400, recurring: true, category: 'missing script' });
    expect(incidents[0]!.sessions).toHaveLength(8);
  });

  it('loses none of 96 events when 8 shells each start the real binary 12 times at once', async () => {
    const ws = await freshWorkspace();
    const payload = JSON.stringify({ session_id: 'S', cwd: ws.project, hook_event_name: 'PostToolUse', tool_name: 'Read', tool_input: { file_path: 'a.ts' }, tool_response: { type: 'text' } });
    const shell = (n: number) =>
      new Promise<void>((resolve, reject) => {
        const script = `for i in $(seq 1 12); do printf '%s' '${payload.replace('"S"', `"s${n}"`)}' | "${process.execPath}" "${CLI}" hook || exit 1; done`;
        const c = spawn('sh', ['-c', script], { env: { ...process.env, NEVO_WORKSPACE: '', CLAUDE_PROJECT_DIR: ws.project } });
        c.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`shell ${n} exited ${code}`))));
      });
    await Promise.all(Array.from({ length: 8 }, (_, n) => shell(n)));
    expect(triggers(ws.root)).toHaveLength(96);
    expect(JSON.parse(cli(['ingest', '--json'], { cwd: ws.project }).stdout)).toMatchObject({ files: 96, events: 96 });
    const sessions = (await ws.store.read('sessions')).records;
    expect(sessions.map((x) => [x.id, x.calls]).sort()).toEqual(Array.from({ length: 8 }, (_, n) => [`s${n}`, 12]).sort());
    // 96 process starts on a busy 2-core machine can take minutes: the limit is generous on purpose.
  }, 300_000);
});
