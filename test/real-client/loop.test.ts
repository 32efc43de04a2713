// The loop through the real Claude Code CLI (pinned; see test/helpers/real-client.ts): its hooks
// fire nevo-tui, failures become incidents and rules, approved rules and deployed skills reach the
// model's next requests, guards block, and import reads the transcripts it writes. The mock's request
// bodies are the evidence of what reached the model.
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Incident } from '../../src/store/schemas.js';
import type { Rule } from '../../src/rules/rule.js';
import { bash, end, firstUserText, requestText, steps, tool, toolResults } from '../helpers/mock-messages.js';
import { CLAUDE_CODE_VERSION, claudeCode, initProject, nevo, nevoJson, runSession, scratchProject, sessionEnv, skipNote, storeDoc, storeDocAt, transcripts, useMockMessages } from '../helpers/real-client.js';
import { closeAfterTest } from '../helpers/cleanup.js';
import { CLI, REPO } from '../helpers/scripts.js';

const cc = claudeCode();
/** Generous: only a hung client should ever reach it (each session takes seconds). */
const LIMIT = 300_000;

describe.skipIf(!cc.ok)(`the real Claude Code ${CLAUDE_CODE_VERSION}${skipNote(cc)}`, () => {
  const api = useMockMessages();

  it(
    "records a failing call through its hooks, opens an incident, and the approved rule is in the next session's context; npm's missing script is no missing tool (issue 16, item 1)",
    async () => {
      const s = scratchProject();
      initProject(s);
      api.mock.setScript(steps(bash('npm run nonexistent'), end()));
      const first = await runSession(cc, s, api.mock, 'Run the nonexistent script.');
      expect(first.code, first.stderr).toBe(0);
      // npm 10 and later: `npm error Missing script: "nonexistent"`.
      const failed = toolResults(first.turns.at(-1)!).at(-1)!;
      expect(failed.isError).toBe(true);
      expect(failed.text).toMatch(/Missing script: "nonexistent"/);

      const ingest = nevoJson(s, ['ingest']);
      expect(ingest.opened).toHaveLength(1);
      const incident = nevoJson<{ incidents: Incident[] }>(s, ['incidents']).incidents[0]!;
      expect(incident.category).toBe('missing script');
      expect(incident.sessions).toEqual([first.session]);
      const proposal = nevoJson<{ rules: Rule[] }>(s, ['rules', 'list', '--status', 'proposed']).rules;
      expect(proposal).toHaveLength(1);
      const rule = proposal[0]!;
      // Not "Do not rely on `npm run`: it is not installed", and no guard over every `npm run`.
      expect(`${rule.title} ${rule.body}`).not.toMatch(/not installed/i);
      expect(rule.guard).toBeUndefined();
      expect(rule.body).toMatch(/`build`/);

      nevo(s, ['rules', 'approve', rule.id]);
      api.mock.setScript(steps(bash('npm run build'), end()));
      const second = await runSession(cc, s, api.mock, 'Build it.');
      expect(second.code, second.stderr).toBe(0);
      const context = firstUserText(second.turns[0]!);
      expect(context).toContain(`Contents of ${join(s.project, '.claude', 'rules', 'nevo', `${rule.id}.md`)}`);
      expect(context).toContain(rule.body);
      const build = toolResults(second.turns.at(-1)!).at(-1)!;
      expect(build.isError, build.text).toBe(false);
      expect(build.text).toContain('built');

      nevo(s, ['ingest']);
      const after = storeDoc<{ records: Incident[] }>(s, 'incidents').records;
      expect(after.map((i) => [i.id, i.status, i.count])).toEqual([[incident.id, 'ruled', 1]]);
      expect(storeDoc(s, 'blocks').records).toEqual([]);
    },
    LIMIT,
  );

  it(
    "blocks a repeated command with the approved rule's guard: the model reads the rule in the tool result, the block is tallied",
    async () => {
      const s = scratchProject();
      initProject(s);
      api.mock.setScript(steps(bash('pnmp install'), end()));
      await runSession(cc, s, api.mock, 'Install the dependencies.');
      nevo(s, ['ingest']);
      const rule = nevoJson<{ rules: Rule[] }>(s, ['rules', 'list', '--status', 'proposed']).rules[0]!;
      expect(rule.guard).toMatchObject({ tool: 'Bash', program: 'pnmp' });
      nevo(s, ['rules', 'approve', rule.id]);

      api.mock.setScript(steps(bash('pnmp install'), end()));
      const again = await runSession(cc, s, api.mock, 'Install the dependencies again.');
      expect(again.code, again.stderr).toBe(0);
      const blocked = toolResults(again.turns.at(-1)!).at(-1)!;
      expect(blocked.isError).toBe(true);
      expect(blocked.text).toMatch(/^PreToolUse:Bash hook error: /);
      expect(blocked.text).toContain(`nevo-tui blocked this call: ${rule.id} ${rule.title}`);
      expect(blocked.text).toContain(rule.body);

      const ingest = nevoJson(s, ['ingest']);
      expect(ingest.blocked).toBe(1);
      expect(storeDoc(s, 'blocks').records).toMatchObject([{ id: rule.id, count: 1 }]);
      // The call never ran, so it is no new failure of the incident the rule came from.
      expect(storeDoc<{ records: Incident[] }>(s, 'incidents').records.map((i) => [i.status, i.count])).toEqual([['ruled', 1]]);
    },
    LIMIT,
  );

  it(
    'lists the deployed memory skill to the model and loads it when called',
    async () => {
      const s = scratchProject();
      initProject(s);
      nevo(s, ['skills', 'approve', 'nevo-memory']);
      const skill = readFileSync(join(s.project, '.claude', 'skills', 'nevo-memory', 'SKILL.md'), 'utf8');
      const description = /^description: (.+)$/m.exec(skill)![1]!;
      api.mock.setScript(steps(tool('Skill', { skill: 'nevo-memory' }), end()));
      const r = await runSession(cc, s, api.mock, 'What did we learn before?');
      expect(r.code, r.stderr).toBe(0);
      expect(firstUserText(r.turns[0]!)).toContain(`- nevo-memory: ${description}`);
      const last = r.turns.at(-1)!;
      expect(toolResults(last).at(-1)).toMatchObject({ isError: false, text: expect.stringContaining('nevo-memory') });
      expect(requestText(last)).toContain('# Recalling project memory with nevo-tui');
    },
    LIMIT,
  );

  it(
    "answers the model's memory search from the open daemon: the agent's command reaches the process that serves the workspace",
    async () => {
      const s = scratchProject();
      initProject(s);
      nevo(s, ['memory', 'add', '--category', 'preference', 'The project uses pnpm, not npm']);
      // The executable and what asks the open process, without a search of its own: an answer shows it was served.
      const client = join(s.tmp, 'client-only');
      mkdirSync(client, { recursive: true });
      for (const f of ['bin.cjs', 'client.cjs', 'build-id']) copyFileSync(join(REPO, 'dist', f), join(client, f));
      const daemon = spawn(process.execPath, [CLI, 'daemon'], { cwd: s.project, env: sessionEnv(s, null) });
      closeAfterTest(() => void daemon.kill('SIGTERM'));
      let log = '';
      daemon.stdout.on('data', (d) => (log += d));
      const exited = new Promise((r) => daemon.on('exit', r));
      for (const end = Date.now() + 60_000; !log.includes('answering memory search'); ) {
        if (Date.now() > end || daemon.exitCode !== null) throw new Error(`the daemon did not serve:\n${log}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      // The wait is the test's: a busy machine must not send the copy to a search it does not have.
      api.mock.setScript(steps(bash(`NEVO_SERVE_WAIT_MS=60000 node ${client}/bin.cjs memory search pnpm --json`), end()));
      const r = await runSession(cc, s, api.mock, 'Which package manager does this project use?');
      expect(r.code, r.stderr).toBe(0);
      const result = toolResults(r.turns.at(-1)!).at(-1)!;
      expect(result.isError, result.text).toBe(false);
      expect(result.text).toContain('The project uses pnpm, not npm');
      daemon.kill('SIGTERM');
      await exited;
    },
    LIMIT,
  );

  it(
    'imports the transcript Claude Code wrote as the same calls, failures and incidents the hooks recorded live',
    async () => {
      const s = scratchProject();
      initProject(s);
      api.mock.setScript(steps(bash('npm run nonexistent'), bash('echo hello'), tool('Read', { file_path: join(s.project, 'package.json') }), bash('pnmp install'), end()));
      const r = await runSession(cc, s, api.mock, 'Look around.');
      expect(r.code, r.stderr).toBe(0);
      nevo(s, ['ingest']);
      const file = transcripts(s).find((f) => f.endsWith(`${r.session}.jsonl`))!;
      expect(file).toBeDefined();

      // Into a second workspace of the same project, which has not seen the session live.
      const other = join(s.project, '..', 'imported');
      nevo(s, ['--workspace', other, 'init']);
      const imported = nevoJson(s, ['--workspace', other, 'import', file]);
      expect(imported.files).toMatchObject([{ session: r.session, calls: 4, failures: 2, status: 'imported' }]);

      type Ev = { kind: string; tool?: string; target?: string; ok?: boolean; fate: { kind: string }; category?: string; fingerprint?: string };
      const calls = (events: Ev[]) => events.filter((e) => e.ok !== undefined).map((e) => ({ tool: e.tool, target: e.target, ok: e.ok, fate: e.fate.kind, category: e.category, fingerprint: e.fingerprint }));
      const live = calls(storeDoc<{ records: Ev[] }>(s, 'events').records);
      const fromTranscript = calls(storeDocAt(other, 'events').records as Ev[]);
      expect(live).toHaveLength(4);
      // Capture runs in the background: two calls' hooks may end in either order.
      const byTarget = (events: ReturnType<typeof calls>) => [...events].sort((a, b) => String(a.target).localeCompare(String(b.target)));
      expect(byTarget(fromTranscript)).toEqual(byTarget(live));
      const incidents = (docs: { records: Incident[] }) => docs.records.map((i) => [i.fingerprint, i.category, i.count]).sort();
      expect(incidents(storeDocAt(other, 'incidents') as unknown as { records: Incident[] })).toEqual(incidents(storeDoc(s, 'incidents')));

      // Back in the workspace that recorded it, the session is not counted twice: ingest read its
      // transcript (the capture by turn), so it is unchanged since.
      expect(nevoJson(s, ['import', file]).files).toMatchObject([{ status: 'unchanged', events: 0 }]);
    },
    LIMIT,
  );
});
