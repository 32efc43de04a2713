import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { absentNames, lintRules, type LintEnv, type PairMemo } from '../../src/rules/lint.js';
import { loadRules } from '../../src/rules/load.js';
import type { Rule, RuleStatus } from '../../src/rules/rule.js';

function rule(id: string, fields: Partial<Rule> = {}, status: RuleStatus = 'active'): Rule {
  return {
    id,
    title: 'Run the tests before committing',
    scope: 'project',
    status,
    trigger: 'Before a git commit in Bash',
    enforcement: 'Run `npm test` and see it pass',
    verification: 'No commits followed by a failing CI run',
    incidents: [],
    novelty: 'checked no rules: no overlap',
    created: '2026-11-21',
    updated: '2026-11-21',
    hits: 0,
    body: 'Run `npm test` before every commit and fix what fails first. A red suite on main blocks everyone else.',
    file: `rules/${id}.md`,
    ...fields,
  };
}

/** Every file and command exists unless listed as missing. */
function env(missing: string[] = [], effectiveness?: LintEnv['effectiveness']): LintEnv & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    fileExists: (p) => (asked.push(`file:${p}`), !missing.includes(p)),
    commandExists: (c) => (asked.push(`command:${c}`), !missing.includes(c)),
    effectiveness,
  };
}

const secrets = rule('PROJ-002', {
  title: 'Never commit .env files',
  body: 'Never commit .env files or other secrets to the repository. Put new settings in .env.example with a dummy value.',
  trigger: 'Before git add or git commit of a file named .env',
  enforcement: 'Do not stage .env files; add them to .gitignore',
  verification: 'No .env file in any commit',
});

describe('lintRules', () => {
  it('passes the starter rules', () => {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const { rules, errors } = loadRules(root);
    expect(rules.map((r) => r.id)).toEqual(['AGENT-001', 'AGENT-002', 'AGENT-003']);
    const e = env();
    expect(lintRules(rules, errors, e)).toEqual([]);
  });

  it('passes a complete, short, unique rule', () => {
    expect(lintRules([rule('PROJ-001'), secrets], [], env())).toEqual([]);
  });

  it('flags a decorative rule and names what it lacks', () => {
    const findings = lintRules([rule('PROJ-004', { trigger: '', verification: '   ' }), rule('PROJ-005', { enforcement: '' }, 'proposed')], [], env());
    expect(findings.filter((f) => f.kind !== 'overlap')).toEqual([
      { kind: 'decorative', rule: 'PROJ-004', file: 'rules/PROJ-004.md', message: 'decorative: no trigger or verification; a rule needs a trigger, an enforcement and a verification to be checked' },
      { kind: 'decorative', rule: 'PROJ-005', file: 'rules/PROJ-005.md', message: 'decorative: no enforcement; a rule needs a trigger, an enforcement and a verification to be checked' },
    ]);
  });

  it('flags a body over 3 sentences or over 400 characters, with the count', () => {
    const four = 'Run `npm test` before a commit. Fix what fails. Do not skip a test. Push only green work.';
    const long = `Run \`npm test\` before every commit${', and then fix every failure it reports'.repeat(10)}. A red suite blocks everyone.`;
    const findings = lintRules([rule('PROJ-006', { body: four }), rule('PROJ-007', { body: long }), rule('PROJ-008', { body: `${long} One. Two.` })], [], env());
    expect(findings.filter((f) => f.kind !== 'overlap').map((f) => [f.rule, f.kind, f.message])).toEqual([
      ['PROJ-006', 'too-long', 'the body has 4 sentences (at most 3)'],
      ['PROJ-007', 'too-long', `the body has ${long.length} characters (at most 400)`],
      ['PROJ-008', 'too-long', `the body has 4 sentences (at most 3) and ${long.length + 10} characters (at most 400)`],
    ]);
    expect(long.length).toBeGreaterThan(400);
  });

  it('flags an overlapping pair once, and not when either rule is rejected', () => {
    const twin = rule('PROJ-009', {
      title: 'Do not commit .env files',
      body: 'Never commit .env files or any other secrets to the repository; keep dummy values in .env.example.',
      trigger: 'Before git commit of a .env file',
      enforcement: 'Add .env files to .gitignore',
    });
    const findings = lintRules([twin, secrets, rule('PROJ-001')], [], env());
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ kind: 'overlap', rule: 'PROJ-002', other: 'PROJ-009', file: 'rules/PROJ-002.md' });
    expect(findings[0]!.message).toMatch(/^overlaps PROJ-009 \(0\.8\d\)$/);

    expect(lintRules([{ ...twin, status: 'rejected' }, secrets], [], env())).toEqual([]);
    expect(lintRules([twin, { ...secrets, status: 'deprecated' }], [], env()).map((f) => f.kind)).toEqual(['overlap']);
    expect(lintRules([twin, secrets], [], env(), 0.95)).toEqual([]);
  });

  it('compares again only the pairs a rule changed since the last lint: the findings are those of a lint from nothing', () => {
    const twin = rule('PROJ-009', { title: 'Do not commit .env files', body: 'Never commit .env files or any other secrets to the repository; keep dummy values in .env.example.', trigger: 'Before git commit of a .env file', enforcement: 'Add .env files to .gitignore' });
    const watch = rule('PROJ-010', { title: 'Run tests in watch mode', body: 'Always run the tests with --watch while you work. Feedback arrives as you type.', trigger: 'When you start work on a test file', enforcement: 'Start the runner with --watch' });
    const noWatch = rule('PROJ-011', { title: 'Keep test runs finite', body: 'Never run the tests with --watch; the runner does not exit and the Bash call hangs.', trigger: 'Before running the test suite in Bash', enforcement: 'Run the suite once, without a watch flag' }, 'proposed');
    const memo: PairMemo = { rules: new Set(), found: new Map() };
    const withMemo = (rules: Rule[]) => lintRules(rules, [], { ...env(), pairs: memo });
    // Each step changes the rules as a person would; the memo carries over from the step before.
    const steps: Rule[][] = [
      [secrets, rule('PROJ-001'), watch],
      [secrets, rule('PROJ-001'), watch, twin, noWatch],
      [secrets, rule('PROJ-001'), { ...watch, status: 'deprecated' }, twin, noWatch],
      [{ ...secrets, status: 'rejected' }, rule('PROJ-001'), watch, twin, noWatch],
      [{ ...secrets, status: 'deprecated' }, rule('PROJ-001'), watch, twin, noWatch],
      [secrets, rule('PROJ-001'), watch, { ...twin, body: 'Keep secrets out of git.' }, noWatch],
      [secrets, rule('PROJ-001'), watch, twin, noWatch],
    ];
    for (const rules of steps) expect(withMemo(rules)).toEqual(lintRules(rules, [], env()));
    // A rule that took another id (sync renumbers one that two members both wrote) is compared in
    // the other order now: its text is the same, its findings must be too.
    const renumbered = [{ ...secrets, id: 'PROJ-012', file: 'rules/PROJ-012.md' }, rule('PROJ-001'), watch, twin, noWatch];
    expect(withMemo(renumbered)).toEqual(lintRules(renumbered, [], env()));
    withMemo(steps[6]!);
    expect(memo.found.size).toBe(2); // the overlap and the contradiction
    // Unchanged rules are not compared again: what the memo says of them is what lint reports.
    const [key, overlap] = [...memo.found].find(([, f]) => f.score !== null)!;
    memo.found.set(key, { ...overlap, score: 0.99 });
    expect(withMemo(steps[6]!).find((f) => f.kind === 'overlap')!.message).toBe('overlaps PROJ-009 (0.99)');
  });

  it('flags contradicting rules in force, not retired ones', () => {
    const watch = rule('PROJ-010', {
      title: 'Run tests in watch mode',
      body: 'Always run the tests with --watch while you work. Feedback arrives as you type.',
      trigger: 'When you start work on a test file',
      enforcement: 'Start the runner with --watch',
    });
    const noWatch = rule(
      'PROJ-011',
      {
        title: 'Keep test runs finite',
        body: 'Never run the tests with --watch; the runner does not exit and the Bash call hangs.',
        trigger: 'Before running the test suite in Bash',
        enforcement: 'Run the suite once, without a watch flag',
      },
      'proposed',
    );
    const findings = lintRules([noWatch, watch], [], env()).filter((f) => f.kind === 'contradiction');
    expect(findings).toEqual([
      {
        kind: 'contradiction',
        rule: 'PROJ-010',
        other: 'PROJ-011',
        file: 'rules/PROJ-010.md',
        message: 'contradicts PROJ-011: "Always run the tests with --watch while you work" vs "Never run the tests with --watch"',
      },
    ]);
    expect(lintRules([noWatch, { ...watch, status: 'deprecated' }], [], env()).filter((f) => f.kind === 'contradiction')).toEqual([]);
    expect(lintRules([{ ...noWatch, status: 'rejected' }, watch], [], env())).toEqual([]);
  });

  it('flags paths that are gone, backticked or bare, in any field', () => {
    const r = rule('PROJ-012', {
      body: 'Change the helpers in `src/util/old-helper.ts`, not in dist. Run scripts/gone.sh after package.json changes.',
      verification: 'No edits under `generated/` and no diff in docs/api.md, e.g. after a Node.js upgrade',
    });
    const e = env(['src/util/old-helper.ts', 'scripts/gone.sh', 'generated', 'docs/api.md']);
    expect(lintRules([r], [], e).map((f) => [f.kind, f.message])).toEqual([
      ['stale', 'the body names src/util/old-helper.ts, which does not exist'],
      ['stale', 'the body names scripts/gone.sh, which does not exist'],
      ['stale', 'the verification names generated/, which does not exist'],
      ['stale', 'the verification names docs/api.md, which does not exist'],
    ]);
    expect(e.asked).toContain('file:package.json');
    expect(e.asked.some((a) => /node\.js|e\.g|dist/i.test(a))).toBe(false);
  });

  it('does not call a rule about a missing program stale because the program is missing', () => {
    const r = rule('PROJ-030', {
      title: 'Do not rely on `tree`: it is not installed',
      body: 'Do not call `tree`; it is not installed here. List folders with `find . -maxdepth 2`.',
      trigger: 'Before running `tree` in a Bash command',
      enforcement: 'Use `find` instead of `tree`. Then check the scripts with `shellcheck -x scripts/ci.sh`.',
      verification: 'No "command not found: tree"',
    });
    const e = env(['tree', 'shellcheck']);
    // tree is what the rule warns about; shellcheck is something to run, and it is gone.
    expect(lintRules([r], [], e).map((f) => f.message)).toEqual(['the enforcement runs `shellcheck -x scripts/ci.sh`, but shellcheck is neither a program nor a package.json script here']);
  });

  it('does not call a rule stale for lacking what the project lacked when it was written', () => {
    // The demo's proposal: a Write to CLAUDE.md was refused, and the project has no CLAUDE.md.
    const claudeMd = rule(
      'PROJ-031',
      {
        title: 'Ask before changing `CLAUDE.md`',
        body: "Do not write `CLAUDE.md` without the person's permission: propose the change and ask first. Permission-denied calls waste a turn.",
        trigger: 'Before Write on `CLAUDE.md`',
        enforcement: 'Ask for permission, or show the change instead of making it',
        verification: 'No "haven\'t granted" or permission-denied failures from Write',
        paths: ['CLAUDE.md'],
      },
      'proposed',
    );
    const e = env(['CLAUDE.md', 'docs/gone.md', 'wrangler']);
    expect(absentNames(claudeMd, e)).toEqual(['CLAUDE.md']);
    expect(lintRules([{ ...claudeMd, absent: ['CLAUDE.md'] }], [], e)).toEqual([]);
    // A name that went missing after the rule was written still makes it stale.
    const later = { ...claudeMd, absent: ['CLAUDE.md'], verification: 'The change is listed in `docs/gone.md`; `wrangler --version` runs' };
    expect(lintRules([later], [], e).map((f) => f.message)).toEqual([
      'the verification names docs/gone.md, which does not exist',
      'the verification runs `wrangler --version`, but wrangler is neither a program nor a package.json script here',
    ]);
  });

  it('flags backticked commands whose program or script is gone', () => {
    const r = rule('PROJ-013', {
      body: 'Fix lint errors with `npm run lint:fix` and format with `pnpm format`. Check shell scripts with `shellcheck -x scripts/ci.sh`.',
      enforcement: 'Run `yarn run typecheck` and then `./scripts/verify.sh --all`',
      verification: 'No `permission denied` errors and a clean `git status --short`',
    });
    const e = env(['lint:fix', 'format', 'shellcheck', 'typecheck', 'scripts/verify.sh', 'permission']);
    expect(lintRules([r], [], e).map((f) => f.message)).toEqual([
      'the body runs `npm run lint:fix`, but lint:fix is neither a program nor a package.json script here',
      'the body runs `pnpm format`, but format is neither a program nor a package.json script here',
      'the body runs `shellcheck -x scripts/ci.sh`, but shellcheck is neither a program nor a package.json script here',
      'the enforcement runs `yarn run typecheck`, but typecheck is neither a program nor a package.json script here',
      'the enforcement names scripts/verify.sh, which does not exist',
    ]);
    expect(e.asked).toContain('file:scripts/ci.sh');
    expect(e.asked.filter((a) => /command:(git|npm|pnpm|yarn|permission)$/.test(a))).toEqual([]);
  });

  it('leaves common tools, builtins, code and placeholders alone', () => {
    const r = rule('PROJ-014', {
      body: 'Run `command -v TOOL` before `git push --force-with-lease`, and never call `useEffect` without deps. Use `npx tsc --noEmit` and `node scripts/build.mjs`.',
      enforcement: 'Prefer `const x = await load()` and `src/**/*.ts` globs over `PROJ-NNN` lookups',
    });
    const e = env();
    expect(lintRules([r], [], e)).toEqual([]);
    expect(e.asked).toEqual(['file:scripts/build.mjs']);
  });

  it('reports each parse error with its file and line', () => {
    const errors = [
      { file: 'rules/PROJ-015.md', line: 4, detail: 'field status: expected one of proposed, active, rejected, deprecated' },
      { file: 'rules/PROJ-016.md', line: 1, detail: 'a rule starts with YAML front matter between --- lines' },
    ];
    expect(lintRules([], errors, env())).toEqual([
      { kind: 'unparseable', file: 'rules/PROJ-015.md', line: 4, message: 'field status: expected one of proposed, active, rejected, deprecated' },
      { kind: 'unparseable', file: 'rules/PROJ-016.md', line: 1, message: 'a rule starts with YAML front matter between --- lines' },
    ]);
  });

  it('flags an active rule whose mistakes keep recurring', () => {
    const effectiveness = {
      'PROJ-001': { before: 3, after: 4, days: 14, working: false },
      'PROJ-002': { before: 5, after: 0, days: 14, working: true },
      'PROJ-017': { before: 2, after: 1, days: 14, working: false },
    };
    const findings = lintRules([rule('PROJ-001'), secrets, rule('PROJ-017', {}, 'proposed')], [], env([], effectiveness)).filter((f) => f.kind !== 'overlap');
    expect(findings).toEqual([
      { kind: 'not-working', rule: 'PROJ-001', file: 'rules/PROJ-001.md', message: 'its mistakes keep recurring: 4 incidents in the 14 days after activation, 3 in the 14 days before' },
    ]);
  });

  it('checks only active and proposed rules for decorative, too-long, stale and not-working', () => {
    const sloppy = { trigger: '', body: 'One. Two. Three. Four. See `src/gone.ts`.' };
    const rules = [rule('PROJ-018', sloppy, 'rejected'), rule('PROJ-019', { ...sloppy, title: 'Another thing entirely' }, 'deprecated')];
    const effectiveness = { 'PROJ-019': { before: 1, after: 3, days: 14, working: false } };
    expect(lintRules(rules, [], env(['src/gone.ts'], effectiveness))).toEqual([]);
  });

  it('sorts findings by file, then kind', () => {
    const broken = rule('PROJ-020', { verification: '', body: 'One. Two. Three. Four. See `src/gone.ts`.' });
    const findings = lintRules(
      [broken, rule('PROJ-001', { enforcement: '' }), secrets],
      [{ file: 'rules/PROJ-003.md', line: 2, detail: 'invalid YAML' }],
      env(['src/gone.ts'], { 'PROJ-020': { before: 1, after: 2, days: 14, working: false } }),
    );
    expect(findings.map((f) => `${f.file} ${f.kind}`)).toEqual([
      'rules/PROJ-001.md decorative',
      'rules/PROJ-003.md unparseable',
      'rules/PROJ-020.md decorative',
      'rules/PROJ-020.md too-long',
      'rules/PROJ-020.md stale',
      'rules/PROJ-020.md not-working',
    ]);
  });
});
