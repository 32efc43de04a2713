import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkNovelty, contentWords, contradiction, formatIdRanges, similarity, WordNeighbours } from '../../src/rules/novelty.js';
import type { Rule, RuleStatus } from '../../src/rules/rule.js';

function rule(id: string, fields: Partial<Rule> & { title: string; body: string }, status: RuleStatus = 'active'): Rule {
  return {
    id,
    scope: 'project',
    status,
    trigger: '',
    enforcement: '',
    verification: '',
    incidents: [],
    novelty: '',
    created: '2026-11-21',
    updated: '2026-11-21',
    hits: 0,
    file: `rules/${id}.md`,
    ...fields,
  };
}

const readBeforeEdit = 'Read a file with the Read tool before you edit or overwrite it';
const readParaphrase = 'Always read the file before editing it; edits to unread files fail';
const commandExists = 'Check that a command exists with command -v before running it';
const testsBeforeCommit = 'Run npm test before committing';

const projectRules = [
  rule('PROJ-001', {
    title: 'Run the tests before committing',
    body: 'Run `npm test` before every commit and fix what fails first. A red suite on main blocks everyone else.',
    trigger: 'Before a git commit in Bash',
    enforcement: 'Run `npm test` and see it pass',
    verification: 'No commits followed by a failing CI run',
  }),
  rule('PROJ-002', {
    title: 'Never commit .env files',
    body: 'Never commit .env files or other secrets to the repository. Put new settings in .env.example with a dummy value.',
    trigger: 'Before git add or git commit of a file named .env',
    enforcement: 'Do not stage .env files; add them to .gitignore',
    verification: 'No .env file in any commit',
  }),
  rule('PROJ-003', {
    title: 'Typecheck after editing TypeScript',
    body: 'Run `npx tsc --noEmit` after you edit a .ts file and fix the type errors before moving on.',
    trigger: 'After an Edit or Write of a TypeScript file',
    enforcement: 'Run the typecheck before the next task',
    verification: 'No type errors reported by CI',
  }),
];

describe('similarity', () => {
  it('scores near-paraphrases of one rule at 0.6 or more', () => {
    expect(similarity(readBeforeEdit, readParaphrase)).toBeGreaterThanOrEqual(0.6);
    expect(similarity('Never commit secrets or .env files to the repository', 'Do not commit .env files or other secrets to git')).toBeGreaterThanOrEqual(0.75);
    expect(similarity(testsBeforeCommit, 'Run the test suite with npm test before every commit')).toBeGreaterThanOrEqual(0.85);
  });

  it('scores rules about different things well below', () => {
    expect(similarity(readBeforeEdit, commandExists)).toBeLessThan(0.2);
    expect(similarity(readBeforeEdit, testsBeforeCommit)).toBeLessThan(0.2);
    expect(similarity(commandExists, testsBeforeCommit)).toBeLessThan(0.3);
    expect(similarity(readParaphrase, commandExists)).toBeLessThan(0.2);
    expect(similarity('Never commit secrets or .env files to the repository', testsBeforeCommit)).toBeLessThan(0.4);
  });

  it('is symmetric, 1 for the same text and 0 for nothing in common', () => {
    expect(similarity(readBeforeEdit, readParaphrase)).toBeCloseTo(similarity(readParaphrase, readBeforeEdit), 10);
    expect(similarity(commandExists, commandExists)).toBe(1);
    expect(similarity('', commandExists)).toBe(0);
    expect(similarity('the and of', 'it is')).toBe(0);
  });

  it('compares normalised content words: no stop words, punctuation or plural and -ing endings', () => {
    expect(contentWords('Always read the files before editing them; edits fail!')).toEqual(['read', 'fil', 'edit', 'fail']);
    expect(contentWords("Don't run the tests with --watch")).toEqual(['test', 'watch']);
    expect(contentWords('committing commits')).toEqual(['commit']);
  });
});

describe('contradiction', () => {
  it('finds the same action with opposite polarity, both ways round', () => {
    const always = 'Always run the tests with --watch';
    const never = 'Never run the tests with --watch';
    expect(contradiction(always, never)).toBe('"Always run the tests with --watch" vs "Never run the tests with --watch"');
    expect(contradiction(never, always)).toBe('"Never run the tests with --watch" vs "Always run the tests with --watch"');
    expect(contradiction('Use `npm ci` in CI.', 'Avoid npm ci; it deletes node_modules.')).not.toBeNull();
    expect(contradiction('You must squash commits before merging', "Don't squash commits before merging")).not.toBeNull();
  });

  it('reads the first sentence as an imperative and skips a leading condition', () => {
    expect(contradiction('Read a file with the Read tool before you edit or overwrite it, even when you know its content.', 'Never read a file before editing it.')).toContain('"Never read a file before editing it"');
    expect(contradiction('Before you commit, always run the linter.', 'Do not run the linter before a commit.')).not.toBeNull();
  });

  it('leaves different actions, a narrower prohibition and "instead of" alone', () => {
    expect(contradiction('Never commit secrets', 'Always run tests')).toBeNull();
    expect(contradiction('Never commit secrets', 'Always commit the lockfile')).toBeNull();
    expect(contradiction('Always run the tests', 'Never run the tests with --watch')).toBeNull();
    expect(contradiction('Follow a blocking rule instead of retrying the call', 'Do not retry a call nevo blocked')).toBeNull();
    expect(contradiction('Always run the tests', 'Always run the tests')).toBeNull();
    expect(contradiction('Committing .env files leaks secrets.', 'Never commit .env files.')).toBeNull();
  });
});

describe('checkNovelty', () => {
  it('reports a new rule as checked against a range of ids with no overlap', () => {
    const result = checkNovelty(
      { title: 'Read a file before changing it', body: readBeforeEdit, trigger: 'Before an Edit or Write of a file that exists' },
      [projectRules[2]!, projectRules[0]!, projectRules[1]!],
    );
    expect(result.checked).toEqual(['PROJ-001', 'PROJ-002', 'PROJ-003']);
    expect(result.overlaps).toEqual([]);
    expect(result.contradictions).toEqual([]);
    expect(result.summary).toBe('checked PROJ-001 to PROJ-003: no overlap');
    expect(result.best?.score ?? 0).toBeLessThan(0.5);
  });

  it('reports a paraphrase as an overlap with its score, best first', () => {
    const result = checkNovelty(
      {
        title: 'Do not commit .env files',
        body: 'Never commit .env files or any other secrets to the repository; keep dummy values in .env.example.',
        trigger: 'Before git commit of a .env file',
        enforcement: 'Add .env files to .gitignore',
      },
      projectRules,
    );
    expect(result.summary).toMatch(/^overlaps PROJ-002 \(0\.8\d\)$/);
    expect(result.overlaps.map((m) => m.id)).toEqual(['PROJ-002']);
    expect(result.best).toEqual({ id: 'PROJ-002', title: 'Never commit .env files', score: result.overlaps[0]!.score });
    expect(result.checked).toEqual(['PROJ-001', 'PROJ-002', 'PROJ-003']);
  });

  it('lists several overlaps best first and honours the threshold', () => {
    const rules = [
      rule('PROJ-001', { title: 'Run npm test before committing', body: 'Run npm test before committing.' }),
      rule('PROJ-002', { title: 'Run the test suite before every commit', body: 'Run the test suite with npm test before every commit.' }),
    ];
    const candidate = { title: 'Run npm test before committing', body: 'Run npm test before committing.' };
    const result = checkNovelty(candidate, rules);
    expect(result.overlaps.map((m) => m.id)).toEqual(['PROJ-001', 'PROJ-002']);
    expect(result.overlaps[0]!.score).toBe(1);
    expect(result.summary).toMatch(/^overlaps PROJ-001 \(1\.00\), PROJ-002 \(0\.\d\d\)$/);
    expect(checkNovelty(candidate, rules, 1.01).summary).toBe('checked PROJ-001 to PROJ-002: no overlap');
  });

  it('names the closest three overlaps in its summary and counts the rest', () => {
    // A burst of failures can leave many proposals worded alike; the summary is a rule file's line.
    const rules = Array.from({ length: 8 }, (_, i) =>
      rule(`PROJ-${String(i + 1).padStart(3, '0')}`, { title: `Run npm test before committing${i ? ` (${i})` : ''}`, body: 'Run npm test before committing.' }),
    );
    const result = checkNovelty({ title: 'Run npm test before committing', body: 'Run npm test before committing.' }, rules);
    expect(result.overlaps).toHaveLength(8);
    expect(result.summary).toMatch(/^overlaps PROJ-\d{3} \(\d\.\d\d\), PROJ-\d{3} \(\d\.\d\d\), PROJ-\d{3} \(\d\.\d\d\) and 5 more$/);
    expect(result.summary.startsWith(`overlaps ${result.overlaps[0]!.id} `)).toBe(true);
  });

  it('compares against rules of every status', () => {
    const rejected = rule('PROJ-007', { title: 'Read files before editing them', body: readParaphrase }, 'rejected');
    const deprecated = rule('PROJ-004', { title: 'Check a command exists first', body: commandExists }, 'deprecated');
    const result = checkNovelty({ title: 'Read a file before changing it', body: readBeforeEdit }, [rejected, deprecated]);
    expect(result.checked).toEqual(['PROJ-004', 'PROJ-007']);
    expect(result.overlaps.map((m) => m.id)).toEqual(['PROJ-007']);
    expect(result.summary).toMatch(/^overlaps PROJ-007 \(0\.\d\d\)$/);
  });

  it('adds the contradicted rules to the summary, among rules in force', () => {
    const watch = rule('PROJ-003', { title: 'Run tests in watch mode', body: 'Always run the tests with --watch while you work.' });
    const candidate = { title: 'No watch mode', body: 'Never run the tests with --watch; the run never ends and the session hangs.' };
    const result = checkNovelty(candidate, [projectRules[0]!, projectRules[1]!, watch]);
    expect(result.contradictions).toEqual([{ id: 'PROJ-003', reason: '"Never run the tests with --watch" vs "Always run the tests with --watch while you work"' }]);
    expect(result.summary).toMatch(/; contradicts PROJ-003$/);

    const retired = checkNovelty(candidate, [{ ...watch, status: 'deprecated' }]);
    expect(retired.contradictions).toEqual([]);
    expect(retired.summary).not.toContain('contradicts');
  });

  it('says when there was nothing to check', () => {
    const result = checkNovelty({ title: 'Anything', body: 'Run npm test before committing.' }, []);
    expect(result).toEqual({ checked: [], best: null, overlaps: [], contradictions: [], summary: 'checked no rules: no overlap' });
  });
});

describe('word neighbours around one candidate', () => {
  it('give every rule the similarity a search of the whole vocabulary gives', () => {
    // Real wording: the first errors of each corpus project, and the starter rules.
    const dir = 'bench/corpus/analysis';
    const errors = readdirSync(dir)
      .filter((f) => f.endsWith('.jsonl'))
      .flatMap((f) => readFileSync(`${dir}/${f}`, 'utf8').split('\n').filter((l) => l.includes('"ok":false')).slice(0, 2))
      .map((l) => String((JSON.parse(l) as { error?: string }).error ?? '').slice(0, 200));
    const starters = readdirSync('rules').map((f) => readFileSync(`rules/${f}`, 'utf8'));
    const lists = [...starters, ...errors].map((t) => contentWords(t)).filter((l) => l.length);
    const whole = new WordNeighbours(lists);
    for (let c = 0; c < lists.length; c += 9) {
      const around = new WordNeighbours(lists, lists[c]!);
      expect(lists.map((l) => around.similarity(lists[c]!, l))).toEqual(lists.map((l) => whole.similarity(lists[c]!, l)));
    }
  });
});

describe('formatIdRanges', () => {
  it('makes a range of consecutive ids per prefix', () => {
    const ids = Array.from({ length: 27 }, (_, i) => `PROJ-${String(i + 1).padStart(3, '0')}`);
    expect(formatIdRanges(ids)).toBe('PROJ-001 to PROJ-027');
    expect(formatIdRanges(['PROJ-002', 'AGENT-001', 'PROJ-001', 'AGENT-002', 'AGENT-003'])).toBe('AGENT-001 to AGENT-003, PROJ-001 to PROJ-002');
    expect(formatIdRanges(['PROJ-009', 'PROJ-010', 'PROJ-011'])).toBe('PROJ-009 to PROJ-011');
  });

  it('lists gaps and caps a long list', () => {
    expect(formatIdRanges(['PROJ-001', 'PROJ-003', 'PROJ-004', 'PROJ-005'])).toBe('PROJ-001, PROJ-003 to PROJ-005');
    const scattered = ['PROJ-001', 'PROJ-003', 'PROJ-005', 'PROJ-007', 'PROJ-009', 'PROJ-011', 'PROJ-013', 'PROJ-015', 'PROJ-017'];
    expect(formatIdRanges(scattered)).toBe('PROJ-001, PROJ-003, PROJ-005, PROJ-007, PROJ-009, PROJ-011 and 3 more');
  });
});
