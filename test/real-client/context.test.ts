// What reaches the model at the start of a session, through the real Claude Code CLI: the rules
// exported at init (issue 16, item 2).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadRules } from '../../src/rules/load.js';
import { end, firstUserText, startMockMessages, steps, type MockMessages } from '../helpers/mock-messages.js';
import { CLAUDE_CODE_VERSION, claudeCode, cleanScratch, initProject, runSession, scratchProject, skipNote } from '../helpers/real-client.js';

const cc = claudeCode();
const LIMIT = 300_000;

describe.skipIf(!cc.ok)(`the real Claude Code ${CLAUDE_CODE_VERSION}: session context${skipNote(cc)}`, () => {
  let mock: MockMessages;
  beforeAll(async () => {
    mock = await startMockMessages(steps(end()));
  });
  afterAll(() => mock?.close());
  afterEach(cleanScratch);

  it(
    "hands the starter rules to the first session after init, before any approval or `rules export` (issue 16, item 2)",
    async () => {
      const s = scratchProject();
      initProject(s);
      const starters = loadRules(join(s.project, '.nevo')).rules.filter((r) => r.status === 'active');
      expect(starters.map((r) => r.id)).toEqual(['AGENT-001', 'AGENT-002', 'AGENT-003']);
      const r = await runSession(cc, s, mock, 'Hello.');
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
});
