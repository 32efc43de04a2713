// nevo-tui as a Claude Code plugin (issue 16, "Install as a Claude Code plugin"): the files in
// plugin/ and .claude-plugin/ say what `hooks install` would, the hook script finds nevo-tui as the
// project-scope command does and steps aside where settings hooks already record, and `hooks
// install`, `status` and `skills approve nevo-memory` say when the plugin is enabled. The real client's side of it is
// test/real-client/plugin.test.ts.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_HOOK_COMMAND } from '../../src/commands/hooks.js';
import { pendingHookProcesses, type Proc } from '../../src/detect/hook-wait.js';
import { enabledNevoPlugins, nevoPluginEntries, PLUGIN_CLAUDE_CODE, PLUGIN_NAME, pluginHookCommand, pluginHooks } from '../../src/detect/plugin.js';
import { cli } from '../helpers/cli.js';
import { CLI, REPO } from '../helpers/scripts.js';
import { freshWorkspace, scratch } from '../helpers/workspace.js';

const PLUGIN = join(REPO, 'plugin');
const json = (file: string) => JSON.parse(readFileSync(file, 'utf8'));

/** The folders a `for p in ...` line of a resolver looks in, as written. */
function candidates(script: string): string {
  const m = /for p in (.+?); do/.exec(script);
  if (!m) throw new Error(`no resolver in ${script.slice(0, 80)}`);
  return m[1]!;
}

describe('the plugin and its marketplace', () => {
  it('the marketplace at the repository root lists the plugin in plugin/, of the package version', () => {
    const market = json(join(REPO, '.claude-plugin', 'marketplace.json'));
    expect(market.name).toBe('nevo-tui');
    expect(market.plugins).toMatchObject([{ name: PLUGIN_NAME, source: './plugin' }]);
    const manifest = json(join(PLUGIN, '.claude-plugin', 'plugin.json'));
    expect(manifest).toMatchObject({ name: PLUGIN_NAME, version: json(join(REPO, 'package.json')).version, engines: { 'claude-code': `>=${PLUGIN_CLAUDE_CODE}` } });
  });

  it('hooks/hooks.json holds what `hooks install` writes for a file that serves every project: capture in the background, Stop, SessionEnd and SessionStart in the foreground, PreToolUse on every call', () => {
    const hooks = json(join(PLUGIN, 'hooks', 'hooks.json'));
    // When this fails, write pluginHooks() (src/detect/plugin.ts) into plugin/hooks/hooks.json.
    expect(hooks).toEqual(pluginHooks());
    const handlers = (event: string) => (hooks.hooks[event] as { hooks: Record<string, unknown>[] }[]).flatMap((g) => g.hooks);
    for (const event of ['PostToolUse', 'PostToolUseFailure', 'SubagentStop', 'UserPromptSubmit', 'TaskCompleted', 'InstructionsLoaded']) expect(handlers(event), event).toEqual([expect.objectContaining({ async: true })]);
    for (const event of ['Stop', 'SessionEnd', 'SessionStart', 'PreToolUse']) expect(handlers(event), event).toEqual([{ type: 'command', command: pluginHookCommand(event), timeout: 10 }]);
  });

  it("lets the Stop hook wait for the plugin's capture hooks still running: their command lines carry nevo's marker", () => {
    const shell = (event: string) => `/bin/sh -c ${pluginHookCommand(event).replaceAll('${CLAUDE_PLUGIN_ROOT}', '/p')}`;
    const script = (event: string) => `/bin/sh /p/hooks/nevo-tui-hook.sh ${event}`;
    const self = { pid: 12, args: 'node /project/node_modules/.bin/nevo-tui hook' };
    const table: Proc[] = [
      { pid: 1, ppid: 0, args: 'init', zombie: false },
      { pid: 10, ppid: 1, args: 'claude -p go', zombie: false },
      { pid: 11, ppid: 10, args: shell('Stop'), zombie: false },
      // The script ran nevo-tui with exec.
      { pid: 12, ppid: 11, args: self.args, zombie: false },
      { pid: 20, ppid: 10, args: shell('PostToolUse'), zombie: false },
      { pid: 21, ppid: 20, args: script('PostToolUse'), zombie: false },
      // A shell that ran the script with exec, and one that has become nevo-tui already.
      { pid: 30, ppid: 10, args: script('PostToolUseFailure'), zombie: false },
      { pid: 40, ppid: 10, args: self.args, zombie: false },
      { pid: 50, ppid: 10, args: 'npm run build', zombie: false },
    ];
    expect(pendingHookProcesses(table, self).sort()).toEqual([20, 21, 30, 40]);
  });

  it('carries the same nevo-memory skill the package seeds, and finds nevo-tui where the project-scope command does', () => {
    expect(readFileSync(join(PLUGIN, 'skills', 'nevo-memory', 'SKILL.md'), 'utf8')).toBe(readFileSync(join(REPO, 'skills', 'nevo-memory', 'SKILL.md'), 'utf8'));
    const project = candidates(PROJECT_HOOK_COMMAND);
    expect(candidates(readFileSync(join(PLUGIN, 'hooks', 'nevo-tui-hook.sh'), 'utf8'))).toBe(project);
    expect(candidates(readFileSync(join(PLUGIN, 'scripts', 'nevo-tui.sh'), 'utf8'))).toBe(project);
  });

  it('/nevo runs `nevo-tui status` and `nevo-tui review`, each allowed by name, and is the name people type', () => {
    const text = readFileSync(join(PLUGIN, 'commands', 'nevo.md'), 'utf8');
    expect(text).toMatch(/^---\nname: nevo\n/);
    const runs = [...text.matchAll(/^!`(.+)`$/gm)].map((m) => m[1]!);
    expect(runs).toEqual(['status', 'review'].map((a) => `/bin/sh "\${CLAUDE_PLUGIN_ROOT}/scripts/nevo-tui.sh" ${a}`));
    expect(/^allowed-tools: (.+)$/m.exec(text)![1]).toBe(runs.map((r) => `Bash(${r})`).join(', '));
  });

  it('ships in the npm package, so `claude plugin marketplace add ./node_modules/nevo-tui` works too', () => {
    const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: REPO, encoding: 'utf8', shell: process.platform === 'win32' });
    expect(r.status, r.stderr).toBe(0);
    const files = (JSON.parse(r.stdout) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
    for (const f of ['.claude-plugin/marketplace.json', 'plugin/.claude-plugin/plugin.json', 'plugin/hooks/hooks.json', 'plugin/hooks/nevo-tui-hook.sh', 'plugin/scripts/nevo-tui.sh', 'plugin/commands/nevo.md', 'plugin/skills/nevo-memory/SKILL.md']) expect(files).toContain(f);
  });
});

/** A `nevo-tui` that only notes that it ran: where the script must not start Node, it must not run. */
function fakeNevo(): { bin: string; ran: () => string } {
  const bin = scratch('nevo-fake-');
  const log = join(bin, 'ran.log');
  writeFileSync(join(bin, 'nevo-tui'), `#!/bin/sh\necho "$@" >> "${log}"\ncat >/dev/null\n`);
  chmodSync(join(bin, 'nevo-tui'), 0o755);
  return { bin, ran: () => (existsSync(log) ? readFileSync(log, 'utf8') : '') };
}

const NODE_DIR = dirname(process.execPath);
const SYSTEM = `/usr/bin${delimiter}/bin`;

/** Runs the plugin's hook command for `event` as Claude Code does: `${CLAUDE_PLUGIN_ROOT}` filled in, through /bin/sh, in the project. */
function runPluginHook(event: string, project: string, opts: { path: string; home: string; payload?: Record<string, unknown>; env?: NodeJS.ProcessEnv }) {
  const command = pluginHookCommand(event).replaceAll('${CLAUDE_PLUGIN_ROOT}', PLUGIN);
  const env: NodeJS.ProcessEnv = { PATH: opts.path, HOME: opts.home, XDG_STATE_HOME: join(opts.home, 'state'), CLAUDE_PROJECT_DIR: project, CLAUDE_PLUGIN_ROOT: PLUGIN, ...opts.env };
  const payload = { session_id: 's1', cwd: project, hook_event_name: event, ...opts.payload };
  const r = spawnSync('/bin/sh', ['-c', command], { cwd: project, env, input: JSON.stringify(payload), encoding: 'utf8' });
  return { code: r.status, stderr: r.stderr };
}

const triggers = (root: string) => (existsSync(join(root, 'triggers')) ? readdirSync(join(root, 'triggers')).filter((f) => f.endsWith('.json')) : []);

function linkProjectNevo(project: string): void {
  mkdirSync(join(project, 'node_modules', '.bin'), { recursive: true });
  symlinkSync(CLI, join(project, 'node_modules', '.bin', 'nevo-tui'));
}

describe.skipIf(process.platform === 'win32')("the plugin's hook script", () => {
  it("records through the project's nevo-tui whatever PATH Claude Code has, else nevo-tui on PATH, else npx's cache", async () => {
    const ws = await freshWorkspace();
    const home = scratch();
    const path = `${NODE_DIR}${delimiter}${SYSTEM}`;
    linkProjectNevo(ws.project);
    expect(runPluginHook('PostToolUse', ws.project, { path, home })).toEqual({ code: 0, stderr: '' });
    expect(triggers(ws.root)).toHaveLength(1);

    const other = await freshWorkspace();
    const onPath = scratch('nevo-bin-');
    symlinkSync(CLI, join(onPath, 'nevo-tui'));
    expect(runPluginHook('Stop', other.project, { path: `${onPath}${delimiter}${path}`, home })).toEqual({ code: 0, stderr: '' });
    const npx = join(home, '.npm', '_npx', '0123abcd', 'node_modules', '.bin');
    mkdirSync(npx, { recursive: true });
    symlinkSync(CLI, join(npx, 'nevo-tui'));
    expect(runPluginHook('SessionEnd', other.project, { path, home })).toEqual({ code: 0, stderr: '' });
    expect(triggers(other.root)).toHaveLength(2);
  });

  it('without nevo-tui, or without node, says so on stderr and exits 0: the call goes on, nothing is recorded', async () => {
    const ws = await freshWorkspace();
    const home = scratch();
    const none = runPluginHook('PostToolUse', ws.project, { path: `${NODE_DIR}${delimiter}${SYSTEM}`, home });
    expect(none.code).toBe(0);
    expect(none.stderr).toMatch(/^nevo-tui: not in node_modules\/\.bin, on PATH \(.*\) or in the npx cache; event not recorded \(npm i -D nevo-tui\)\n$/);
    expect(runPluginHook('PostToolUse', ws.project, { path: '/nonexistent', home })).toEqual({ code: 0, stderr: 'nevo-tui: no node on PATH (/nonexistent); event not recorded\n' });
    expect(triggers(ws.root)).toHaveLength(0);
  });

  it('a guard of an active rule blocks the call (exit 2, the rule on stderr); with no active guard PreToolUse does not start nevo-tui at all', async () => {
    const ws = await freshWorkspace();
    const home = scratch();
    const fake = fakeNevo();
    const call = { tool_name: 'Bash', tool_input: { command: 'tree' }, tool_use_id: 'toolu_1' };
    expect(runPluginHook('PreToolUse', ws.project, { path: `${fake.bin}${delimiter}${NODE_DIR}${delimiter}${SYSTEM}`, home, payload: call })).toEqual({ code: 0, stderr: '' });
    expect(fake.ran()).toBe('');
    // The same project with its own nevo-tui and a guard on `tree`.
    expect(cli(['rules', 'edit', 'AGENT-002', '--guard', '{"tool":"Bash","program":"tree"}'], { cwd: ws.project }).code).toBe(0);
    linkProjectNevo(ws.project);
    const blocked = runPluginHook('PreToolUse', ws.project, { path: `${NODE_DIR}${delimiter}${SYSTEM}`, home, payload: call });
    expect(blocked.code).toBe(2);
    expect(blocked.stderr).toMatch(/^nevo-tui blocked this call: AGENT-002 /);
    expect(triggers(ws.root)).toEqual(['pre-toolu_1.json']);
  });

  it('in a project without a workspace it exits 0 at once and writes nothing anywhere', async () => {
    const project = scratch();
    const home = scratch();
    const fake = fakeNevo();
    expect(runPluginHook('PostToolUse', project, { path: `${fake.bin}${delimiter}${SYSTEM}`, home })).toEqual({ code: 0, stderr: '' });
    expect(fake.ran()).toBe('');
    expect(existsSync(join(home, 'state'))).toBe(false);
    // NEVO_WORKSPACE names one elsewhere: then nevo-tui runs and finds it.
    const ws = await freshWorkspace();
    expect(runPluginHook('PostToolUse', project, { path: `${fake.bin}${delimiter}${SYSTEM}`, home, env: { NEVO_WORKSPACE: ws.root } })).toEqual({ code: 0, stderr: '' });
    expect(fake.ran()).toBe('hook\n');
  });

  it('steps aside where a settings file has nevo-tui hooks (project, local, user, or an unmarked one of an older version): each event is recorded once', async () => {
    const cases: { file: (project: string, home: string) => string; text?: string; install?: string[] }[] = [
      { file: (p) => join(p, '.claude', 'settings.json'), install: ['--scope', 'project'] },
      { file: (p) => join(p, '.claude', 'settings.local.json'), install: [] },
      { file: (_p, h) => join(h, '.claude', 'settings.json'), install: ['--scope', 'user'] },
      { file: (p) => join(p, '.claude', 'settings.json'), text: '{ "hooks": { "Stop": [ { "hooks": [ { "type": "command", "command": "nevo-tui hook" } ] } ] } }\n' },
      { file: (p) => join(p, '.claude', 'settings.local.json'), text: '{"hooks":{"Stop":[{"hooks":[{"type":"command","command":"\\"/usr/bin/node\\" \\"/opt/nevo-tui/dist/bin.cjs\\" hook"}]}]}}\n' },
    ];
    for (const c of cases) {
      const ws = await freshWorkspace();
      const home = scratch();
      const fake = fakeNevo();
      const path = `${fake.bin}${delimiter}${NODE_DIR}${delimiter}${SYSTEM}`;
      if (c.install) expect(cli(['hooks', 'install', ...c.install], { cwd: ws.project, env: { HOME: home, USERPROFILE: home } }).code).toBe(0);
      else {
        mkdirSync(dirname(c.file(ws.project, home)), { recursive: true });
        writeFileSync(c.file(ws.project, home), c.text!);
      }
      expect(existsSync(c.file(ws.project, home)), c.file(ws.project, home)).toBe(true);
      expect(runPluginHook('PostToolUse', ws.project, { path, home })).toEqual({ code: 0, stderr: '' });
      expect(fake.ran(), c.file(ws.project, home)).toBe('');
    }
    // An unrelated settings file does not make it step aside.
    const ws = await freshWorkspace();
    const home = scratch();
    const fake = fakeNevo();
    mkdirSync(join(ws.project, '.claude'), { recursive: true });
    writeFileSync(join(ws.project, '.claude', 'settings.json'), '{ "permissions": { "allow": ["Bash(nevo-tui status)"] } }\n');
    expect(runPluginHook('PostToolUse', ws.project, { path: `${fake.bin}${delimiter}${NODE_DIR}${delimiter}${SYSTEM}`, home })).toEqual({ code: 0, stderr: '' });
    expect(fake.ran()).toBe('hook\n');
  });
});

describe('nevo-tui, with the plugin enabled', () => {
  it('hooks install, uninstall and status say that the plugin steps aside for the settings hooks, and name where it is enabled', async () => {
    const ws = await freshWorkspace();
    const home = scratch();
    const env = { HOME: home, USERPROFILE: home };
    mkdirSync(join(home, '.claude'));
    writeFileSync(join(home, '.claude', 'settings.json'), `${JSON.stringify({ enabledPlugins: { 'nevo-tui@nevo-tui': true, 'other@nevo-tui': true } })}\n`);
    const r = cli(['hooks', 'install'], { cwd: ws.project, env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("The nevo-tui plugin is enabled too (nevo-tui@nevo-tui in ~/.claude/settings.json): its hooks step aside wherever a settings file has nevo-tui's hooks");
    expect(JSON.parse(cli(['hooks', 'status', '--json'], { cwd: ws.project, env }).stdout).plugin).toEqual([{ id: 'nevo-tui@nevo-tui', file: join('~', '.claude', 'settings.json') }]);
    const off = cli(['hooks', 'uninstall'], { cwd: ws.project, env });
    expect(off.stdout).toContain("The nevo-tui plugin is enabled (nevo-tui@nevo-tui in ~/.claude/settings.json): its hooks record in this project when no settings file has nevo-tui's hooks.");
    // Turned off in the project's own file, which overrides the user's: nothing to say.
    writeFileSync(join(ws.project, '.claude', 'settings.json'), `${JSON.stringify({ enabledPlugins: { 'nevo-tui@nevo-tui': false } })}\n`);
    const again = cli(['hooks', 'install'], { cwd: ws.project, env });
    expect(again.stdout).not.toContain('plugin');
  });

  it('skills approve nevo-memory says that the plugin brings it too, and how to keep one', async () => {
    const ws = await freshWorkspace();
    const home = scratch();
    const env = { HOME: home, USERPROFILE: home };
    const deploy = (name: string) => cli(['skills', 'approve', name], { cwd: ws.project, env });
    expect(deploy('nevo-memory').stdout).not.toContain('plugin');
    expect(cli(['skills', 'deactivate', 'nevo-memory'], { cwd: ws.project, env }).code).toBe(0);
    mkdirSync(join(home, '.claude'));
    writeFileSync(join(home, '.claude', 'settings.json'), `${JSON.stringify({ enabledPlugins: { 'nevo-tui@nevo-tui': true } })}\n`);
    const twice = cli(['skills', 'reactivate', 'nevo-memory'], { cwd: ws.project, env });
    expect(twice.code, twice.stderr).toBe(0);
    expect(twice.stdout).toContain(`nevo-tui's Claude Code plugin is enabled (nevo-tui@nevo-tui in ${join('~', '.claude', 'settings.json')}) and brings nevo-memory too, as nevo-tui:nevo-memory: the model now sees it twice. \`nevo-tui skills deactivate nevo-memory\` keeps the plugin's.`);
    // A skill the plugin does not carry: nothing to say.
    expect(deploy('nevo-tui').stdout).not.toContain('plugin');
  });

  it('reads enabledPlugins leniently, the project and local files overriding the user one', () => {
    expect(nevoPluginEntries('{\n  // mine\n  "enabledPlugins": { "nevo-tui@local": true, "nevo-tui@nevo-tui": false, "nevo-tuix@m": true, "nevo-tui@odd": "yes", },\n}')).toEqual({ 'nevo-tui@local': true, 'nevo-tui@nevo-tui': false });
    expect(nevoPluginEntries(null)).toEqual({});
    expect(nevoPluginEntries('not json')).toEqual({});
    expect(nevoPluginEntries('{"enabledPlugins": ["nevo-tui@x"]}')).toEqual({});
    const user = { file: 'user', text: '{"enabledPlugins": {"nevo-tui@a": true, "nevo-tui@b": true}}' };
    const project = { file: 'project', text: '{"enabledPlugins": {"nevo-tui@a": false}}' };
    const local = { file: 'local', text: '{"enabledPlugins": {"nevo-tui@c": true}}' };
    expect(enabledNevoPlugins([user, project, local])).toEqual([{ id: 'nevo-tui@b', file: 'user' }, { id: 'nevo-tui@c', file: 'local' }]);
  });
});
