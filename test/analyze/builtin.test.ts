import { describe, expect, it } from 'vitest';
import { builtinAnalyst, commandName } from '../../src/analyze/builtin.js';
import { causeOf } from '../../src/detect/cause.js';
import { validateRule } from '../../src/rules/review.js';
import type { Rule } from '../../src/rules/rule.js';
import type { Incident } from '../../src/store/schemas.js';
import { incidentRecord } from '../helpers/records.js';

function incident(tool: string, target: string | undefined, error: string): Incident {
  const cause = causeOf({ tool, error, ...(target ? { target } : {}) });
  const base = incidentRecord('2026-12-01-abcd');
  return { ...base, signature: error, category: cause.category, key: cause.key, tool, sample: { ...base.sample, error, ...(target ? { target } : {}) }, sessions: ['s1'] };
}

/** The rule the built-in analyst proposes for one Bash failure, or undefined when it proposes none. */
function proposedRule(target: string, error: string, tool = 'Bash') {
  const a = builtinAnalyst({ incident: incident(tool, target || undefined, error), rules: [], recentEvents: [] }, '/p');
  return a.decision.action === 'propose' ? a.decision.rule : undefined;
}

/** Each failure's proposal (title and body) names its fix, and none falls back to "find the cause". */
function expectNamesFix(cases: readonly (readonly [string, string, string])[]): void {
  for (const [target, error, fix] of cases) {
    const rule = proposedRule(target, error);
    const text = rule ? `${rule.title} | ${rule.body}` : 'no proposal';
    expect(text).toContain(fix);
    expect(text).not.toMatch(/Find the cause before retrying/);
  }
}

const SAMPLES: [string, string | undefined, string][] = [
  ['Bash', 'tree -L 2', 'Exit code 127\n(eval):1: command not found: tree'],
  ['Bash', 'some-very-long-program-name-that-goes-on-and-on-and-on-for-a-while-longer-than-usual --flag', 'Exit code 127\nbash: some-very-long-program-name-that-goes-on-and-on-and-on-for-a-while-longer-than-usual: command not found'],
  ['Bash', 'npm run nonexistent', 'Exit code 1\nnpm error Missing script: "nonexistent"'],
  ['Bash', 'node a.js', "Exit code 1\nError: Cannot find module 'lodash'"],
  ['Bash', 'node a.js', "Exit code 1\nError: Cannot find module './lib/x'"],
  ['Bash', 'python3 a.py', "Exit code 1\nModuleNotFoundError: No module named 'requests'"],
  ['Bash', 'npm i react@19', 'Exit code 1\nnpm error code ERESOLVE\nnpm error ERESOLVE unable to resolve dependency tree'],
  ['Bash', 'git push', 'Exit code 128\nfatal: The current branch x has no upstream branch.'],
  ['Bash', 'git push', 'Exit code 1\n ! [rejected]        main -> main (fetch first)\nerror: failed to push some refs'],
  ['Bash', 'git status', 'Exit code 128\nfatal: not a git repository (or any of the parent directories): .git'],
  ['Bash', 'npm run build', 'Exit code 254\nnpm error enoent Could not read package.json: Error: ENOENT: no such file or directory'],
  ['Bash', `python3 -c "print('a')"x`, 'Exit code 2\n/bin/bash: -c: line 1: syntax error near unexpected token `(\''],
  ['Bash', 'node build.js', "Exit code 1\nTypeError: Cannot read properties of undefined (reading 'x'). It broke. Again. And again. Really."],
  ['Bash', 'cat notes/todo.md', 'Exit code 1\ncat: notes/todo.md: No such file or directory'],
  ['Bash', 'curl https://example.com', 'Exit code 6\ncurl: (6) Could not resolve host: example.com'],
  ['Bash', 'make deploy', 'Exit code 2\nError one. Error two. Error three. Error four. Error five.'],
  ['Read', '/p/src', 'EISDIR: illegal operation on a directory, read'],
  ['Read', '/p/big.log', 'File content (806.5KB) exceeds maximum allowed size (256KB). Please use offset and limit parameters to read specific portions of the file, or use the GrepTool to search for specific content.'],
  ['Read', '/p/missing.ts', 'File does not exist.'],
  ['Edit', '/p/a.ts', 'File has not been read yet. Read it first before writing to it.'],
  ['Edit', '/p/a.ts', 'String to replace not found in file.\nString: foo'],
  ['Edit', '/p/a.ts', 'Found 3 matches of the string to replace, but replace_all is false. To replace all occurrences, set replace_all to true. To replace only one occurrence, please provide more context to uniquely identify the instance.\nString: x'],
  ['Edit', '/p/a.ts', 'No changes to make: old_string and new_string are exactly the same.'],
  ['Grep', 'x in /p', 'InputValidationError: Grep failed due to the following issue:\nAn unexpected parameter `-n` was provided. Also this. And that. And more.'],
  ['Write', '/p/CLAUDE.md', "Claude requested permissions to write to /p/CLAUDE.md, but you haven't granted it yet."],
  ['Bash', 'sleep 999', 'Command timed out after 2m 0.0s'],
  ['WebFetch', 'https://x.dev/a', 'Request failed with status code 404'],
  ['Bash', 'git stash pop', 'Exit code 1\nerror: Your local changes to the following files would be overwritten by merge:\n\ta.json'],
  ['Bash', 'git add docs/a.md', 'Exit code 1\nThe following paths are ignored by one of your .gitignore files:\ndocs'],
  ['Bash', 'git commit -m "x"', '[warn] src/a.ts\n[warn] Code style issues found in the above file. Run Prettier with --write to fix.\nhusky - pre-commit script failed (code 1)'],
  ['Bash', 'go build ./...', 'cmd/a.go:3:2: missing go.sum entry for module providing package example.com/x'],
  ['Bash', 'psql -U app', 'Exit code 2\npsql: error: FATAL:  password authentication failed for user "app"'],
  ['mcp__playwright__browser_click', undefined, 'TimeoutError: locator.click: Timeout 5000ms exceeded.\n  - locator resolved to <input type="file" tabindex="-1"/>'],
];

/** Mistakes of common tools whose rule must say what to do instead: [tool, command, error, words the body holds]. */
const FIXES: [string, string, string, RegExp][] = [
  ['Bash', 'git show 3b48412 | head -40; echo ===; git log -1', 'Exit code 1\nImprove retrieval\n(eval):1: == not found', /echo '==='/],
  ['Bash', 'rm -rf /tmp/dmux-test* && node t.js', 'Exit code 1\n(eval):1: no matches found: /tmp/dmux-test*', /Quote paths and patterns/],
  ['Bash', 'sleep 180; gh api repos/o/r/pulls/5/comments', 'Blocked: sleep 180 followed by: gh api repos/o/r/pulls/5/comments. To wait for a condition, use Monitor with an until-loop', /until CHECK; do sleep 2; done/],
  ['Bash', 'git push origin main', "Exit code 128\nremote: Permission to upstream/app.git denied to me.\nfatal: unable to access 'https://github.com/upstream/app.git/': The requested URL returned error: 403", /gh repo fork --remote/],
  ['Bash', 'git commit -m "x"', 'Exit code 128\nCommitter identity unknown\n\n*** Please tell me who you are.', /git config user.name/],
  ['Bash', 'gh pr create --title x --body y', 'Exit code 1\na pull request for branch "fix/x" into branch "main" already exists:\nhttps://github.com/o/r/pull/48', /gh pr view/],
  ['Bash', 'gh pr edit 389 --add-label "critical-fixes-applied"', "'critical-fixes-applied' not found", /gh label list/],
  ['Bash', 'ls -la ./app/src/app/(public)/', '(eval):1: no matches found: ./app/src/app/(public)/', /a path with parentheses/],
  ['Bash', 'gh pr edit 22 --title "Rename"', 'Exit code 1\nGraphQL: Projects (classic) is being deprecated in favor of the new Projects experience', /gh api -X PATCH/],
  ['Bash', 'gh pr merge 22 --squash --delete-branch 2>&1', "Exit code 1\nfailed to run git: fatal: 'main' is already checked out at '/Users/m/chx'", /without `--delete-branch`/],
  ['Bash', 'git fetch origin main && git rebase origin/main 2>&1', 'Exit code 1\nerror: cannot rebase: You have unstaged changes.\nerror: Please commit or stash them.', /git rebase/],
  ['Bash', 'gh pr create --base main --title x', 'Exit code 1\npull request create failed: GraphQL: A pull request already exists for o:marc/branch. (createPullRequest)', /gh pr view/],
  ['WebFetch', 'http://127.0.0.1:4000/about', 'ECONNREFUSED', /curl -sI http:\/\/localhost:PORT\//],
  ['Bash', "git commit -m \"$(cat <<'EOF'\nfeat: x\nEOF\n)\"", "Exit code 1\n(eval):1: can't create temp file for here document: operation not permitted\nAborting commit due to empty commit message.", /-m \\"title\\" -m \\"body\\"|git commit -m "title" -m "body"/],
  ['Bash', 'pnpm test --filter=@x/core 2>&1', 'Exit code 1\n WARN  The "workspaces" field in package.json is not supported by pnpm. Create a "pnpm-workspace.yaml" file instead.\n ERROR  This project is configured to use bun\nFor help, run: pnpm help test', /`bun test`, `bun add PKG`/],
  ['Bash', 'npx playwright test tests/home.spec.ts --reporter=line', '[WebServer]  ⚠ Port 3000 is in use by process 68292, using available port 3002 instead.\n\nError: Timed out waiting 120000ms from config.webServer.', /lsof -i :PORT/],
  ['Bash', 'npm run dev', 'Exit code 1\nError: listen EADDRINUSE: address already in use :::3000', /lsof -i :PORT/],
  ['Bash', 'gh pr view 5 --json state,merged,mergedAt', 'Exit code 1\nUnknown JSON field: "merged"\nAvailable fields:\n  additions\n  assignees\n  state', /--json` and no field list/],
  ['Bash', 'gh pr diff 90 -- .github/workflows/ci.yml', 'Exit code 1\naccepts at most 1 arg(s), received 2', /gh --help/],
  ['Bash', 'gh run view 218 --json name --jq', 'Exit code 1\nflag needs an argument: --jq\n\nUsage:  gh run view [<run-id>] [flags]', /gh --help/],
  ['Bash', 'mise run fmt 2>&1', 'Exit code 1\nmise ERROR error parsing config file: ~/src/cli/mise.toml\nmise ERROR Config files in ~/src/cli/mise.toml are not trusted.\nTrust them with `mise trust`. See https://mise.jdx.dev/cli/trust.html for more information.', /`mise trust`/],
  ['Bash', 'python -c "print(open(\'notes.md\').read())"', "Exit code 1\nTraceback (most recent call last):\n  File \"<string>\", line 1, in <module>\nUnicodeDecodeError: 'gbk' codec can't decode byte 0x92 in position 639: illegal multibyte sequence", /PYTHONUTF8=1/],
  ['PowerShell', 'python report.py', "Exit code 1\nTraceback (most recent call last):\nUnicodeEncodeError: 'gbk' codec can't encode character '\\u2705' in position 0: illegal multibyte sequence", /\$env:PYTHONUTF8 = '1'/],
  ['PowerShell', 'cd app && npm test', "Exit code 1\nThe token '&&' is not a valid statement separator in this version.", /`if \(\$\?\) \{ \.\.\. \}`/],
  ['PowerShell', 'jq .name package.json', "Exit code 1\njq: The term 'jq' is not recognized as a name of a cmdlet, function, script file, or executable program.", /is not recognized/],
  ['Bash', 'ipconfig | findstr /i "IPv4 Gateway"', 'Exit code 1\nFINDSTR: Cannot open IPv4 Gateway', /MSYS_NO_PATHCONV=1/],
  ['Bash', 'pkill -f jules-monitor && echo "stopped"', 'Exit code 144', /pkill -f '\[w\]eb-server'/],
  ['Bash', 'git stash && git pull --rebase && git stash pop', 'Exit code 1\nThere is no tracking information for the current branch.\nPlease specify which branch you want to rebase against.', /git pull origin BRANCH/],
  ['Bash', 'git push -u origin main', "Exit code 128\nfatal: 'origin' does not appear to be a git repository\nfatal: Could not read from remote repository.", /git remote -v/],
  ['Bash', 'gh pr view 546 --json state', 'Exit code 1\nnone of the git remotes configured for this repository point to a known GitHub host. To tell gh about a new GitHub host, please use `gh auth login`', /--repo OWNER\/REPO/],
  ['Bash', 'git clone https://github.com/o/r.git .', "Exit code 128\nfatal: destination path '.' already exists and is not an empty directory.", /git remote add origin URL/],
  ['Bash', 'git mv docs/guide.md spec/guide.md', 'Exit code 128\nfatal: not under version control, source=docs/guide.md, destination=spec/guide.md', /`mv SRC DST`/],
  ['Bash', 'node test-create.js', "file:///p/test-create.js:1\nconst { x } = require('./dist/x.js');\n\nReferenceError: require is not defined in ES module scope, you can use import instead", /\.cjs/],
  ['Bash', 'sqlite3 data/app.db "SELECT name FROM jobs LIMIT 5"', 'Exit code 1\nError: in prepare, no such column: name', /\.schema TABLE/],
  ['Bash', 'psql -d app -c \'SELECT "isSignature" FROM dishes\'', 'ERROR:  column "isSignature" does not exist\nLINE 1: SELECT "isSignature" FROM dishes', /\\d TABLE/],
  ['Bash', 'go get github.com/mark3labs/mcp-go@v0.6.1', 'go: github.com/mark3labs/mcp-go@v0.6.1: invalid version: unknown revision v0.6.1', /go list -m -versions MODULE/],
  ['Bash', 'uv sync', "Exit code 1\n  × No solution found when resolving dependencies:\n  ╰─▶ Because only claude-agent-sdk<=0.1.6 is available and your project depends on claude-agent-sdk>=1.0.0, we can conclude that your project's requirements are unsatisfiable.", /pip index versions PKG/],
  ['Bash', 'npm install zod@^9', 'npm error code ETARGET\nnpm error notarget No matching version found for zod@^9.', /npm view PKG versions/],
  ['Bash', 'git commit -m "x"', 'Exit code 128\nerror: 1Password: failed to fill whole buffer\n\nfatal: failed to write commit object', /approve it in the agent/],
  ['Bash', 'uv run python -c "from mcp_venus_os import get_config"', "Exit code 1\nTraceback (most recent call last):\n  File \"<string>\", line 1, in <module>\nImportError: cannot import name 'get_config' from 'mcp_venus_os' (/p/src/mcp_venus_os/__init__.py)", /`def get_config`/],
  ['Bash', 'git show 2656cd4 --stat', "Exit code 128\nfatal: ambiguous argument '2656cd4': unknown revision or path not in the working tree.", /git fetch origin/],
  ['Bash', 'curl -s http://shrooly.local/api/status', 'Exit code 6', /getent hosts NAME/],
  ['Bash', 'python3 check_key.py', 'Exit code 1\nTraceback (most recent call last):\nurllib.error.URLError: <urlopen error [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer certificate (_ssl.c:1032)>', /SSL_CERT_FILE=\$\(python3 -m certifi\)/],
  ['Bash', 'git stash push --include-untracked -m "x" -- .entire/.gitignore a.yaml', 'Exit code 1\nThe following paths are ignored by one of your .gitignore files:\n.entire\nhint: Use -f if you really want to add them.', /git check-ignore -v PATH/],
  ['Bash', 'cd api && railway service', 'Exit code 1\nFailed to prompt for options\n\nCaused by:\n    The input device is not a TTY', /`--yes` to confirm/],
  ['Bash', 'vercel --prod 2>&1', 'Exit code 1\nVercel CLI 50.1.0\nError: Command `vercel deploy` requires confirmation. Use option "--yes" to confirm.', /`vercel --help`/],
  ['Bash', 'npx create-next-app@latest . --ts', 'The directory app contains files that could conflict:\n\n  logs/\n\nEither try using a new directory name, or remove the files listed above.', /scaffold into a new folder/],
  ['Bash', 'grep -c "^\\d\\." SKILL.md', 'Exit code 1\n0', /`\[0-9\]`/],
  ['Bash', 'cd /work/app && python3 scripts/process_months.py', 'Exit code 143\nCommand timed out after 2m 0s', /`python3 scripts\/process_months.py` in the background/],
  ['Bash', 'xcodebuild build -scheme App 2>&1 | grep -E "error|warning"', 'Exit code 2\ngrep: 2: No such file or directory', /CMD > build\.log 2>&1/],
  ['Bash', 'cargo build', "Exit code 101\nerror[E0463]: can't find crate for `core`\n  = note: the `x86_64-unknown-none` target may not be installed\n  = help: consider downloading the target with `rustup target add x86_64-unknown-none`", /rustup target add x86_64-unknown-none/],
];

describe('the built-in analyst', () => {
  it.each(SAMPLES)('proposes a rule that can be approved as written: %s %s', (tool, target, error) => {
    const analysis = builtinAnalyst({ incident: incident(tool, target, error), rules: [], recentEvents: [], project: { scripts: ['build', 'test', 'lint'], packageManager: 'pnpm' } }, '/p');
    if (analysis.decision.action !== 'propose') return;
    const rule = analysis.decision.rule;
    const problems = validateRule({ ...rule, id: 'PROJ-001', status: 'proposed', incidents: [], novelty: '', created: '2026-12-01', updated: '2026-12-01', hits: 0, file: 'rules/PROJ-001.md' } as Rule);
    expect(problems).toEqual([]);
    // Titles are words, not a command line; and no rule checks a thing with itself.
    expect(rule.title.replace(/`[^`]*`/g, ' ').split(/\s+/).filter((w) => /^[a-z]+$/i.test(w)).length).toBeGreaterThanOrEqual(3);
    if (rule.guard?.program) expect(rule.body).not.toContain(`command -v ${rule.guard.program}`);
  });

  it.each(FIXES)('names what to do instead for a common tool mistake: %s %s', (tool, target, error, fix) => {
    const analysis = builtinAnalyst({ incident: incident(tool, target, error), rules: [], recentEvents: [], project: {} }, '/p');
    expect(analysis.decision.action).toBe('propose');
    if (analysis.decision.action !== 'propose') return;
    expect(analysis.decision.rule.body).toMatch(fix);
    expect(analysis.decision.rule.body).not.toMatch(/find the cause before/i);
    const rule = analysis.decision.rule;
    expect(validateRule({ ...rule, id: 'PROJ-001', status: 'proposed', incidents: [], novelty: '', created: '2026-12-01', updated: '2026-12-01', hits: 0, file: 'rules/PROJ-001.md' } as Rule)).toEqual([]);
  });

  it('names no program that is not one: JSON or prose run as a command gives a rule about the call', () => {
    // Found by feeding hook payloads whose command was pasted config text: the title read
    // "a failed vhost\",\"prefetch\":10} command", and a long one was refused as invalid.
    const commands = [
      '{"broker":"amqp://worker:hunter2@rabbit.internal:5672/vhost","prefetch":10}',
      `{"access_token":"${'x'.repeat(150)}","token_type":"bearer"}`,
      '"Deploy the app now please"',
    ];
    for (const command of commands) {
      const analysis = builtinAnalyst({ incident: incident('Bash', command, `Exit code 1\n${command}`), rules: [], recentEvents: [], project: {} }, '/p');
      expect(analysis.decision.action).toBe('propose');
      if (analysis.decision.action !== 'propose') continue;
      const rule = analysis.decision.rule;
      expect(rule.title).toBe('Find the cause before retrying a failed Bash call');
      expect(rule.trigger).toBe('When Bash fails');
      expect(validateRule({ ...rule, id: 'PROJ-001', status: 'proposed', incidents: [], novelty: '', created: '2026-12-01', updated: '2026-12-01', hits: 0, file: 'rules/PROJ-001.md' } as Rule)).toEqual([]);
    }
    // A real program keeps its name, with a path or a subcommand.
    for (const [command, name] of [['/usr/local/bin/deploy-app --prod', 'deploy-app'], ['docker compose up -d', 'docker compose'], ['terraform apply -auto-approve', 'terraform apply']]) {
      const analysis = builtinAnalyst({ incident: incident('Bash', command!, 'Exit code 1\nsomething odd happened'), rules: [], recentEvents: [], project: {} }, '/p');
      if (analysis.decision.action !== 'propose') throw new Error(`no proposal for ${command}`);
      expect(analysis.decision.rule.title).toBe(`Find the cause before retrying a failed ${name} command`);
    }
  });

  it('names the script that looked for a missing program, and guards nothing the agent would type', () => {
    // yutakobayashidev/repiq: `gh pr view 9 --web` failed because xdg-open found no browser; the rule
    // said "www-browser is not installed here" with a guard on a program no command of the agent runs.
    const propose = (target: string, error: string) => {
      const analysis = builtinAnalyst({ incident: incident('Bash', target, error), rules: [], recentEvents: [], project: {} }, '/p');
      if (analysis.decision.action !== 'propose') throw new Error(`no proposal for ${target}`);
      return analysis.decision.rule;
    };
    const web = propose('gh pr view 9 --web 2>&1', "Exit code 1\nOpening https://github.com/o/r/pull/9 in your browser.\n/run/current-system/sw/bin/xdg-open: 行 1032: www-browser: command not found\n/run/current-system/sw/bin/xdg-open: 行 1032: links2: command not found\nxdg-open: no method available for opening 'https://github.com/o/r/pull/9'\nexit status 3");
    expect(web.title).toBe('xdg-open needs www-browser, which is not installed here');
    expect(web.body).toMatch(/print the URL instead/);
    expect(web.guard).toBeUndefined();
    const script = propose('./scripts/deploy.sh staging', 'Exit code 127\n./scripts/deploy.sh: line 5: rsync: command not found');
    expect(script.title).toBe('deploy.sh needs rsync, which is not installed here');
    // The shell's own report is the agent's command: the program is guarded as before.
    const own = propose('tree -L 2', 'Exit code 127\nbash: line 1: tree: command not found');
    expect(own.title).toMatch(/^tree is not installed here/);
    expect(own.guard).toMatchObject({ program: 'tree' });
  });

  it('names the command after the set-up a line starts with', () => {
    expect(commandName('cd "/work/my app" && source .venv/bin/activate; go run ./cmd/x')).toBe('go run');
    expect(commandName('cd api && FOO=1 npm test -- --watch')).toBe('npm test');
    expect(commandName('tree -L 2')).toBe('tree');
    expect(commandName('C:\\tools\\deploy.exe --prod')).toBe('deploy.exe');
  });

  it("gives a program PowerShell did not recognise no Bash alternative (`cd DIR && pwd`, `grep -rn`, `python3`)", () => {
    for (const program of ['realpath', 'rg', 'python']) {
      const a = builtinAnalyst({ incident: incident('PowerShell', `${program} x`, `Exit code 1\n${program}: The term '${program}' is not recognized as a name of a cmdlet, function, script file, or executable program.`), rules: [], recentEvents: [] }, '/p');
      expect(a.decision.action).toBe('propose');
      const body = a.decision.action === 'propose' ? a.decision.rule.body : '';
      expect(body).not.toMatch(/&&|grep -rn|python3/);
    }
  });

  it('names the scripts the project does have, and its own package manager', () => {
    const a = builtinAnalyst({ incident: incident('Bash', 'pnpm typecheck', ' ERR_PNPM_NO_SCRIPT  Missing script: typecheck'), rules: [], recentEvents: [], project: { scripts: ['build', 'test', 'check'], packageManager: 'pnpm' } }, '/p');
    expect(a.decision).toMatchObject({ action: 'propose', rule: { title: 'Run only the scripts package.json declares' } });
    const body = a.decision.action === 'propose' ? a.decision.rule.body : '';
    expect(body).toContain('`pnpm typecheck`');
    expect(body).toContain('`build`, `test`, `check`');
    const mod = builtinAnalyst({ incident: incident('Bash', 'node a.js', "Error: Cannot find module 'zod'"), rules: [], recentEvents: [], project: { packageManager: 'pnpm' } }, '/p');
    expect(mod.decision.action === 'propose' && mod.decision.rule.body).toContain('`pnpm add zod`');
  });

  it('does not propose "do not rely on npm run" for a missing script, and guards no script runner', () => {
    const a = builtinAnalyst({ incident: incident('Bash', 'npm run nonexistent', 'Exit code 1\nnpm error Missing script: "nonexistent"\n\nnpm error To see a list of scripts, run:\nnpm error   npm run'), rules: [], recentEvents: [] }, '/p');
    expect(a.decision.action === 'propose' && a.decision.rule.guard).toBeFalsy();
    expect(a.decision.action === 'propose' && a.decision.rule.title).not.toMatch(/not installed/);
  });

  it('sends a missing make target to the Makefile and a missing just recipe to `just --list`, not to package.json', () => {
    const make = builtinAnalyst({ incident: incident('Bash', 'make deploy', "make: *** No rule to make target 'deploy'.  Stop."), rules: [], recentEvents: [] }, '/p');
    const just = builtinAnalyst({ incident: incident('Bash', 'just release', 'error: Justfile does not contain recipe `release`.'), rules: [], recentEvents: [] }, '/p');
    expect(make.decision.action === 'propose' && make.decision.rule.title).toBe('Run only the targets the Makefile declares');
    expect(just.decision.action === 'propose' && just.decision.rule.body).toContain('`just --list`');
    for (const a of [make, just]) expect(a.decision.action === 'propose' && `${a.decision.rule.title} ${a.decision.rule.body}`).not.toContain('package.json');
  });

  it('proposes a rule for a file a command of the session rewrote after it was read (ingest opened it; the sample alone reads as noise)', () => {
    const a = builtinAnalyst({ incident: incident('Edit', '/p/tokens/tokens.go', 'File has been modified since read, either by the user or by a linter. Read it again before attempting to write it.'), rules: [], recentEvents: [] }, '/p');
    expect(a.decision.action).toBe('propose');
    expect(a.decision.action === 'propose' && a.decision.rule.title).toBe('Read a file again after a command of yours rewrote it');
  });

  it('names the fix for git in the way, ignored paths, a formatter hook, go.sum, refused credentials and hidden file inputs', () => {
    const titles = SAMPLES.slice(-6).map(([tool, target, error]) => {
      const a = builtinAnalyst({ incident: incident(tool, target, error), rules: [], recentEvents: [], project: { scripts: ['format'], packageManager: 'npm' } }, '/p');
      return a.decision.action === 'propose' ? `${a.decision.rule.title} | ${a.decision.rule.body}` : a.decision.action;
    });
    expect(titles[0]).toMatch(/stash.*`git status`/s);
    expect(titles[1]).toContain('git check-ignore -v');
    expect(titles[2]).toContain('`npm run format`');
    expect(titles[3]).toContain('go mod tidy');
    expect(titles[4]).toMatch(/ask the person/i);
    expect(titles[5]).toContain('browser_file_upload');
    for (const t of titles) expect(t).not.toMatch(/Find the cause before retrying/);
  });

  it('proposes writing files with a final newline when a lint run finds nothing else (4alvit/mcp-venus-os)', () => {
    const error = 'Exit code 1\nW292 [*] No newline at end of file\n --> src/mcp_venus_os/__main__.py:6:14\n  |\n5 | if __name__ == "__main__":\n6 |     mcp.run()\n  |              ^\n  |\nhelp: Add trailing newline\n\nFound 1 error.\n[*] 1 fixable with the `--fix` option.';
    const a = builtinAnalyst({ incident: incident('Bash', 'uv run ruff check src/mcp_venus_os/__main__.py', error), rules: [], recentEvents: [] }, '/p');
    expect(a.decision.action).toBe('propose');
    const rule = a.decision.action === 'propose' ? a.decision.rule : undefined;
    expect(rule?.title).toBe('End every file you write with a newline');
    expect(rule?.body).toContain('`ruff check --fix PATH`');
  });

  it('names what to run for the seventh wave\'s gh, git, sed and jq causes', () => {
    expectNamesFix([
      ['gh pr create --title x --body y', 'Exit code 1\naborted: you must first push the current branch to a remote, or use the --head flag', '--head BRANCH'],
      ['gh pr merge 31 --squash', 'Exit code 1\nX Pull request o/r#31 is not mergeable: the base branch policy prohibits the merge.', '`gh pr checks N`'],
      ['git branch -d fix/a', "Exit code 1\nerror: the branch 'fix/a' is not fully merged", '`git branch -D BRANCH`'],
      ['git worktree add /tmp/w/pr-68 b', "Exit code 128\nfatal: '/tmp/w/pr-68' already exists", '`git worktree list`'],
      ["sed -i 's/^    /// Test//// Test/' a.rs", "Exit code 1\nsed: -e expression #1, char 10: unknown option to `s'", "`sed 's|A|B|'`"],
      ["gh pr view 86 --json statusCheckRollup | jq '.statusCheckRollup[] | map(.name)'", 'Exit code 5\njq: error (at <stdin>:1): Cannot index string with string "name"', "`jq 'type, (keys? // length)'`"],
    ]);
  });

  it('names what to run for a pull that diverged, a pull request from its base branch and a worktree with changes', () => {
    expectNamesFix([
      ['git checkout develop && git pull', "Exit code 128\nSwitched to branch 'develop'\nhint: Diverging branches can't be fast-forwarded, you need to either:\nfatal: Not possible to fast-forward, aborting.", '`git pull --rebase`'],
      ['gh pr create --fill', 'Exit code 1\nhead branch "main" is the same as base branch "main", cannot create a pull request', '`git switch -c NAME`'],
      ['git worktree remove ../wt/core', "Exit code 128\nfatal: '../wt/core' contains modified or untracked files, use --force to delete it", '`git -C PATH status --short`'],
    ]);
  });

  it('names the fix for alembic behind head, `go run` of a test file and pre-commit beside core.hooksPath', () => {
    expectNamesFix([
      ['uv run alembic revision --autogenerate -m "add users"', 'Exit code 1\nINFO  [alembic.runtime.migration] Context impl SQLiteImpl.\nERROR [alembic.util.messaging] Target database is not up to date.\n  FAILED: Target database is not up to date.', '`alembic upgrade head`'],
      ['cat > /tmp/url_test.go <<EOF\npackage main\nEOF\ngo run /tmp/url_test.go', 'Exit code 1\ngo: cannot run *_test.go files (/tmp/url_test.go)', '`go test ./PKG -run TestName`'],
      ['pre-commit install', "Exit code 1\n[ERROR] Cowardly refusing to install hooks with `core.hooksPath` set.\nhint: `git config --unset-all core.hooksPath`", '`git config --get core.hooksPath`'],
    ]);
  });

  it("takes git-lfs missing for a program git needs, with no guard, and keeps the browser advice for browsers", () => {
    const rule = (target: string, error: string) => proposedRule(target, error);
    const lfs = rule('git lfs pull', "Exit code 1\ngit: 'lfs' is not a git command. See 'git --help'.");
    expect(lfs?.title).toBe('git needs git-lfs, which is not installed here');
    expect(lfs?.guard).toBeUndefined();
    expect(lfs?.body).not.toMatch(/browser/);
    const web = rule('gh pr view 9 --web 2>&1', "Exit code 1\n/run/current-system/sw/bin/xdg-open: line 1032: www-browser: command not found\nxdg-open: no method available for opening 'https://github.com/o/r/pull/9'");
    expect(web?.body).toMatch(/print the URL instead of opening it/);
  });

  it('tells a repository with no commit yet by HEAD itself being unknown, not HEAD~N', () => {
    const rule = proposedRule('git reset HEAD src/a.ts', "Exit code 128\nfatal: ambiguous argument 'HEAD': unknown revision or path not in the working tree.\nUse '--' to separate paths from revisions");
    expect(rule?.body).toContain('`git rm --cached PATH`');
    expect(causeOf({ tool: 'Bash', target: 'git log', error: "Exit code 128\nfatal: your current branch 'main' does not have any commits yet" }).key).toBe('git:no commit yet');
    expect(causeOf({ tool: 'Bash', target: 'git show HEAD~40', error: "Exit code 128\nfatal: ambiguous argument 'HEAD~40': unknown revision or path not in the working tree." }).key).not.toBe('git:no commit yet');
  });

  it('adds a tool poetry could not find in the environment, as for uv', () => {
    const rule = proposedRule('poetry run ruff check .', 'Exit code 1\nCommand not found: ruff');
    expect(rule?.title).toBe('Add ruff to the project before `poetry run ruff`');
    expect(rule?.body).toContain('`poetry add --group dev ruff`');
  });

  it("runs a script whose shebang asks for a missing python with python3, with no guard", () => {
    const rule = proposedRule('./scripts/sync.py --dry-run', "Exit code 127\n/usr/bin/env: 'python': No such file or directory");
    expect(rule?.title).toBe('Run scripts/sync.py with python3: its shebang asks for python');
    expect(rule?.body).toContain('`python3 scripts/sync.py`');
    expect(rule?.guard).toBeUndefined();
    // `env foo` run by the agent is the agent's missing program.
    expect(causeOf({ tool: 'Bash', target: 'env foo --x', error: "Exit code 127\nenv: 'foo': No such file or directory" })).toMatchObject({ key: 'command not found:foo' });
    expect(causeOf({ tool: 'Bash', target: 'env foo --x', error: "Exit code 127\nenv: 'foo': No such file or directory" }).calledBy).toBeUndefined();
  });

  it('passes the flag a CLI asked for, and asks the person first when the flag accepts a consequence', () => {
    const propose = (target: string, error: string) => proposedRule(target, error);
    const railway = propose('railway logs', "Exit code 1\nMultiple services found. Please specify a service via the '--service' flag.");
    expect(railway?.title).toBe('Pass `--service` to `railway` here');
    const gh = propose('gh repo edit --visibility public', 'Exit code 1\nuse of --visibility flag requires --accept-visibility-change-consequences flag');
    expect(gh?.title).toBe('Ask before passing `--accept-visibility-change-consequences` to `gh repo`');
    expect(gh?.body).toMatch(/pass it only when they agree/);
    // Another flag, or another program, is another mistake.
    expect(causeOf({ tool: 'Bash', target: 'railway logs', error: "Multiple environments found. Please specify an environment via the '--environment' flag." }).key).not.toBe(causeOf({ tool: 'Bash', target: 'railway logs', error: "Please specify a service via the '--service' flag." }).key);
  });

  it("names the fix for a MultiEdit whose edits overlap and for entering a worktree from inside one", () => {
    const multi = builtinAnalyst({ incident: incident('MultiEdit', '/p/src/a.ts', 'Cannot edit file: old_string is a substring of a new_string from a previous edit.'), rules: [], recentEvents: [] }, '/p');
    const nested = builtinAnalyst({ incident: incident('EnterWorktree', undefined, 'Already in a worktree session'), rules: [], recentEvents: [] }, '/p');
    const text = [multi, nested].map((a) => (a.decision.action === 'propose' ? `${a.decision.rule.title} | ${a.decision.rule.body}` : a.decision.action));
    expect(text[0]).toMatch(/make them one edit/);
    expect(text[1]).toContain('`git rev-parse --show-toplevel`');
    for (const t of text) expect(t).not.toMatch(/Find the cause before retrying/);
  });

  it('keeps the cause ingest stored over a noise verdict read again from the first line alone (pookNast/loopkit)', () => {
    // Ingest read the whole command (a python3 one-liner reading JSON) and opened an incident; the
    // sample keeps the first line, where `2>/dev/null` alone would read as a probe.
    const error = 'Exit code 1\nTraceback (most recent call last):\n  File "<string>", line 17, in <module>\n    print(ct[:8000])\n          ~~^^^^^^^\nKeyError: slice(None, 8000, None)\nAuthor: Matt Van Horn (@mvanhorn)';
    const i = { ...incident('Bash', 'curl -sL --max-time 10 "https://api.fxtwitter.com/mvanhorn/status/2063865685558903149" 2>/dev/null | python3 -c "', error), category: 'usage error' as const, key: 'usage error:json shape' };
    const a = builtinAnalyst({ incident: i, rules: [], recentEvents: [] }, '/p');
    expect(a.decision.action).toBe('propose');
    expect(a.decision.action === 'propose' && a.decision.rule.title).toBe("Look at the JSON's shape before filtering it");
  });

  it('tells a one-off script that indexed data by a guessed shape to print the shape first', () => {
    expectNamesFix([
      ['node /tmp/count_demo.mjs 2>&1', 'Exit code 1\nfile:///private/tmp/count_demo.mjs:91\nTypeError: r is not iterable\n    at file:///private/tmp/count_demo.mjs:91:24', "`jq 'type, (keys? // length)'`"],
      ["python3 - <<'EOF'\nrows=load()\nprint(rows[0]['tag'])\nEOF", "Exit code 1\nTraceback (most recent call last):\n  File \"<stdin>\", line 13, in <module>\nKeyError: 'tag'", '`print(type(d), list(d)[:20])`'],
    ]);
  });

  it('tells BSD sed to take an empty suffix, and a polling loop to run in the background', () => {
    expectNamesFix([
      ["sed -i 's/a/b/' f.txt", 'sed: 1: "f.txt": invalid command code f', "`sed -i ''"],
      ['until gh run view 1 --json status -q .status | grep -q completed; do sleep 30; done', 'Exit code 143\nCommand timed out after 10m 0s', 'run_in_background'],
    ]);
  });

  it('names the fix for everyday setup failures: the folder of pyproject.toml, Docker not running, a refused ssh key, CRLF, a pytest plugin option, import in CommonJS', () => {
    expectNamesFix([
      ['uv add requests', 'Exit code 2\nerror: No `pyproject.toml` found in current directory or any parent directory', '`uv --directory DIR`'],
      ['docker ps', 'Exit code 1\nCannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?', '`docker info`'],
      ['ssh deploy@host uptime', 'Exit code 255\ndeploy@host: Permission denied (publickey).', '`ssh-add -l`'],
      ['./run.sh', 'Exit code 126\n/bin/bash: ./run.sh: /bin/bash^M: bad interpreter: No such file or directory', "`sed -i 's/\\r$//' FILE`"],
      ['pytest --cov=app', 'Exit code 4\nERROR: usage: pytest [options] [file_or_dir]\npytest: error: unrecognized arguments: --cov=app', '`pytest --help | grep -- --cov=app`'],
      ['node index.js', "Exit code 1\nSyntaxError: Cannot use import statement outside a module", '`.mjs`'],
    ]);
  });

  it('names the set-up step a tool asks for, corepack, the lockfile, npm login and a database check', () => {
    expectNamesFix([
      ['terraform apply', 'Exit code 1\nError: Backend initialization required, please run "terraform init"', 'run `terraform init` first'],
      ['yarn install', 'Exit code 1\nerror This project\'s package.json defines "packageManager": "yarn@4.1.0". However the current global version of Yarn is 1.22.19.', '`corepack enable`'],
      ['pnpm install --frozen-lockfile', 'Exit code 1\n ERR_PNPM_OUTDATED_LOCKFILE  Cannot install with "frozen-lockfile"', '`pnpm install --no-frozen-lockfile`'],
      ['npm publish', 'Exit code 1\nnpm error code ENEEDAUTH', '`npm login`'],
      ['npx prisma migrate dev', "Exit code 1\nError: P1001: Can't reach database server at `localhost:5432`", '`pg_isready -h HOST`'],
    ]);
  });

  it('names the binary to run, the package path go wants, the folder pip installs from and how to check a manifest', () => {
    expectNamesFix([
      ['cargo run', 'Exit code 101\nerror: a bin target must be available for `cargo run`', '`cargo run --bin NAME`'],
      ['go run cmd/server', 'Exit code 1\npackage cmd/server is not in std (/usr/local/go/src/cmd/server)', '`go run ./cmd/server`'],
      ['pip install -e .', "Exit code 1\nERROR: Directory '.' is not installable. Neither 'setup.py' nor 'pyproject.toml' found.", 'Run pip'],
      ['kubectl apply -f deploy.yaml', 'Exit code 1\nerror: error validating "deploy.yaml": error validating data: ValidationError(Deployment.spec): unknown field "replica" in io.k8s.api.apps.v1.DeploymentSpec', '`kubectl apply --dry-run=server -f FILE`'],
    ]);
  });

  it('names the version to use, the set-up step, the branch, the size limit and the check a tool wants', () => {
    expectNamesFix([
      ['uv sync', "Exit code 2\nerror: The requested interpreter resolved to Python 3.11.7, which is incompatible with the project's Python requirement: `>=3.12`", '`uv python install VERSION`'],
      ['go build ./...', 'Exit code 1\ngo: go.mod requires go >= 1.23 (running go 1.21.5; GOTOOLCHAIN=local)', '`GOTOOLCHAIN=auto`'],
      ['bin/rails server', 'Exit code 1\nActiveRecord::PendingMigrationError: Migrations are pending.', '`bin/rails db:migrate`'],
      ['./gradlew test', "Exit code 1\nERROR: JAVA_HOME is not set and no 'java' command could be found in your PATH.", 'point JAVA_HOME at an installed one'],
      ['cargo build', 'Exit code 101\nerror: package `clap_lex v0.7.5` cannot be built because it requires rustc 1.74 or newer, while the currently active rustc version is 1.70.0\nEither upgrade to rustc 1.74 or newer, or use\ncargo update clap_lex@0.7.5 --precise ver', '`cargo update PKG --precise VERSION`'],
      ['git push origin main', "Exit code 1\nremote: error: GH006: Protected branch update failed for refs/heads/main.\n ! [remote rejected] main -> main (protected branch hook declined)\nerror: failed to push some refs to 'github.com:acme/app.git'", '`gh pr create`'],
      ['git push origin main', 'Exit code 1\nremote: error: GH001: Large files detected.', '`git lfs track`'],
      ['gh repo view acme/app', 'Exit code 4\nTo get started with GitHub CLI, please run:  gh auth login', 'ask the person to run `gh auth login`'],
      ['alembic upgrade head', "Exit code 1\nFAILED: Can't locate revision identified by 'abc123'", '`alembic history`'],
      ['npx prisma migrate dev', 'Exit code 1\nError: P3009\n\nmigrate found failed migrations in the target database', '`npx prisma migrate resolve --rolled-back NAME`'],
      ['terraform apply', 'Exit code 1\nError: Error acquiring the state lock', '`terraform force-unlock LOCK_ID`'],
      ['helm install app ./chart', 'Exit code 1\nError: INSTALLATION FAILED: cannot re-use a name that is still in use', '`helm upgrade --install RELEASE CHART`'],
      ['docker build -t app .', 'Exit code 1\nERROR: failed to solve: failed to compute cache key: failed to calculate checksum of ref a::b: "/dist": not found', '.dockerignore'],
      ['docker compose up -d', 'Exit code 1\nservice "web" refers to undefined volume data: invalid compose project', '`docker compose config -q`'],
    ]);
  });

  it("tells how to find a package's bin name", () => {
    const a = builtinAnalyst({ incident: incident('Bash', 'bun run pages:build', '$ bun x @opennextjs/cloudflare\nerror: could not determine executable to run for package @opennextjs/cloudflare\nerror: script "pages:build" exited with code 1'), rules: [], recentEvents: [] }, '/p');
    expect(a.decision.action === 'propose' && a.decision.rule.body).toContain('`npm view @opennextjs/cloudflare bin`');
  });
});
