import { describe, expect, it } from 'vitest';
import { compareVersions, hookForm, parseVersion } from '../../src/detect/claude-version.js';
import { effectiveCapture, guardIfs, MAX_IF_HANDLERS, pathPattern, planHooks, preToolUse } from '../../src/detect/hook-plan.js';

const NEW = hookForm('2.1.332');

describe('Claude Code versions', () => {
  it('reads `claude --version` and compares numerically', () => {
    expect(parseVersion('2.1.332 (Claude Code)\n')).toBe('2.1.332');
    expect(parseVersion('claude: command not found')).toBeNull();
    expect(compareVersions('2.1.89', '2.1.139')).toBeLessThan(0);
    expect(compareVersions('2.1.139', '2.1.139')).toBe(0);
    expect(compareVersions('2.2.0', '2.1.999')).toBeGreaterThan(0);
  });

  it('gives each field from the version that honours it', () => {
    expect(hookForm(null)).toEqual({ version: null, async: false, ifs: false, pathIfs: false, instructionsLoaded: false });
    // InstructionsLoaded exists from 2.1.69: an older version is never given an event it does not know.
    expect(hookForm('2.1.68')).toMatchObject({ instructionsLoaded: false });
    expect(hookForm('2.1.69')).toMatchObject({ instructionsLoaded: true });
    expect(hookForm('2.1.22')).toMatchObject({ async: false, ifs: false });
    expect(hookForm('2.1.23')).toMatchObject({ async: true, ifs: false });
    // `if` came in 2.1.85 but missed compound commands until 2.1.89.
    expect(hookForm('2.1.88')).toMatchObject({ async: true, ifs: false });
    expect(hookForm('2.1.89')).toMatchObject({ async: true, ifs: true, pathIfs: false });
    expect(hookForm('2.1.176')).toMatchObject({ pathIfs: true });
  });
});

describe('guardIfs', () => {
  it('starts the handler for any command that names a guarded program', () => {
    expect(guardIfs({ tool: 'Bash', program: 'pnmp' }, NEW)).toEqual(['Bash(*pnmp*)']);
  });

  it('keeps a command or input regex tool-wide: Claude Code drops redirections, comments and FOO=1 before it matches', () => {
    expect(guardIfs({ tool: 'Bash', command: '>\\s*/etc/hosts' }, NEW)).toEqual(['Bash']);
    expect(guardIfs({ tool: 'WebFetch', input: 'internal\\.example' }, NEW)).toEqual(['WebFetch']);
  });

  it('turns plain path globs into patterns that may start at any folder, from the version that matches paths', () => {
    expect(guardIfs({ tool: 'Edit', paths: ['generated/**', './dist/*.js', '/srv/app/secret.env', '**/x.ts'] }, NEW)).toEqual([
      'Edit(**/generated/**)',
      'Edit(**/dist/*.js)',
      'Edit(**/srv/app/secret.env)',
      'Edit(**/x.ts)',
    ]);
    expect(guardIfs({ tool: 'Edit', paths: ['generated/**'] }, hookForm('2.1.100'))).toEqual(['Edit']);
    // Braces, classes and `..` do not mean the same to Claude Code.
    expect(guardIfs({ tool: 'Write', paths: ['src/{a,b}.ts'] }, NEW)).toEqual(['Write']);
    expect(pathPattern('a/[bc].ts')).toBeNull();
    expect(pathPattern('../x')).toBeNull();
    // Path patterns only for the tools Claude Code matches paths for.
    expect(guardIfs({ tool: 'NotebookEdit', paths: ['x.ipynb'] }, NEW)).toEqual(['NotebookEdit']);
  });

  it('gives up on a tool name permission rules cannot hold', () => {
    expect(guardIfs({ tool: 'Bash(x)', program: 'tree' }, NEW)).toBeNull();
  });
});

describe('preToolUse', () => {
  it('registers nothing without guards, and one handler per pattern with them', () => {
    expect(preToolUse([], NEW)).toEqual([]);
    expect(preToolUse([{ tool: 'Bash', program: 'tree' }, { tool: 'Bash', program: 'pnmp' }, { tool: 'Bash', program: 'tree' }], NEW)).toEqual([{ if: 'Bash(*pnmp*)' }, { if: 'Bash(*tree*)' }]);
  });

  it('lets a tool-wide handler stand for the tool', () => {
    expect(preToolUse([{ tool: 'Bash', program: 'tree' }, { tool: 'Bash', command: 'rm -rf /' }, { tool: 'Read', paths: ['.env'] }], NEW)).toEqual([{ if: 'Bash' }, { if: 'Read(**/.env)' }]);
  });

  it('falls back to one handler for every call when the guards cannot be told apart or are too many', () => {
    expect(preToolUse([{ tool: 'Bash(x)', program: 'tree' }], NEW)).toEqual([{}]);
    const many = Array.from({ length: MAX_IF_HANDLERS + 1 }, (_, i) => ({ tool: 'Bash', program: `p${i}` }));
    expect(preToolUse(many, NEW)).toEqual([{}]);
    expect(preToolUse(many.slice(0, MAX_IF_HANDLERS), NEW)).toHaveLength(MAX_IF_HANDLERS);
  });

  it('without `if`, runs for every call while a guard is active; the form every version reads always has it', () => {
    expect(preToolUse([{ tool: 'Bash', program: 'tree' }], hookForm('2.1.50'))).toEqual([{}]);
    expect(preToolUse([], hookForm('2.1.50'))).toEqual([]);
    expect(preToolUse([], hookForm(null))).toEqual([{}]);
    expect(preToolUse('any', NEW)).toEqual([{}]);
  });
});

describe('planHooks', () => {
  it('runs capture in the background, Stop and SessionEnd in the foreground, SessionStart in the foreground only when it may print context', () => {
    const plan = planHooks({ form: NEW, guards: [{ tool: 'Bash', program: 'pnmp' }], sessionContext: false, capture: 'call' });
    expect(plan).toEqual({
      PostToolUse: [{ async: true }],
      PostToolUseFailure: [{ async: true }],
      SubagentStop: [{ async: true }],
      UserPromptSubmit: [{ async: true }],
      TaskCompleted: [{ async: true }],
      Stop: [{}],
      SessionEnd: [{}],
      SessionStart: [{ async: true }],
      PreToolUse: [{ if: 'Bash(*pnmp*)' }],
      InstructionsLoaded: [{ async: true }],
    });
    expect(planHooks({ form: NEW, guards: [], sessionContext: true }).SessionStart).toEqual([{}]);
  });

  it('by turn (the default), starts nothing for a call that works or a prompt: ingest reads them from the transcript; failures still come at once', () => {
    expect(planHooks({ form: NEW, guards: [], sessionContext: false })).toEqual(planHooks({ form: NEW, guards: [], sessionContext: false, capture: 'turn' }));
    const plan = planHooks({ form: NEW, guards: [], sessionContext: false, capture: 'turn' });
    expect(plan.PostToolUse).toEqual([]);
    expect(plan.UserPromptSubmit).toEqual([]);
    expect(plan.PostToolUseFailure).toEqual([{ async: true }]);
    expect(plan.Stop).toEqual([{}]);
    expect(plan.PreToolUse).toEqual([]);
    // Without background handlers there is nothing to save: every event keeps its handler.
    expect(planHooks({ form: hookForm('2.1.0'), guards: [], sessionContext: false, capture: 'turn' }).PostToolUse).toEqual([{}]);
    expect(effectiveCapture(hookForm('2.1.0'), 'turn')).toBe('call');
    expect(effectiveCapture(NEW)).toBe('turn');
    expect(effectiveCapture(NEW, 'call')).toBe('call');
  });

  it('gives an unknown or old version one foreground handler for every event', () => {
    for (const version of [null, '2.1.0']) {
      const plan = planHooks({ form: hookForm(version), guards: [], sessionContext: false });
      expect(Object.values(plan).every((handlers) => handlers.length === 1 && !handlers[0]!.async && !handlers[0]!.if), String(version)).toBe(true);
    }
  });
});
