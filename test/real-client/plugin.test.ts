// nevo-tui as a Claude Code plugin, through the real Claude Code CLI (issue 16, "Install as a Claude
// Code plugin"): one `claude plugin install` brings the hooks, the nevo-memory skill and /nevo,
// from the repository's folder or from a git URL (a bare clone: nothing built, no node_modules);
// and with nevo-tui's settings hooks installed as well, every event is still recorded once.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { transcriptEventId } from '../../src/detect/call-id.js';
import type { Rule } from '../../src/rules/rule.js';
import { bash, end, firstUserText, requestText, steps, tool, toolResults } from '../helpers/mock-messages.js';
import { REPO } from '../helpers/scripts.js';
import { CLAUDE_CODE_VERSION, claudeCli, claudeCode, linkNevo, nevo, nevoJson, runSession, scratchProject, skipNote, transcriptCalls, triggerKinds, waitingTriggers, type Scratch, useMockMessages } from '../helpers/real-client.js';

const cc = claudeCode();
const LIMIT = 300_000;
const PLUGIN_ID = 'nevo-tui@nevo-tui';

const waiting = waitingTriggers;
const kinds = triggerKinds;
const calls = transcriptCalls;

const ruleFiles = (s: Scratch) => readdirSync(join(s.project, '.claude', 'rules', 'nevo')).filter((f) => f.endsWith('.md'));

function installed(s: Scratch): { id: string; enabled: boolean; installPath: string }[] {
  const r = claudeCli(cc, s, ['plugin', 'list', '--json']);
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { id: string; enabled: boolean; installPath: string }[]).filter((p) => p.id === PLUGIN_ID);
}

/** `nevo-tui init` and nevo-tui as the project's devDependency: no settings hooks. */
function initWithoutHooks(s: Scratch): void {
  nevo(s, ['init']);
  linkNevo(s);
}

describe.skipIf(!cc.ok)(`the real Claude Code ${CLAUDE_CODE_VERSION}: nevo-tui as a plugin${skipNote(cc)}`, () => {
  const api = useMockMessages();

  it(
    "installs from the repository's folder in one step: its hooks record each call once, a guard of an active rule blocks, nevo-memory is listed, /nevo shows status and review",
    async () => {
      const s = scratchProject();
      initWithoutHooks(s);
      const add = claudeCli(cc, s, ['plugin', 'install', 'nevo-tui', '--marketplace', REPO]);
      expect(add.code, add.stderr + add.stdout).toBe(0);
      expect(installed(s)).toMatchObject([{ enabled: true }]);
      expect(existsSync(join(s.project, '.claude', 'settings.json'))).toBe(false);
      nevo(s, ['rules', 'edit', 'AGENT-002', '--guard', '{"tool":"Bash","program":"tree"}']);

      api.mock.setScript(steps(bash('echo one'), tool('Read', { file_path: join(s.project, 'package.json') }), bash('npm run nonexistent'), bash('tree'), end()));
      const r = await runSession(cc, s, api.mock, 'Look around.');
      expect(r.code, r.stderr).toBe(0);
      const triggers = waiting(s);
      const ids = calls(s, r.session);
      expect(ids).toHaveLength(4);
      // While a guard is active the plugin's PreToolUse runs for every call (it cannot know the
      // guards); the blocked call runs no PostToolUse.
      const { InstructionsLoaded: loads = 0, ...rest } = kinds(triggers);
      expect(rest).toEqual({ SessionStart: 1, UserPromptSubmit: 1, PreToolUse: 4, PostToolUse: 2, PostToolUseFailure: 1, Stop: 1, SessionEnd: 1 });
      expect(triggers.filter((t) => t.payload?.hook_event_name === 'PreToolUse').map((t) => t.payload!.tool_use_id).sort()).toEqual([...ids].sort());
      expect(triggers.filter((t) => t.payload?.hook_event_name.startsWith('PostToolUse')).map((t) => t.payload!.tool_use_id).sort()).toEqual(ids.slice(0, 3).sort());
      // Claude Code 2.1.332 reads a plugin's hooks while it loads the instruction files of the
      // session start, so the plugin sees these loads only some of the time; never one twice.
      const loaded = triggers.filter((t) => t.payload?.hook_event_name === 'InstructionsLoaded').map((t) => t.payload!.file_path);
      expect(new Set(loaded).size).toBe(loads);
      for (const f of loaded) expect(ruleFiles(s).map((name) => join(s.project, '.claude', 'rules', 'nevo', name))).toContain(f);

      const blocked = toolResults(r.turns.at(-1)!).at(-1)!;
      expect(blocked).toMatchObject({ isError: true, toolUseId: ids[3] });
      expect(blocked.text).toMatch(/^PreToolUse:Bash hook error: /);
      expect(blocked.text.split('nevo-tui blocked this call: AGENT-002').length).toBe(2);
      expect(triggers.find((t) => t.payload?.tool_use_id === ids[3] && t.payload?.hook_event_name === 'PreToolUse')!.blocked).toEqual({ rule: 'AGENT-002' });

      const skill = readFileSync(join(REPO, 'plugin', 'skills', 'nevo-memory', 'SKILL.md'), 'utf8');
      const listing = firstUserText(r.turns[0]!);
      expect(listing).toContain(`- nevo-tui:nevo-memory: ${/^description: (.+)$/m.exec(skill)![1]}`);
      // /nevo is for the person (disable-model-invocation): not offered to the model.
      expect(listing).not.toContain('- nevo-tui:nevo:');

      const ingest = nevoJson(s, ['ingest']);
      expect(ingest).toMatchObject({ blocked: 1, opened: [expect.any(String)] });
      const proposal = nevoJson<{ rules: Rule[] }>(s, ['rules', 'list', '--status', 'proposed']).rules[0]!;
      // Run as a person types it, without skipping permissions: the command's allowed-tools let its two commands run.
      api.mock.setScript(steps(end('Here is where nevo-tui stands.')));
      const shown = await runSession(cc, s, api.mock, '/nevo', { permissions: 'default' });
      expect(shown.code, shown.stderr).toBe(0);
      const text = shown.turns.map(requestText).find((t) => t.includes('<command-name>/nevo-tui:nevo</command-name>'))!;
      expect(text).toBeDefined();
      expect(text).toContain(`Workspace    ${join(s.project, '.nevo')}`);
      expect(text).toMatch(/To review: 0 gate escalation\(s\), 1 proposed rule\(s\)/);
      expect(text).toContain(`${proposal.id}  ${proposal.title}`);
    },
    LIMIT,
  );

  it(
    'installs from a git URL: the clone holds no dist/ or node_modules/, and its hooks find the project\'s nevo-tui',
    async () => {
      const s = scratchProject();
      initWithoutHooks(s);
      // The repository as a git server would give it, with only what is committed of the plugin:
      // a bare repository reached through a URL that git maps to it (no network).
      const root = dirname(s.project);
      const work = join(root, 'checkout');
      mkdirSync(work);
      for (const part of ['.claude-plugin', 'plugin']) cpSync(join(REPO, part), join(work, part), { recursive: true });
      const git = (cwd: string, ...args: string[]) => {
        const r = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', '-c', 'init.defaultBranch=main', ...args], { cwd, encoding: 'utf8' });
        expect(r.status, r.stderr).toBe(0);
      };
      git(work, 'init', '-q');
      git(work, 'add', '-A');
      git(work, 'commit', '-q', '-m', 'plugin');
      const bare = join(root, 'nevo-tui.git');
      git(root, 'clone', '-q', '--bare', work, bare);
      const url = 'https://git.example.invalid/nevo-tui.git';
      const gitconfig = join(s.home, '.gitconfig');
      writeFileSync(gitconfig, `[url "${bare}"]\n\tinsteadOf = ${url}\n`);
      const env = { GIT_CONFIG_GLOBAL: gitconfig };

      const add = claudeCli(cc, s, ['plugin', 'marketplace', 'add', url], { env });
      expect(add.code, add.stderr + add.stdout).toBe(0);
      const install = claudeCli(cc, s, ['plugin', 'install', PLUGIN_ID], { env });
      expect(install.code, install.stderr + install.stdout).toBe(0);
      const [plugin] = installed(s);
      expect(plugin).toMatchObject({ enabled: true });
      expect(plugin!.installPath.startsWith(join(s.home, '.claude', 'plugins'))).toBe(true);
      expect(readdirSync(plugin!.installPath).sort()).toEqual(expect.arrayContaining(['.claude-plugin', 'commands', 'hooks', 'scripts', 'skills']));
      for (const built of ['dist', 'node_modules', 'package.json']) expect(existsSync(join(plugin!.installPath, built)), built).toBe(false);

      api.mock.setScript(steps(bash('npm run nonexistent'), bash('echo two'), end()));
      const r = await runSession(cc, s, api.mock, 'Run it.');
      expect(r.code, r.stderr).toBe(0);
      const { InstructionsLoaded: _loads, ...rest } = kinds(waiting(s));
      expect(rest).toEqual({ SessionStart: 1, UserPromptSubmit: 1, PostToolUse: 1, PostToolUseFailure: 1, Stop: 1, SessionEnd: 1 });
    },
    LIMIT,
  );

  it(
    'with the settings hooks installed too, each event is recorded once and a block is said once: the plugin steps aside, and hooks install says so',
    async () => {
      const s = scratchProject();
      initWithoutHooks(s);
      expect(claudeCli(cc, s, ['plugin', 'install', 'nevo-tui', '--marketplace', REPO]).code).toBe(0);
      const hooks = nevo(s, ['hooks', 'install', '--scope', 'project']);
      expect(hooks.stdout).toContain(`The nevo-tui plugin is enabled too (${PLUGIN_ID} in ~/.claude/settings.json)`);
      nevo(s, ['rules', 'edit', 'AGENT-002', '--guard', '{"tool":"Bash","program":"tree"}']);

      api.mock.setScript(steps(bash('echo one'), tool('Read', { file_path: join(s.project, 'package.json') }), bash('npm run nonexistent'), bash('tree'), end()));
      const r = await runSession(cc, s, api.mock, 'Look around.');
      expect(r.code, r.stderr).toBe(0);
      const triggers = waiting(s);
      const ids = calls(s, r.session);
      // The settings hooks' form (capture by turn, the default): PreToolUse only for the guarded call,
      // no hook for a call that works or the prompt, every rule file's load once.
      expect(kinds(triggers)).toEqual({ SessionStart: 1, PreToolUse: 1, PostToolUseFailure: 1, Stop: 1, SessionEnd: 1, InstructionsLoaded: ruleFiles(s).length });
      expect(triggers.filter((t) => t.payload?.hook_event_name.startsWith('PostToolUse')).map((t) => t.payload!.tool_use_id)).toEqual([ids[2]]);
      const blocked = toolResults(r.turns.at(-1)!).at(-1)!;
      expect(blocked.isError).toBe(true);
      expect(blocked.text.split('nevo-tui blocked this call: AGENT-002').length).toBe(2);
      expect(nevoJson(s, ['ingest'])).toMatchObject({ blocked: 1 });
      // Ingest read the calls that worked from the transcript: each call once.
      const events = JSON.parse(readFileSync(join(s.project, '.nevo', 'store', 'events.json'), 'utf8')).records as { id: string; kind: string }[];
      const callIds = events.filter((e) => e.kind === 'PostToolUse' || e.kind === 'PostToolUseFailure').map((e) => e.id);
      expect(callIds.sort()).toEqual(ids.slice(0, 3).map((id) => transcriptEventId(r.session!, id)).sort());
      expect(events.filter((e) => e.kind === 'UserPromptSubmit')).toHaveLength(1);
    },
    LIMIT,
  );
});
