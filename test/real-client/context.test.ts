// What reaches the model at the start of a session, through the real Claude Code CLI: the rules
// exported at init and the SessionStart context (issue 16, items 2 and 3).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRules } from '../../src/rules/load.js';
import { end, firstUserText, requestText, steps, tool } from '../helpers/mock-messages.js';
import { CLAUDE_CODE_VERSION, claudeCode, initProject, nevo, runSession, scratchProject, skipNote, type Scratch, useMockMessages } from '../helpers/real-client.js';

const cc = claudeCode();
const LIMIT = 300_000;

/** The heading nevo's SessionStart context starts with. */
const HEADING = 'Rules this project learned from past mistakes (nevo-tui):';

/** Changes the workspace's config.json by hand, as a person would: no nevo command runs. */
function setConfig(s: Scratch, change: (config: { rules: Record<string, unknown> }) => void): void {
  const file = join(s.project, '.nevo', 'config.json');
  const config = JSON.parse(readFileSync(file, 'utf8'));
  change(config);
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
}

function count(text: string, part: string): number {
  return text.split(part).length - 1;
}

describe.skipIf(!cc.ok)(`the real Claude Code ${CLAUDE_CODE_VERSION}: session context${skipNote(cc)}`, () => {
  const api = useMockMessages(steps(end()));

  it(
    "hands the starter rules to the first session after init, before any approval or `rules export` (issue 16, item 2)",
    async () => {
      const s = scratchProject();
      initProject(s);
      const starters = loadRules(join(s.project, '.nevo')).rules.filter((r) => r.status === 'active');
      expect(starters.map((r) => r.id)).toEqual(['AGENT-001', 'AGENT-002', 'AGENT-003']);
      const r = await runSession(cc, s, api.mock, 'Hello.');
      expect(r.code, r.stderr).toBe(0);
      const context = firstUserText(r.turns[0]!);
      for (const rule of starters) {
        expect(context).toContain(`Contents of ${join(s.project, '.claude', 'rules', 'nevo', `${rule.id}.md`)}`);
        expect(context).toContain(rule.body);
      }
      // The guards were compiled too (none of the starters has one).
      expect(JSON.parse(readFileSync(join(s.project, '.nevo', 'guards.json'), 'utf8')).guards).toEqual([]);
    },
    LIMIT,
  );

  it(
    'rules.sessionStartContext: never repeats a rule .claude/rules/nevo/ loads nor a path-scoped rule, which still attaches when a matching file is read (issue 16, item 3)',
    async () => {
      const s = scratchProject();
      initProject(s);
      mkdirSync(join(s.project, 'src'));
      writeFileSync(join(s.project, 'src', 'app.ts'), 'export const app = 1;\n');
      nevo(s, ['rules', 'edit', 'AGENT-001', '--paths', 'src/**/*.ts']);
      setConfig(s, (c) => (c.rules.sessionStartContext = true));
      nevo(s, ['rules', 'export']);
      const rules = loadRules(join(s.project, '.nevo')).rules;
      const body = (id: string) => rules.find((r) => r.id === id)!.body;

      api.mock.setScript(steps(tool('Read', { file_path: join(s.project, 'src', 'app.ts') }), end()));
      const r = await runSession(cc, s, api.mock, 'Look at the app.');
      expect(r.code, r.stderr).toBe(0);
      const start = requestText(r.turns[0]!);
      expect(start).not.toContain(HEADING);
      for (const id of ['AGENT-002', 'AGENT-003']) expect(count(start, body(id)), id).toBe(1);
      expect(start).not.toContain(body('AGENT-001'));
      // The path-scoped rule comes with the file it is about.
      expect(count(requestText(r.turns.at(-1)!), body('AGENT-001'))).toBe(1);
    },
    LIMIT,
  );

  it(
    'rules.sessionStartContext hands over the rules no file under .claude/rules/ gives the agent, from the next session after it is turned on, and stops when it is turned off, with no export in between (issue 16, item 3)',
    async () => {
      const s = scratchProject();
      // A project that keeps nevo's rule files out of .claude/rules/ (config written before init).
      mkdirSync(join(s.project, '.nevo'));
      writeFileSync(join(s.project, '.nevo', 'config.json'), `${JSON.stringify({ projectRoot: '..', rules: { exportDir: 'docs/agent-rules' } })}\n`);
      initProject(s);
      const rules = loadRules(join(s.project, '.nevo')).rules.filter((r) => r.status === 'active');
      expect(rules).toHaveLength(3);
      api.mock.setScript(steps(end()));

      const off = await runSession(cc, s, api.mock, 'Hello.');
      expect(off.code, off.stderr).toBe(0);
      const none = requestText(off.turns[0]!);
      expect(none).not.toContain(HEADING);
      for (const rule of rules) expect(none).not.toContain(rule.body);

      setConfig(s, (c) => (c.rules.sessionStartContext = true));
      const on = await runSession(cc, s, api.mock, 'Hello again.');
      expect(on.code, on.stderr).toBe(0);
      const context = requestText(on.turns[0]!);
      expect(context).toContain(`SessionStart hook additional context: ${HEADING}`);
      for (const rule of rules) expect(count(context, rule.body), rule.id).toBe(1);

      setConfig(s, (c) => (c.rules.sessionStartContext = false));
      const offAgain = await runSession(cc, s, api.mock, 'Hello once more.');
      expect(offAgain.code, offAgain.stderr).toBe(0);
      expect(requestText(offAgain.turns[0]!)).not.toContain(HEADING);
    },
    LIMIT,
  );
});
