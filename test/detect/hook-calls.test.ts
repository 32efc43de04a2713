// The hook as Claude Code runs it under the entries `hooks install` writes: several `if` handlers
// may start for one call, the Stop hook waits for the capture hooks still running in the
// background, and `hooks status` probes it.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pendingHookProcesses, type Proc } from '../../src/detect/hook-wait.js';
import { CLI } from '../helpers/scripts.js';
import { cli } from '../helpers/cli.js';
import { freshWorkspace } from '../helpers/workspace.js';

const triggers = (root: string) => readdirSync(join(root, 'triggers')).filter((f) => f.endsWith('.json'));
const quote = (s: string) => `"${s}"`;
const HOOK = `${quote(process.execPath)} ${quote(CLI)} hook # claude-code=2.1.332 # nevo-tui-hook created=file`;

function runHook(input: string, env: NodeJS.ProcessEnv): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, 'hook'], { env: { ...process.env, NEVO_WORKSPACE: '', ...env }, stdio: ['pipe', 'ignore', 'ignore'] });
    child.on('close', resolve);
    child.stdin.end(input);
  });
}

describe('nevo-tui hook under the `if` entries', () => {
  it('records a call once when two of its PreToolUse handlers start for it, and counts one block', async () => {
    const ws = await freshWorkspace();
    writeFileSync(
      join(ws.root, 'guards.json'),
      JSON.stringify({ version: 1, projectRoot: ws.project, guards: [{ rule: 'PROJ-001', title: 'No pnmp', text: 'Use pnpm.', tool: 'Bash', program: 'pnmp' }] }),
    );
    // `pnmp i && tree` matches both `Bash(*pnmp*)` and `Bash(*tree*)`: Claude Code starts both handlers.
    const payload = JSON.stringify({ session_id: 's1', cwd: ws.project, hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: 'pnmp i && tree' }, tool_use_id: 'toolu_01TWICE' });
    const env = { CLAUDE_PROJECT_DIR: ws.project };
    expect(await Promise.all([runHook(payload, env), runHook(payload, env)])).toEqual([2, 2]);
    expect(triggers(ws.root)).toHaveLength(1);
    // A third, after ingest took the first: its id is already stored.
    const first = JSON.parse(cli(['ingest', '--json'], { cwd: ws.project }).stdout);
    expect(await runHook(payload, env)).toBe(2);
    const second = JSON.parse(cli(['ingest', '--json'], { cwd: ws.project }).stdout);
    expect([first.blocked, second.blocked, second.duplicates]).toEqual([1, 0, 1]);
    const blocks = JSON.parse(cli(['events', '--json'], { cwd: ws.project }).stdout).events.filter((e: { kind: string }) => e.kind === 'PreToolUse');
    expect(blocks).toHaveLength(1);
  });

  it('answers a probe with the workspace it found, and records nothing', async () => {
    const ws = await freshWorkspace();
    const r = spawnSync('/bin/sh', ['-c', HOOK], { input: '{"hook_event_name":"Notification"}', env: { ...process.env, NEVO_WORKSPACE: '', CLAUDE_PROJECT_DIR: ws.project, NEVO_HOOK_PROBE: '1' }, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`nevo-tui hook: ready ${JSON.stringify({ workspace: ws.root })}\n`);
    expect(triggers(ws.root)).toEqual([]);
  });
});

describe.skipIf(process.platform === 'win32')('the Stop hook', () => {
  it('returns only once the capture hooks its Claude Code process started before it have ended', async () => {
    const ws = await freshWorkspace();
    const flag = join(ws.project, 'capture-done');
    // A stand-in for Claude Code: it starts a slow background capture hook, then the Stop hook,
    // and reports whether the capture had finished when the Stop hook returned.
    const parent = `
      const { spawn } = require('node:child_process');
      const env = { ...process.env, NEVO_WORKSPACE: '', CLAUDE_PROJECT_DIR: ${JSON.stringify(ws.project)} };
      spawn('/bin/sh', ['-c', ${JSON.stringify(`sleep 1; : > '${flag}' # nevo-tui-hook created=file`)}], { env, stdio: 'ignore' });
      const stop = spawn('/bin/sh', ['-c', ${JSON.stringify(HOOK)}], { env, stdio: ['pipe', 'ignore', 'ignore'] });
      stop.stdin.end(JSON.stringify({ session_id: 's', cwd: ${JSON.stringify(ws.project)}, hook_event_name: 'Stop' }));
      stop.on('close', (code) => { console.log(JSON.stringify({ code, captured: require('node:fs').existsSync(${JSON.stringify(flag)}) })); });
    `;
    const script = join(ws.project, 'stand-in.cjs');
    writeFileSync(script, parent);
    const r = spawnSync(process.execPath, [script], { encoding: 'utf8' });
    expect(JSON.parse(r.stdout)).toEqual({ code: 0, captured: true });
    expect(triggers(ws.root)).toHaveLength(1);
    expect(existsSync(flag)).toBe(true);
  });

  it('finds the hooks of its own Claude Code process only, not itself, its shell, or another session', () => {
    const self = { pid: 12, args: 'node /x/bin.cjs hook' };
    const table: Proc[] = [
      { pid: 1, ppid: 0, args: 'init', zombie: false },
      { pid: 10, ppid: 1, args: 'claude -p go', zombie: false },
      { pid: 11, ppid: 10, args: "/bin/sh -c node /x/bin.cjs hook # nevo-tui-hook created=file", zombie: false },
      self && { pid: 12, ppid: 11, args: self.args, zombie: false },
      { pid: 13, ppid: 10, args: "/bin/sh -c sleep 1; node /x/bin.cjs hook # nevo-tui-hook created=file", zombie: false },
      { pid: 14, ppid: 13, args: 'sleep 1', zombie: false },
      { pid: 15, ppid: 10, args: 'node /x/bin.cjs hook', zombie: false },
      { pid: 16, ppid: 10, args: 'npm run build', zombie: false },
      { pid: 17, ppid: 10, args: "/bin/sh -c node /x/bin.cjs hook # nevo-tui-hook created=file", zombie: true },
      { pid: 20, ppid: 1, args: 'claude -p other', zombie: false },
      { pid: 21, ppid: 20, args: 'node /x/bin.cjs hook', zombie: false },
    ];
    expect(pendingHookProcesses(table, self).sort()).toEqual([13, 15]);
    // Started by Claude Code directly (no shell in between).
    expect(pendingHookProcesses(table.map((p) => (p.pid === 12 ? { ...p, ppid: 10 } : p)), self).sort()).toEqual([11, 13, 15]);
  });
});
