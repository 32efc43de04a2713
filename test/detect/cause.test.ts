import { describe, expect, it } from 'vitest';
import { causeOf, rewritesFile } from '../../src/detect/cause.js';
import { fingerprint } from '../../src/detect/fingerprint.js';
import { withoutShellNoise } from '../../src/detect/shell-noise.js';

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
    // Guards of the person's own setup that name themselves on the first line.
    ['hook-block', bash('git checkout -- .entire/.gitignore config/cliproxyapi/config.template.yaml config/cliproxyapi/config.tpl.yaml && git status --short', "BLOCKED by CC Safety Net\n\nReason: git checkout -- discards uncommitted changes permanently. Use 'git stash' first.\n\nRule: git.checkout-double-dash")],
    ['hook-block', bash('git add -A hosts spec && nix eval --impure --raw --expr \'let f = builtins.getFlake (toString ./.); in f\' 2>&1 | tail -30', 'BLOCKED by dcg\n\nTip: dcg explain "git add -A hosts spec && nix eval --impure --raw"')],
    // `command -v` anywhere in a chain is the check, although the shell parser drops it (it runs nothing).
    ['probe', bash('command -v treefmt && echo "---" && cat treefmt.toml | head -30', 'Exit code 1')],
    // `git show <ref>:<path>` asks whether the file is in that ref.
    ['probe', bash('git show entire/checkpoints/v1:README.md 2>&1', "Exit code 128\nfatal: path 'README.md' exists on disk, but not in 'entire/checkpoints/v1'")],
    // `git config` reading a key that is not set exits 1 with nothing to say (yutakobayashidev/repiq).
    ['probe', bash('git config --get wt.hook 2>&1', 'Exit code 1')],
    ['probe', bash('git -C ../core config user.signingkey', 'Exit code 1')],
    // The project's own pre-commit script is a checker: its findings are what it was run for (sam-fakhreddine/wfc).
    ['lint-feedback', bash('bash scripts/pre-commit.sh 2>&1', 'Exit code 1\n🪝 Pre-commit validation...\n  Checking black formatting...\n  ✅ Black formatting OK\n  Checking ruff linting...\n  ❌ Ruff found 3 issues')],
    // xcodebuild's test action is a test run like any other (Viniciuscarvalho/FitToday).
    ['test-run', bash("xcodebuild test -project App.xcodeproj -scheme App -destination 'platform=iOS Simulator,name=iPhone 17 Pro'", "Exit code 65\nTesting failed:\n\tCannot pass function of type '(Plan) async -> [String]' to parameter expecting synchronous function type\n** TEST FAILED **")],
  ])('%s', (kind, cause) => expect(cause.noise?.kind).toBe(kind));
});

describe('causeOf: causes from structure, not from words anywhere', () => {
  it('reads a python3 -c whose quoting the shell changed as a shell quoting mistake', () => {
    const bangEq = bash(`python3 -c "\nimport pandas as pd\ndf = pd.read_excel('Analysis/10.24 Analysis.xlsx', sheet_name='Analysis')\nnon_na = df['x'].notna()\nnon_empty = (df['x'] != '') & non_na\nprint(non_empty.sum())\n"`, '  File "<string>", line 16\n    non_empty = (df[col_name] \\!= \'\') & non_na\n                               ^\nSyntaxError: unexpected character after line continuation character');
    expect(bangEq).toMatchObject({ category: 'syntax error', entity: 'shell' });
    expect(bangEq.noise).toBeUndefined();
  });
  it('reads a filter complaining of a file named 2 as the redirect split off its command, not as the command failing', () => {
    // Viniciuscarvalho/FitToday: `2>&1 | tail -50` reached tail as words, so xcodebuild's output was lost.
    const test = bash("xcodebuild test -project App.xcodeproj -scheme App -destination 'platform=iOS Simulator,name=iPhone 17 Pro' 2>&1 | tail -50", 'Exit code 1\ntail: 2: No such file or directory');
    const grep = bash('xcodebuild build -scheme App 2>&1 | grep -E "error|warning"', 'Exit code 2\ngrep: 2: No such file or directory');
    for (const c of [test, grep]) {
      expect(c).toMatchObject({ category: 'syntax error', entity: 'redirect split' });
      expect(c.noise).toBeUndefined();
    }
    // Without a `2>` in the line, a missing file named 2 is only that.
    expect(bash('tail -5 2', 'Exit code 1\ntail: 2: No such file or directory').entity).not.toBe('redirect split');
    // A setting that is there but unreadable is no probe's answer.
    expect(bash('git config --get core.editor', 'Exit code 3\nfatal: bad config line 4 in file .git/config').noise).toBeUndefined();
    // Writing a setting is not asking for it.
    expect(bash('git config user.email "me@example.test"', 'Exit code 1').noise?.kind).not.toBe('probe');
  });
  it("reads past the lines a shell prints at every start: zoxide's doctor notice, a missing locale", () => {
    // yutakobayashidev/repiq: zoxide's notice opened the output of every failed call, so a `go run`
    // usage error, a repository not found and a project binary's own error were one incident.
    const zoxide = 'zoxide: detected a possible configuration issue.\nPlease ensure that zoxide is initialized right at the end of your shell configuration file (usually ~/.zshrc).\n\nIf the issue persists, consider filing an issue at:\nhttps://github.com/ajeetdsouza/zoxide/issues\n\nDisable this message by setting _ZO_DOCTOR=0.\n';
    const gh = bash('gh repo view o/r --json url', `Exit code 1\n${zoxide}\nGraphQL: Could not resolve to a Repository with the name 'o/r'. (repository)\n\n${zoxide}`);
    const goRun = bash('go run ./cmd/x --bogus', `Exit code 1\n${zoxide}\nflag provided but not defined: -bogus\nUsage of x:`);
    expect(gh.firstLine).toMatch(/^GraphQL: Could not resolve/);
    expect(goRun.firstLine).toBe('flag provided but not defined: -bogus');
    expect(fingerprint('Bash', `Exit code 1\n${zoxide}\nflag provided but not defined: -bogus`).fingerprint).toBe(fingerprint('Bash', 'Exit code 1\nflag provided but not defined: -bogus').fingerprint);
    expect(fingerprint('Bash', `Exit code 1\n${zoxide}\nerror: one`).fingerprint).not.toBe(fingerprint('Bash', `Exit code 1\n${zoxide}\nerror: two`).fingerprint);
    const locale = bash('make deploy', 'Exit code 2\nbash: warning: setlocale: LC_ALL: cannot change locale (en_US.UTF-8)\nmake: *** No rule to make target `deploy\'.  Stop.');
    expect(locale.firstLine).toMatch(/^make: \*\*\* No rule to make target/);
    // Text that only mentions zoxide is kept.
    expect(withoutShellNoise('zoxide: detected a possible configuration issue.\nsomething else')).toBe('zoxide: detected a possible configuration issue.\nsomething else');
  });
  it('names the script that looked for a missing program, for either analyst to read', () => {
    const web = bash('gh pr view 9 --web 2>&1', "Exit code 1\n/run/current-system/sw/bin/xdg-open: 行 1032: www-browser: command not found\nxdg-open: no method available for opening 'https://github.com/o/r/pull/9'");
    expect(web).toMatchObject({ category: 'command not found', entity: 'www-browser', calledBy: 'xdg-open' });
    // dash's words, and xdg-open's own exit code (3: no method available).
    const dash = bash('gh pr view 9 --web', 'Exit code 3\n/usr/bin/xdg-open: 882: www-browser: not found\n/usr/bin/xdg-open: 882: links2: not found');
    expect(dash).toMatchObject({ category: 'command not found', entity: 'www-browser', calledBy: 'xdg-open' });
    expect(bash('tree -L 2', 'Exit code 127\nbash: line 1: tree: command not found').calledBy).toBeUndefined();
    expect(bash('npm run build', 'Exit code 127\nsh: 1: tsc: not found').calledBy).toBeUndefined();
  });
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

describe('causeOf: work that fails on its way, and answers that are not mistakes', () => {
  it('takes a build pointing at lines of the code for the build doing its work', () => {
    const tsc = bash('npm run build 2>&1', "Exit code 2\n> app@0.2.0 build\n> tsc\n\nsrc/objects/write.ts(158,9): error TS2322: Type '{ id: string; }' is not assignable to type 'Rec'.");
    const go = bash('nix develop --command go build -o app .', '# example.com/app/cmd\ncmd/mcp.go:26:2: "crypto/sha256" imported and not used');
    const fw = bash('cd fw && esphome compile node.yaml 2>&1', "Exit code 2\nINFO Reading configuration node.yaml...\nFailed config\n\ninterval: [source node.yaml:121]\n  The 'headers' options has been renamed to 'request_headers'.");
    expect([tsc.noise?.kind, go.noise?.kind, fw.noise?.kind]).toEqual(['lint-feedback', 'lint-feedback', 'lint-feedback']);
    expect(tsc.category).toBe('type error');
  });
  it('keeps a build that fails for a missing module, a go.sum entry or a container step a mistake', () => {
    expect(bash('npm run build', "Exit code 2\nsrc/a.ts(5,30): error TS2307: Cannot find module 'string-similarity' or its corresponding type declarations.")).toMatchObject({ category: 'module not found', entity: 'string-similarity' });
    expect(bash('go build ./...', 'cmd/mcp.go:37:2: missing go.sum entry for module providing package github.com/x/y (imported by z)')).toMatchObject({ category: 'dependency conflict', entity: 'go modules' });
    expect(bash('docker build -t api .', 'Exit code 1\nDockerfile:8\n--------------------\nERROR: failed to solve: process "/bin/sh -c npm ci" did not complete successfully: exit code: 1').noise).toBeUndefined();
  });
  it('reads the command ssh ran on the other side', () => {
    const remote = bash(`ssh -p 2222 box "docker logs app 2>&1; curl -s http://127.0.0.1:3030/"`, 'Exit code 56\n****\nAUTHORIZED ACCESS ONLY');
    expect(remote.noise?.kind).toBe('probe');
    expect(bash('ssh box uptime', 'Exit code 255\nssh: connect to host box port 22: Connection refused').noise?.kind).toBe('transient');
    expect(bash(`ssh box "docker logs api 2>&1"`, 'Exit code 1\nDatabase init failed: error: password authentication failed for user "app"')).toMatchObject({ category: 'permission', entity: 'credentials' });
  });
  it('takes curl finding nothing, ping giving up, no pull request yet and git diff --check for answers', () => {
    expect(bash('curl -s --connect-timeout 5 http://192.168.4.1/sensor 2>&1', 'Exit code 28').noise?.kind).toBe('probe');
    expect(bash('ping -c 1 -t 2 device.local 2>&1', 'Exit code 142').noise?.kind).toBe('probe');
    expect(bash('gh pr view --json number,url 2>&1', 'Exit code 1\nno pull requests found for branch "alisha/refactor"').noise?.kind).toBe('probe');
    expect(bash('git status && git diff --check', 'Exit code 2\nOn branch x\na.ts:3: leftover conflict marker').noise?.kind).toBe('probe');
    expect(bash('curl -s https://api.example.test/v1', 'Exit code 6\ncurl: (6) Could not resolve host: api.example.test').noise).toBeUndefined();
  });
  it('takes the auto mode classifier refusing a call for a declined call', () => {
    const c = bash('mkdir -p ~/.local/bin && ln -sf x ~/.local/bin/x', 'Permission for this action was denied by the Claude Code auto mode classifier. Reason: Overwrites a managed file.');
    expect(c.noise?.kind).toBe('declined');
  });
  it('takes the errors of an MCP server the project itself builds for the work, and no one else\'s', () => {
    const error = "Error executing tool 'create-record': Company create failed: Bad Request: Cannot find attribute with slug/ID \"note\".";
    expect(causeOf({ tool: 'mcp__attio__create-record', error, cwd: '/Users/k/Projects/attio-mcp-server' }).noise?.kind).toBe('task-expected');
    expect(causeOf({ tool: 'mcp__attio__create-record', error, cwd: '/Users/k/Projects/crm-sync' }).noise).toBeUndefined();
    expect(causeOf({ tool: 'mcp__attio__create-record', error, cwd: '/Users/k/Projects/attiomatic' }).noise).toBeUndefined();
  });
});

describe('causeOf: mistakes that were taken for noise', () => {
  it('reads git refusing to overwrite local changes and to add an ignored path the agent named', () => {
    expect(bash('git stash pop', 'Exit code 1\nerror: Your local changes to the following files would be overwritten by merge:\n\ta.json\nPlease commit your changes or stash them before you merge.\nAborting\nOn branch x\nnothing to commit, working tree clean')).toMatchObject({ category: 'git', entity: 'local changes in the way' });
    const ignored = 'Exit code 1\nThe following paths are ignored by one of your .gitignore files:\ndocs\nhint: Use -f if you really want to add them.';
    const added = bash('git add docs/design.md && git commit -m "Add design"', ignored);
    expect(added).toMatchObject({ category: 'git', entity: 'ignored path' });
    expect(added.noise).toBeUndefined();
    expect(bash('./scripts/test-harness.sh start', ignored).noise?.kind).toBe('test-run');
  });
  it('reads a commit refused by a formatter check in the hook as formatting left undone, other hook refusals as the hook at work', () => {
    const format = bash('git commit -m "Fix perf tests"', '> app@0.2.0 check:format\n> npx prettier --check src\n\nChecking formatting...\n[warn] src/a.ts\n[warn] Code style issues found in the above file. Run Prettier with --write to fix.\nhusky - pre-commit script failed (code 1)');
    expect(format).toMatchObject({ category: 'lint', entity: 'format before commit' });
    expect(format.noise).toBeUndefined();
    expect(bash('git commit -m "x"', 'Exit code 1\nRunning gitleaks scan on staged files...\nleaks found: 1').noise?.kind).toBe('hook-block');
  });
  it('reads a Playwright click on a hidden file input as its own mistake, not a server timeout', () => {
    const c = causeOf({ tool: 'mcp__playwright__browser_click', error: "### Error\nTimeoutError: locator.click: Timeout 5000ms exceeded.\nCall log:\n  - waiting for locator('aria-ref=e73')\n    - locator resolved to <input multiple type=\"file\" tabindex=\"-1\"/>\n  - attempting click action" });
    expect(c).toMatchObject({ category: 'input validation', entity: 'hidden file input' });
    expect(c.noise).toBeUndefined();
  });
});

describe('causeOf: development environments, full disks and other wordings', () => {
  it('looks inside nix develop, nix-shell, mise exec and devbox run for the check or test they run', () => {
    expect(bash('nix develop -c lint', 'Exit code 1\n(!) templ version check: generator v0.3.865 is older\nlevel=error msg="handler.go:12:3: unused variable"').noise?.kind).toBe('lint-feedback');
    expect(bash('nix develop -c golangci-lint run --fix ./...', 'Exit code 1\nlevel=warning msg="[runner] Can\'t run linter goanalysis_metalinter"').noise?.kind).toBe('lint-feedback');
    expect(bash(`nix-shell --run 'pytest -x tests'`, 'Exit code 1\n=== 1 failed ===').noise?.kind).toBe('test-run');
    expect(bash('mise exec -- vitest run', 'Exit code 1\nFAIL a.test.ts').noise?.kind).toBe('test-run');
    expect(bash('devbox run ./scripts/typecheck.sh', 'Exit code 2\nsrc/a.ts(3,5): error TS2322').noise?.kind).toBe('lint-feedback');
    // A check's own usage error is a mistake, even run through an environment.
    expect(bash('nix develop -c golangci-lint run --disable goanalysis_metalinter', "Exit code 3\nError: unknown linters: 'goanalysis_metalinter', run 'golangci-lint help linters' to see the list").noise).toBeUndefined();
  });
  it('takes a full disk and a signing agent that refused for the machine, not the agent', () => {
    expect(bash('git clone https://example.test/x.git', "fatal: could not create work tree dir 'x': No space left on device").noise?.kind).toBe('transient');
    expect(bash('git commit -m "Cover sync"', 'Exit code 128\nerror: Signing file /tmp/.git_signing_buffer_tmpd5vSST\nCouldn\'t sign message (signer): agent refused operation\nfatal: failed to write commit object').noise?.kind).toBe('transient');
  });
  it("reads Claude Code's other refusal wording as a declined call", () => {
    const c = causeOf({ tool: 'TodoWrite', error: "The user doesn't want to take this action right now. STOP what you are doing and wait for the user to tell you how to proceed." });
    expect(c.noise?.kind).toBe('declined');
  });
});

describe('causeOf: builds, syntax checks and words inside a script output', () => {
  it('takes "invalid argument" inside a test script output for the script at work, not a usage error', () => {
    const c = bash('uv run python test_wave2_fastapi.py', "Exit code 1\n[TEST 1] Import FastAPI app module...\n❌ FAIL: Failed to import app - Invalid argument(s) 'pool_size' sent to create_engine()");
    expect(c.noise?.kind).toBe('test-run');
    expect(bash('rg --frobnicate x', "Exit code 2\nerror: unexpected argument '--frobnicate' found").category).toBe('usage error');
    expect(bash('cat -z a', 'Exit code 1\ncat: illegal option -- z\nusage: cat [-belnstuv] [file ...]').category).toBe('usage error');
  });
  it('takes py_compile finding a syntax error for the check at work', () => {
    expect(bash('python3 -m py_compile src/app/x.py', 'Exit code 1\n  File "src/app/x.py", line 456\nSyntaxError: non-default argument follows default argument').noise?.kind).toBe('lint-feedback');
    expect(bash('python3 scripts/migrate.py', 'Exit code 1\n  File "scripts/migrate.py", line 3\nSyntaxError: invalid syntax').noise).toBeUndefined();
  });
  it('takes a build failing for no known cause for the build at work, a build missing a module for a mistake', () => {
    expect(bash('bun run pages:build', '$ next build\nError: export const dynamic = "force-static" not configured on route "/api/waitlist"').noise?.kind).toBe('lint-feedback');
    expect(bash('npm run build', "Exit code 1\nError: Cannot find module 'tailwindcss'").noise).toBeUndefined();
  });
});

describe('causeOf: task runners other than package managers', () => {
  it('reads a missing make target, just recipe and mise task as that runner\'s missing script', () => {
    expect(bash('make deploy', "make: *** No rule to make target 'deploy'.  Stop.")).toMatchObject({ category: 'missing script', entity: 'make', subject: 'deploy' });
    expect(bash('just release', 'error: Justfile does not contain recipe `release`.')).toMatchObject({ category: 'missing script', entity: 'just', subject: 'release' });
    expect(bash('npm run nonexistent', 'npm error Missing script: "nonexistent"')).toMatchObject({ category: 'missing script', entity: '', subject: 'nonexistent' });
  });
});

describe('causeOf: a missing module inside a test run, and other answers that are not mistakes', () => {
  it('takes a test script reporting a missing module in its own words for the test at work', () => {
    const own = bash('uv run python test_wave2_imports.py', "Exit code 1\n❌ app.api.v1.router\n   Error: No module named 'psutil'");
    expect(own.noise?.kind).toBe('test-run');
    const failLine = bash('.venv/bin/python test_wave2_fastapi.py', "Exit code 1\n[TEST 1] Import FastAPI app module...\n❌ FAIL: Failed to import app - No module named 'psutil'");
    expect(failLine.noise?.kind).toBe('test-run');
    // jest failing to find a module of the project's own (a relative path) is code being written.
    expect(bash('pnpm test 2>&1', "Exit code 1\n FAIL src/links/links.service.spec.ts\n  ● Test suite failed to run\n\n    Cannot find module '../supabase/supabase.module.js' from 'links/links.service.ts'").noise?.kind).toBe('test-run');
  });
  it('still takes an uncaught missing package under a test run for a missing dependency', () => {
    expect(bash('python test_wave2_fastapi.py', "Exit code 1\nTraceback (most recent call last):\n  File \"test_wave2_fastapi.py\", line 23, in <module>\n    from fastapi.testclient import TestClient\nModuleNotFoundError: No module named 'fastapi'")).toMatchObject({ category: 'module not found', entity: 'fastapi' });
    expect(bash('python3 -m pytest tests/', 'Exit code 1\n/usr/bin/python3: No module named pytest')).toMatchObject({ category: 'module not found', entity: 'pytest' });
    expect(bash('npx vitest run', "Exit code 1\nError: Cannot find module 'zod'")).toMatchObject({ category: 'module not found', entity: 'zod' });
  });
  it("takes the project's own package failing to build in uv sync for its packaging at work", () => {
    const c = bash('uv sync', 'Exit code 1\nResolved 134 packages in 311ms\n  × Failed to build `mochi-donut @\n  │ file:///Users/me/mochi_donut`\n  ╰─▶ Build backend failed to build editable through `build_editable` (exit\n      status: 1)');
    expect(c.noise?.kind).toBe('task-expected');
    expect(bash('uv sync', "Exit code 1\n  × No solution found when resolving dependencies:\n  ╰─▶ Because only claude-agent-sdk<=0.1.6 is available and your project depends on claude-agent-sdk>=1.0.0").noise).toBeUndefined();
  });
  it('reads git after its global options, so `git -C dir rev-parse --is-inside-work-tree` is a question', () => {
    expect(bash('git -C ~/.claude rev-parse --is-inside-work-tree 2>&1', 'Exit code 128\nfatal: not a git repository (or any of the parent directories): .git').noise?.kind).toBe('probe');
    const elsewhere = bash('git -C ../other status', 'Exit code 128\nfatal: not a git repository (or any of the parent directories): .git');
    expect(elsewhere.category).toBe('wrong directory');
    expect(elsewhere.noise).toBeUndefined();
  });
  it("leaves a test harness's own git pathspec error to the harness", () => {
    expect(bash('go build -o /tmp/x ./cmd/x && .claude/skills/test-repo/test-harness.sh setup-repo', "Exit code 128\nfatal: pathspec '.entire/.gitignore' did not match any files\n==> Setting up test repository...").noise?.kind).toBe('test-run');
    expect(bash('git add docs/missing.md', "Exit code 128\nfatal: pathspec 'docs/missing.md' did not match any files")).toMatchObject({ category: 'file not found', entity: 'git pathspec' });
  });
  it('takes the no of a question asked by exit code (is it installed, is it there) for an answer', () => {
    for (const [command, error] of [
      ['npm ls left-pad', 'Exit code 1\nmy-app@1.0.0 /w\n└── (empty)'],
      ['pnpm list typescript --depth 0', 'Exit code 1'],
      ['pip show requests', 'Exit code 1\nWARNING: Package(s) not found: requests'],
      ['uv pip show httpx', 'Exit code 1\nwarning: Package(s) not found for: httpx'],
      ['brew list bfg', 'Exit code 1\nError: No such keg: /opt/homebrew/Cellar/bfg'],
      ['dpkg -s tmux', "Exit code 1\ndpkg-query: package 'tmux' is not installed and no information is available"],
      ['rpm -q jq', 'Exit code 1\npackage jq is not installed'],
      ['tmux has-session -t dev', "Exit code 1\ncan't find session: dev"],
      ['systemctl is-active nginx', 'Exit code 3\ninactive'],
      ['launchctl list com.example.agent', 'Exit code 113\nCould not find service "com.example.agent" in domain for port'],
      ['id deploy', 'Exit code 1\nid: ‘deploy’: no such user'],
      ['getent passwd deploy', 'Exit code 2'],
    ])
      expect(bash(command!, error!).noise?.kind, command).toBe('probe');
    // The same programs asked to do something, or missing themselves, stay mistakes.
    expect(bash('npm install left-pad', 'Exit code 1\nnpm error code E404\nnpm error 404 Not Found - GET https://registry.npmjs.org/left-padd').noise).toBeUndefined();
    expect(bash('brew install bfg', 'Exit code 1\nError: bfg: no bottle available!').noise).toBeUndefined();
    expect(bash('tmux has-session -t dev', 'Exit code 127\nbash: tmux: command not found').noise).toBeUndefined();
    expect(bash('npm ls', 'Exit code 1\nnpm error code ELSPROBLEMS\nnpm error missing: react@18, required by app@1.0.0').noise).toBeUndefined();
  });

  it('takes pkill finding nothing for an answer, pkill killing its own shell for a mistake', () => {
    expect(bash('pkill -f jekyll', 'Error').noise?.kind).toBe('probe');
    expect(bash('pkill -f "node server"', 'Exit code 144').noise).toBeUndefined();
  });
  it("takes a service out of credits for the service's limit, and a plugin's own script in its checkout for the work", () => {
    expect(causeOf({ tool: 'mcp__exa__web_fetch_exa', error: 'web_fetch_exa error (402): You have exceeded your credits limit. Please top up' }).noise?.kind).toBe('transient');
    const plugin = causeOf({ tool: 'Bash', target: 'python3 /Users/p/.claude/plugins/cache/session-share-marketplace/session-share/0.1.3/commands/publish/scripts/publish_session.py', error: 'Exit code 1\nError: Session info not available. Was the plugin installed correctly?', cwd: '/Users/p/src/session-share' });
    expect(plugin.noise?.kind).toBe('task-expected');
    const elsewhere = causeOf({ tool: 'Bash', target: 'python3 /Users/p/.claude/plugins/cache/m/session-share/0.1.3/x.py', error: 'Exit code 1\nError: Session info not available.', cwd: '/Users/p/src/blog' });
    expect(elsewhere.noise).toBeUndefined();
  });
  it('takes a pull request that cannot merge cleanly for a conflict to resolve, and an all-checks script or a task runner run through npx for the work', () => {
    expect(bash('gh pr merge 22 --squash --delete-branch 2>&1', 'Exit code 1\nX Pull request o/r#22 is not mergeable: the merge commit cannot be cleanly created.').noise?.kind).toBe('task-expected');
    expect(bash('bun run verify 2>&1', 'Exit code 1\n$ doppler run -- turbo run typecheck lint test build\n• turbo 2.8.9\nTasks: 3 successful, 4 total\nFailed: @x/cli#test').noise?.kind).toBe('test-run');
    expect(bash('npx turbo run test 2>&1', 'Exit code 1\n• turbo 2.8.9\n@x/core:test: FAIL src/a.test.ts').noise?.kind).toBe('test-run');
    expect(bash('nx run-many -t test', 'Exit code 1\nFailed tasks:\n- core:test').noise?.kind).toBe('test-run');
  });
  it('takes errors silenced with 2>/dev/null for a check, unless another program of the line complained in its own name', () => {
    expect(bash('pkill -f "bun.*server.ts" 2>/dev/null\nsleep 2\ncd ~/voice-server && nohup bun run server.ts > /tmp/v.log 2>&1 &\nsleep 3 echo "=== Server Health ==="', 'Exit code 1\nsleep: invalid time interval: echo\nsleep: invalid time interval: === Server Health ===\nusage: sleep number[unit] [...]').noise).toBeUndefined();
    expect(bash('pkill -f "vite" 2>/dev/null; sleep 1', 'Exit code 1').noise?.kind).toBe('probe');
    // After ||, sleep runs on its own, not on a pipe: its complaint is its own.
    expect(bash('pkill -f vite 2>/dev/null || sleep 3 echo hi', 'Exit code 1\nsleep: invalid time interval: echo').noise).toBeUndefined();
    expect(bash('cat .env.local 2>/dev/null | grep -c API_KEY', 'Exit code 1\n0').noise?.kind).toBe('probe');
    // base64 complains of the empty answer gh gave it: the check's no, not base64's mistake.
    expect(bash('gh api repos/o/r/contents/.secretlintrc.json --jq .content 2>/dev/null | base64 -d', 'Exit code 1\nbase64: invalid input').noise?.kind).toBe('probe');
  });
  it('takes a self-test, smoke test or health check run by its whole name for a test run, not any script with test in its name', () => {
    expect(bash('cd ~/Projects/PAI && bun .claude/hooks/self-test.ts 2>&1', 'Exit code 1\n\n🏥 PAI Health Check\n\n❌ Voice server: not running').noise?.kind).toBe('test-run');
    expect(bash('python scripts/smoke_test.py', 'Exit code 1\nFAILED: /health returned 500').noise?.kind).toBe('test-run');
    expect(bash('node test-create.js', 'Exit code 1\nTypeError: client.create is not a function').noise).toBeUndefined();
  });
  it("takes a project's own checker script reporting findings for the check at work, not one that crashed or was not found", () => {
    expect(bash('cd ~/skills/rpd && python scripts/prd-validator.py references/prd.md', 'Exit code 2\nPRD Validation: FAIL\nTotal features: 13\n\nFeature Gaps:\n  [3] Export: missing acceptance criteria').noise?.kind).toBe('lint-feedback');
    expect(bash('./scripts/check_links.sh docs', 'Exit code 1\nbroken link: docs/a.md -> b.md').noise?.kind).toBe('lint-feedback');
    expect(bash('python scripts/security-scanner.py .', 'Exit code 2\n{\n  "status": "BLOCKED",\n  "total_findings": 1\n}').noise?.kind).toBe('lint-feedback');
    expect(bash('python scripts/validate.py', "Exit code 2\npython: can't open file '/p/scripts/validate.py': [Errno 2] No such file or directory").noise).toBeUndefined();
    expect(bash('python tools/schema_validator.py', 'Exit code 1\nTraceback (most recent call last):\n  File "tools/schema_validator.py", line 3\nModuleNotFoundError: No module named \'jsonschema\'').noise).toBeUndefined();
    expect(bash('bash scripts/audit.sh', 'Exit code 127\nscripts/audit.sh: line 4: jq: command not found').noise).toBeUndefined();
    // A package script named for a check among other words, reporting what it found.
    expect(bash('npm run design-review:local', '> site@1.0.0 design-review:local\n> node scripts/design-reviewer.js http://localhost:3000\n\n📊 Design review complete!\n   Issues: 2\n   Score: 60%').noise?.kind).toBe('lint-feedback');
    expect(bash('pnpm run check:links', 'Exit code 1\n✖ docs/setup.md: 404 https://example.com/old').noise?.kind).toBe('lint-feedback');
    expect(bash('npm run design-review', 'Exit code 1\nnpm error Missing script: "design-review"').noise).toBeUndefined();
    expect(bash('npm run checkout-flow', 'Exit code 1\nError: cart is empty').noise).toBeUndefined();
    // A name that only contains the word is not a checker: `scanimage`, `checkout.py`.
    expect(bash('python scripts/checkout.py', 'Exit code 1\nerror: cart is empty').noise).toBeUndefined();
  });
  it("takes Claude Code failing to start its own program for a tool for its install at fault, and asking who is logged in for a check", () => {
    for (const path of ['/opt/homebrew/Caskroom/claude-code/2.0.70/claude', '/Users/a/.local/share/claude/versions/2.1.3', '/usr/lib/node_modules/@anthropic-ai/claude-code/vendor/ripgrep/arm64-darwin/rg']) {
      expect(causeOf({ tool: 'Grep', target: 'lip', error: `ENOENT: no such file or directory, posix_spawn '${path}'` }).noise?.kind).toBe('transient');
    }
    // A program of the project that cannot be started is not Claude Code's.
    expect(bash('node scripts/run.js', "Exit code 1\nError: spawn ./bin/server ENOENT").noise).toBeUndefined();
    expect(bash('vercel whoami 2>&1', 'Exit code 1\nVercel CLI 50.1.0\nError: No existing credentials found. Please run `vercel login`').noise?.kind).toBe('probe');
    expect(bash('gh auth status', 'Exit code 1\nYou are not logged into any GitHub hosts.').noise?.kind).toBe('probe');
    expect(bash('vercel --prod', 'Exit code 1\nError: No existing credentials found. Please run `vercel login`').noise).toBeUndefined();
  });
  it("takes a probe's empty glob for its answer, but not a path whose parentheses zsh read as a glob", () => {
    expect(bash('ls -1 .planning/phases/*-PLAN.md 2>/dev/null | wc -l', 'Exit code 1\n(eval):1: no matches found: .planning/phases/*-PLAN.md').noise?.kind).toBe('probe');
    const group = bash('ls -la ./app/src/app/(public)/', '(eval):1: no matches found: ./app/src/app/(public)/');
    expect(group.key).toBe('syntax error:zsh glob');
    expect(group.noise).toBeUndefined();
  });
  it('takes a syntax error a test run finds for the test at work, and a local page that does not answer for a mistake', () => {
    expect(bash('bun test 2>&1', 'Exit code 1\nbun test v1.3.5\nsrc/index.test.ts:\nSyntaxError: Unexpected token')).toMatchObject({ noise: { kind: 'test-run' } });
    expect(bash('node scripts/build.mjs', 'Exit code 1\nSyntaxError: Unexpected token').noise).toBeUndefined();
    const local = causeOf({ tool: 'WebFetch', target: 'http://127.0.0.1:4000/', error: 'ECONNREFUSED' });
    expect(local.key).toBe('network:local server');
    expect(local.noise).toBeUndefined();
    expect(causeOf({ tool: 'WebFetch', target: 'https://example.com/', error: 'ECONNREFUSED' }).noise?.kind).toBe('transient');
  });
});

describe('causeOf: seventh corpus wave (calls from the tune part)', () => {
  // 4alvit/mcp-venus-os: every module was written with Write and then checked with ruff.
  const ruffW292 = 'Exit code 1\nW292 [*] No newline at end of file\n   --> src/mcp_venus_os/server.py:260:6\n    |\n258 |         "success": True,\n259 |         "message": f"Subscribed to {topic_pattern}. Use mqtt_poll for messages.",\n260 |     }\n    |      ^\n    |\nhelp: Add trailing newline\n\nFound 1 error.\n[*] 1 fixable with the `--fix` option.';
  const ruffMixed = 'Exit code 1\nW292 [*] No newline at end of file\n --> src/mcp_venus_os/__init__.py:5:20\n  |\n5 | __license__ = "MIT"\n  |                    ^\n  |\nhelp: Add trailing newline\n\nUP045 [*] Use `X | None` for type annotations\n  --> src/mcp_venus_os/config.py:26:15\n   |\n26 |     username: Optional[str] = Field(default=None, description="MQTT username")\n   |               ^^^^^^^^^^^^^\nhelp: Convert to `X | None`';

  it('takes a lint run whose only finding is a missing final newline for how files are written, not for lint feedback', () => {
    const only = bash('uv run ruff check src/mcp_venus_os/server.py', ruffW292);
    expect(only).toMatchObject({ category: 'lint', entity: 'final newline' });
    expect(only.noise).toBeUndefined();
    expect(bash('flake8 app.py', 'Exit code 1\napp.py:12:80: W292 no newline at end of file').key).toBe('lint:final newline');
    // Other findings beside it: the check doing its work on the code.
    expect(bash('uv run ruff check src/mcp_venus_os/', ruffMixed).noise?.kind).toBe('lint-feedback');
  });

  it("takes the project's own command crashing, run from its checkout, for the work being tried", () => {
    const error = "Exit code 1\nTraceback (most recent call last):\n  File \"/Users/vmedvedev/victron/mcp-venus-os/.venv/bin/mcp-venus-os\", line 10, in <module>\n    sys.exit(mcp())\n             ~~~^^\nTypeError: 'FastMCP' object is not callable";
    const own = causeOf({ tool: 'Bash', target: 'uv run mcp-venus-os --help', error, cwd: '/Users/vmedvedev/victron/mcp-venus-os' });
    expect(own.noise?.kind).toBe('test-run');
    expect(causeOf({ tool: 'Bash', target: '.venv/bin/mcp_venus_os --help', error, cwd: '/Users/vmedvedev/victron/mcp-venus-os' }).noise?.kind).toBe('test-run');
    // Another project's command, or the same one run from elsewhere, is not the work.
    expect(causeOf({ tool: 'Bash', target: 'uv run mcp-venus-os --help', error, cwd: '/Users/vmedvedev/victron/fastapi-mqtt-gateway' }).noise).toBeUndefined();
    expect(causeOf({ tool: 'Bash', target: 'uv run python -c "import x"', error, cwd: '/Users/vmedvedev/victron/mcp-venus-os' }).noise).toBeUndefined();
  });

  it('counts a script fed to python3 on stdin as rewriting the file an Edit then finds modified since read', () => {
    // entireio/entire-graph: the first line is all the event keeps; the file is named in the heredoc.
    const firstLine = "cd ~/Projects/entire-sem && python3 - <<'EOF'";
    expect(rewritesFile(firstLine, '/Users/thomi/Projects/entire-sem/internal/sem/provider.go')).toBe(true);
    expect(rewritesFile("cd ~/Projects/entire-sem && python3 - <<'EOF'\np='internal/sem/provider.go'\ns=open(p).read()", '/x/provider.go')).toBe(true);
    expect(rewritesFile("node <<'JS'", '/x/a.ts')).toBe(true);
    // Reading a file, or a script named on the line, says nothing about other files.
    expect(rewritesFile("sed -n '2873,2890p' internal/sem/provider.go", '/x/provider.go')).toBe(false);
    expect(rewritesFile('python3 scripts/report.py', '/x/provider.go')).toBe(false);
    expect(rewritesFile("cat <<'EOF'\nhello\nEOF", '/x/provider.go')).toBe(false);
  });

  it('reads gh, git, sed and jq by their messages (anchapin/ironclaw, dOwOd/exvs2-cost-calculator, entireio/entire-graph)', () => {
    expect(bash('gh pr create --title "Update: nav" --body "$(cat <<\'EOF\'', 'Exit code 1\naborted: you must first push the current branch to a remote, or use the --head flag\n\naborted: you must first push the current branch to a remote, or use the --head flag').key).toBe('git:pull request head');
    expect(bash('gh pr merge 31 --squash --delete-branch --subject "Implement MCP client connection"', 'Exit code 1\nX Pull request anchapin/ironclaw#31 is not mergeable: the base branch policy prohibits the merge.\nTo have the pull request merged after all the requirements have been met, add the `--auto` flag.\nTo use administrator privileges to immediately merge the pull request, add the `--admin` flag.').key).toBe('git:merge blocked by branch policy');
    expect(bash('git branch -d fix/issue-179-cookie-banner-flicker', "Exit code 1\nerror: the branch 'fix/issue-179-cookie-banner-flicker' is not fully merged\nhint: If you are sure you want to delete it, run 'git branch -D fix/issue-179-cookie-banner-flicker'").key).toBe('git:branch not merged');
    expect(bash('git worktree add /tmp/ironclaw-pr-worktrees/pr-68 pr-57-14132300075001212676 2>&1', "Exit code 128\nPreparing worktree (checking out 'pr-57-14132300075001212676')\nfatal: '/tmp/ironclaw-pr-worktrees/pr-68' already exists").key).toBe('git:worktree path exists');
    expect(bash("sed -i 's/^    use crate/use crate/' src/vm/tests.rs && sed -i 's/^    /// Test//// Test/' src/vm/tests.rs", "Exit code 1\nsed: -e expression #1, char 10: unknown option to `s'").key).toBe('syntax error:sed delimiter');
    expect(bash("gh pr view 86 --json title,statusCheckRollup,mergeable | jq '{title, mergeable, checks: .statusCheckRollup[] | map({name, conclusion: .conclusion, status: .status})}'", 'Exit code 5\njq: error (at <stdin>:1): Cannot index string with string "name"').key).toBe('usage error:json shape');
    expect(bash("gh api repos/anchapin/ironclaw/branches/main --jq '.protected | .required_status_checks.contexts'", 'Exit code 1\nexpected an object but got: boolean (true)').key).toBe('usage error:json shape');
    const oneLiner = "cd ~/Projects/brain-bench && python3 -c \"\nimport json\nd=json.load(open('competitive-eval/results/jq.definitions.score.json'))\nfor r in d['results'][:6]:\n    print(r['name'], '| entire:', r['entire'].get('passed'), '| cbm:', r['cbm'].get('passed'))\"";
    expect(bash(oneLiner, "Exit code 1\nTraceback (most recent call last):\n  File \"<string>\", line 5, in <module>\n    print(r['name'], '| entire:', r['entire'].get('passed'), '| cbm:', r['cbm'].get('passed'))\n                                                                       ~^^^^^^^\nKeyError: 'cbm'").key).toBe('usage error:json shape');
    // A KeyError in the project's own script is its code, not a one-liner's guess.
    expect(bash('python3 app/main.py', "Exit code 1\nTraceback (most recent call last):\n  File \"app/main.py\", line 3, in <module>\nKeyError: 'x'").key).toBe('runtime error:KeyError');
  });

  it('takes a coverage run over one test file whose tests all pass for the global threshold on part of the suite (pattern-stack/task-patterns)', () => {
    const passing = 'PASS src/__tests__/features/label.service.test.ts\n  LabelService\n    create\n      ✓ should create a label successfully (3 ms)\n      ✓ should create a workspace-wide label when teamId is not specified\n      ✓ should throw ValidationError when creation fails (12 ms)';
    const cause = bash('npm run test:coverage -- src/__tests__/features/label.service.test.ts', passing);
    expect(cause.key).toBe('usage error:coverage on part of the suite');
    expect(cause.noise).toBeUndefined();
    expect(bash('npx jest --coverage src/a.test.ts', 'Exit code 1\nPASS src/a.test.ts\nJest: "global" coverage threshold for lines (80%) not met: 41.2%').key).toBe('usage error:coverage on part of the suite');
    // A test failing in it, or the whole suite run, is the tests at work.
    expect(bash('npm run test:coverage -- src/__tests__/features/label.service.test.ts', `${passing}\nFAIL src/__tests__/features/cycle.service.test.ts\n  ✕ archives a cycle`).noise?.kind).toBe('test-run');
    expect(bash('npm run test:coverage', passing).noise?.kind).toBe('test-run');
  });

  it('takes a test runner given a file that matches no test file for a guessed path, not a red run (obsessiondb/chkit, rickithadi/gallifrey-landing)', () => {
    const bun = bash('git stash && bun test packages/cli/src/parse-flags.test.ts 2>&1', 'Exit code 1\nSaved working directory and index state WIP on KeKs0r/full-code-review: 30d2ec2 refactor: migrate plugins to declared flags (Phase 8) (#37)\nbun test v1.3.9 (cf6cdbbb)\nThe following filters did not match any test files in --cwd="/Users/marc/conductor/workspaces/chkit/kabul":\n packages/cli/src/parse-flags.test.ts\n208 files were searched [6.00ms]');
    const playwright = bash('npx playwright test tests/landing-page.spec.ts --reporter=line --project=chromium --grep="should have correct title"', 'Error: No tests found.\nMake sure that arguments are regular expressions matching test files.\nYou may need to escape symbols like "$" or "*" and quote the arguments.\n\n\u001b[1A\u001b[2K');
    for (const cause of [bun, playwright]) {
      expect(cause.key).toBe('file not found:test file');
      expect(cause.noise).toBeUndefined();
    }
    // The whole suite finding no tests names no path: it stays a test run.
    expect(bash('npx jest', 'Exit code 1\nNo tests found, exiting with code 1').noise?.kind).toBe('test-run');
  });

  it("takes a package runner that cannot find the package's executable for a bin name guessed from the package name (jbwashington/will-pre-launch)", () => {
    const cause = bash('bun run pages:build', '$ bun x @opennextjs/cloudflare\nerror: could not determine executable to run for package @opennextjs/cloudflare\nerror: script "pages:build" exited with code 1');
    expect(cause).toMatchObject({ key: 'usage error:package bin', subject: '@opennextjs/cloudflare' });
    expect(cause.noise).toBeUndefined();
    expect(bash('npx create-foo-app', 'Exit code 1\nnpm error could not determine executable to run').key).toBe('usage error:package bin');
  });

  it('reads a backup copy compiled in its package, flags pnpm passes on after --, and zsh not splitting $VAR (connix, exvs2-cost-calculator, entireio/skills)', () => {
    const go = bash('nix develop --command go build -o connix .', '# github.com/connix-labs/connix/cmd\ncmd/mcp_original.go:45:2: verboseMCP redeclared in this block\n\tcmd/mcp.go:56:2: other declaration of verboseMCP\ncmd/mcp_original.go:49:2: quietMCP redeclared in this block');
    expect(go.key).toBe('syntax error:backup copy in package');
    expect(go.noise).toBeUndefined();
    // A redeclaration between two real files is the code being written: the build at work.
    expect(bash('go build ./...', '# x/cmd\ncmd/serve.go:45:2: port redeclared in this block\n\tcmd/mcp.go:56:2: other declaration of port').noise?.kind).toBe('lint-feedback');
    const pnpm = bash('pnpm lint -- --no-warn-ignored src/components/ComparisonResultPanel.tsx 2>&1', 'Exit code 2\n\n> exvs2-cost-calculator@0.3.0 lint /Users/sksn/Development/exvs2-cost-calculator\n> eslint src/ -- --no-warn-ignored src/components/ComparisonResultPanel.tsx\n\n\nOops! Something went wrong! :(\n\nESLint: 10.0.1\n\nNo files matching the pattern "--no-warn-ignored" were found.\nPlease check for typing mistakes in the pattern.');
    expect(pnpm.key).toBe('usage error:flags after --');
    expect(pnpm.noise).toBeUndefined();
    const loop = 'cd /Users/alisha/.marvin/worktrees/skills/search-skills\nFILES="package.json gemini-extension.json .cursor-plugin/plugin.json .claude-plugin/marketplace.json .claude-plugin/plugin.json .codex-plugin/plugin.json"\nfor f in $FILES; do\n  perl -i -pe \'s/"version": "0\\.5\\.0"/"version": "0.6.0"/\' "$f"\ndone';
    expect(bash(loop, "Exit code 2\nCan't open package.json gemini-extension.json .cursor-plugin/plugin.json .claude-plugin/marketplace.json .claude-plugin/plugin.json .codex-plugin/plugin.json: No such file or directory.").key).toBe('syntax error:zsh word split');
    // The loop's words printed back by a script are not a file the loop failed to open.
    expect(bash('PRS="87 86 85"\nfor pr in $PRS; do gh pr view $pr; done', 'Exit code 1\nPRS="87 86 85"\nGraphQL: Could not resolve to a PullRequest').key).not.toBe('syntax error:zsh word split');
  });

  it('reads uv failing to spawn a tool, a prompt with no stdin, Read of a spreadsheet and a pruned submodule under pytest (curik, adhs-working)', () => {
    const spawn = bash('uv run pytest 2>&1', 'Exit code 2\nerror: Failed to spawn: `pytest`\n  Caused by: No such file or directory (os error 2)');
    expect(spawn.key).toBe('module not found:pytest');
    expect(spawn.noise).toBeUndefined();
    const prompt = bash('python3 scripts/test_mcao_standalone.py', 'Traceback (most recent call last):\n  File "scripts/test_mcao_standalone.py", line 141, in display_test_menu\n    selection = input("\\nYour selection: ")\nEOFError: EOF when reading a line');
    expect(prompt.key).toBe('runtime error:interactive input');
    expect(prompt.noise).toBeUndefined();
    const binary = causeOf({ tool: 'Read', target: '/p/MCAO/MAX_HEADERS.xlsx', error: 'This tool cannot read binary files. The file appears to be a binary .xlsx file. Please use appropriate tools for binary file analysis.' });
    expect(binary.key).toBe('input validation:binary file');
    // A test module importing a submodule of the package that was just removed: the run shows the work left.
    const pruned = bash('uv run pytest 2>&1', "Exit code 2\ncollected 239 items / 7 errors\nERROR collecting tests/test_content.py\nImportError while importing test module '/p/tests/test_content.py'.\nE   ModuleNotFoundError: No module named 'curik.assets'");
    expect(pruned.noise?.kind).toBe('test-run');
    // The package itself missing under a test run is still a missing dependency.
    expect(bash('pytest', "E   ModuleNotFoundError: No module named 'yaml'").key).toBe('module not found:yaml');
  });

  it('takes a package manager adding a dependency for a rewrite of its manifest (napoli-matcha)', () => {
    expect(rewritesFile('npm install -D vitest', '/p/package.json')).toBe(true);
    expect(rewritesFile('cd /p && uv add --dev pytest', '/p/pyproject.toml')).toBe(true);
    expect(rewritesFile('npm install', '/p/package.json')).toBe(false);
    expect(rewritesFile('npm install -D vitest', '/p/src/index.ts')).toBe(false);
  });

  it("reads a commit hook that refuses commits to main as the project's branch convention, not a check at work (ironclaw)", () => {
    const cause = bash('git add src/a.rs && git commit -m "fix: build"', "Exit code 1\n\x1b[0;31m❌ BLOCKED: Cannot commit directly to main\x1b[0m\n\nIronClaw requires all changes to go through pull requests.");
    expect(cause.key).toBe('git:commit to main');
    expect(cause.noise).toBeUndefined();
    // A hook failing on its checks stays the hook at work.
    expect(bash('git commit -m "x"', 'Exit code 1\nlint-staged failed').noise?.kind).toBe('hook-block');
  });

  it('keeps out what the network and Claude Code failed: a WebFetch domain check, a TLS handshake broken off (RPD-Skill)', () => {
    const fetch = causeOf({ tool: 'WebFetch', target: 'https://github.com/a/b', error: 'Unable to verify if domain github.com is safe to fetch. This may be due to network restrictions or enterprise security policies blocking claude.ai.' });
    expect(fetch.noise?.kind).toBe('transient');
    const push = bash('cd /c/p && git push origin main 2>&1', "Exit code 128\nfatal: unable to access 'https://github.com/a/b.git/': schannel: failed to receive handshake, SSL/TLS connection failed");
    expect(push.noise?.kind).toBe('transient');
    // A host that does not exist is still the agent's to check.
    expect(bash('git clone https://gthub.com/a/b', "fatal: unable to access 'https://gthub.com/a/b/': Could not resolve host: gthub.com").noise).toBeUndefined();
  });

  it('takes asking for usage and git checks that answer no for probes (RPD-Skill, neuvector-mcp)', () => {
    expect(bash('cd /p && python rpd/scripts/prd-validator.py --help', 'Exit code 1\nUsage: python prd-validator.py <prd-file> [--format json|text]').noise?.kind).toBe('probe');
    expect(bash('cd /p && git check-ignore -v .claude/settings.json', 'Exit code 1').noise?.kind).toBe('probe');
    expect(bash('git ls-files --error-unmatch src/a.ts', "Exit code 1\nerror: pathspec 'src/a.ts' did not match any file(s) known to git").noise?.kind).toBe('probe');
    // A script given real arguments and failing is not a question about usage.
    expect(bash('python scripts/deploy.py --env prod', 'Exit code 1\nTraceback (most recent call last):\nKeyError: \'DEPLOY_TOKEN\'').noise).toBeUndefined();
  });

  it("takes arguments the tool's own schema refused for the agent's call, even on the project's own MCP server (neuvector-mcp)", () => {
    const cwd = '/Users/r/Developer/neuvector-mcp';
    const extra = causeOf({ tool: 'mcp__neuvector__nv_create_waf_sensor', cwd, error: "4 validation errors for call[nv_create_waf_sensor]\nrules.0.patterns.0.key\n  Extra inputs are not permitted [type=extra_forbidden, input_value='pattern', input_type=str]" });
    expect(extra.noise).toBeUndefined();
    expect(extra.category).toBe('input validation');
    const long = causeOf({ tool: 'mcp__neuvector__nv_create_waf_sensor', cwd, error: 'NeuVector controller returned HTTP 400: code=6 - Request in wrong format / Comment exceed max 256 characters!' });
    expect(long.noise).toBeUndefined();
    // Two different mistakes: a field the schema does not have, and a value over the API's length.
    expect(long.key).not.toBe(extra.key);
    // The server itself failing while it is built stays the work.
    expect(causeOf({ tool: 'mcp__neuvector__nv_list_waf_rules', cwd, error: 'Error: NeuVector controller unreachable' }).noise?.kind).toBe('task-expected');
  });

  it("takes a scratchpad script failing in its own code, and a suite runner going red, for the work under way (neuvector-mcp, RPD-Skill)", () => {
    const dir = '/private/tmp/claude-501/-Users-r-p/ed53/scratchpad';
    expect(bash(`cd ${dir} && python3 scan2.py`, `Exit code 1\n  File "${dir}/scan2.py", line 53\n    print("x")\nSyntaxError: expected 'except' or 'finally' block`).noise?.kind).toBe('test-run');
    // A package missing is not the script's own code.
    expect(bash(`cd ${dir} && python3 scan2.py`, `Exit code 1\nTraceback (most recent call last):\n  File "${dir}/scan2.py", line 1, in <module>\n    import yaml\nModuleNotFoundError: No module named 'yaml'`).noise).toBeUndefined();
    expect(bash('cd /p && python rpd/scripts/run-eval.py', "Exit code 1\nRPD Skill Evaluation Matrix\n=== Scenario B: Corrupted State File ===\n  FAILED: Expected 'name' in errors").noise?.kind).toBe('test-run');
    // A one-off script named for what it tries is not a suite (attio-mcp-server).
    expect(bash('node test-create-response.js 2>&1', 'file:///p/test-create-response.js:1\nconst x = require("./dist/a.js");\n\nReferenceError: require is not defined in ES module scope').noise).toBeUndefined();
  });

  it('keeps the tenth wave rules to what they name: a one-off test.py, a library refusing a scratchpad script, a server model, another command usage (review)', () => {
    // A throwaway script named test.py or test.js is not a suite.
    expect(bash('python3 /tmp/test.py', "Exit code 1\nTraceback (most recent call last):\n  File \"/tmp/test.py\", line 3, in <module>\nKeyError: 'id'").noise).toBeUndefined();
    expect(bash('node test.js', 'Exit code 1\nTypeError: fetch is not a function').noise).toBeUndefined();
    // A library refusing the scratchpad script's call is the agent's mistake.
    const dir = '/private/tmp/claude-501/-Users-r-p/ed53/scratchpad';
    const library = bash(`cd ${dir} && python3 load.py`, `Exit code 1\nTraceback (most recent call last):\n  File "${dir}/load.py", line 4, in <module>\n    df = pd.read_csv(p, encodng="utf-8")\n  File "/usr/lib/python3/site-packages/pandas/io/parsers.py", line 912, in read_csv\nTypeError: read_csv() got an unexpected keyword argument 'encodng'`);
    expect(library.noise).toBeUndefined();
    // The project's own server failing on its settings model is the server at work, not the call.
    expect(causeOf({ tool: 'mcp__myapi__query', cwd: '/home/u/myapi', error: '1 validation error for Settings\napi_key\n  Field required [type=missing, input_value={}, input_type=dict]' }).noise?.kind).toBe('task-expected');
    // Usage another command printed is that command's mistake.
    const other = bash('git log --foo && mytool --help', "Exit code 129\nerror: unknown option `foo'\nusage: git log [<options>] [<revision-range>] [[--] <path>...]");
    expect(other.noise).toBeUndefined();
    // A pathspec mistake after an --error-unmatch check is still a pathspec mistake.
    expect(bash('git ls-files --error-unmatch a.ts && git rm b.ts', "Exit code 128\nfatal: pathspec 'b.ts' did not match any files").key).toBe('file not found:git pathspec');
    // A TLS error against a local server is the agent's scheme or port.
    expect(bash('curl https://localhost:3000/api', 'Exit code 35\ncurl: (35) OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to localhost:3000').noise).toBeUndefined();
  });

  it("takes a Bash call a hook of the person's setup sent to another tool for a hook block (flutter-docker-image, NumWordify)", () => {
    expect(bash('cat .github/renovate.json', 'Use the Read tool to read file contents').noise?.kind).toBe('hook-block');
    expect(bash('curl -s https://api.nuget.org/v3/index.json', 'context-mode: curl/wget redirected. Call mcp__plugin_context-mode_context-mode__ctx_execute(language, code) to fetch the URL').noise?.kind).toBe('hook-block');
    // A command that ran and failed has its exit code, whatever it printed.
    expect(bash('./deploy.sh', 'Exit code 1\nUse the --force flag to overwrite').noise).toBeUndefined();
  });
});

// Claude Code's PowerShell tool (Windows) reports as the Bash tool does, "Exit code N" first; the
// messages are Windows PowerShell 5.1's and PowerShell 7's, as they print them.
describe("causeOf: PowerShell's checks, filters and missing commands", () => {
  const ps = (command: string, error: string) => causeOf({ tool: 'PowerShell', target: command, error });
  it.each([
    ['Get-ChildItem C:\\src\\config -Filter *.yml', "Exit code 1\nGet-ChildItem: Cannot find path 'C:\\src\\config' because it does not exist."],
    ['Get-Command rg', "Exit code 1\nGet-Command : The term 'rg' is not recognized as the name of a cmdlet, function, script file, or operable program.\nCheck the spelling of the name, or if a path was included, verify that the path is correct and try again."],
    ['get-process -Name node', 'Exit code 1\nget-process: Cannot find a process with the name "node". Verify the process name and call the cmdlet again.'],
    ['findstr /s /i "TODO" *.ts', 'Exit code 1'],
    ['Stop-Process -Name vite', 'Exit code 1\nStop-Process: Cannot find a process with the name "vite". Verify the process name and call the cmdlet again.'],
    ['$p = Get-Item .env -ErrorAction SilentlyContinue; if (-not $p) { exit 1 }', 'Exit code 1'],
    ['node --version 2>$null; if ($LASTEXITCODE) { exit 1 }', 'Exit code 1'],
    ['where.exe python', 'Exit code 1\nINFO: Could not find files for the given pattern(s).'],
  ])('%s is a probe', (command, error) => expect(ps(command, error).noise?.kind).toBe('probe'));

  it('names the command PowerShell could not find, in both wordings, and keeps it a mistake', () => {
    const v5 = ps('tree /F', "Exit code 1\ntree : The term 'tree' is not recognized as the name of a cmdlet, function, script file, or operable program.");
    const v7 = ps('jq .name package.json', "Exit code 1\njq: The term 'jq' is not recognized as a name of a cmdlet, function, script file, or executable program.\nCheck the spelling of the name, or if a path was included, verify that the path is correct and try again.");
    expect(v5).toMatchObject({ category: 'command not found', entity: 'tree' });
    expect(v7).toMatchObject({ category: 'command not found', entity: 'jq' });
    expect(v5.noise).toBeUndefined();
    expect(ps('C:\\tools\\fd.exe -e ts', "Exit code 1\nC:\\tools\\fd.exe: The term 'C:\\tools\\fd.exe' is not recognized as a name of a cmdlet, function, script file, or executable program.").category).not.toBe('other');
  });

  it("reads Windows programs' /options mangled by Git Bash as one mistake, whatever the program", () => {
    const findstr = bash('ipconfig | findstr /i "IPv4 Gateway"', 'Exit code 1\nFINDSTR: Cannot open IPv4 Gateway');
    const taskkill = bash('taskkill /F /IM node.exe', "Exit code 1\nERROR: Invalid argument/option - 'C:/Program Files/Git/F'.\nType \"TASKKILL /?\" for usage.");
    expect(findstr).toMatchObject({ category: 'usage error', entity: 'msys slash options' });
    expect(findstr.noise).toBeUndefined();
    expect(taskkill.key).toBe(findstr.key);
    // Written the way Git Bash leaves alone, or from PowerShell, a failure is something else.
    expect(bash('taskkill //F //IM node.exe', 'Exit code 128\nERROR: The process "node.exe" not found.').entity).not.toBe('msys slash options');
    expect(bash('MSYS_NO_PATHCONV=1 findstr /i foo a.txt', 'Exit code 1').entity).not.toBe('msys slash options');
    expect(bash('sc /tmp', 'Exit code 1\nsc: cannot open /tmp').entity).not.toBe('msys slash options');
    expect(ps('findstr /i "IPv4" out.txt', 'Exit code 1').noise?.kind).toBe('probe');
  });
  it('reads Bash written in the PowerShell tool as one mistake, not a missing `export` or a file tool', () => {
    const amp = ps('cd app && npm test', "Exit code 1\nAt line:1 char:8\n+ cd app && npm test\n+        ~~\nThe token '&&' is not a valid statement separator in this version.\n    + CategoryInfo          : ParserError: (:) [], ParentContainsErrorRecordException");
    const exported = ps('export NODE_ENV=test; npm run build', "Exit code 1\nexport: The term 'export' is not recognized as a name of a cmdlet, function, script file, or executable program.");
    const rf = ps('rm -rf dist', "Exit code 1\nRemove-Item: A parameter cannot be found that matches parameter name 'rf'.");
    const devNull = ps('git describe --tags 2>/dev/null', "Exit code 1\nout-file: Could not find a part of the path 'C:\\dev\\null'.");
    for (const c of [amp, exported, rf, devNull]) expect(c).toMatchObject({ category: 'syntax error', entity: 'bash in powershell' });
    expect(new Set([amp.key, exported.key, rf.key, devNull.key]).size).toBe(1);
    // A parameter a cmdlet lacks, given by its own name, is another mistake.
    expect(ps('Get-ChildItem -Depth2', "Exit code 1\nGet-ChildItem: A parameter cannot be found that matches parameter name 'Depth2'.").entity).not.toBe('bash in powershell');
    // The same line in Bash is Bash's business.
    expect(bash('export NODE_ENV=test; npm run build', 'Exit code 1\nnpm error Missing script: "build"').entity).not.toBe('bash in powershell');
  });
  it("leaves short names alone: `gcm` and `gp` are git in many people's shells, not PowerShell's checks", () => {
    expect(bash('gp', 'Exit code 1\nhint: the remote said no').noise).toBeUndefined();
    expect(bash('gcm', 'Exit code 1\nerror: could not switch branches').noise).toBeUndefined();
  });
  it('looks through a filter at the end of the pipe to the command that failed', () => {
    const red = ps('npx vitest run 2>&1 | Select-Object -Last 30', 'Exit code 1\nFAIL src/a.test.ts > adds\nAssertionError: expected 2 to be 3');
    expect(red.noise?.kind).toBe('test-run');
    const missing = ps('npm run typecheck | Out-String', 'Exit code 1\nnpm error Missing script: "typecheck"');
    expect(missing).toMatchObject({ category: 'missing script', program: 'npm run' });
  });

  it('keeps a command that failed on its own words a mistake, though its errors were silenced elsewhere', () => {
    expect(ps('Get-Content .\\missing.json | ConvertFrom-Json', "Exit code 1\nGet-Content: Cannot find path 'C:\\w\\missing.json' because it does not exist.").noise).toBeUndefined();
    expect(ps('Remove-Item dist -Recurse -ErrorAction SilentlyContinue; npm run build', "Exit code 1\nnpm error Missing script: \"build\"").noise).toBeUndefined();
  });
});

describe("causeOf: Claude Code's own files", () => {
  it("takes the project's auto memory not written yet for a question, not a mistake", () => {
    const memory = causeOf({ tool: 'Read', target: 'C:\\Users\\me\\.claude\\projects\\C--Users-me-proj\\memory\\MEMORY.md', error: 'File does not exist. Note: your current working directory is C:\\Users\\me\\proj.' });
    expect(memory.noise?.kind).toBe('probe');
    // A memory folder guessed inside the project is a wrong path.
    expect(causeOf({ tool: 'Read', target: '/home/me/proj/.claude/projects/-home-me-proj/memory/MEMORY.md', error: 'File does not exist.' }).noise).toBeUndefined();
  });
});

describe('causeOf: Python and the locale', () => {
  it("reads Python's codec errors in a legacy code page as one mistake, reading or printing", () => {
    const read = bash('python -c "print(open(\'a.md\').read())"', "Exit code 1\nTraceback (most recent call last):\n  File \"<string>\", line 1, in <module>\nUnicodeDecodeError: 'gbk' codec can't decode byte 0x92 in position 639: illegal multibyte sequence");
    const print = bash('python report.py', "Exit code 1\nTraceback (most recent call last):\n  File \"report.py\", line 9, in <module>\n    print('\u2705 done')\nUnicodeEncodeError: 'cp1252' codec can't encode character '\\u2705' in position 0: character maps to <undefined>");
    expect(read).toMatchObject({ category: 'runtime error', entity: 'locale encoding' });
    expect(print.key).toBe(read.key);
    // A UTF-8 codec error is bad data, not the locale.
    expect(bash('python load.py', "Exit code 1\nTraceback (most recent call last):\nUnicodeDecodeError: 'utf-8' codec can't decode byte 0xff in position 0: invalid start byte").entity).not.toBe('locale encoding');
  });
});

describe('causeOf: Windows knowledge stays where it belongs (review of the PowerShell reading)', () => {
  const ps = (command: string, error: string) => causeOf({ tool: 'PowerShell', target: command, error });
  it('keeps a program asked about and then run anyway a missing program', () => {
    expect(bash('which jq; jq .name package.json', 'Exit code 127\nbash: jq: command not found')).toMatchObject({ category: 'command not found', entity: 'jq' });
    expect(bash('which jq; jq .name package.json', 'Exit code 127\nbash: jq: command not found').noise).toBeUndefined();
    expect(ps('Get-Command jq; jq .name package.json', "Exit code 1\njq: The term 'jq' is not recognized as a name of a cmdlet, function, script file, or executable program.").noise).toBeUndefined();
  });
  it('takes Git Bash slash options only for the Windows program that failed, saying so', () => {
    expect(bash('ipconfig /all; npm run build', 'Exit code 1\nnpm error Missing script: "build"')).toMatchObject({ category: 'missing script' });
    expect(bash('npm test && start /b notepad', 'Exit code 1\nFAIL src/a.test.ts > adds\nAssertionError: expected 2 to be 3').noise?.kind).toBe('test-run');
    expect(bash('net ads join /workspace', 'Exit code 1\nFailed to join domain: Invalid parameters').entity).not.toBe('msys slash options');
  });
  it("reads PowerShell's ways of silencing errors in PowerShell only, and its 5.1 error lines as complaints", () => {
    expect(bash('java -ea 0 Main', 'Exit code 1\nException in thread "main" java.lang.NullPointerException').noise).toBeUndefined();
    expect(ps('Remove-Item dist -Recurse -ErrorAction SilentlyContinue; Copy-Item src\\a.txt out\\', "Exit code 1\nCopy-Item : Cannot find path 'C:\\w\\src\\a.txt' because it does not exist.").noise).toBeUndefined();
  });
  it('takes a process or service gone for an answer, not a kill refused or a kill on the way to something else', () => {
    expect(ps('Stop-Process -Id 4242', 'Exit code 1\nStop-Process: Cannot stop process "node (4242)" because of the following error: Access is denied.').noise).toBeUndefined();
    expect(ps('Get-Process node | Stop-Process; npm run dev', 'Exit code 1\nError: listen EADDRINUSE: address already in use :::3000').noise).toBeUndefined();
    expect(ps('Get-Service postgresql-x64-16', 'Exit code 1\nGet-Service: Cannot find any service with service name \'postgresql-x64-16\'.').noise?.kind).toBe('probe');
  });
  it('reads a program PowerShell could not find by its path as a missing file, not a missing program', () => {
    expect(ps('C:\\tools\\fd.exe -e ts', "Exit code 1\nC:\\tools\\fd.exe: The term 'C:\\tools\\fd.exe' is not recognized as a name of a cmdlet, function, script file, or executable program.")).toMatchObject({ category: 'file not found', entity: 'executable' });
  });
  it('leaves ascii and UTF-8 (cp65001) codec errors to the data, and Unix flags to their own aliases', () => {
    expect(bash('python conv.py', "Exit code 1\nTraceback (most recent call last):\nUnicodeEncodeError: 'ascii' codec can't encode character '\\xe9' in position 3: ordinal not in range(128)").entity).not.toBe('locale encoding');
    expect(bash('python conv.py', "Exit code 1\nTraceback (most recent call last):\nUnicodeDecodeError: 'cp65001' codec can't decode byte 0xff in position 0").entity).not.toBe('locale encoding');
    expect(ps('echo -n hi; Get-ChildItem -Depth2', "Exit code 1\nGet-ChildItem: A parameter cannot be found that matches parameter name 'Depth2'.").entity).not.toBe('bash in powershell');
  });
  it('keeps Bash programs as written: HEAD (libwww-perl) is no head filter', () => {
    expect(bash('HEAD https://example.test/', "Exit code 1\n500 Can't connect to example.test:443").program).toBe('HEAD');
  });
});

describe('causeOf: the command that failed, not the echo after it', () => {
  it('reads a chain that failed before its closing echo by the command that failed', () => {
    const merge = bash('echo "=== Merging ===" && gh pr merge 86 --squash --delete-branch && echo "merged"', 'Exit code 1\nX Pull request o/r#86 is not mergeable: the base branch policy prohibits the merge.\nTo have the pull request merged after all the requirements have been met, add the `--auto` flag.');
    expect(merge.key).toBe('git:merge blocked by branch policy');
    const unknown = bash('uv run python -c "import app" && echo "imports fine"', 'Exit code 1\nsomething went wrong');
    expect(unknown.program).toBe('uv run');
    // A check followed by its echo is still a check.
    expect(bash('grep -q "^VERSION" Makefile && echo "has a version"', 'Exit code 1').noise?.kind).toBe('probe');
    // An echo that complains in its own name did fail, and so did one whose redirect the shell refused.
    expect(bash('echo "x" > /proc/version', 'Exit code 1\n/bin/bash: line 1: echo: write error: Input/output error').program).toBe('echo');
    expect(bash('cd /app && echo X=1 > /etc/app.env', 'Exit code 1\n/bin/bash: line 1: /etc/app.env: Permission denied').program).toBe('echo');
    expect(bash('npm run build && printf "%s" ok > dist/missing/x.txt', 'Exit code 1\n/bin/bash: dist/missing/x.txt: No such file or directory').program).toBe('printf');
  });

  it('takes pkill -f killing the shell it runs in for one mistake, whatever follows it', () => {
    for (const line of ['pkill -f jules-monitor && echo "stopped"', 'pkill -f secretlint; sleep 2; echo killed', 'pkill -9 -f "cargo test" ; sleep 2; ps aux | grep -c "[c]argo test"']) {
      const cause = bash(line, 'Exit code 144');
      expect(cause.key, line).toBe('usage error:pkill -f');
      expect(cause.noise).toBeUndefined();
    }
    expect(bash('pkill -f "node server.js"; sleep 1; echo stopped', 'Exit code 143').key).toBe('usage error:pkill -f');
    // Nothing matched: the process was already gone, an answer.
    expect(bash('pkill -f jekyll', 'Exit code 1').noise?.kind).toBe('probe');
    // Claude Code's own time limit is a time-out, whatever ran.
    expect(bash('pkill -f x; sleep 600', 'Exit code 143\nCommand timed out after 2m 0s').category).toBe('timeout');
  });

  it("reads \\d in a grep pattern without -P as the mistake, not as grep's answer", () => {
    expect(bash('grep -c "^\\d\\." SKILL.md', 'Exit code 1\n0').key).toBe('usage error:grep perl class');
    expect(bash('echo "== rules" && grep -E "v\\d+" CHANGELOG.md && echo ok', 'Exit code 1').key).toBe('usage error:grep perl class');
    // Another command failed first: grep never ran, and a red test run stays a test run.
    expect(bash('npm test && grep -rn "v\\d" CHANGELOG.md', 'Exit code 1\nTests: 1 failed, 4 passed').noise?.kind).toBe('test-run');
    // grep -P and rg know \d; a Windows path among the files is no pattern.
    expect(bash('grep -P "^\\d+" notes.txt', 'Exit code 1').noise?.kind).toBe('probe');
    expect(bash('rg "\\d{4}" src', 'Exit code 1').noise?.kind).toBe('probe');
    expect(bash('grep -rn "TODO" C:\\dev\\app', 'Exit code 1').noise?.kind).toBe('probe');
  });

  it('names the command that ran past the time limit, not the cd before it', () => {
    expect(bash('cd /work/app && python3 scripts/process_months.py --all', 'Exit code 143\nCommand timed out after 2m 0s').program).toBe('python3 scripts/process_months.py');
    expect(bash('cd web\nnpm test 2>&1 | tail -20', 'Exit code 143\nCommand timed out after 10m 0s').program).toBe('npm test');
  });
});

describe("causeOf: git's and the tools' own words for a wrong assumption", () => {
  it.each([
    ['git:pull without upstream', 'git pull', 'Exit code 1\nThere is no tracking information for the current branch.'],
    ['git:remote missing', 'git push origin main', "Exit code 128\nfatal: 'origin' does not appear to be a git repository"],
    ['git:remote missing', 'entire search "x"', "Exit code 1\ncould not find 'origin' remote: remote not found"],
    ['git:gh remote not on github', 'cd /w/app\ngh pr view 12 --json state', 'Exit code 1\nnone of the git remotes configured for this repository point to a known GitHub host. To tell gh about a new GitHub host, please use `gh auth login`'],
    ['git:clone into existing folder', 'git clone https://x.test/r.git .', "Exit code 128\nfatal: destination path '.' already exists and is not an empty directory."],
    ['git:mv untracked', 'git mv a.md b/a.md', 'Exit code 128\nfatal: not under version control, source=a.md, destination=b/a.md'],
    ['git:ssh signing agent', 'git commit -m "x"', 'Exit code 128\nerror: 1Password: failed to fill whole buffer\n\nfatal: failed to write commit object'],
    ['runtime error:require in es module', 'node t.js', 'ReferenceError: require is not defined in ES module scope, you can use import instead'],
    ['usage error:database column', 'sqlite3 app.db "select name from t"', 'Exit code 1\nError: in prepare, no such column: name'],
    ['runtime error:import name', 'python3 -c "from app.config import get_config"', "Exit code 1\nTraceback (most recent call last):\nImportError: cannot import name 'get_config' from 'app.config' (/p/app/config.py)"],
    ['git:revision not here', 'git show 2656cd4 --no-patch --stat', "Exit code 128\nfatal: ambiguous argument '2656cd4': unknown revision or path not in the working tree."],
    ['network:host name', 'curl -s http://shrooly.local/api/status', 'Exit code 6'],
    ['network:python certificates', "python3 - <<'EOF'\nimport urllib.request\nurllib.request.urlopen('https://api.example.test')\nEOF", 'Exit code 1\nurllib.error.URLError: <urlopen error [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer certificate (_ssl.c:1032)>'],
    ['git:ignored path', 'git stash push --include-untracked -m "x" -- .entire/.gitignore', 'Exit code 1\nThe following paths are ignored by one of your .gitignore files:\n.entire'],
    ['usage error:database column', 'psql -c "select x from t"', 'ERROR:  column "x" does not exist'],
    ['usage error:database column', 'mysql -e "select x from t"', "ERROR 1054 (42S22) at line 1: Unknown column 'x' in 'field list'"],
    ['usage error:scaffold into a folder with files', 'npx create-next-app@latest . --ts', 'The directory app contains files that could conflict:\n\n  logs/'],
    ['dependency conflict:version that does not exist', 'go mod tidy', 'go: github.com/a/b/c imports\n\tgithub.com/x/y: reading github.com/x/y/go.mod at revision v0.6.1: unknown revision v0.6.1'],
    ['dependency conflict:version that does not exist', 'pip install requests==9.1', 'ERROR: Could not find a version that satisfies the requirement requests==9.1 (from versions: 2.31.0, 2.32.3)'],
    ['usage error:json shape', 'gh api repos/o/r/pulls/5/reviews | python3 -c "import json,sys\nfor a in json.load(sys.stdin): print(a.get(\'state\'))"', "Exit code 1\nTraceback (most recent call last):\n  File \"<string>\", line 2, in <module>\nAttributeError: 'str' object has no attribute 'get'"],
  ])('%s', (key, command, error) => {
    const cause = bash(command, error);
    expect(cause.key).toBe(key);
    expect(cause.noise).toBeUndefined();
  });

  it("reads a CLI that wanted to prompt with no terminal as one mistake a program", () => {
    const railway = bash('cd api && railway service', 'Exit code 1\nFailed to prompt for options\n\nCaused by:\n    The input device is not a TTY');
    const vercel = bash('vercel --prod', 'Exit code 1\nError: Command `vercel deploy` requires confirmation. Use option "--yes" to confirm.');
    const wrangler = bash('wrangler pages deploy .next', "✘ [ERROR] In a non-interactive environment, it's necessary to set a CLOUDFLARE_API_TOKEN environment variable for wrangler to work.");
    expect([railway, vercel, wrangler].map((c) => c.entity)).toEqual(['prompt without a terminal', 'prompt without a terminal', 'prompt without a terminal']);
    expect(new Set([railway.key, vercel.key, wrangler.key]).size).toBe(3);
    // Run through npx, it is the package's prompt, not npx's.
    const npx = bash('npx vercel deploy --prod', 'Exit code 1\nError: Command `vercel deploy` requires confirmation. Use option "--yes" to confirm.');
    expect([npx.program, npx.key]).toEqual(['npx vercel', 'usage error:prompt without a terminal:npx vercel']);
    expect(railway.noise).toBeUndefined();
  });

  it("leaves a real range conflict of uv to the resolver's own words, not to a version from memory", () => {
    const conflict = bash('uv sync', "Exit code 1\n  × No solution found when resolving dependencies:\n  ╰─▶ Because pkg-a==2.0 depends on numpy<2 and your project depends on numpy>=2, we can conclude that your project's requirements are unsatisfiable.");
    expect(conflict.key).not.toBe('dependency conflict:version that does not exist');
    expect(bash('uv sync', 'Exit code 1\n  × No solution found when resolving dependencies:\n  ╰─▶ Because only sdk<=0.1.6 is available and your project depends on sdk>=1.0.0, we can conclude that your requirements are unsatisfiable.').key).toBe('dependency conflict:version that does not exist');
  });

  it('takes only a commit id or a remote branch for a revision to fetch, not a path gone or HEAD~N', () => {
    expect(bash('git log --oneline src/old.ts', "Exit code 128\nfatal: ambiguous argument 'src/old.ts': unknown revision or path not in the working tree.").key).not.toBe('git:revision not here');
    expect(bash('git show HEAD~40', "Exit code 128\nfatal: ambiguous argument 'HEAD~40': unknown revision or path not in the working tree.").key).not.toBe('git:revision not here');
    expect(bash('git log origin/release-2 -3', "Exit code 128\nfatal: ambiguous argument 'origin/release-2': unknown revision or path not in the working tree.").key).toBe('git:revision not here');
  });

  it('leaves a circular import and a Go module revision to their own causes', () => {
    expect(bash('python3 -m app', "Exit code 1\nImportError: cannot import name 'db' from partially initialized module 'app.models' (most likely due to a circular import)").entity).not.toBe('import name');
    expect(bash('go mod tidy', 'go: github.com/x/y@v0.6.1: invalid version: unknown revision v0.6.1').key).toBe('dependency conflict:version that does not exist');
  });

  it('leaves a scaffolder-like message of another program alone', () => {
    expect(bash('./deploy.sh', 'Exit code 1\nTarget directory "out" is not empty').key).not.toBe('usage error:scaffold into a folder with files');
  });
});

describe('causeOf: the common tools of other ecosystems, in their own words', () => {
  it('takes Gradle compile and test tasks, `php artisan test` and Pest for the work at hand', () => {
    expect(bash('./gradlew compileKotlin', 'Exit code 1\ne: file:///p/src/main/kotlin/A.kt:3:5 Unresolved reference: foo\nFAILURE: Build failed with an exception.').noise?.kind).toBe('lint-feedback');
    expect(bash('./gradlew :app:assembleDebug', 'Exit code 1\ne: file:///p/app/src/main/kotlin/B.kt:9:1 Expecting member declaration\nFAILURE: Build failed with an exception.').noise?.kind).toBe('lint-feedback');
    expect(bash('./gradlew testDebugUnitTest', 'Exit code 1\n> Task :app:testDebugUnitTest FAILED\nATest > adds() FAILED\nFAILURE: Build failed with an exception.').noise?.kind).toBe('test-run');
    expect(bash('php artisan test --filter=Login', 'Exit code 1\n   FAIL  Tests\\Feature\\LoginTest\n  ⨯ it logs in\nTests:    1 failed, 1 passed').noise?.kind).toBe('test-run');
    expect(bash('./vendor/bin/pest tests/Unit', 'Exit code 1\n   FAIL  Tests\\Unit\\MathTest\nTests:    1 failed').noise?.kind).toBe('test-run');
    expect(bash('composer test', 'Exit code 1\n> phpunit\nFAILURES!\nTests: 4, Assertions: 6, Failures: 1.').noise?.kind).toBe('test-run');
    // A Gradle task that does not exist is still the agent's mistake.
    expect(bash('./gradlew lintRelease2', "Exit code 1\nFAILURE: Build failed with an exception.\n* What went wrong:\nTask 'lintRelease2' not found in root project 'app'.").noise).toBeUndefined();
  });

  it('takes a ref, a pod or a container that is not there for the answer to a check', () => {
    expect(bash('git rev-parse --verify feature/x', 'Exit code 128\nfatal: Needed a single revision').noise?.kind).toBe('probe');
    expect(bash('kubectl get pod web-0 -n prod', 'Exit code 1\nError from server (NotFound): pods "web-0" not found').noise?.kind).toBe('probe');
    expect(bash('docker inspect api --format "{{.State.Status}}"', 'Exit code 1\nError: No such object: api').noise?.kind).toBe('probe');
    expect(bash('docker container inspect db', 'Exit code 1\nError response from daemon: No such container: db').noise?.kind).toBe('probe');
    // Not being able to ask is not an answer: no cluster, no daemon, a ref name git cannot read.
    expect(bash('kubectl get pods -n prod', 'Exit code 1\nThe connection to the server localhost:8080 was refused - did you specify the right host or port?').noise).toBeUndefined();
    expect(bash('docker inspect api', 'Exit code 1\nCannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?').noise).toBeUndefined();
    expect(bash('git rev-parse HEAD', "Exit code 128\nfatal: not a git repository (or any of the parent directories): .git").noise).toBeUndefined();
  });

  it('takes a page that answered 429 for the service at its limits', () => {
    expect(causeOf({ tool: 'WebFetch', target: 'https://example.com/docs', error: 'Request failed with status code 429' }).noise?.kind).toBe('transient');
    expect(causeOf({ tool: 'WebFetch', target: 'https://example.com/docs', error: 'Request failed with status code 403' }).noise).toBeUndefined();
  });
});

describe('causeOf: checkers of other ecosystems, and a program nix runs', () => {
  it('takes their findings for the check at work', () => {
    expect(bash('nix run nixpkgs#goreleaser -- check 2>&1', "Exit code 2\nthis path will be fetched (16.27 MiB download, 76.89 MiB unpacked):\n  /nix/store/abc-goreleaser-2.13.3\n  • checking                                       path=.goreleaser.yaml\n  ⨯ configuration is invalid                        error=yaml: unmarshal errors:\n  line 12: field dockers not found in type config.Project").noise?.kind).toBe('lint-feedback');
    expect(bash('terraform validate', 'Exit code 1\n╷\n│ Error: Unsupported argument\n│\n│   on main.tf line 12, in resource "aws_s3_bucket" "b":\n│   12:   acl = "private"').noise?.kind).toBe('lint-feedback');
    expect(bash('helm lint charts/api', 'Exit code 1\n==> Linting charts/api\n[ERROR] templates/deployment.yaml: unable to parse YAML: error converting YAML to JSON\n\nError: 1 chart(s) linted, 1 chart(s) failed').noise?.kind).toBe('lint-feedback');
    expect(bash('vendor/bin/phpstan analyse src --level=8', 'Exit code 1\n ------ ---------------------------------\n  Line   src/User.php\n ------ ---------------------------------\n  12     Method User::name() should return string but returns int.\n [ERROR] Found 1 error').noise?.kind).toBe('lint-feedback');
    expect(bash('swiftlint --strict', "Exit code 2\n/p/Sources/App/View.swift:10:1: error: Line Length Violation: Line should be 120 characters or less; currently it has 131 characters (line_length)").noise?.kind).toBe('lint-feedback');
    // A program that nix could not find is not a check at work.
    expect(bash('nix run nixpkgs#goreleaserr -- check', "Exit code 1\nerror: flake 'flake:nixpkgs' does not provide attribute 'apps.x86_64-linux.goreleaserr', 'packages.x86_64-linux.goreleaserr', 'legacyPackages.x86_64-linux.goreleaserr' or 'goreleaserr'").noise).toBeUndefined();
  });
});

describe('causeOf: the line a rule quotes is the one that says what failed', () => {
  it('skips what a command prints before its error, and reads a traceback to its exception', () => {
    expect(bash('git checkout develop && git pull', "Exit code 128\nSwitched to branch 'develop'\nYour branch and 'origin/develop' have diverged.\nhint: Diverging branches can't be fast-forwarded.\nfatal: Not possible to fast-forward, aborting.").firstLine).toBe('fatal: Not possible to fast-forward, aborting.');
    expect(bash('npx wrangler pages deploy out', 'Exit code 1\n▲ [WARNING] Warning: Your working directory is a git repo and has uncommitted changes\n\n✘ [ERROR] Must specify a project name.').firstLine).toBe('✘ [ERROR] Must specify a project name.');
    expect(bash('./install.sh', 'Exit code 1\n=== Installing Dependencies ===\nerror: Bun could not find a package.json file to install from').firstLine).toBe('error: Bun could not find a package.json file to install from');
    expect(bash('python3 - <<EOF\nimport json\nEOF', 'Exit code 1\nTraceback (most recent call last):\n  File "<stdin>", line 13, in <module>\nKeyError: \'tag\'').firstLine).toBe("KeyError: 'tag'");
    expect(bash('uv run alembic upgrade head', 'Exit code 1\nINFO  [alembic.runtime.migration] Context impl SQLiteImpl.\nINFO  [alembic.runtime.migration] Will assume non-transactional DDL.\nERROR [alembic.util.messaging] Target database is not up to date.\n…[1640 more chars]').firstLine).toBe('ERROR [alembic.util.messaging] Target database is not up to date.');
    // A message on its first line stays the message.
    expect(bash('gh pr create --fill', 'Exit code 1\nhead branch "main" is the same as base branch "main", cannot create a pull request').firstLine).toBe('head branch "main" is the same as base branch "main", cannot create a pull request');
  });
});

describe('causeOf: a subcommand the program does not have', () => {
  it("reads each program's words for it as that program's usage error", () => {
    expect(bash('git unstage a.ts', "Exit code 1\ngit: 'unstage' is not a git command. See 'git --help'.").key).toBe('usage error:git');
    expect(bash('docker compose-up', "Exit code 1\ndocker: 'compose-up' is not a docker command.\nSee 'docker --help'").key).toBe('usage error:docker');
    expect(bash('firebase remoteconfig:publish', 'Exit code 1\nError: remoteconfig:publish is not a Firebase command').key).toBe('usage error:firebase');
    expect(bash('cargo tst', 'Exit code 101\nerror: no such command: `tst`\n\n\tDid you mean `test`?').key).toBe('usage error:cargo');
    expect(bash('go tset ./...', "Exit code 2\ngo tset: unknown command\nRun 'go help' for usage.").key).toBe('usage error:go');
    // git's extensions are programs: git-lfs not installed is a missing program, not a typo.
    const lfs = bash('git lfs pull', "Exit code 1\ngit: 'lfs' is not a git command. See 'git --help'.");
    expect([lfs.key, lfs.calledBy]).toEqual(['command not found:git-lfs', 'git']);
  });
});

describe('causeOf: a service that failed, and questions asked by exit code, in the tools\' own words', () => {
  it("takes a remote service's 5xx answer or its rate limit for the service, not the agent; the app under work answering 500 stays the agent's", () => {
    const transient = [
      bash('git push origin feat', "Exit code 128\nremote: Internal Server Error\nfatal: unable to access 'https://github.com/o/r.git/': The requested URL returned error: 500"),
      bash('gh pr create --fill', 'Exit code 1\nHTTP 502: Bad Gateway (https://api.github.com/graphql)'),
      bash('gh api repos/o/r/pulls', 'Exit code 1\ngh: API rate limit exceeded for user ID 123. (HTTP 403)'),
      bash('gh run view 123 --log', 'Exit code 1\nGraphQL: Something went wrong while executing your query. Please include `ABC:123` when reporting this issue.'),
      bash('docker pull node:20', 'Exit code 1\nError response from daemon: toomanyrequests: You have reached your pull rate limit.'),
      bash('npm install', 'Exit code 1\nnpm error code E503\nnpm error 503 Service Unavailable - GET https://registry.npmjs.org/left-pad'),
      causeOf({ tool: 'Task', error: 'Request timed out.' }),
      causeOf({ tool: 'WebFetch', target: 'https://example.com/docs', error: 'timeout of 60000ms exceeded' }),
    ];
    expect(transient.map((c) => c.noise?.kind)).toEqual(transient.map(() => 'transient'));
    // A server of this machine answering 500 is the app being built.
    expect(bash('curl -fsS http://localhost:3000/api/users', 'Exit code 22\ncurl: (22) The requested URL returned error: 500').noise).toBeUndefined();
    // A 4xx is the call's own: a wrong URL or a missing token.
    expect(bash('git clone https://github.com/o/privat.git', "Exit code 128\nfatal: unable to access 'https://github.com/o/privat.git/': The requested URL returned error: 403").noise).toBeUndefined();
  });

  it('takes kill -0, jq -e and pg_isready answering no for answers; jq -e with an error of its own stays a mistake', () => {
    expect(bash('kill -0 12345', 'Exit code 1\nbash: kill: (12345) - No such process').noise?.kind).toBe('probe');
    expect(bash('jq -e ".scripts.test" package.json', 'Exit code 1\nnull').noise?.kind).toBe('probe');
    expect(bash('pg_isready -h localhost', 'Exit code 2\nlocalhost:5432 - no response').noise?.kind).toBe('probe');
    expect(bash('jq -e ".scripts.test" package.jsn', 'Exit code 2\njq: error: Could not open package.jsn: No such file or directory').noise).toBeUndefined();
    // Not allowed to signal it is not an answer about the process.
    expect(bash('kill -0 1', 'Exit code 1\nbash: kill: (1) - Operation not permitted').noise).toBeUndefined();
  });
});

describe("causeOf: test runs, checks and builds of more ecosystems, in the tools' own words", () => {
  it('takes a red run of wrapped, workspace-scoped and other build tools\' tests for the work, and the hooks or a bundler pointing at code for the check', () => {
    const runs = [
      bash('./mvnw -q test', '[ERROR] Failures: \n[ERROR]   AppTest.adds:12 expected: <3> but was: <2>'),
      bash('python manage.py test', 'Exit code 1\nFAIL: test_home (app.tests.HomeTests.test_home)\nAssertionError: 404 != 200\n\nFAILED (failures=1)'),
      bash('cargo nextest run', 'Exit code 100\n        FAIL [   0.003s] calc tests::adds\nerror: test run failed'),
      bash('pnpm --filter web test', 'Exit code 1\n FAIL  src/a.test.ts > adds\nAssertionError: expected 2 to be 3'),
      bash('npm -w api test', 'Exit code 1\n FAIL  src/a.test.ts > adds\nAssertionError: expected 2 to be 3'),
      bash('yarn workspace api test', 'Exit code 1\nFAIL src/a.test.ts\nTests: 1 failed, 3 passed, 4 total'),
      bash('sbt test', 'Exit code 1\n[error] Failed: Total 3, Failed 1, Errors 0, Passed 2\n[error] (Test / test) sbt.TestsFailedException: Tests unsuccessful'),
      bash('stack test', 'Exit code 1\n  Calc\n    adds FAILED [1]\n1 example, 1 failure'),
    ];
    expect(runs.map((c) => c.noise?.kind)).toEqual(runs.map(() => 'test-run'));
    expect(bash('pre-commit run --all-files', 'Exit code 1\ntrim trailing whitespace.......Failed\n- hook id: trailing-whitespace\n- files were modified by this hook').noise?.kind).toBe('lint-feedback');
    expect(bash('npx webpack', 'Exit code 1\nERROR in ./src/a.ts 3:9\nModule parse failed: Unexpected token (3:9)').noise?.kind).toBe('lint-feedback');
    // The package a workspace option names is not the script: a missing one is keyed by the script.
    const missing = bash('pnpm --filter web tset', 'Exit code 1\n ERR_PNPM_NO_SCRIPT  Missing script: tset');
    expect([missing.category, missing.subject]).toEqual(['missing script', 'tset']);
    // pnpm's -w is the workspace root, with no value: the script after it is still read.
    expect(bash('pnpm -w test', 'Exit code 1\n FAIL  src/a.test.ts > adds').noise?.kind).toBe('test-run');
  });
});

describe("causeOf: Claude Code's refusals by the person's permission rules, in each wording", () => {
  it('takes a denied edit, read, tool with input or plugin refusal for a declined call', () => {
    const refused = [
      causeOf({ tool: 'Edit', target: '/p/.env', error: 'Permission to edit /p/.env has been denied.' }),
      causeOf({ tool: 'Read', target: '/p/secrets.json', error: 'Permission to read /p/secrets.json has been denied.' }),
      causeOf({ tool: 'Bash', target: 'rm -rf build', error: 'Permission to use Bash with command rm -rf build has been denied.' }),
      causeOf({ tool: 'WebFetch', target: 'https://x.test', error: 'Permission to use WebFetch has been denied by your rule WebFetch(domain:x.test).' }),
      causeOf({ tool: 'Bash', target: 'curl x.test', error: 'Permission to use Bash denied by plugin safety-net' }),
    ];
    expect(refused.map((c) => c.noise?.kind)).toEqual(refused.map(() => 'declined'));
    // The file system refusing is not the person.
    expect(causeOf({ tool: 'Bash', target: 'cat /root/x', error: 'Exit code 1\ncat: /root/x: Permission denied' }).noise).toBeUndefined();
  });
});

describe('causeOf: a one-off script indexing data by a shape it assumed', () => {
  it('reads a KeyError, a TypeError of indexing or iterating, in python3 -c, a script on stdin, node -e or a /tmp script, as the data\'s shape guessed', () => {
    const guessed = [
      bash("python3 - <<'EOF'\nimport re\ntxt=open('data/m.txt').read()\nrows=[dict(tag=m) for m in re.findall('x', txt)]\nprint(rows[0]['tag'])\nEOF", 'Exit code 1\nTraceback (most recent call last):\n  File "<stdin>", line 13, in <module>\nKeyError: \'tag\''),
      bash('node /tmp/count_demo.mjs 2>&1', 'Exit code 1\nfile:///private/tmp/count_demo.mjs:91\nTypeError: r is not iterable\n    at file:///private/tmp/count_demo.mjs:91:24'),
      bash('node -e "const d=require(\'./out.json\'); console.log(d.items[0].name)"', "Exit code 1\n[eval]:1\nTypeError: Cannot read properties of undefined (reading '0')"),
      bash('python3 -c "import json; d=json.load(open(\'r.json\')); print(d[0][\'id\'])"', 'Exit code 1\nTraceback (most recent call last):\n  File "<string>", line 1, in <module>\nKeyError: 0'),
    ];
    expect(guessed.map((c) => c.key)).toEqual(guessed.map(() => 'usage error:json shape'));
    // An environment variable missing is a setting, not the shape of data; the project's own script is not a one-off.
    expect(bash('python3 -c "import os; print(os.environ[\'API_KEY\'])"', 'Exit code 1\nTraceback (most recent call last):\n  File "<string>", line 1, in <module>\nKeyError: \'API_KEY\'').key).not.toBe('usage error:json shape');
    expect(bash('python manage.py seed', "Exit code 1\nTraceback (most recent call last):\n  File \"/p/app/seed.py\", line 9, in run\nKeyError: 'name'").key).not.toBe('usage error:json shape');
  });
});

describe("causeOf: more tools' own words (Click, BSD sed, Python's import, certificates, AskUserQuestion, the time limit)", () => {
  it("reads Click's \"No such option\", BSD sed's -i taking the script for a suffix, and python3 -c \"import x\" answering no", () => {
    expect(bash('ticket create epic --title "Optimise"', "Usage: aitrackdown task create [OPTIONS] [TITLE]\nTry 'aitrackdown task create -h' for help.\n╭─ Error ─────╮\n│ No such option: --title (Possible options: --edit, --estimate) │").category).toBe('usage error');
    expect(bash("for f in tickets/*.md; do sed -i 's/EP-1/EP-3/g' \"$f\"; done", 'sed: 1: "tickets/ISS-1.md": undefined label \'ickets/ISS-1.md\'').key).toBe('usage error:bsd sed -i');
    expect(bash("sed -i 's/a/b/' f.txt", 'sed: 1: "f.txt": invalid command code f').key).toBe('usage error:bsd sed -i');
    expect(bash('python -c "import aitrackdown; print(aitrackdown.__file__)"', "Traceback (most recent call last):\n  File \"<string>\", line 1, in <module>\nModuleNotFoundError: No module named 'aitrackdown'").noise?.kind).toBe('probe');
    // Code that uses the module is not a question.
    expect(bash('python3 -c "import yaml; print(yaml.safe_load(open(\'a.yml\')))"', "Traceback (most recent call last):\n  File \"<string>\", line 1, in <module>\nModuleNotFoundError: No module named 'yaml'").key).toBe('module not found:yaml');
  });

  it("takes a site's certificate that does not cover it for the site, and an unanswered AskUserQuestion for a declined call", () => {
    expect(causeOf({ tool: 'WebFetch', target: 'http://download.proxmox.com/debian/', error: "Hostname/IP does not match certificate's altnames: Host: download.proxmox.com. is not in the cert's altnames: DNS:de.cdn.proxmox.com" }).noise?.kind).toBe('transient');
    expect(causeOf({ tool: 'AskUserQuestion', error: 'Answer questions?' }).noise?.kind).toBe('declined');
  });

  it('names what ran too long: the command before a filter, what follows a log, and a polling loop as such', () => {
    expect(bash('ticket epic create "Test" 2>&1 | grep -E "(File:|Error)"', 'Command timed out after 2m 0.0s').program).toBe('ticket');
    expect(bash('tail -f /var/log/syslog | grep -E "(livecd|nspawn)" | head -20', 'Command timed out after 5s').program).toBe('tail');
    expect(bash('for i in $(seq 1 40); do s=$(gh run list --limit 1 --json status -q ".[0].status"); case "$s" in completed*) break;; esac; sleep 45; done', 'Exit code 143\nCommand timed out after 10m 0s\npending').key).toBe('timeout:polling loop');
  });
});

describe("causeOf: everyday setup failures in the tools' own words", () => {
  it('reads the file a tool starts from missing as the wrong folder, and a build that found no Makefile as no build at all', () => {
    expect(bash('uv add requests', 'Exit code 2\nerror: No `pyproject.toml` found in current directory or any parent directory').key).toBe('wrong directory:pyproject.toml');
    expect(bash('poetry install', 'Exit code 1\nPoetry could not find a pyproject.toml file in /p or its parents').key).toBe('wrong directory:pyproject.toml');
    expect(bash('docker compose up -d', 'Exit code 1\nno configuration file provided: not found').key).toBe('wrong directory:compose file');
    const make = bash('make build', 'Exit code 2\nmake: *** No targets specified and no makefile found.  Stop.');
    expect([make.key, make.noise]).toEqual(['wrong directory:Makefile', undefined]);
  });

  it('reads Docker not running, a refused ssh key, CRLF line endings, a pytest plugin option, import in CommonJS and a port docker holds', () => {
    expect(bash('docker ps', 'Exit code 1\nCannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?').key).toBe('tool unavailable:docker daemon');
    const ssh = bash('ssh deploy@host "systemctl restart app"', 'Exit code 255\ndeploy@host: Permission denied (publickey).');
    expect([ssh.key, ssh.noise]).toEqual(['permission:ssh key', undefined]);
    expect(bash('./run.sh', 'Exit code 126\n/bin/bash: ./run.sh: /bin/bash^M: bad interpreter: No such file or directory').key).toBe('syntax error:crlf line endings');
    const pytest = bash('pytest --cov=app', 'Exit code 4\nERROR: usage: pytest [options] [file_or_dir] [file_or_dir] [...]\npytest: error: unrecognized arguments: --cov=app');
    expect([pytest.key, pytest.noise]).toEqual(['usage error:pytest plugin option', undefined]);
    expect(bash('node index.js', "Exit code 1\n/p/index.js:1\nimport x from 'y';\n^^^^^^\nSyntaxError: Cannot use import statement outside a module").key).toBe('syntax error:import in commonjs');
    expect(bash('docker compose up -d', 'Exit code 1\nError response from daemon: driver failed programming external connectivity on endpoint db: Bind for 0.0.0.0:5432 failed: port is already allocated').key).toBe('other:port in use');
    // The network not answering stays the network's.
    expect(bash('ssh deploy@host uptime', 'Exit code 255\nssh: connect to host host port 22: Connection timed out').noise?.kind).toBe('transient');
  });
});

describe('causeOf: a tool that names its own set-up step, a pinned package manager, a stale lockfile, npm login, a database not running', () => {
  it('reads each as its own mistake, not an unknown failure', () => {
    expect(bash('terraform apply', 'Exit code 1\nError: Backend initialization required, please run "terraform init"').key).toBe('usage error:set up first: terraform init');
    expect(bash('bundle exec rails s', "Exit code 7\nCould not find gem 'pg (~> 1.1)' in locally installed gems.\nRun `bundle install` to install missing gems.").key).toBe('usage error:set up first: bundle install');
    expect(bash('yarn install', 'Exit code 1\nerror This project\'s package.json defines "packageManager": "yarn@4.1.0". However the current global version of Yarn is 1.22.19.').key).toBe('usage error:corepack');
    expect(bash('pnpm install --frozen-lockfile', 'Exit code 1\n ERR_PNPM_OUTDATED_LOCKFILE  Cannot install with "frozen-lockfile" because pnpm-lock.yaml is not up to date with package.json').key).toBe('dependency conflict:outdated lockfile');
    expect(bash('npm publish', 'Exit code 1\nnpm error code ENEEDAUTH\nnpm error need auth This command requires you to be logged in to https://registry.npmjs.org/').key).toBe('permission:npm login');
    expect(bash('npx prisma migrate dev', "Exit code 1\nError: P1001: Can't reach database server at `localhost:5432`").key).toBe('tool unavailable:database server');
  });
});

describe('causeOf: what to run named wrong (cargo run, go run), a folder pip cannot install, a manifest Kubernetes refuses', () => {
  it('reads each as its own mistake, in the words of the tool', () => {
    expect(bash('cargo run', 'Exit code 101\nerror: a bin target must be available for `cargo run`').key).toBe('usage error:cargo run target');
    expect(bash('cargo run -- --port 8080', 'Exit code 101\nerror: `cargo run` could not determine which binary to run. Use the `--bin` option to specify a binary, or the `default-run` manifest key.\navailable binaries: server, migrate').key).toBe('usage error:cargo run target');
    expect(bash('go run cmd/server', 'Exit code 1\npackage cmd/server is not in std (/usr/local/go/src/cmd/server)').key).toBe('usage error:go package path');
    expect(bash('go build internal/api', 'Exit code 1\npackage internal/api is not in GOROOT (/usr/lib/go/src/internal/api)').key).toBe('usage error:go package path');
    expect(bash('pip install -e .', "Exit code 1\nERROR: file:///home/u/work does not appear to be a Python project: neither 'setup.py' nor 'pyproject.toml' found.").key).toBe('wrong directory:pyproject.toml');
    expect(bash('pip install -e .', "Exit code 1\nERROR: Directory '.' is not installable. Neither 'setup.py' nor 'pyproject.toml' found.").key).toBe('wrong directory:pyproject.toml');
    expect(bash('kubectl apply -f k8s/deploy.yaml', 'Exit code 1\nerror: error validating "k8s/deploy.yaml": error validating data: ValidationError(Deployment.spec): unknown field "replica" in io.k8s.api.apps.v1.DeploymentSpec; if you choose to ignore these errors, turn validation off with --validate=false').key).toBe('usage error:kubernetes manifest');
    expect(bash('kubectl apply -f deploy.yaml', 'Exit code 1\nError from server (BadRequest): error when creating "deploy.yaml": Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.replica"').key).toBe('usage error:kubernetes manifest');
  });

  it('leaves a package the code imports to its own cause: only a path given to go itself is the call\'s', () => {
    const imported = bash('go build ./...', 'Exit code 1\nmain.go:4:2: package utils is not in std (/usr/local/go/src/utils)');
    expect(imported.key).not.toBe('usage error:go package path');
  });
});

describe('causeOf: asking whether a program or package is there, in the words of node, npm and the shell', () => {
  it('reads a no as the answer to a question', () => {
    for (const [command, error] of [
      ['command -v pnpm', 'Exit code 1'],
      ['node -e "require.resolve(\'vitest\')"', "Exit code 1\nnode:internal/modules/cjs/loader:1225\n  throw err;\n  ^\n\nError: Cannot find module 'vitest'\nRequire stack:\n- /p/[eval]"],
      ['node -p "require(\'zod\')"', "Exit code 1\nError: Cannot find module 'zod'\nRequire stack:\n- /p/[eval]"],
      ['npm view left-padx version', 'Exit code 1\nnpm error code E404\nnpm error 404 Not Found - GET https://registry.npmjs.org/left-padx - Not found'],
    ]) {
      expect(bash(command!, error!).noise?.kind).toBe('probe');
    }
  });

  it('reads a survey of what is installed, and asking git which branch this one tracks, as questions too', () => {
    const survey = bash('echo "=== python ===" && python --version 2>&1; which python; echo "=== venv ===" && ls .venv/bin/ 2>/dev/null | head; echo "=== pytest ===" && python -c "import pytest; print(pytest.__version__)" 2>&1', "Exit code 1\n=== python ===\nPython 3.12.3\n/usr/bin/python\n=== venv ===\n=== pytest ===\nTraceback (most recent call last):\n  File \"<string>\", line 1, in <module>\nModuleNotFoundError: No module named 'pytest'");
    expect(survey.noise?.kind).toBe('probe');
    const upstream = bash('git rev-parse --abbrev-ref spec/tasks@{upstream} 2>&1', "Exit code 128\nfatal: no upstream configured for branch 'spec/tasks'");
    expect([upstream.key, upstream.noise?.kind]).toEqual(['git:upstream probe', 'probe']);
    // An install before the import, or a push, are not questions.
    expect(bash('pip install -r requirements.txt && python -c "import pytest"', "Exit code 1\nModuleNotFoundError: No module named 'pytest'").noise).toBeUndefined();
    expect(bash('git push', "Exit code 128\nfatal: The current branch feat/x has no upstream branch.").key).toBe('git:no upstream');
  });

  it("takes a call Claude Code cancelled while warming a subagent up for a cascade, and npm's unknown command for npm's", () => {
    expect(causeOf({ tool: 'Glob', target: '**/*.ts', error: 'Warmup' }).noise?.kind).toBe('cascade');
    expect(bash('echo "Environment ready" && pwd', 'Warmup').noise?.kind).toBe('cascade');
    expect(bash('npm bin -g && ls -la $(npm bin -g) 2>/dev/null | head -20', 'Exit code 1\nUnknown command: "bin"\n\nTo see a list of supported npm commands, run:\n  npm help').key).toBe('usage error:npm');
  });

  it('reads a CLI with no account logged in as a login for the person to make, naming the command', () => {
    expect(bash('gh repo view acme/app 2>&1', 'Exit code 4\nTo get started with GitHub CLI, please run:  gh auth login\nAlternatively, populate the GH_TOKEN environment variable with a GitHub API authentication token.').key).toBe('permission:login: gh auth login');
    expect(bash('vercel deploy', 'Exit code 1\nError: No existing credentials found. Please run `vercel login` or pass "--token"').key).toBe('permission:login: vercel login');
    expect(bash('aws s3 ls', 'Exit code 253\n\nUnable to locate credentials. You can configure credentials by running "aws configure".').key).toBe('permission:login: aws configure');
    expect(bash('gcloud run deploy api', 'Exit code 1\nERROR: (gcloud.run.deploy) You do not currently have an active account selected.\nPlease run:\n\n  $ gcloud auth login').key).toBe('permission:login: gcloud auth login');
    // Asking whether one is logged in is a question.
    expect(bash('gh auth status', 'Exit code 1\nYou are not logged into any GitHub hosts. To log in, run: gh auth login').noise?.kind).toBe('probe');
  });

  it('keeps a mistake when the package asked for is there but breaks, or the question is part of a bigger line', () => {
    expect(bash('node -e "require(\'./server\')"', "Exit code 1\nError: Cannot find module 'express'\nRequire stack:\n- /p/server.js\n- /p/[eval]").noise).toBeUndefined();
    expect(bash('npm install left-padx', 'Exit code 1\nnpm error code E404\nnpm error 404 Not Found - GET https://registry.npmjs.org/left-padx - Not found').noise).toBeUndefined();
    expect(bash('command -v pnpm && pnpm install', 'Exit code 1\n ERR_PNPM_OUTDATED_LOCKFILE  Cannot install with "frozen-lockfile"').noise).toBeUndefined();
    // A relative require runs the project's code; a view after an install that failed is not the question.
    expect(bash('node -e "require(\'./dist/index.js\')"', "Exit code 1\nError: Cannot find module './dist/index.js'\nRequire stack:\n- /p/[eval]").noise).toBeUndefined();
    expect(bash('npm install && npm view @radix-ui/react-tooltips version', "Exit code 1\nnpm error code E404\nnpm error 404 Not Found - GET https://registry.npmjs.org/@radix-ui%2freact-tooltipz - Not found").noise).toBeUndefined();
    expect(bash('npm view zod version', 'Exit code 1\nFetch failed: 404 Not Found https://api.example.com/schema').noise).toBeUndefined();
  });
});

describe('causeOf: a toolchain older than the project asks for, set-up a framework names, and what forges, helm, docker and compose refuse', () => {
  it('reads a toolchain behind the project as that, not as the build at work', () => {
    const cases: [string, string, string][] = [
      ['npm install', 'Exit code 1\nnpm error code EBADENGINE\nnpm error engine Unsupported engine\nnpm error notsup Required: {"node":">=22"}', 'node'],
      ['yarn install', 'Exit code 1\nerror app@1.0.0: The engine "node" is incompatible with this module. Expected version ">=22". Got "20.11.0"\nerror Found incompatible module.', 'node'],
      ['pnpm install', 'Exit code 1\n ERR_PNPM_UNSUPPORTED_ENGINE  Unsupported environment (bad pnpm and/or Node.js version)', 'node'],
      ['uv sync', "Exit code 2\nerror: The requested interpreter resolved to Python 3.11.7, which is incompatible with the project's Python requirement: `>=3.12`", 'python'],
      ['poetry install', 'Exit code 1\nThe currently activated Python version 3.10.12 is not supported by the project (^3.11).\nTrying to find and use a compatible version.\n\nPoetry was unable to find a compatible version. If you have one, you can explicitly use it via the "env use" command.', 'python'],
      ['cargo build', 'Exit code 101\nerror: package `tokio v1.40.0` cannot be built because it requires rustc 1.70 or newer, while the currently active rustc version is 1.65.0', 'rust'],
      ['go build ./...', 'Exit code 1\ngo: go.mod requires go >= 1.23 (running go 1.21.5; GOTOOLCHAIN=local)', 'go'],
      ['mvn package', '[ERROR] Failed to execute goal org.apache.maven.plugins:maven-compiler-plugin:3.11.0:compile (default-compile) on project app: Fatal error compiling: error: invalid target release: 21', 'java'],
      ['java -jar build/app.jar', 'Exit code 1\nError: LinkageError occurred while loading main class App\n\tjava.lang.UnsupportedClassVersionError: App has been compiled by a more recent version of the Java Runtime (class file version 65.0), this version of the Java Runtime only recognizes class file versions up to 61.0', 'java'],
      ['dotnet build', 'Exit code 1\n/p/App.csproj : error NETSDK1045: The current .NET SDK does not support targeting .NET 9.0.', 'dotnet'],
      ['swift build', "Exit code 1\nerror: 'app': package 'app' is using Swift tools version 5.10.0 but the installed version is 5.9.0", 'swift'],
      ['bundle exec rake', 'Exit code 1\nYour Ruby version is 3.1.2, but your Gemfile specified 3.3.0', 'ruby'],
      ['composer install', 'Exit code 2\n    - Root composer.json requires php ^8.2 but your php version (8.1.2) does not satisfy that requirement.', 'php'],
    ];
    for (const [command, error, toolchain] of cases) {
      const c = bash(command, error);
      expect([command, c.key, c.noise]).toEqual([command, `dependency conflict:toolchain version: ${toolchain}`, undefined]);
    }
    expect(bash('./gradlew test', "Exit code 1\nERROR: JAVA_HOME is not set and no 'java' command could be found in your PATH.").key).toBe('tool unavailable:jdk');
  });

  it('reads the rest in the words of rails, django, GitHub, helm, docker and compose', () => {
    expect(bash('bin/rails server', 'Exit code 1\nActiveRecord::PendingMigrationError: Migrations are pending. To resolve this issue, run:\n\n        bin/rails db:migrate RAILS_ENV=development').key).toBe('usage error:pending migrations');
    expect(bash('python manage.py runserver', 'Exit code 1\ndjango.db.utils.OperationalError: no such table: app_user').key).toBe('usage error:pending migrations');
    expect(bash('php artisan migrate', 'Exit code 1\n  SQLSTATE[HY000] [2002] Connection refused (Connection: mysql, SQL: select * from information_schema.tables)').key).toBe('tool unavailable:database server');
    // As git prints them: GitHub's reason, then git's own "failed to push some refs".
    const refused = (reason: string) => `Exit code 1\n${reason}\nTo github.com:acme/app.git\n ! [remote rejected] main -> main (protected branch hook declined)\nerror: failed to push some refs to 'github.com:acme/app.git'`;
    expect(bash('git push origin main', refused('remote: error: GH013: Repository rule violations found for refs/heads/main.\nremote: - Changes must be made through a pull request.')).key).toBe('git:protected branch');
    expect(bash('git push', refused('remote: error: GH006: Protected branch update failed for refs/heads/main.')).key).toBe('git:protected branch');
    expect(bash('git push origin develop', refused('remote: error: GH013: Repository rule violations found for refs/heads/develop.\nremote: - Required status check "test" is expected.')).key).toBe('git:protected branch');
    expect(bash('git push origin main', `Exit code 1\nremote: error: File data/model.bin is 120.00 MB; this exceeds GitHub's file size limit of 100.00 MB\nremote: error: GH001: Large files detected.\nTo github.com:acme/app.git\n ! [remote rejected] main -> main (pre-receive hook declined)\nerror: failed to push some refs to 'github.com:acme/app.git'`).key).toBe('git:large file');
    expect(bash('git push', `Exit code 1\nremote: error: GH013: Repository rule violations found for refs/heads/main.\nremote: - GITHUB PUSH PROTECTION\nremote:   Push cannot contain secrets\n ! [remote rejected] main -> main (push declined due to repository rule violations)\nerror: failed to push some refs to 'github.com:acme/app.git'`).key).toBe('git:push protection');
    expect(bash('helm install app ./chart', 'Exit code 1\nError: INSTALLATION FAILED: cannot re-use a name that is still in use').key).toBe('usage error:helm install');
    expect(bash('docker build -t app .', 'Exit code 1\nERROR: failed to solve: failed to compute cache key: failed to calculate checksum of ref 5b3c0a1e::k2m9: "/app/dist": not found').key).toBe('file not found:docker build context');
    expect(bash('docker compose up -d', 'Exit code 1\nservice "web" refers to undefined volume data: invalid compose project').key).toBe('syntax error:compose file');
  });

  it('reads a migration history the database and the code disagree on, and a terraform lock held elsewhere', () => {
    expect(bash('alembic upgrade head', "Exit code 1\nERROR [alembic.util.messaging] Can't locate revision identified by 'abc123'\n  FAILED: Can't locate revision identified by 'abc123'").key).toBe('usage error:alembic revision missing');
    expect(bash('npx prisma migrate dev', 'Exit code 1\nError: P3009\n\nmigrate found failed migrations in the target database, new migrations will not be applied.').key).toBe('usage error:prisma failed migration');
    expect(bash('terraform apply', 'Exit code 1\nError: Error acquiring the state lock\n\nLock Info:\n  ID:        1b2c').key).toBe('other:terraform state lock');
  });

  it('keeps warnings warnings, a JDK too new for Gradle, a remote database, a named path and what runs inside a service out of these causes (a review of them)', () => {
    const npmWarn = "npm warn EBADENGINE Unsupported engine {\nnpm warn EBADENGINE   package: 'undici@7.14.0',\nnpm warn EBADENGINE   required: { node: '>=20.18.1' },\nnpm warn EBADENGINE   current: { node: 'v18.20.5', npm: '10.8.2' }\nnpm warn EBADENGINE }";
    expect(bash('npm ci && npm test', `Exit code 1\n${npmWarn}\n\n FAIL  src/a.test.ts > adds\nAssertionError: expected 3 to be 4\n Test Files  1 failed (1)`).noise?.kind).toBe('test-run');
    expect(bash('npm install vite@9.9.9', `Exit code 1\n${npmWarn}\nnpm error code ETARGET\nnpm error notarget No matching version found for vite@9.9.9.`).key).not.toMatch(/toolchain/);
    expect(bash('poetry run pytest -v', 'Exit code 1\nThe currently activated Python version 3.13.1 is not supported by the project (3.8.12).\nTrying to find and use a compatible version.\nUsing python3 (3.8.12)\n=== FAILURES ===\nFAILED tests/test_a.py::test_x - assert 1 == 2\n=== 1 failed, 3 passed in 0.12s ===').noise?.kind).toBe('test-run');
    expect(bash('./gradlew build', 'Exit code 1\nGeneral error during semantic analysis: Unsupported class file major version 61').key).not.toMatch(/toolchain/);
    expect(bash('mysql -h db.staging.acme.internal -u app -p app', "Exit code 1\nERROR 2003 (HY000): Can't connect to MySQL server on 'db.staging.acme.internal:3306' (110)").key).not.toBe('tool unavailable:database server');
    expect(bash('pip install -e ./libs/geo', "Exit code 1\nERROR: file:///p/libs/geo does not appear to be a Python project: neither 'setup.py' nor 'pyproject.toml' found.").key).not.toBe('wrong directory:pyproject.toml');
    expect(bash('go test ./controllers/...', 'Exit code 1\n--- FAIL: TestReconcile (0.50s)\n    reconcile_test.go:40: strict decoding error: unknown field "spec.replica"\nFAIL').key).not.toBe('usage error:kubernetes manifest');
    expect(bash('helm upgrade --install web ./chart', 'Exit code 1\nError: UPGRADE FAILED: cannot re-use a name that is still in use').key).not.toBe('usage error:helm install');
    expect(bash('docker compose -f compose.test.yml run --rm api go test ./...', 'Exit code 1\n--- FAIL: TestLoad (0.00s)\n    load_test.go:12: yaml: line 3: mapping values are not allowed in this context\nFAIL').key).not.toBe('syntax error:compose file');
    expect(bash('docker compose up --abort-on-container-exit', 'Exit code 1\napi-1  | panic: yaml: line 12: did not find expected key\napi-1 exited with code 2').key).not.toBe('syntax error:compose file');
    expect(bash('docker compose config -q', 'Exit code 15\nservice "web" refers to undefined volume data: invalid compose project').noise?.kind).toBe('lint-feedback');
  });

  it('keeps secrets pushed a secret, a migration failing its own way, and a service\'s own YAML error the service\'s', () => {
    expect(bash('git push', 'Exit code 1\nremote: error: GH013: Repository rule violations found for refs/heads/main.\nremote: - GITHUB PUSH PROTECTION\nremote:   Push cannot contain secrets').key).toBe('git:push protection');
    expect(bash('python manage.py migrate', 'Exit code 1\ndjango.db.utils.OperationalError: no such table: app_user').key).not.toBe('usage error:set up first: python manage.py migrate');
    expect(bash('docker compose exec web python load.py', 'Exit code 1\nyaml: line 3: did not find expected key').key).not.toBe('syntax error:compose file');
  });
});

describe('causeOf: what the tools-documented causes must not swallow (a review of them)', () => {
  it('keeps a mistake a mistake when a probe-like command ends a line whose earlier command failed, or an import runs project code that breaks', () => {
    const mistakes = [
      bash("curl -fsS https://api.github.com/repos/acme/w/releases/latest | jq -e '.tag_name'", 'Exit code 4\ncurl: (22) The requested URL returned error: 404'),
      bash('docker compose up -d db && pg_isready -h localhost -p 5432', 'Exit code 1\nError response from daemon: driver failed programming external connectivity on endpoint db: Bind for 0.0.0.0:5432 failed: port is already allocated'),
      bash('python3 -c "import app"', "Exit code 1\nTraceback (most recent call last):\n  File \"<string>\", line 1, in <module>\n  File \"/p/app/__init__.py\", line 2, in <module>\nImportError: cannot import name 'User' from partially initialized module 'app.models' (most likely due to a circular import)"),
      bash('python3 -c "import app"', "Exit code 1\nTraceback (most recent call last):\n  File \"<string>\", line 1, in <module>\n  File \"/p/app/__init__.py\", line 1, in <module>\nModuleNotFoundError: No module named 'httpx'"),
      bash('pip install fastapi-userz && python3 -c "import fastapi_userz"', 'Exit code 1\nERROR: Could not find a version that satisfies the requirement fastapi-userz (from versions: none)'),
      bash('docker compose exec web curl -fsS http://api:8000/health', 'Exit code 22\ncurl: (22) The requested URL returned error: 500'),
      bash('node scripts/smoke.mjs', 'Exit code 1\nGET http://localhost:3000/api/users -> 502 Bad Gateway'),
      bash('npx next start -p 3001', "Exit code 1\n[Error: Could not find a production build in the '.next' directory. Try building your app with 'next build' before starting the production server.]"),
      bash('pre-commit run --all-files', 'Exit code 1\nAn error has occurred: InvalidConfigError: \n=====> .pre-commit-config.yaml is not a file'),
      bash('pre-commit run ruff-formatt --all-files', 'Exit code 1\nNo hook with id `ruff-formatt` in stage `pre-commit`'),
    ];
    expect(mistakes.map((c) => c.noise?.kind ?? null)).toEqual(mistakes.map(() => null));
    expect(mistakes[3]!.key).toBe('module not found:httpx');
  });

  it('keeps the more specific cause: a test run over a one-liner, project code over the data-shape rule, the package manager a project wants over corepack', () => {
    expect(bash("python -m unittest discover -s tests -p 'test_*.py'", "Exit code 1\nTraceback (most recent call last):\n  File \"/p/tests/test_a.py\", line 9, in test_x\nKeyError: 'title'\nFAILED (errors=1)").noise?.kind).toBe('test-run');
    expect(bash('node -e "console.log(process.version)" && npm test', "Exit code 1\nTypeError: Cannot read properties of undefined (reading 'map')").noise?.kind).toBe('test-run');
    expect(bash("node -e \"require('./dist/index.js').main()\"", "Exit code 1\nTypeError: Cannot read properties of undefined (reading 'map')\n    at main (/p/dist/index.js:41:24)\n    at [eval]:1:30").key).not.toBe('usage error:json shape');
    expect(bash('python3 -c "from app.billing import compute_invoice; compute_invoice()"', "Exit code 1\nTraceback (most recent call last):\n  File \"<string>\", line 1, in <module>\n  File \"/p/app/billing.py\", line 40, in compute_invoice\nKeyError: 'enterprise'").key).not.toBe('usage error:json shape');
    // A one-liner whose JSON parse fails inside the standard library is still the one-liner's data.
    expect(bash('cat pulls.json | python3 -c "import json,sys; d=json.load(sys.stdin); print(d[0])"', 'Exit code 1\nTraceback (most recent call last):\n  File "<string>", line 1, in <module>\n  File "/usr/lib64/python3.12/json/decoder.py", line 355, in raw_decode\njson.decoder.JSONDecodeError: Expecting value: line 1 column 1 (char 0)').key).toBe('usage error:json shape');
    expect(bash('pnpm install', 'Exit code 1\nUsage Error: This project is configured to use yarn because /p/package.json has a "packageManager" field').key).toBe('usage error:package manager yarn');
  });

  it('blames what ran long, not a file given with -f, and calls only a loop that waits a polling loop; reads pytest typos and sed -i \'\' as they are', () => {
    expect(bash('docker compose -f docker-compose.test.yml up -d && npm run test:e2e', 'Command timed out after 2m 0.0s\nRunning 48 tests').program).toBe('npm run');
    expect(bash('until pg_isready -h localhost; do sleep 1; done; pytest tests/integration', 'Exit code 143\nCommand timed out after 2m 0.0s\ncollected 412 items').key).not.toBe('timeout:polling loop');
    expect(bash("echo 'waiting for db to do migrations'; sleep 3 && npm run migrate && npm run dev", 'Command timed out after 2m 0.0s').key).not.toBe('timeout:polling loop');
    expect(bash('pytest --maxfails=1 tests/', 'Exit code 4\nERROR: usage: pytest [options]\npytest: error: unrecognized arguments: --maxfails=1').key).toBe('usage error:pytest');
    expect(bash("sed -i '' 's/a/b' f.txt", 'sed: 1: "s/a/b": unterminated substitute in regular expression').key).not.toBe('usage error:bsd sed -i');
    expect(bash('npx jest src/api', "Exit code 1\n FAIL src/api/a.test.ts\n  /p/node_modules/x/index.js:1\n    import y from 'z';\n    SyntaxError: Cannot use import statement outside a module").key).not.toBe('syntax error:import in commonjs');
  });
});
