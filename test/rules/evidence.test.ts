import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evidenceFor, proposalEvidence, type EvidenceContext } from '../../src/rules/evidence.js';
import { comparableText, compareIds, contentWords, WordNeighbours } from '../../src/rules/novelty.js';
import type { Rule, RuleStatus } from '../../src/rules/rule.js';
import type { Incident } from '../../src/store/schemas.js';

function rule(id: string, status: RuleStatus, fields: Partial<Rule> = {}): Rule {
  return { id, title: `Rule ${id}`, scope: 'project', status, trigger: 't', enforcement: 'e', verification: 'v', incidents: [], novelty: '', created: '2026-11-21', updated: '2026-11-21', hits: 0, body: 'Body.', file: `rules/${id}.md`, ...fields };
}

function incident(id: string, fingerprint: string, fields: Partial<Incident> = {}): Incident {
  return { id, fingerprint, signature: 's', signal: 'hook', category: 'command not found', tool: 'Bash', count: 1, status: 'proposed', sample: { error: 'tree: command not found', event: 'e', time: '2026-11-20T10:00:00.000Z' }, sessions: ['s1'], firstSeen: '2026-11-20T10:00:00.000Z', lastSeen: '2026-11-20T10:00:00.000Z', recurring: false, rules: [], skills: [], reopened: 0, daily: {}, ...fields };
}

const tree = rule('PROJ-002', 'proposed', {
  title: 'tree is not installed here: list folders with Glob or find',
  body: '`tree` is not installed on this machine. List folders with the Glob tool or `find . -maxdepth 2`.',
  keys: ['command not found:tree'],
  incidents: [{ id: '2026-11-20-aaaa', fingerprint: 'fp-tree' }, { id: '2026-11-21-bbbb', fingerprint: 'fp-tree-zsh' }],
  guard: { tool: 'Bash', program: 'tree' },
  backtest: { failuresBlocked: 3, failuresTotal: 3, successesBlocked: 0, successesTotal: 40 },
  conflicts: ['Use tree to show folders'],
});

const incidents = [
  incident('2026-11-20-aaaa', 'fp-tree', { count: 2, sessions: ['s1', 's2'], firstSeen: '2026-11-18T09:00:00.000Z', lastSeen: '2026-11-20T10:00:00.000Z', sample: { error: 'bash: tree: command not found', target: 'tree -L 2', event: 'e1', time: '2026-11-20T10:00:00.000Z' } }),
  incident('2026-11-21-bbbb', 'fp-tree-zsh', { count: 1, sessions: ['s2', 's3'], firstSeen: '2026-11-21T08:00:00.000Z', lastSeen: '2026-11-21T08:00:00.000Z' }),
  incident('2026-11-01-cccc', 'fp-jq', { key: 'command not found:jq' }),
];

const ctx = (rules: Rule[], preferences: string[] = []): EvidenceContext => ({ rules, incidents, preferences, threshold: 0.6 });

describe('proposalEvidence', () => {
  it('sums the incidents the proposal answers: count, distinct sessions, first and last seen, the first one as sample', () => {
    const e = proposalEvidence(tree, ctx([tree]));
    expect(e).toMatchObject({
      count: 3,
      sessions: 3,
      firstSeen: '2026-11-18T09:00:00.000Z',
      lastSeen: '2026-11-21T08:00:00.000Z',
      sample: { incident: '2026-11-20-aaaa', error: 'bash: tree: command not found', target: 'tree -L 2' },
      guard: { tool: 'Bash', program: 'tree' },
      backtest: { failuresBlocked: 3, failuresTotal: 3, successesBlocked: 0, successesTotal: 40 },
      closest: null,
      contradicts: [],
    });
    expect(e.incidents.map((i) => i.id)).toEqual(['2026-11-20-aaaa', '2026-11-21-bbbb']);
  });

  it('says why the closest rule is not the same mistake: other keys, a general habit, no key at all', () => {
    // jq's rule names no keys; its incident's stored key stands for them.
    const jq = rule('PROJ-001', 'active', { title: 'jq is not installed here: parse JSON with node', body: '`jq` is not installed on this machine. Parse JSON with `node -e` instead.', incidents: [{ id: '2026-11-01-cccc', fingerprint: 'fp-jq' }] });
    expect(proposalEvidence(tree, ctx([tree, jq])).closest).toMatchObject({ id: 'PROJ-001', sameMistake: false, why: 'not the same mistake: it answers command not found: jq; this one command not found: tree' });
    const habit = { ...jq, incidents: [], keys: [] };
    expect(proposalEvidence(tree, ctx([tree, habit])).closest?.why).toBe('not the same mistake: it is a general habit that answers no one mistake');
    const unkeyed = { ...jq, incidents: [] };
    expect(proposalEvidence(tree, ctx([tree, unkeyed])).closest?.why).toMatch(/^it names no mistake; wording 0\.\d\d, below the 0\.6 that links$/);
    // A key with no subject (the demo's "file not read first:") reads as its category, not "first:;".
    const readFirst = { ...jq, incidents: [], keys: ['file not read first:'] };
    expect(proposalEvidence(tree, ctx([tree, readFirst])).closest?.why).toBe('not the same mistake: it answers file not read first; this one command not found: tree');
  });

  it('takes a rule of the same mistake over a closer wording, one in force first', () => {
    const rejected = rule('PROJ-001', 'rejected', { title: 'Something else', body: 'Unrelated words.', keys: ['command not found:tree'], reason: 'we install tree in CI' });
    const lookalike = rule('PROJ-003', 'active', { title: tree.title, body: tree.body, keys: ['command not found:jq'] });
    const e = proposalEvidence(tree, ctx([tree, rejected, lookalike]));
    expect(e.closest).toMatchObject({ id: 'PROJ-001', sameMistake: true, reason: 'we install tree in CI', why: 'the same mistake (command not found: tree), rejected before: "we install tree in CI"' });
    const active = rule('PROJ-004', 'active', { keys: ['command not found:tree'] });
    expect(proposalEvidence(tree, ctx([tree, rejected, active])).closest).toMatchObject({ id: 'PROJ-004', why: 'the same mistake (command not found: tree): it already answers it, so approving makes two rules for one mistake' });
  });

  it('names contradictions with their clauses, flagged ones whatever their status now, and a flagged rule that is gone', () => {
    const watch = rule('PROJ-005', 'proposed', { title: 'Run tests in watch mode', body: 'Always run the tests with --watch while you work.', contradicts: ['PROJ-009', 'PROJ-007'] });
    const noWatch = rule('PROJ-006', 'active', { title: 'Keep test runs finite', body: 'Never run the tests with --watch; the runner does not exit.' });
    const retired = rule('PROJ-007', 'deprecated', { body: 'Never run the tests with --watch.' });
    const e = proposalEvidence(watch, ctx([watch, noWatch, retired]));
    expect(e.contradicts).toEqual([
      { id: 'PROJ-006', status: 'active', reason: '"Always run the tests with --watch while you work" vs "Never run the tests with --watch"' },
      { id: 'PROJ-007', status: 'deprecated', reason: '"Always run the tests with --watch while you work" vs "Never run the tests with --watch"' },
      { id: 'PROJ-009', status: 'missing', reason: 'flagged when it was proposed; the rule is gone' },
    ]);
  });

  it('lists the preferences it goes against: stored when it was proposed, and stated since', () => {
    const e = proposalEvidence(tree, ctx([tree], ['Never use tree, I like ls -R', 'Use pnpm']));
    expect(e.preferences).toEqual(['Use tree to show folders', 'Never use tree, I like ls -R']);
  });
});

describe('evidence of many proposals', () => {
  it("finds each proposal's closest rule by wording with the scores a search of the whole vocabulary gives", () => {
    // Real wording: the first failures of each corpus project, as rules naming no mistake.
    const dir = 'bench/corpus/analysis';
    const texts = readdirSync(dir)
      .filter((f) => f.endsWith('.jsonl'))
      .sort()
      .flatMap((f) => readFileSync(`${dir}/${f}`, 'utf8').split('\n').filter((l) => l.includes('"ok":false')).slice(0, 2))
      .map((l) => JSON.parse(l) as { tool: string; error?: string; input?: { command?: string; file_path?: string } })
      .map((f) => ({ what: String(f.input?.command ?? f.input?.file_path ?? f.tool).split('\n')[0]!.slice(0, 80), error: String(f.error ?? '').slice(0, 160) }));
    const rules = texts.map((t, i) => rule(`PROJ-${String(i + 1).padStart(3, '0')}`, i % 3 ? 'active' : 'proposed', { title: `Check before ${t.what}`, body: `When it runs ${t.what}, it fails with ${t.error}.`, enforcement: `Avoid ${t.error}` }));
    const words = rules.map((r) => contentWords(comparableText(r)));
    const whole = new WordNeighbours(words);
    const alone = evidenceFor({ rules, incidents: [], preferences: [], threshold: 0.6 });
    // As a whole queue asks (`nevo-tui review`): every proposal's words searched together.
    const queued = evidenceFor({ rules, incidents: [], preferences: [], threshold: 0.6, subjects: rules.filter((r) => r.status === 'proposed') });
    let compared = 0;
    rules.forEach((r, i) => {
      if (r.status !== 'proposed') return;
      let best = -1;
      let score = 0;
      rules.forEach((o, j) => {
        if (j === i) return;
        const s = whole.similarity(words[i]!, words[j]!);
        if (best < 0 || s > score || (s === score && s > 0 && compareIds(o.id, rules[best]!.id) < 0)) [best, score] = [j, s];
      });
      const expected = { id: rules[best]!.id, similarity: Math.round(score * 100) / 100 };
      for (const evidenceOf of [alone, queued]) {
        const closest = evidenceOf(r).closest;
        expect({ id: closest?.id, similarity: closest?.similarity }).toEqual(expected);
      }
      compared++;
    });
    expect(compared).toBeGreaterThan(20);
  });
});

describe('evidence of a proposal not saved yet', () => {
  it('finds its closest rule by wording too', () => {
    const saved = rule('PROJ-001', 'active', { title: 'tree is not installed here: list folders with Glob', body: '`tree` is not installed on this machine. List folders with the Glob tool.' });
    const draft = rule('PROJ-009', 'proposed', { title: 'tree is missing here: list folders with Glob', body: '`tree` is missing. List folders with Glob.' });
    expect(evidenceFor({ rules: [saved], incidents: [], preferences: [], threshold: 0.6 })(draft).closest).toMatchObject({ id: 'PROJ-001' });
  });
});
