// The hook entries `hooks install` writes, through the real Claude Code CLI (issue 16, items 7 and
// 8): capture in the background loses no event, even at the end of a headless session; PreToolUse
// starts only for the calls a guard could block; the project's command works without nevo-tui on
// the PATH Claude Code runs with.
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { transcriptEventId } from '../../src/detect/call-id.js';
import type { Rule } from '../../src/rules/rule.js';
import { bash, end, steps, tool, toolResults } from '../helpers/mock-messages.js';
import { CLI } from '../helpers/scripts.js';
import { CLAUDE_CODE_VERSION, claudeCode, initProject, linkNevo, nevo, nevoJson, runSession, scratchProject, skipNote, storeDoc, transcriptCalls, triggerKinds, waitingTriggers, type Scratch, useMockMessages } from '../helpers/real-client.js';

const cc = claudeCode();
const LIMIT = 300_000;

const waiting = waitingTriggers;
const kinds = triggerKinds;
const calls = transcriptCalls;

function settings(s: Scratch): Record<string, { hooks: { command: string; async?: boolean; if?: string }[] }[]> {
  return JSON.parse(readFileSync(join(s.project, '.claude', 'settings.json'), 'utf8')).hooks;
}

describe.skipIf(!cc.ok)(`the real Claude Code ${CLAUDE_CODE_VERSION}: hook entries${skipNote(cc)}`, () => {
  const api = useMockMessages();
  const script = (s: Scratch) => steps(bash('echo one'), tool('Read', { file_path: join(s.project, 'package.json') }), bash('npm run nonexistent'), bash('echo two'), end());

  it(
    'by call (config hooks.capture "call"): capture in the background loses no event at the end of a headless -p session: every call of the transcript, the prompt, Stop and SessionEnd are in triggers/ when claude exits',
    async () => {
      const s = scratchProject();
      initProject(s, { capture: 'call' });
      const hooks = settings(s);
      expect(hooks.PostToolUse![0]!.hooks[0]!.async).toBe(true);
      expect(hooks.Stop![0]!.hooks[0]!.async).toBeUndefined();
      api.mock.setScript(script(s));
      const r = await runSession(cc, s, api.mock, 'Look around.');
      expect(r.code, r.stderr).toBe(0);
      // Read at once: nothing may still be on its way.
      const triggers = waiting(s);
      // One InstructionsLoaded per exported rule file Claude Code put in context at the start.
      const loaded = readdirSync(join(s.project, '.claude', 'rules', 'nevo')).filter((f) => f.endsWith('.md')).length;
      expect(loaded).toBeGreaterThan(0);
      expect(kinds(triggers)).toEqual({ SessionStart: 1, UserPromptSubmit: 1, PostToolUse: 3, PostToolUseFailure: 1, Stop: 1, SessionEnd: 1, InstructionsLoaded: loaded });
      const captured = triggers.filter((t) => t.payload?.hook_event_name.startsWith('PostToolUse')).map((t) => t.payload!.tool_use_id).sort();
      expect(captured).toEqual(calls(s, r.session).sort());
      expect(nevoJson(s, ['ingest'])).toMatchObject({ events: 8 + loaded, opened: [expect.any(String)] });
      // Each exported rule now says when Claude Code loaded it (rules show --json: lastLoaded).
      const shown = nevoJson(s, ['rules', 'show', 'AGENT-001']);
      expect(shown.lastLoaded).toEqual(expect.any(String));
      expect(shown.loaded).toMatchObject({ count: 1, reasons: { session_start: 1 } });
    },
    LIMIT,
  );

  it(
    'by turn (the default): a call that works starts no hook; ingest reads the calls from the transcript, each once, the failure sent live counted once, also at the end of the session',
    async () => {
      const s = scratchProject();
      initProject(s);
      // init writes every default into config.json.
      expect(JSON.parse(readFileSync(join(s.project, '.nevo', 'config.json'), 'utf8')).hooks).toMatchObject({ capture: 'turn' });
      expect(nevoJson(s, ['hooks', 'status', '--scope', 'project'])).toMatchObject({ capture: 'turn' });
      const hooks = settings(s);
      expect(hooks.PostToolUse ?? []).toEqual([]);
      expect(hooks.UserPromptSubmit ?? []).toEqual([]);
      expect(hooks.PostToolUseFailure![0]!.hooks[0]!.async).toBe(true);
      api.mock.setScript(script(s));
      const r = await runSession(cc, s, api.mock, 'Look around, by turns.');
      expect(r.code, r.stderr).toBe(0);
      const waitingKinds = kinds(waiting(s));
      expect(waitingKinds).toMatchObject({ PostToolUseFailure: 1, Stop: 1, SessionEnd: 1 });
      expect(waitingKinds.PostToolUse).toBeUndefined();
      nevoJson(s, ['ingest']);
      const events = storeDoc<{ records: { id: string; kind: string; ok?: boolean; session?: string }[] }>(s, 'events').records;
      const callEvents = events.filter((e) => e.kind === 'PostToolUse' || e.kind === 'PostToolUseFailure');
      // Every call of the transcript once, under its call's id whoever reported it.
      expect(callEvents.map((e) => e.id).sort()).toEqual(calls(s, r.session).map((id) => transcriptEventId(r.session!, id)).sort());
      expect(callEvents.filter((e) => e.ok === false)).toHaveLength(1);
      expect(events.filter((e) => e.kind === 'UserPromptSubmit')).toHaveLength(1);
      expect(storeDoc<{ records: { count: number }[] }>(s, 'incidents').records.map((i) => i.count)).toEqual([1]);
      // Ingest again: nothing new.
      expect(nevoJson(s, ['ingest'])).toMatchObject({ events: 0 });
    },
    LIMIT,
  );

  it(
    'by turn: ingest during the session reads the calls so far from the open session\'s transcript; a session killed before its Stop and SessionEnd loses none',
    async () => {
      const s = scratchProject();
      initProject(s);
      const cli = `"${process.execPath}" "${CLI}"`;
      // In the session, once the hooks named its transcript: ingest, then list the events.
      const midway = `for i in $(seq 40); do ${cli} ingest >/dev/null; ${cli} events --json | grep -q 'echo one-mid' && break; sleep 0.25; done; ${cli} events --json`;
      api.mock.setScript(steps(bash('echo one-mid'), bash(midway), bash('npm run nonexistent'), bash('echo two'), end()));
      const r = await runSession(cc, s, api.mock, 'Look around while ingest runs.');
      expect(r.code, r.stderr).toBe(0);
      // What ingest had recorded in the middle of the session, before any Stop: the first call, from the transcript.
      const mid = toolResults(r.turns.at(-1)!).find((t) => t.text.includes('"events"'))!;
      expect(mid.text).toContain('echo one-mid');
      // As if the session had been killed before its Stop and SessionEnd: their triggers never came.
      const inbox = join(s.project, '.nevo', 'triggers');
      for (const f of readdirSync(inbox).filter((n) => n.endsWith('.json'))) {
        const event = JSON.parse(readFileSync(join(inbox, f), 'utf8')).payload?.hook_event_name;
        if (event === 'Stop' || event === 'SessionEnd') rmSync(join(inbox, f));
      }
      nevoJson(s, ['ingest']);
      const events = storeDoc<{ records: { id: string; kind: string; ok?: boolean }[] }>(s, 'events').records;
      const callEvents = events.filter((e) => e.kind === 'PostToolUse' || e.kind === 'PostToolUseFailure');
      expect(callEvents.map((e) => e.id).sort()).toEqual(calls(s, r.session).map((id) => transcriptEventId(r.session!, id)).sort());
      expect(callEvents).toHaveLength(4);
      expect(storeDoc<{ records: { count: number }[] }>(s, 'incidents').records.map((i) => i.count)).toEqual([1]);
      expect(storeDoc<{ records: { id: string; ended: boolean; transcript?: string }[] }>(s, 'sessions').records.find((x) => x.id === r.session)).toMatchObject({ ended: false, transcript: expect.stringMatching(/\.jsonl$/) });
      expect(nevoJson(s, ['ingest'])).toMatchObject({ events: 0 });
    },
    LIMIT,
  );

  it(
    'loses none when the capture hooks take longer than the Stop hook: it waits for them, which Claude Code would otherwise cancel',
    async () => {
      const s = scratchProject();
      nevo(s, ['init']);
      // By call: a background hook for every call, which Stop must wait for.
      const configFile = join(s.project, '.nevo', 'config.json');
      writeFileSync(configFile, `${JSON.stringify({ ...JSON.parse(readFileSync(configFile, 'utf8')), hooks: { capture: 'call' } }, null, 2)}\n`);
      // Every hook but Stop's takes a second more.
      const slow = `p=$(cat); case "$p" in *'"hook_event_name":"Stop"'*) ;; *) sleep 1;; esac; printf %s "$p" | "${process.execPath}" "${CLI}" hook`;
      nevo(s, ['hooks', 'install', '--scope', 'project', '--command', slow]);
      api.mock.setScript(script(s));
      const r = await runSession(cc, s, api.mock, 'Look around, slowly.');
      expect(r.code, r.stderr).toBe(0);
      const triggers = waiting(s);
      const loaded = readdirSync(join(s.project, '.claude', 'rules', 'nevo')).filter((f) => f.endsWith('.md')).length;
      expect(kinds(triggers)).toEqual({ SessionStart: 1, UserPromptSubmit: 1, PostToolUse: 3, PostToolUseFailure: 1, Stop: 1, SessionEnd: 1, InstructionsLoaded: loaded });
      expect(triggers.filter((t) => t.payload?.hook_event_name.startsWith('PostToolUse')).map((t) => t.payload!.tool_use_id).sort()).toEqual(calls(s, r.session).sort());
    },
    LIMIT,
  );

  it(
    'starts PreToolUse only for the calls a guard could block, once per call, and follows the guards when a rule changes',
    async () => {
      const s = scratchProject();
      initProject(s);
      expect(settings(s).PreToolUse).toBeUndefined();
      api.mock.setScript(steps(bash('pnmp install'), end()));
      await runSession(cc, s, api.mock, 'Install the dependencies.');
      nevo(s, ['ingest']);
      const rule = nevoJson<{ rules: Rule[] }>(s, ['rules', 'list', '--status', 'proposed']).rules[0]!;
      expect(rule.guard).toMatchObject({ tool: 'Bash', program: 'pnmp' });
      nevo(s, ['rules', 'approve', rule.id]);
      // A second guard, on another program.
      nevo(s, ['rules', 'edit', 'AGENT-001', '--guard', '{"tool":"Bash","program":"tree"}']);
      expect(settings(s).PreToolUse![0]!.hooks.map((h) => h.if)).toEqual(['Bash(*pnmp*)', 'Bash(*tree*)']);

      // `pnmp i && tree` starts both handlers.
      api.mock.setScript(steps(bash('echo hello'), bash('pnmp i && tree'), tool('Read', { file_path: join(s.project, 'package.json') }), end()));
      const r = await runSession(cc, s, api.mock, 'Again.');
      expect(r.code, r.stderr).toBe(0);
      const pre = waiting(s).filter((t) => t.payload?.hook_event_name === 'PreToolUse');
      expect(pre.map((t) => t.payload!.tool_input!.command)).toEqual(['pnmp i && tree']);
      const by = pre[0]!.blocked!.rule;
      expect([rule.id, 'AGENT-001']).toContain(by);
      expect(toolResults(r.turns.at(-2)!).at(-1)!.text).toContain(`nevo-tui blocked this call: ${by}`);
      expect(nevoJson(s, ['ingest']).blocked).toBe(1);
      expect(storeDoc(s, 'blocks').records).toMatchObject([{ id: by, count: 1 }]);

      // No active guard left: no PreToolUse hook at all.
      nevo(s, ['rules', 'deprecate', rule.id]);
      nevo(s, ['rules', 'edit', 'AGENT-001', '--guard', 'none']);
      expect(settings(s).PreToolUse).toBeUndefined();
    },
    LIMIT,
  );

  it(
    'records through the project command when Claude Code runs without the PATH install had nevo-tui on (the bare `nevo-tui hook` recorded nothing)',
    async () => {
      const s = scratchProject();
      nevo(s, ['init']);
      linkNevo(s);
      const bin = mkdtempSync(join(s.tmp, 'nevo-bin-'));
      symlinkSync(CLI, join(bin, 'nevo-tui'));
      nevo(s, ['hooks', 'install', '--scope', 'project'], { env: { PATH: [bin, dirname((cc as { bin: string }).bin), process.env.PATH].join(delimiter) } });
      expect(readFileSync(join(s.project, '.claude', 'settings.json'), 'utf8')).not.toContain(bin);
      const status = nevoJson(s, ['hooks', 'status', '--scope', 'project']);
      expect(status).toMatchObject({ failing: 0, claudeVersion: CLAUDE_CODE_VERSION });
      api.mock.setScript(steps(bash('npm run nonexistent'), end()));
      const r = await runSession(cc, s, api.mock, 'Run it.');
      expect(r.code, r.stderr).toBe(0);
      expect(kinds(waiting(s))).toMatchObject({ PostToolUseFailure: 1, Stop: 1 });
    },
    LIMIT,
  );
});
