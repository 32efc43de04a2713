// The commands `hooks install` registers work whatever PATH Claude Code runs them with, the
// project's committed file holds no path of this machine, `hooks status` runs them, and git keeps
// this machine's files out of the project (issue 16, item 7).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { CLI, REPO } from '../helpers/scripts.js';
import { freshWorkspace, scratch } from '../helpers/workspace.js';

const triggers = (root: string) => readdirSync(join(root, 'triggers')).filter((f) => f.endsWith('.json'));

/** A folder holding an executable `nevo-tui`, as a global install puts on PATH. */
function nevoOnPath(): string {
  const bin = scratch('nevo-bin-');
  symlinkSync(CLI, join(bin, 'nevo-tui'));
  return bin;
}

/** Runs a registered command as Claude Code does: through the shell, in the project, the payload on stdin. */
function runRegistered(command: string, project: string, path: string, event = 'Stop') {
  const env: NodeJS.ProcessEnv = { HOME: process.env.HOME, PATH: path, CLAUDE_PROJECT_DIR: project };
  const r = spawnSync('/bin/sh', ['-c', command], { cwd: project, env, input: JSON.stringify({ session_id: 's', cwd: project, hook_event_name: event }), encoding: 'utf8' });
  return { code: r.status, stderr: r.stderr };
}

function handlers(file: string, event: string): { command: string; if?: string; async?: boolean }[] {
  return (JSON.parse(readFileSync(file, 'utf8')).hooks[event] ?? []).flatMap((g: { hooks: unknown[] }) => g.hooks);
}

const git = (cwd: string, ...args: string[]) => spawnSync('git', args, { cwd, encoding: 'utf8' });

describe.skipIf(process.platform === 'win32')('the command hooks install registers', () => {
  it('works without the PATH install ran with (it was `nevo-tui hook`, which then fails with 127)', async () => {
    const ws = await freshWorkspace();
    const r = cli(['hooks', 'install'], { cwd: ws.project, env: { PATH: `${nevoOnPath()}${delimiter}${process.env.PATH}` } });
    expect(r.code, r.stderr).toBe(0);
    const command = handlers(join(ws.project, '.claude', 'settings.local.json'), 'Stop')[0]!.command;
    expect(runRegistered(command, ws.project, '/nonexistent')).toEqual({ code: 0, stderr: '' });
    expect(triggers(ws.root)).toHaveLength(1);
  });

  it('in the project file: no path of this machine; finds the project\'s nevo-tui whatever PATH Claude Code has; without one, says so and exits 0', async () => {
    const ws = await freshWorkspace();
    const r = cli(['hooks', 'install', '--scope', 'project', '--claude-version', '2.1.332'], { cwd: ws.project, env: { PATH: `${nevoOnPath()}${delimiter}${process.env.PATH}` } });
    expect(r.code, r.stderr).toBe(0);
    const file = join(ws.project, '.claude', 'settings.json');
    const text = readFileSync(file, 'utf8');
    for (const local of [process.execPath, REPO, ws.project, dirname(process.execPath)]) expect(text).not.toContain(local);
    const command = handlers(file, 'PostToolUseFailure')[0]!.command;
    const nodeOnly = `${dirname(process.execPath)}${delimiter}/usr/bin${delimiter}/bin`;

    const none = runRegistered(command, ws.project, nodeOnly, 'PostToolUse');
    expect(none.code).toBe(0);
    expect(none.stderr).toMatch(/^nevo-tui: not in node_modules\/\.bin, on PATH \(.*\) or in the npx cache; event not recorded \(npm i -D nevo-tui\)\n$/);
    const noNode = runRegistered(command, ws.project, '/nonexistent', 'PostToolUse');
    expect(noNode.code).toBe(0);
    expect(noNode.stderr).toBe('nevo-tui: no node on PATH (/nonexistent); event not recorded\n');
    expect(triggers(ws.root)).toHaveLength(0);
    // Install runs it once too, and says when it cannot work.
    const again = cli(['hooks', 'install', '--scope', 'project', '--claude-version', '2.1.332'], { cwd: ws.project, env: { PATH: nodeOnly } });
    expect(again.stderr).toMatch(/^nevo-tui: warning: the hook command does not work when run as Claude Code runs it: exit 0: nevo-tui: not in node_modules/);

    mkdirSync(join(ws.project, 'node_modules', '.bin'), { recursive: true });
    symlinkSync(CLI, join(ws.project, 'node_modules', '.bin', 'nevo-tui'));
    expect(runRegistered(command, ws.project, nodeOnly, 'PostToolUse')).toEqual({ code: 0, stderr: '' });
    expect(triggers(ws.root)).toHaveLength(1);
  });
});

describe('nevo-tui hooks status', () => {
  it('runs each registered command once and reports the ones that fail (it said "installed")', async () => {
    const ws = await freshWorkspace();
    const broken = '"/usr/bin/node" "/nowhere/nevo-tui/dist/bin.cjs" hook';
    expect(cli(['hooks', 'install', '--command', broken], { cwd: ws.project }).code).toBe(0);
    const bad = cli(['hooks', 'status', '--json'], { cwd: ws.project });
    expect(bad.code).toBe(1);
    const report = JSON.parse(bad.stdout);
    expect(report.failing).toBe(1);
    expect(report.probes).toMatchObject([{ ok: false, events: expect.arrayContaining(['PostToolUse', 'Stop']), reason: expect.stringMatching(/^exit 1: .*Cannot find module/) }]);
    expect(cli(['hooks', 'status'], { cwd: ws.project }).stdout).toMatch(/FAILS: .*\/nowhere\/nevo-tui[\s\S]*1 registered command failed/);

    expect(cli(['hooks', 'install'], { cwd: ws.project }).code).toBe(0);
    const good = cli(['hooks', 'status', '--json'], { cwd: ws.project });
    expect(good.code, good.stdout).toBe(0);
    expect(JSON.parse(good.stdout)).toMatchObject({ failing: 0, probes: [{ ok: true, workspace: ws.root }] });
    // The probe recorded nothing.
    expect(triggers(ws.root)).toEqual([]);
  });

  it('calls a command that runs nevo-tui from PATH what it is', async () => {
    const ws = await freshWorkspace();
    const env = { PATH: `${nevoOnPath()}${delimiter}${process.env.PATH}` };
    expect(cli(['hooks', 'install', '--command', 'nevo-tui hook'], { cwd: ws.project, env }).code).toBe(0);
    const report = JSON.parse(cli(['hooks', 'status', '--json'], { cwd: ws.project, env }).stdout);
    expect(report.probes).toMatchObject([{ ok: true, note: expect.stringMatching(/fails wherever Claude Code runs without that PATH/) }]);
  });
});

describe.skipIf(git(REPO, '--version').status !== 0)("this machine's files and the project's git", () => {
  it('hooks install --scope local makes git ignore .claude/settings.local.json, once', async () => {
    const ws = await freshWorkspace();
    git(ws.project, 'init', '-q');
    const first = cli(['hooks', 'install'], { cwd: ws.project });
    expect(first.stdout).toMatch(/Added \/\.claude\/settings\.local\.json to .*\.git\/info\/exclude so git does not pick up this machine's settings/);
    expect(git(ws.project, 'check-ignore', '-q', '.claude/settings.local.json').status).toBe(0);
    expect(cli(['hooks', 'install', '--claude-version', '2.1.332'], { cwd: ws.project }).stdout).not.toMatch(/Added/);
    expect(readFileSync(join(ws.project, '.git', 'info', 'exclude'), 'utf8').split('/.claude/settings.local.json').length).toBe(2);
  });

  it('leaves git alone when it already ignores the file, and when there is no repository', async () => {
    const ws = await freshWorkspace();
    git(ws.project, 'init', '-q');
    writeFileSync(join(ws.project, '.gitignore'), '.claude/*.local.json\n');
    const r = JSON.parse(cli(['hooks', 'install', '--json'], { cwd: ws.project }).stdout);
    expect(r.gitignore).toMatchObject({ added: false });
    const plain = await freshWorkspace();
    expect(JSON.parse(cli(['hooks', 'install', '--json'], { cwd: plain.project }).stdout).gitignore).toBeUndefined();
  });

  it('init prints the lines that keep .nevo/ and the local settings out of git, and adds them with --gitignore', () => {
    const project = scratch();
    git(project, 'init', '-q');
    const r = cli(['init'], { cwd: project });
    expect(r.stdout).toMatch(/Keep nevo's files out of this project's git[^\n]*\n {2}\/\.nevo\/\n {2}\/\.claude\/settings\.local\.json\nor run `nevo-tui init --gitignore`/);
    expect(existsSync(join(project, '.gitignore'))).toBe(false);
    const again = cli(['init', '--gitignore'], { cwd: project });
    expect(again.stdout).toMatch(/already exists; nothing changed in it\.\nAdded to .*\.gitignore: \/\.nevo\/, \/\.claude\/settings\.local\.json/);
    expect(git(project, 'status', '--porcelain').stdout).not.toMatch(/\.nevo/);
    expect(cli(['init'], { cwd: project }).stdout).not.toMatch(/Keep nevo's files/);
  });
});
