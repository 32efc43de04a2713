import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { blockingRule, loadGuards, matchGuard } from '../../src/detect/guard-match.js';
import { blockMessage } from '../../src/hook.js';
import { compileGuards, GUARDS_FILE, guardsJson, type CompiledGuard, type GuardsFile } from '../../src/rules/guards.js';
import type { Guard, Rule, RuleStatus } from '../../src/rules/rule.js';
import { cli } from '../helpers/cli.js';
import { freshWorkspace, scratch } from '../helpers/workspace.js';

const ROOT = '/home/dev/project';

function rule(id: string, guard: Guard | undefined, status: RuleStatus = 'active', body = `Text of ${id}.`): Rule {
  return {
    id,
    title: `Title of ${id}`,
    scope: 'project',
    status,
    trigger: '',
    enforcement: '',
    verification: '',
    incidents: [],
    novelty: '',
    created: '2026-11-20',
    updated: '2026-11-20',
    hits: 0,
    ...(guard ? { guard } : {}),
    body,
    file: `rules/${id}.md`,
  };
}

const file = (...guards: CompiledGuard[]): GuardsFile => ({ version: 1, projectRoot: ROOT, guards });
const g = (extra: Partial<CompiledGuard> & { tool: string }): CompiledGuard => ({ rule: 'PROJ-001', title: 't', text: 'x', ...extra });

describe('compileGuards', () => {
  it('keeps only active rules with a guard, with the body as text and the globs compiled', () => {
    const out = compileGuards(
      [
        rule('PROJ-001', { tool: 'Bash', command: '\\brm\\s+-rf\\b' }),
        rule('PROJ-002', undefined),
        rule('PROJ-003', { tool: 'Bash', command: 'git push' }, 'proposed'),
        rule('PROJ-004', { tool: 'Edit', paths: ['src/**/*.ts', '**/.env'] }, 'active', '  Never edit the sources directly.\n'),
        rule('PROJ-005', { tool: 'Write', paths: ['*.md'] }, 'deprecated'),
        rule('AGENT-001', { tool: 'WebFetch', input: 'example\\.com' }, 'active'),
        rule('PROJ-006', { tool: 'Bash', command: 'x' }, 'rejected'),
      ],
      ROOT,
    );
    expect(out.version).toBe(1);
    expect(out.projectRoot).toBe(ROOT);
    expect(out.guards.map((x) => x.rule)).toEqual(['PROJ-001', 'PROJ-004', 'AGENT-001']);
    expect(out.guards[0]).toEqual({ rule: 'PROJ-001', title: 'Title of PROJ-001', text: 'Text of PROJ-001.', tool: 'Bash', command: '\\brm\\s+-rf\\b' });
    const edit = out.guards[1]!;
    expect(edit.text).toBe('  Never edit the sources directly.\n');
    expect(edit.paths).toHaveLength(2);
    const [ts, env] = edit.paths!.map((s) => new RegExp(s));
    expect(ts!.test('src/a/b.ts')).toBe(true);
    expect(ts!.test('src/b.ts')).toBe(true);
    expect(ts!.test('lib/b.ts')).toBe(false);
    expect(env!.test('.env')).toBe(true);
    expect(env!.test('config/.env')).toBe(true);
    expect(env!.test('config/.envrc')).toBe(false);
    expect(out.guards[2]).toMatchObject({ tool: 'WebFetch', input: 'example\\.com' });
    expect(out.guards[2]).not.toHaveProperty('command');
  });

  it('is written as indented JSON that loadGuards reads back', () => {
    const ws = scratch();
    const compiled = compileGuards([rule('PROJ-001', { tool: 'Bash', command: 'rm' })], ROOT);
    const text = guardsJson(compiled);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toContain('\n  "guards": [');
    writeFileSync(join(ws, GUARDS_FILE), text);
    expect(loadGuards(ws)).toEqual(compiled);
  });
});

describe('loadGuards', () => {
  it('returns null for a missing, broken or foreign file, and drops malformed guards', () => {
    const ws = scratch();
    expect(loadGuards(ws)).toBeNull();
    expect(loadGuards(join(ws, 'nowhere'))).toBeNull();
    writeFileSync(join(ws, GUARDS_FILE), '{"version": 1, "guards": [');
    expect(loadGuards(ws)).toBeNull();
    writeFileSync(join(ws, GUARDS_FILE), '{"version": 2, "guards": []}');
    expect(loadGuards(ws)).toBeNull();
    writeFileSync(join(ws, GUARDS_FILE), '[]');
    expect(loadGuards(ws)).toBeNull();
    writeFileSync(
      join(ws, GUARDS_FILE),
      JSON.stringify({ version: 1, projectRoot: ROOT, guards: [{ rule: 'PROJ-001', tool: 'Bash' }, { rule: 'PROJ-002', tool: 'Bash', command: 7 }, null, { rule: 'PROJ-003', tool: 'Bash', command: 'rm' }] }),
    );
    expect(loadGuards(ws)!.guards).toEqual([{ rule: 'PROJ-003', tool: 'Bash', command: 'rm', title: '', text: '' }]);
  });
});

describe('matchGuard', () => {
  const rm = g({ rule: 'PROJ-001', tool: 'Bash', command: '\\brm\\s+-rf\\b' });

  it('matches a Bash command regex anywhere in the command', () => {
    const f = file(rm);
    expect(matchGuard(f, 'Bash', { command: 'rm -rf build' })).toBe(rm);
    expect(matchGuard(f, 'Bash', { command: 'cd /tmp && rm  -rf node_modules', description: 'clean' })).toBe(rm);
    expect(matchGuard(f, 'Bash', { command: 'echo ok\nrm -rf dist' })).toBe(rm);
    expect(matchGuard(f, 'Bash', { command: 'rm -r build' })).toBeNull();
    expect(matchGuard(f, 'Bash', { command: 'farm -rf' })).toBeNull();
    expect(matchGuard(f, 'Bash', {})).toBeNull();
    expect(matchGuard(f, 'Bash', undefined)).toBeNull();
    expect(matchGuard(f, 'Bash', 'rm -rf /')).toBeNull();
  });

  it('only matches its own tool', () => {
    const f = file(rm);
    expect(matchGuard(f, 'bash', { command: 'rm -rf build' })).toBeNull();
    expect(matchGuard(f, 'PowerShell', { command: 'rm -rf build' })).toBeNull();
    expect(matchGuard(f, 'Write', { command: 'rm -rf build' })).toBeNull();
  });

  it('matches paths of Edit and Write as given and relative to the project root', () => {
    const compiled = compileGuards(
      [rule('PROJ-002', { tool: 'Edit', paths: ['src/**/*.ts'] }), rule('PROJ-003', { tool: 'Write', paths: ['**/.env'] }), rule('PROJ-004', { tool: 'NotebookEdit', paths: ['notebooks/*.ipynb'] })],
      ROOT,
    );
    const id = (tool: string, input: unknown) => matchGuard(compiled, tool, input)?.rule ?? null;
    expect(id('Edit', { file_path: `${ROOT}/src/rules/guards.ts`, old_string: 'a', new_string: 'b' })).toBe('PROJ-002');
    expect(id('Edit', { file_path: `${ROOT}/src/main.ts` })).toBe('PROJ-002');
    expect(id('Edit', { file_path: 'src/main.ts' })).toBe('PROJ-002');
    expect(id('Edit', { file_path: `${ROOT}/lib/main.ts` })).toBeNull();
    expect(id('Edit', { file_path: `${ROOT}/src/main.js` })).toBeNull();
    expect(id('Edit', { file_path: `/elsewhere/src/main.ts` })).toBeNull();
    // A root that is only a prefix of another folder's name is not the root.
    expect(id('Edit', { file_path: `${ROOT}-other/src/main.ts` })).toBeNull();
    // Dot segments do not slip past a guard.
    expect(id('Edit', { file_path: `${ROOT}/lib/../src/main.ts` })).toBe('PROJ-002');
    expect(id('Write', { file_path: `${ROOT}/.env`, content: 'X=1' })).toBe('PROJ-003');
    expect(id('Write', { file_path: `${ROOT}/config/.env`, content: 'X=1' })).toBe('PROJ-003');
    expect(id('Write', { file_path: `/somewhere/else/.env` })).toBe('PROJ-003');
    expect(id('Write', { file_path: `${ROOT}/.env.example` })).toBeNull();
    expect(id('Edit', { file_path: `${ROOT}/.env` })).toBeNull();
    expect(id('NotebookEdit', { notebook_path: `${ROOT}/notebooks/a.ipynb` })).toBe('PROJ-004');
    expect(id('NotebookEdit', { notebook_path: `${ROOT}/notebooks/deep/a.ipynb` })).toBeNull();
  });

  it('matches paths given as `path` and a root written with a trailing slash', () => {
    const compiled = compileGuards([rule('PROJ-005', { tool: 'Read', paths: ['secrets/**'] })], `${ROOT}/`);
    expect(matchGuard(compiled, 'Read', { file_path: `${ROOT}/secrets/key.pem` })?.rule).toBe('PROJ-005');
    expect(matchGuard(compiled, 'Read', { path: `${ROOT}/secrets/a/b` })?.rule).toBe('PROJ-005');
    expect(matchGuard(compiled, 'Read', { file_path: `${ROOT}/public/key.pem` })).toBeNull();
  });

  it('matches an input regex over the tool input as JSON', () => {
    const fetch = g({ rule: 'AGENT-001', tool: 'WebFetch', input: '"url":"https?://internal\\.' });
    const f = file(fetch);
    expect(matchGuard(f, 'WebFetch', { url: 'https://internal.corp/x', prompt: 'read' })).toBe(fetch);
    expect(matchGuard(f, 'WebFetch', { url: 'https://example.com', prompt: 'internal.corp' })).toBeNull();
    expect(matchGuard(f, 'WebSearch', { url: 'https://internal.corp/x' })).toBeNull();
  });

  it('needs every pattern of a guard to match', () => {
    const both = g({ rule: 'PROJ-007', tool: 'Bash', command: '^git\\b', input: '"run_in_background":true' });
    const f = file(both);
    expect(matchGuard(f, 'Bash', { command: 'git status', run_in_background: true })).toBe(both);
    expect(matchGuard(f, 'Bash', { command: 'git status' })).toBeNull();
    expect(matchGuard(f, 'Bash', { command: 'ls', run_in_background: true })).toBeNull();
  });

  it('returns the first matching guard', () => {
    const a = g({ rule: 'PROJ-001', tool: 'Bash', command: 'rm' });
    const b = g({ rule: 'PROJ-002', tool: 'Bash', command: 'rm -rf' });
    expect(matchGuard(file(a, b), 'Bash', { command: 'rm -rf x' })).toBe(a);
    expect(matchGuard(file(b, a), 'Bash', { command: 'rm -rf x' })).toBe(b);
  });

  it('skips a guard whose regex is invalid, without throwing', () => {
    const bad = g({ rule: 'PROJ-008', tool: 'Bash', command: '(unclosed' });
    const badPath = g({ rule: 'PROJ-009', tool: 'Edit', paths: ['[z-a]'] });
    const badInput = g({ rule: 'PROJ-010', tool: 'Bash', input: '*oops' });
    const f = file(bad, badPath, badInput, rm);
    expect(() => matchGuard(f, 'Bash', { command: '(unclosed' })).not.toThrow();
    expect(matchGuard(f, 'Bash', { command: '(unclosed' })).toBeNull();
    expect(matchGuard(f, 'Edit', { file_path: `${ROOT}/a` })).toBeNull();
    expect(matchGuard(f, 'Bash', { command: 'rm -rf x' })).toBe(rm);
    // Twice: the failed compilation is remembered, not retried into a throw.
    expect(matchGuard(f, 'Bash', { command: 'rm -rf x' })).toBe(rm);
  });
});

describe('nevo-tui hook with guards (built binary)', () => {
  const fixture = JSON.parse(readFileSync('test/fixtures/claude-code/hook-payloads/quantstats__pre_tool_use.json', 'utf8')) as Record<string, unknown>[];
  const bashCall = fixture.find((p) => p.tool_name === 'Bash')!;
  const editCall = fixture.find((p) => p.tool_name === 'Edit')!;
  const RM_TEXT = 'Never delete a folder with rm -rf. Move it to the trash with `trash DIR` instead.';

  it('blocks a PreToolUse call matching an active guard with exit 2, and ingest records the block', async () => {
    const ws = await freshWorkspace();
    const rules = [
      rule('PROJ-001', { tool: 'Bash', command: '\\brm\\s+-rf\\b' }, 'active', RM_TEXT),
      rule('PROJ-002', { tool: 'Edit', paths: ['**/.env'] }, 'active', 'Never edit .env files; ask the user.'),
      rule('PROJ-003', { tool: 'Bash', command: '^ls\\b' }, 'proposed'),
    ];
    writeFileSync(join(ws.root, GUARDS_FILE), guardsJson(compileGuards(rules, ws.projectRoot)));
    const env = { CLAUDE_PROJECT_DIR: ws.project };
    const call = (base: Record<string, unknown>, toolInput: Record<string, unknown>, event = 'PreToolUse') =>
      cli(['hook'], { input: JSON.stringify({ ...base, cwd: ws.project, hook_event_name: event, tool_input: { ...(base.tool_input as object), ...toolInput }, tool_use_id: `toolu_${Math.random()}` }), env });

    const blocked = call(bashCall, { command: 'rm -rf build dist' });
    expect(blocked.code).toBe(2);
    expect(blocked.stdout).toBe('');
    expect(blocked.stderr).toBe(`nevo-tui blocked this call: PROJ-001 Title of PROJ-001\n${RM_TEXT}\n`);

    expect(call(bashCall, { command: 'ls -la' })).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(call(bashCall, { command: 'git status' })).toEqual({ code: 0, stdout: '', stderr: '' });
    // Only PreToolUse blocks: after the call has run there is nothing left to stop.
    expect(call(bashCall, { command: 'rm -rf build' }, 'PostToolUse')).toEqual({ code: 0, stdout: '', stderr: '' });

    const edit = call(editCall, { file_path: join(ws.project, 'config', '.env') });
    expect(edit.code).toBe(2);
    expect(edit.stderr).toContain('PROJ-002');
    expect(call(editCall, { file_path: join(ws.project, 'requirements.txt') }).code).toBe(0);

    const ingest = JSON.parse(cli(['ingest', '--json'], { cwd: ws.project }).stdout);
    expect(ingest).toMatchObject({ files: 6, events: 6, blocked: 2, rejected: 0, opened: [] });
    const events = JSON.parse(cli(['events', '--json', '-n', '100'], { cwd: ws.project }).stdout).events as { kind: string; target?: string; fate: unknown }[];
    // Newest first.
    expect(events.filter((e) => (e.fate as { kind: string }).kind === 'blocked').reverse()).toEqual([
      expect.objectContaining({ kind: 'PreToolUse', target: 'rm -rf build dist', fate: { kind: 'blocked', rule: 'PROJ-001' } }),
      expect.objectContaining({ kind: 'PreToolUse', fate: { kind: 'blocked', rule: 'PROJ-002' } }),
    ]);
    expect(events.find((e) => e.target === 'ls -la')).toMatchObject({ fate: { kind: 'journal' } });
    const blocks = JSON.parse(readFileSync(join(ws.root, 'store', 'blocks.json'), 'utf8'));
    expect(blocks.records).toEqual([
      { id: 'PROJ-001', count: 1, last: expect.any(String), daily: expect.any(Object) },
      { id: 'PROJ-002', count: 1, last: expect.any(String), daily: expect.any(Object) },
    ]);
    for (const r of blocks.records) expect(Object.values(r.daily)).toEqual([1]);
  });

  it('allows every call when guards.json is missing or broken', async () => {
    const ws = await freshWorkspace();
    const env = { CLAUDE_PROJECT_DIR: ws.project };
    const input = JSON.stringify({ ...bashCall, cwd: ws.project, tool_input: { command: 'rm -rf build' } });
    expect(cli(['hook'], { input, env })).toEqual({ code: 0, stdout: '', stderr: '' });
    writeFileSync(join(ws.root, GUARDS_FILE), '{"version": 1, "guards": [');
    expect(cli(['hook'], { input, env })).toEqual({ code: 0, stdout: '', stderr: '' });
    writeFileSync(join(ws.root, GUARDS_FILE), JSON.stringify({ version: 1, projectRoot: ws.project, guards: [{ rule: 'PROJ-001', title: 't', text: 'x', tool: 'Bash', command: '(rm' }] }));
    expect(cli(['hook'], { input, env })).toEqual({ code: 0, stdout: '', stderr: '' });
  });
});

describe('guards that could hang the hook', () => {
  it('matches even the worst backtracking shapes in linear time: a hostile guards.json cannot stall the hook', async () => {
    const { matchGuard } = await import('../../src/detect/guard-match.js');
    const guard = (command: string) => ({ version: 1 as const, projectRoot: '/p', guards: [{ rule: 'PROJ-009', title: 't', text: 'x', tool: 'Bash', command }] });
    // With a backtracking engine each of these ran for minutes on such a command.
    const long = `${'a'.repeat(9_999)}!`;
    expect(matchGuard(guard('(a|a)*$'), 'Bash', { command: long })).not.toBeNull();
    expect(matchGuard(guard('^(.*a){12}$'), 'Bash', { command: long })).toBeNull();
    expect(matchGuard(guard('^(a+)+$'), 'Bash', { command: long })).toBeNull();
    expect(matchGuard(guard('^(a+)+$'), 'Bash', { command: 'aaaa' })).not.toBeNull();
  });

  it('refuses when saved a guard that blocks the empty command, ls, git status or npm test, or every file', async () => {
    const { guardSchema } = await import('../../src/rules/rule.js');
    const refused = (g: object) => {
      const r = guardSchema.safeParse({ tool: 'Bash', ...g });
      return r.success ? '' : r.error.issues.map((i) => i.message).join('; ');
    };
    for (const command of ['.', '^', '(?:)', '(a|a)*$', '(.*a){12}$|^ls', '\\bgit\\b', 'test']) expect(refused({ command })).toMatch(/would block/);
    expect(refused({ command: '(?=rm)' })).toMatch(/RE2/);
    expect(refused({ input: '.*' })).toMatch(/every call/);
    expect(refused({ tool: 'Edit', paths: ['**'] })).toMatch(/every file/);
    expect(refused({ command: '\\brm\\s+-rf\\s+/' })).toBe('');
    expect(refused({ tool: 'Edit', paths: ['**/.env'] })).toBe('');
  });

  it('leaves a command too long to match safely alone, and never matches a cut-short command', async () => {
    const { matchGuard } = await import('../../src/detect/guard-match.js');
    const guards = { version: 1 as const, projectRoot: '/p', guards: [{ rule: 'PROJ-009', title: 't', text: 'x', tool: 'Bash', command: '^a+$' }] };
    expect(matchGuard(guards, 'Bash', { command: 'a'.repeat(50) })).not.toBeNull();
    expect(matchGuard(guards, 'Bash', { command: `${'a'.repeat(20000)}` })).toBeNull();
    expect(matchGuard(guards, 'Bash', { command: `${'a'.repeat(20000)}b` })).toBeNull();
  });
});

describe("a transcript's record of a call nevo blocked", () => {
  const guard: CompiledGuard = { rule: 'PROJ-007', title: 'pnmp is not installed here', text: 'Use the scripts.', tool: 'Bash', program: 'pnmp' };
  it('names the rule when the PreToolUse hook error is the message nevo wrote', () => {
    // Claude Code's wording: `PreToolUse:<tool> hook error: [<hook command>]: <hook stderr>`.
    expect(blockingRule(`PreToolUse:Bash hook error: ["/usr/bin/node" "/opt/nevo/dist/bin.cjs" hook]: ${blockMessage(guard)}`)).toBe('PROJ-007');
  });
  it("is null for another hook's refusal, or for nevo's words anywhere but a PreToolUse hook error", () => {
    expect(blockingRule('PreToolUse:Bash hook error: [./check.sh]: not on Fridays')).toBeNull();
    expect(blockingRule(`Exit code 1\ngrep found: ${blockMessage(guard)}`)).toBeNull();
    expect(blockingRule('PreToolUse:Bash hook error: [x]: nevo-tui blocked this call: nothing')).toBeNull();
  });
});
