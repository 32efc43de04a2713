import { describe, expect, it } from 'vitest';
import { commandHead, extractFacts } from '../../src/memory/extract.js';
import { factId, normaliseStatement, upsertFacts } from '../../src/memory/facts.js';
import { mergeJournal, parseJournal, sessionFileName, type JournalLine } from '../../src/store/raw-journal.js';
import { buildNarrative } from '../../src/memory/narrative.js';
import { planConsolidation, sectionBullets } from '../../src/memory/consolidate-plan.js';
import { isDay, isoWeek, startOfDay, weekRange } from '../../src/util/day.js';
import type { Narrative } from '../../src/store/schemas.js';

const TTL = { preference: null, lesson: null, config: 180, project: 365, decision: 90, event: 30 };
const line = (id: string, extra: Partial<JournalLine>): JournalLine => ({ id, time: `2026-11-02T10:00:0${id.length % 10}.000Z`, event: 'PostToolUse', ...extra });

describe('journal lines', () => {
  it('adds a line once, keeps time order, and skips a torn line', () => {
    const a = line('a', { time: '2026-11-02T10:00:02.000Z' });
    const b = line('b', { time: '2026-11-02T10:00:01.000Z' });
    const first = mergeJournal('', [a]);
    const second = mergeJournal(`${first.text}{"id":"torn`, [a, b]);
    expect(second.added).toBe(1);
    expect(parseJournal(second.text).map((l) => l.id)).toEqual(['b', 'a']);
  });
  it('turns any session id into a safe file name', () => {
    expect(sessionFileName('../../etc/passwd')).toMatch(/^__\.\._etc_passwd~[0-9a-f]{10}$/);
    expect(sessionFileName('5c0375b4-57a5-4f26-b12d-d022ee4e51b7')).toBe('5c0375b4-57a5-4f26-b12d-d022ee4e51b7');
    // Ids that clean up alike keep apart.
    expect(sessionFileName('a/b')).not.toBe(sessionFileName('a_b'));
    expect(sessionFileName(undefined)).toBe('no-session');
  });
  it('keeps lines it cannot read, and reads no line with a bad time', () => {
    const merged = mergeJournal('this is garbage\n{"id":"h","time":"yesterday","event":"Note"}\n', [line('a', {})]);
    expect(merged.text.split('\n').filter(Boolean)).toEqual([JSON.stringify(line('a', {})), 'this is garbage', '{"id":"h","time":"yesterday","event":"Note"}']);
    expect(parseJournal(merged.text).map((l) => l.id)).toEqual(['a']);
  });
});

describe('buildNarrative', () => {
  const ctx = { session: 's-123456789', cwd: '/p', timeZone: 'UTC', incidents: new Map([['2026-11-02-ab12', { rules: ['PROJ-001', 'PROJ-002'] }]]), rules: new Map([['PROJ-001', { text: 'Run pnpm install before the tests.', status: 'active' }], ['PROJ-002', { text: 'x', status: 'proposed' }]]) };
  const lines: JournalLine[] = [
    { id: '1', time: '2026-11-02T10:00:00.000Z', event: 'UserPromptSubmit', detail: 'Make the build green again.' },
    { id: '2', time: '2026-11-02T10:01:00.000Z', event: 'PostToolUse', tool: 'Edit', target: '/p/src/a.ts', ok: true },
    { id: '3', time: '2026-11-02T10:02:00.000Z', event: 'PostToolUseFailure', tool: 'Bash', target: 'pnpm test', ok: false, detail: 'Exit code 1 Cannot find module vitest', incident: '2026-11-02-ab12' },
    { id: '4', time: '2026-11-02T10:03:00.000Z', event: 'PostToolUseFailure', tool: 'Bash', target: 'pnpm test', ok: false, detail: 'Exit code 1 Cannot find module vitest', incident: '2026-11-02-ab12' },
    { id: '5', time: '2026-11-02T10:04:00.000Z', event: 'PostToolUse', tool: 'Bash', target: 'pnpm test', ok: true },
    { id: '6', time: '2026-11-02T10:05:00.000Z', event: 'PreToolUse', tool: 'Bash', target: 'rm -rf dist', rule: 'PROJ-009' },
  ];
  const n = buildNarrative(lines, ctx);
  it('names the intent, files changed relative to the session folder, commands and how tests ended', () => {
    expect(n.title).toBe('Make the build green again.');
    expect(n.markdown).toContain('- Changed (1): src/a.ts');
    expect(n.markdown).toContain('`pnpm test` ✓1 ✗2');
    expect(n.markdown).toContain('- Tests: `pnpm test` passed in the end');
  });
  it('names each failure once with its count and incident, and the lessons', () => {
    expect(n.markdown).toContain('- Bash `pnpm test` ×2: tool output `Exit code 1 Cannot find module vitest` (2026-11-02-ab12)');
    expect(n.markdown).toContain('- 2026-11-02-ab12 → PROJ-001: Run pnpm install before the tests.');
    expect(n.markdown).toContain('- 2026-11-02-ab12 → PROJ-002 (proposed)');
    expect(n.markdown).toContain('- PROJ-009 blocked Bash `rm -rf dist`');
    expect(n).toMatchObject({ calls: 4, failures: 2, files: ['src/a.ts'] });
  });
});

describe('fact extraction and dedup', () => {
  it('keeps the stable head of a command', () => {
    expect(commandHead('cd app && pnpm test -- src/a.test.ts', /test/)).toBe('pnpm test');
    expect(commandHead('npx vitest run test/x.ts', /vitest/)).toBe('npx vitest run');
    expect(commandHead('ls -la', /test/)).toBeNull();
  });
  it("takes the user's standing instructions but not questions, slash commands or a subagent's task", () => {
    const lines: JournalLine[] = [
      { id: '1', time: '2026-11-02T10:00:00.000Z', event: 'UserPromptSubmit', detail: 'Fix it. Always run the linter before committing. Should we never use any?', line: 7 },
      { id: '2', time: '2026-11-02T10:00:01.000Z', event: 'UserPromptSubmit', detail: '/review always' },
      { id: '3', time: '2026-11-02T10:00:02.000Z', event: 'UserPromptSubmit', agent: 'a1', detail: 'Never touch the tests.' },
      { id: '4', time: '2026-11-02T10:00:03.000Z', event: 'PostToolUse', tool: 'Bash', target: 'pnpm run build', ok: true },
      { id: '5', time: '2026-11-02T10:00:04.000Z', event: 'PostToolUseFailure', tool: 'Bash', target: 'yarn test', ok: false },
    ];
    const facts = extractFacts(lines, { session: 's', incidents: new Map(), rules: new Map() });
    expect(facts.map((f) => `${f.category}: ${f.statement}`)).toEqual(['preference: Always run the linter before committing.', 'project: The project uses pnpm.', 'config: It builds with `pnpm run build`.']);
    expect(facts[0]!.source).toEqual({ session: 's', by: 'prompt', line: 7 });
  });
  it('takes no complaint, pasted error or stray word for an instruction or a command', () => {
    const at = (id: string, extra: Partial<JournalLine>): JournalLine => ({ id, time: '2026-11-02T10:00:00.000Z', event: 'PostToolUse', ...extra });
    const lines: JournalLine[] = [
      at('1', { event: 'UserPromptSubmit', detail: 'It never works when I run it, fix it. Error: connection should never be closed twice' }),
      at('2', { event: 'UserPromptSubmit', detail: 'Use vitest instead of jest. From now on, write tests first.' }),
      at('3', { tool: 'Bash', target: 'ls test', ok: true }),
      at('4', { tool: 'Bash', target: 'cd build', ok: true }),
      at('5', { tool: 'Bash', target: 'cd app && pnpm install', ok: true }),
    ];
    const facts = extractFacts(lines, { session: 's', incidents: new Map(), rules: new Map() });
    expect(facts.map((f) => `${f.category}: ${f.statement}`)).toEqual(['preference: Use vitest instead of jest.', 'preference: From now on, write tests first.', 'project: The project uses pnpm.']);
  });
  it('refreshes a fact seen again in another session instead of copying it', () => {
    const doc = { version: 1 as const, records: [] };
    const c = (session: string, time: string, statement = 'Use pnpm.') => ({ statement, category: 'config' as const, confidence: 0.7, time, source: { session, by: 'prompt' } });
    expect(upsertFacts(doc.records, [c('s1', '2026-01-01T00:00:00.000Z')], TTL).added).toHaveLength(1);
    expect(upsertFacts(doc.records, [c('s1', '2026-01-02T00:00:00.000Z')], TTL)).toEqual({ added: [], refreshed: [], moved: [] });
    expect(upsertFacts(doc.records, [c('s2', '2026-03-01T00:00:00.000Z', '  use PNPM  ')], TTL).refreshed).toEqual([factId('Use pnpm.')]);
    expect(doc.records).toHaveLength(1);
    expect(doc.records[0]).toMatchObject({ seen: 2, confidence: 0.75, lastConfirmed: '2026-03-01T00:00:00.000Z', expires: '2026-08-28T00:00:00.000Z' });
    expect(normaliseStatement('Use “pnpm”!')).toBe('use "pnpm"');
  });
});

describe('consolidation plan', () => {
  const narrative = (id: string, day: string): { record: Narrative; markdown: string } => ({
    record: { id, file: `journal/narratives/${day}/${id}.md`, title: `work ${id}`, summary: '', start: `${day}T10:00:00.000Z`, end: `${day}T11:00:00.000Z`, calls: 3, failures: 1, files: ['a.ts'], bytesIn: 1, bytesOut: 1, by: 'builtin', builtAt: `${day}T11:00:00.000Z`, pinned: false, hidden: false },
    markdown: '## Failures\n- Bash `x` ×2: boom (2026-01-01-abcd)\n\n## Lessons\n- a lesson\n',
  });
  it('folds only narratives older than the threshold, by ISO week, and is stable when run again', () => {
    const input = { now: new Date('2026-11-20T12:00:00Z'), timeZone: 'UTC', weeklyAfterDays: 7, monthlyAfterDays: 30, narratives: [narrative('old', '2026-11-09'), narrative('new', '2026-11-18')], digests: [], facts: [] };
    const plan = planConsolidation(input);
    expect(plan.foldedNarratives.map((n) => n.id)).toEqual(['old']);
    expect(plan.digests.map((d) => d.id)).toEqual(['weekly:2026-W46']);
    expect(plan.digests[0]).toMatchObject({ sessions: ['old'], calls: 3, failures: 1, failed: { 'Bash `x`: boom': 2 }, lessons: ['a lesson'] });
    const again = planConsolidation({ ...input, narratives: [narrative('new', '2026-11-18')], digests: plan.digests });
    expect(again.digests).toEqual([]);
  });
  it('reads the bullets of one section', () => {
    expect(sectionBullets('## A\n- 1\n## B\n- 2\n- 3\n', 'B')).toEqual(['2', '3']);
  });
  it('numbers ISO weeks across year ends', () => {
    expect(isoWeek('2026-01-01')).toBe('2026-W01');
    expect(isoWeek('2027-01-01')).toBe('2026-W53');
    expect(isoWeek('2024-12-30')).toBe('2025-W01');
    expect(weekRange('2026-W47')).toEqual({ from: '2026-11-16', to: '2026-11-22' });
  });
  it('starts a day in the workspace zone, and knows a real day', () => {
    expect(startOfDay('2026-11-02', 'America/Los_Angeles')).toBe('2026-11-02T08:00:00.000Z');
    expect(startOfDay('2026-07-02', 'Europe/Paris')).toBe('2026-07-01T22:00:00.000Z');
    expect(startOfDay('2026-11-02', 'UTC')).toBe('2026-11-02T00:00:00.000Z');
    expect(isDay('2026-02-28')).toBe(true);
    expect(isDay('2026-02-30')).toBe(false);
  });
});
