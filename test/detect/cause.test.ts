import { describe, expect, it } from 'vitest';
import { causeOf } from '../../src/detect/cause.js';

const bash = (command: string, error: string) => causeOf({ tool: 'Bash', target: command, error });

describe('causeOf: noise is recognised, with its kind', () => {
  it.each([
    ['declined', causeOf({ tool: 'Bash', target: 'rm -rf dist', error: "The user doesn't want to proceed with this tool use. The tool use was rejected (eg. if it was a file edit, the new_string was NOT written to the file). STOP what you are doing and wait for the user to tell you how to proceed." })],
    ['interrupted', causeOf({ tool: 'Bash', target: 'npm run dev', error: 'Exit code 130', interrupted: true })],
    ['cascade', causeOf({ tool: 'Read', target: '/a/b.ts', error: '<tool_use_error>Sibling tool call errored</tool_use_error>' })],
    ['hook-block', bash('tree', 'PreToolUse:Bash hook error: [nevo-tui hook]: nevo-tui blocked this call (PROJ-001)')],
    ['probe', bash('ls config/*.yml 2>/dev/null', 'Exit code 2\nls: cannot access config/*.yml: No such file or directory')],
    ['probe', bash('test -f .env', 'Exit code 1')],
    ['probe', bash('grep -rn "TODO" src', 'Exit code 1')],
    ['probe', bash('crontab -l', 'Exit code 1\nno crontab for root')],
    // Claude Code 1.0 gave a failed command's output without "Exit code N".
    ['probe', bash('ls config/local.yml', 'ls: config/local.yml: No such file or directory')],
    ['test-run', bash('npm test', 'Exit code 1\nFAIL src/a.test.ts > adds\nAssertionError: expected 2 to be 3')],
    ['test-run', bash('cd api && python -m pytest tests/test_users.py -x', 'Exit code 1\n=== 1 failed, 3 passed in 0.2s ===')],
    ['test-run', bash('cargo test', 'Exit code 101\ntest result: FAILED. 3 passed; 1 failed')],
    ['lint-feedback', bash('npx eslint src', 'Exit code 1\n/x/src/a.ts\n  3:1  error  no-unused-vars')],
    ['declined', causeOf({ tool: 'ExitPlanMode', error: 'User chose to stay in plan mode and continue planning' })],
    ['probe', bash('gh pr checks 7675 --repo o/r 2>&1', 'Exit code 8\nci / build\tpending\t0\thttps://example.test/runs/1')],
    ['transient', causeOf({ tool: 'Glob', target: '**/CHANGELOG*', error: "ENOENT: no such file or directory, posix_spawn '/Users/u/.local/share/claude/versions/2.1.41'" })],
    ['test-run', bash('mise run test', 'Exit code 1\n[test] $ go test ./...\n[test] ERROR task failed')],
    ['lint-feedback', bash('mise run fmt && mise run lint', 'Exit code 1\n[lint] $ golangci-lint run ./...\n[lint] ERROR task failed')],
    ['test-run', bash('./scripts/run_tests.sh --fast', 'Exit code 1\n2 tests failed')],
    ['task-expected', bash('git merge origin/main --no-edit', 'Exit code 1\nAuto-merging a.go\nCONFLICT (content): Merge conflict in a.go\nAutomatic merge failed; fix conflicts and then commit the result.')],
    ['lint-feedback', bash('npx tsc --noEmit', "Exit code 2\nsrc/a.ts(3,5): error TS2322: Type 'string' is not assignable to type 'number'.")],
  ])('%s', (kind, cause) => expect(cause.noise?.kind).toBe(kind));
});

describe('causeOf: causes from structure, not from words anywhere', () => {
  it('reads npm 10 and pnpm missing scripts as one mistake, whatever the script', () => {
    const npm10 = bash('npm run nonexistent', 'Exit code 1\nnpm error Missing script: "nonexistent"\nnpm error\nnpm error To see a list of scripts, run:\nnpm error   npm run');
    const npm6 = bash('npm run typecheck', 'Exit code 1\nnpm ERR! missing script: typecheck');
    const pnpm = bash('pnpm lint:fix', 'Exit code 1\n ERR_PNPM_NO_SCRIPT  Missing script: lint:fix');
    expect(npm10).toMatchObject({ category: 'missing script', subject: 'nonexistent' });
    expect(npm6).toMatchObject({ category: 'missing script', subject: 'typecheck' });
    expect(pnpm).toMatchObject({ category: 'missing script', subject: 'lint:fix' });
    expect(new Set([npm10.key, npm6.key, pnpm.key]).size).toBe(1);
  });
  it('names the missing program from any shell, not the number in "(eval):1:"', () => {
    expect(bash('tree -L 2', 'Exit code 127\n(eval):1: command not found: tree')).toMatchObject({ category: 'command not found', entity: 'tree' });
    expect(bash('cd x && jq .a f.json', 'Exit code 127\n/bin/bash: line 1: jq: command not found')).toMatchObject({ entity: 'jq' });
    expect(bash('sudo rg foo', 'Exit code 127\nsudo: rg: command not found').entity).toBe('rg');
  });
  it('does not call a pre-commit hook\'s "validation failed" an input validation error', () => {
    const c = bash('git commit -m "feat: x"', 'Exit code 1\ncheck yaml...............Failed\n- hook id: check-yaml\nvalidation failed for config.yml');
    expect(c.category).not.toBe('input validation');
  });
  it('calls a runtime TypeError a runtime error, not a type error', () => {
    const c = bash('node scripts/build.js', "Exit code 1\n/x/scripts/build.js:3\nTypeError: Cannot read properties of undefined (reading 'map')\n    at main (/x/scripts/build.js:3:9)");
    expect(c).toMatchObject({ category: 'runtime error', entity: 'TypeError' });
  });
  it('reads ERESOLVE as a dependency conflict, not a missing module', () => {
    expect(bash('npm install react@19', 'Exit code 1\nnpm error code ERESOLVE\nnpm error ERESOLVE unable to resolve dependency tree').category).toBe('dependency conflict');
  });
  it('keys a missing module by its package', () => {
    expect(bash('node a.js', "Exit code 1\nError: Cannot find module 'lodash/fp'").key).toBe('module not found:lodash');
    expect(bash('python3 x.py', "Exit code 1\nModuleNotFoundError: No module named 'yaml.constructor'").key).toBe('module not found:yaml');
  });
  it('knows git without an upstream, whatever the branch', () => {
    const a = bash('git push', 'Exit code 128\nfatal: The current branch feature/login has no upstream branch.');
    const b = bash('git push', 'Exit code 128\nfatal: The current branch fix-1 has no upstream branch.');
    expect(a).toMatchObject({ category: 'git', entity: 'no upstream' });
    expect(a.key).toBe(b.key);
  });
  it('reads a failed cd, a script path wrong from here and a folder without go.mod as one mistake: the working directory', () => {
    const cd = bash('cd cmd/cli && go test ./...', 'Exit code 1\n(eval):cd:1: no such file or directory: cmd/cli');
    const script = bash('.claude/skills/t/harness.sh run', 'Exit code 127\n(eval):1: no such file or directory: .claude/skills/t/harness.sh');
    const go = bash('go vet ./...', 'Exit code 1\npattern ./...: no Go files in /home/u/app');
    expect([cd.key, script.key, go.key]).toEqual(['wrong directory:cwd', 'wrong directory:cwd', 'wrong directory:cwd']);
  });
  it('reads wrong options, sudo without a terminal, and zsh parse errors', () => {
    expect(bash('git status --cached', "Exit code 129\nerror: unknown option `cached'\nusage: git status [<options>]")).toMatchObject({ category: 'usage error', entity: 'git' });
    expect(bash('sudo systemsetup -getremotelogin', 'Exit code 1\nsudo: a terminal is required to read the password; either use the -S option')).toMatchObject({ category: 'permission', entity: 'sudo' });
    expect(bash('X=$(go env GOMODCACHE) && ls $X', "Exit code 1\n(eval):1: parse error near `('")).toMatchObject({ category: 'syntax error', entity: 'shell' });
  });
  it('reads pip in a managed Python, a blocked cd, and line numbers copied into old_string', () => {
    expect(bash('pip install requests', 'Exit code 1\nerror: externally-managed-environment\n\n× This environment is externally managed')).toMatchObject({ category: 'dependency conflict', entity: 'externally managed python' });
    expect(causeOf({ tool: 'Edit', error: 'String to replace not found in file.\nString:     12→  const a = 1;' })).toMatchObject({ entity: 'line numbers' });
  });
  it('reads Claude Code tool errors', () => {
    expect(causeOf({ tool: 'Task', error: "Agent type 'repo-research-analyst' not found. Available agents: Bash, general-purpose" })).toMatchObject({ category: 'tool unavailable', entity: 'subagent type' });
    expect(causeOf({ tool: 'Edit', error: 'File has been modified since read, either by the user or by a linter. Read it again before attempting to write it.' })).toMatchObject({ category: 'edit mismatch', entity: 'modified since read' });
    expect(causeOf({ tool: 'Edit', error: '<tool_use_error>File has not been read yet. Read it first before writing to it.</tool_use_error>' }).category).toBe('file not read first');
    expect(causeOf({ tool: 'Edit', error: 'Found 3 matches of the string to replace, but replace_all is false.' })).toMatchObject({ category: 'edit mismatch', entity: 'not unique' });
    expect(causeOf({ tool: 'Read', target: '/x/src', error: 'EISDIR: illegal operation on a directory, read' }).category).toBe('is a directory');
    expect(causeOf({ tool: 'Read', error: 'File content (806.5KB) exceeds maximum allowed size (256KB).' })).toMatchObject({ category: 'input validation', entity: 'too large' });
  });
});
