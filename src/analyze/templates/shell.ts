// Rules for mistakes a shell shows: programs, scripts, packages, the working directory, time and
// the network (git is in git.ts, a program called wrongly in usage.ts).
import { basename } from 'node:path';
import { ENV_RUNNERS } from '../../detect/cause.js';
import { addCommand, INSTEAD, runScript, type Template, type TemplateInput } from './common.js';
import { gitTemplate } from './git.js';
import { usageTemplate } from './usage.js';

/** Task runners whose targets live in a file of their own, with how to list them. */
const TASK_FILES: Record<string, { file: string; what: string; one: string; list: string; error: string }> = {
  make: { file: 'the Makefile', what: 'targets', one: 'target', list: '`make -qp | grep -E "^[a-zA-Z0-9_-]+:"`, or read the Makefile', error: 'No rule to make target' },
  just: { file: 'the justfile', what: 'recipes', one: 'recipe', list: '`just --list`', error: 'does not contain recipe' },
  mise: { file: 'mise.toml', what: 'tasks', one: 'task', list: '`mise tasks`', error: 'no task named' },
};

/** Python tools a project adds as development dependencies (`uv add --dev`). */
const DEV_TOOLS = new Set(['pytest', 'ruff', 'mypy', 'pyright', 'black', 'isort', 'flake8', 'pylint', 'coverage', 'pre-commit', 'tox', 'nox']);

export function shellTemplate(input: TemplateInput): Template | undefined {
  const { ctx, cause, incident, error, target, tool, cmd, pattern, entity, pm } = input;
  switch (incident.category) {
    case 'missing script': {
      const script = cause.subject ?? 'the script';
      const runner = TASK_FILES[entity];
      if (runner) {
        return {
          why: `The agent ran \`${entity} ${script}\`, which ${runner.file} does not declare: it assumed the project's ${runner.what} instead of reading them.`,
          rule: {
            title: `Run only the ${runner.what} ${runner.file} declares`,
            body: `This project's ${runner.file} has no \`${script}\` ${runner.one}, so \`${entity} ${script}\` fails. List them first (${runner.list}) and run one that exists.`,
            scope: 'project',
            trigger: `Before running \`${entity}\` with a ${runner.one}`,
            enforcement: `Pick the ${runner.one} from ${runner.list}`,
            verification: `No "${runner.error}" failures`,
          },
        };
      }
      const scripts = ctx.project?.scripts ?? [];
      const listed = scripts.length ? ` Its scripts are: ${scripts.slice(0, 10).map((x) => `\`${x}\``).join(', ')}${scripts.length > 10 ? ', …' : ''}.` : '';
      return {
        why: `The agent ran the script \`${script}\`, which package.json does not declare: it assumed the project's scripts instead of reading them.`,
        rule: {
          title: 'Run only the scripts package.json declares',
          body: [`This project has no \`${script}\` script, so \`${runScript(pm, script)}\` fails.`, listed, ' Read "scripts" in package.json and run one that exists.'].filter((part, i, all) => i !== 1 || all.join('').length <= 400).join(''),
          scope: 'project',
          trigger: 'Before running a package.json script',
          enforcement: 'Pick the script name from the "scripts" of package.json',
          verification: `No "Missing script: ${script}" failures`,
        },
      };
    }
    case 'command not found': {
      const program = entity || 'the program';
      // `/usr/bin/xdg-open: line 1032: www-browser: command not found`: a script the command ran
      // looked for the program, not the agent; blocking the program would block nothing it types.
      const caller = cause.calledBy;
      if (caller) {
        // A script's shebang asking for `python` where only `python3` is installed: run it with python3.
        const alt = program === 'python' && /\.py$/.test(caller) ? 'python3' : undefined;
        if (alt) {
          return {
            why: `\`${caller}\` starts with a shebang that asks for \`${program}\`, which is not installed here; the script itself is there.`,
            rule: {
              title: `Run ${caller} with ${alt}: its shebang asks for ${program}`.slice(0, 120),
              body: `\`${caller}\`'s first line runs it with \`${program}\`, which this machine does not have: run it as \`${alt} ${caller}\` instead of running the file itself, and do not change the shebang unless the person asks.`,
              scope: 'project',
              trigger: `Before running \`${caller}\``,
              enforcement: `Run it with \`${alt}\``,
              verification: `No "env: '${program}': No such file or directory" failures`,
            },
          };
        }
        return {
          why: `\`${caller}\` (run by the command) looked for \`${program}\`, which is not installed here; the agent did not call \`${program}\` itself.`,
          rule: {
            title: `${caller} needs ${program}, which is not installed here`.slice(0, 120),
            body: `\`${caller}\` runs \`${program}\`, which this machine does not have, so the command fails however often it is retried. Do without what needs it${/browser|firefox|chrom|xdg-open|open$/.test(program) ? ' (for a browser, print the URL instead of opening it)' : ''}, or install \`${program}\` first if the task needs it.`,
            scope: 'project',
            trigger: `Before a command that makes \`${caller}\` run \`${program}\``,
            enforcement: `Use a way that does not need \`${program}\``,
            verification: `No "${program}: command not found" failures`,
          },
        };
      }
      // `uv run pip ...`: uv's environments have no pip of their own; uv has its own pip interface.
      const uvPip = /^pip3?$/.test(program) && /\buv\s+run\b[^|;&]*\bpip3?\b/.test(target ?? '');
      // PowerShell (Claude Code's shell tool on Windows) says so in its own words; the alternatives
      // INSTEAD names are Bash's (`find`, `grep -rn`, `python3`), so it gets only the general advice.
      // Its guard is proposed as Bash's is, and the backtest leaves it out (rules/backtest.ts).
      const powershell = tool === 'PowerShell';
      const instead = uvPip ? (['use `uv pip`', 'run `uv pip ...` (for example `uv pip show PACKAGE`), since uv environments have no pip'] as const) : powershell ? undefined : INSTEAD[program];
      const fails = powershell ? 'PowerShell says it is not recognized' : 'the shell failed with exit code 127';
      return {
        why: `The agent assumed \`${program}\` is installed; it is not on this machine's PATH, so ${fails}.`,
        rule: {
          title: `${program} is not installed here: ${instead ? instead[0] : 'use what the project declares'}`.slice(0, 120),
          body: `\`${program}\` is not installed on this machine, so commands that run it fail ${powershell ? 'with "is not recognized"' : 'with exit code 127'}. ${instead ? `Instead, ${instead[1]}.` : 'Use the tools the project declares (its scripts, its dependencies via npx), or install it first if the task needs it.'}`,
          scope: 'project',
          trigger: `Before running \`${program}\` in a ${powershell ? 'PowerShell' : 'Bash'} command`,
          enforcement: `${instead ? `${instead[1][0]!.toUpperCase()}${instead[1].slice(1)}` : 'Use an available alternative'}; commands that run \`${program}\` are blocked`,
          verification: powershell ? `No "The term '${program}' is not recognized" failures` : `No "command not found: ${program}" (exit code 127) failures`,
          guard: { tool: powershell ? 'PowerShell' : 'Bash', program },
        },
      };
    }
    case 'module not found': {
      if (entity === 'relative') {
        return {
          why: 'Code imported a file by a relative path that does not exist: the path was guessed, not looked up.',
          rule: {
            title: 'Check a relative import path against the files before using it',
            body: 'Before importing a module by a relative path, find the file with the Glob tool and write the path from where the importing file is. Guessed paths fail with "Cannot find module".',
            scope: 'project',
            trigger: 'When writing a relative import',
            enforcement: 'Look the file up with Glob first',
            verification: 'No "Cannot find module \'./…\'" failures',
          },
        };
      }
      // `uv run X` or `poetry run X` that the runner could not start: X is a tool the project's environment lacks.
      const runner = ENV_RUNNERS.find((r) => r.says.test(error) && new RegExp(`\\b${r.runner}\\s+run\\b`).test(target ?? ''));
      if (runner) {
        const add = `${runner.add}${DEV_TOOLS.has(entity) ? runner.dev : ''} ${entity}`;
        return {
          why: `\`${runner.runner} run ${entity}\` failed because \`${entity}\` is not installed in the project's environment: the agent ran a tool the project does not declare.`,
          rule: {
            title: `Add ${entity} to the project before \`${runner.runner} run ${entity}\``.slice(0, 120),
            body: `\`${entity}\` is not in this project's environment, so \`${runner.runner} run ${entity}\` fails with "${runner.quote}". Check pyproject.toml; add it with \`${add}\`${runner.once ? ` (or run it once with \`${runner.once(entity)}\`)` : ''}, then run it.`,
            scope: 'project',
            trigger: `Before \`${runner.runner} run ${entity}\``,
            enforcement: `Look \`${entity}\` up in pyproject.toml and add it with \`${add}\` when it is missing`,
            verification: `No "${runner.shown(entity)}" failures`,
          },
        };
      }
      const python = /No module named|ModuleNotFoundError/.test(error);
      const install = python ? (ctx.project?.pythonManager === 'uv' ? `uv add ${entity}` : ctx.project?.pythonManager === 'poetry' ? `poetry add ${entity}` : `python3 -m pip install ${entity}`) : addCommand(pm, entity);
      return {
        why: `Code needed \`${entity}\`, which is not installed in this project: the agent used a dependency without checking ${python ? 'the environment' : 'package.json'}.`,
        rule: {
          title: `${entity} is not installed: add it before using it`,
          body: `\`${entity}\` is not installed here, so code that imports it fails. Check ${python ? 'the project\'s requirements' : 'package.json'} first; if the task needs it, add it with \`${install}\`, otherwise use what is installed.`,
          scope: 'project',
          trigger: `When code or a command needs \`${entity}\``,
          enforcement: `Look \`${entity}\` up in the manifest, and add it with \`${install}\` when it is missing`,
          verification: `No "Cannot find module" or "No module named" failures for ${entity}`,
        },
      };
    }
    case 'dependency conflict':
      if (entity.startsWith('toolchain version: ')) return toolchainTemplate(entity.slice('toolchain version: '.length));
      if (entity === 'version that does not exist') {
        return {
          why: 'A dependency was pinned or required at a version the registry does not have: the version came from memory.',
          rule: {
            title: 'Look up the versions a package has before pinning one',
            body: 'Before pinning or raising a dependency, list the versions that exist: `npm view PKG versions`, `pip index versions PKG`, `go list -m -versions MODULE`, `cargo search CRATE`; pin one of them, and keep the manifest\'s ranges within them.',
            scope: 'project',
            trigger: 'Before adding, pinning or upgrading a dependency',
            enforcement: 'Pick a version the registry lists',
            verification: 'No "unknown revision", "No solution found" or ETARGET failures',
          },
        };
      }
      if (entity === 'rust target') {
        const triple = /rustup target add ([\w-]+)/.exec(error)?.[1] ?? /`([\w-]+)` target may not be installed/.exec(error)?.[1];
        return {
          why: `The project builds for ${triple ? `\`${triple}\`` : 'a target'} that this Rust toolchain has not installed.`,
          rule: {
            title: `Install the Rust target the project builds for`,
            body: `This project compiles for ${triple ? `\`${triple}\`` : 'a target the toolchain lacks'}. Install it with \`rustup target add ${triple ?? 'TARGET'}\` (or ask the person to) before \`cargo build\`; read rust-toolchain.toml and .cargo/config.toml for the targets it needs.`,
            scope: 'project',
            trigger: 'Before the first cargo build',
            enforcement: 'Check `rustup target list --installed` against the project',
            verification: 'No "can\'t find crate for `core`" failures',
          },
        };
      }
      if (entity === 'go modules') {
        return {
          why: 'Go code imported a module that go.mod and go.sum do not record: the import was added without updating the module files.',
          rule: {
            title: 'Run `go mod tidy` after adding an import',
            body: 'After importing a package go.mod does not list, run `go get MODULE@VERSION` (or `go mod tidy`) before building, so go.mod and go.sum record it.',
            scope: 'project',
            trigger: 'After adding an import of a new module',
            enforcement: 'Run `go mod tidy` before `go build`',
            verification: 'No "missing go.sum entry" failures',
          },
        };
      }
      if (entity === 'externally managed python') {
        return {
          why: 'pip refused to install into a Python the system manages (PEP 668): the agent installed globally instead of into the project\'s environment.',
          rule: {
            title: "Install Python packages into the project's environment, not the system Python",
            body: `The system Python here refuses pip installs. ${ctx.project?.pythonManager === 'uv' ? 'Use `uv add PKG` (or `uv pip install` in the venv).' : 'Create or use a venv (`python3 -m venv .venv` then `.venv/bin/pip install PKG`), or install tools with `pipx`.'}`,
            scope: 'project',
            trigger: 'Before pip install',
            enforcement: 'Install into the venv, with uv, or with pipx',
            verification: 'No "externally-managed-environment" failures',
          },
        };
      }
      return {
        why: 'The install failed on conflicting peer dependencies: a version was added without checking what the installed packages accept.',
        rule: {
          title: 'Match new packages to the installed peer versions',
          body: `Before adding a package, check the versions its peers need against package.json and pick a version that fits. Do not force the install past an ERESOLVE with --force or --legacy-peer-deps without asking.`,
          scope: 'project',
          trigger: 'Before adding or upgrading a dependency',
          enforcement: 'Check peer ranges (`npm view PKG peerDependencies`) first',
          verification: 'No ERESOLVE install failures',
        },
      };
    case 'git':
      return gitTemplate(input);
    case 'wrong directory':
      if (entity === 'cwd') {
        return {
          why: 'A command assumed a working directory it was not in: a relative path that holds from the project root did not hold from where the shell was.',
          rule: {
            title: 'Use paths from the project root, not from a folder you cd into',
            body: 'The shell keeps its working directory between calls. Before a relative `cd` or a script path, check `pwd` or use a path from the project root (`"$CLAUDE_PROJECT_DIR"/…`).',
            scope: 'project',
            trigger: 'Before a relative cd or running a script by a relative path',
            enforcement: 'Check pwd first, or use paths from the project root',
            verification: 'No "no such file or directory" failures of cd or of a script path',
          },
        };
      }
      if (entity === 'pyproject.toml' || entity === 'compose file' || entity === 'Makefile') {
        const [file, tools, flag, named] = entity === 'pyproject.toml' ? ['pyproject.toml', 'pip, uv and poetry', '`uv --directory DIR` (pip: `pip install -e DIR`)', 'pyproject.toml'] : entity === 'compose file' ? ['compose.yaml (or docker-compose.yml)', 'docker compose', '`docker compose -f PATH`', 'its compose file'] : ['Makefile', 'make', '`make -C DIR`', 'the Makefile'];
        return {
          why: `${tools} ran in a folder without ${file}: the working directory was not the project's.`,
          rule: {
            title: `Run ${tools} from the folder that holds ${named}`,
            body: `Run ${tools} in the folder that holds ${file}: check with \`ls\` or \`pwd\` first, then \`cd\` there or use ${flag}.`,
            scope: 'project',
            trigger: `Before running ${tools}`,
            enforcement: `Check that ${entity} is in the working directory`,
            verification: `No "${entity} not found" failures`,
          },
        };
      }
      return entity === 'git'
        ? {
            why: 'A git command ran outside the repository: the working directory was not where the agent assumed.',
            rule: {
              title: 'Run git commands inside the repository',
              body: 'Run git commands from the repository root, or name it with `git -C DIR`; a command run from another folder fails with "not a git repository".',
              scope: 'project',
              trigger: 'Before a git command after changing directory',
              enforcement: 'Use `git -C DIR` or `cd` to the repository root first',
              verification: 'No "not a git repository" failures',
            },
          }
        : {
            why: 'A package-manager command ran in a folder without package.json: the working directory was not where the agent assumed.',
            rule: {
              title: 'Run package scripts from the folder that holds package.json',
              body: 'Run npm, pnpm or yarn commands in the folder that holds package.json (use `--prefix DIR` or `cd DIR` first); elsewhere they fail with ENOENT on package.json.',
              scope: 'project',
              trigger: 'Before an npm, pnpm or yarn command after changing directory',
              enforcement: 'Check `pwd` against the package folder first',
              verification: 'No "Could not read package.json" failures',
            },
          };
    case 'usage error':
      return usageTemplate(input);
    case 'syntax error':
      if (entity === 'bash in powershell') {
        return {
          why: 'A Bash command line was given to the PowerShell tool, which runs PowerShell: its `&&`, builtins, flags or redirections mean nothing there, or something else.',
          rule: {
            title: 'Write PowerShell, not Bash, in the PowerShell tool',
            body: "The PowerShell tool runs PowerShell: chain with `;` and `if ($?) { ... }` rather than `&&` (Windows PowerShell 5.1), set variables with `$env:NAME = 'value'` rather than `export`, send errors to `$null` rather than `/dev/null`, and give cmdlets their own parameters (`Remove-Item -Recurse -Force`, not `rm -rf`). Or run Bash lines with the Bash tool.",
            scope: 'agent:claude-code',
            trigger: 'Before a command line in the PowerShell tool',
            enforcement: 'Write it in PowerShell, or use the Bash tool',
            verification: "No \"is not a valid statement separator\", \"A parameter cannot be found\" or /dev/null failures from PowerShell",
          },
        };
      }
      if (entity === 'backup copy in package') {
        return {
          why: 'A backup copy of a source file was left in the package directory, and the compiler built it with the original: every name is declared twice.',
          rule: {
            title: 'Keep backup copies of source files out of the package',
            body: 'Go (like most compilers) builds every source file in a package directory, backups included. Keep a copy outside the package (`cp a.go /tmp/a.go.orig`), or rely on git (`git stash`, `git diff`) instead of a `*_original.go` next to the file.',
            scope: 'project',
            trigger: 'Before copying a source file to keep the old version',
            enforcement: 'Copy it outside the package, or use git',
            verification: 'No "redeclared in this block" failures from backup copies',
          },
        };
      }
      if (entity === 'zsh word split') {
        return {
          why: 'The shell is zsh, which does not split an unquoted `$VAR` into words: the loop ran once, with the whole list as one file name.',
          rule: {
            title: 'List loop words inline or in an array in zsh',
            body: 'This shell is zsh: `for f in $FILES` does not split `FILES` on spaces. Write the words inline (`for f in a.json b.json`), use an array (`files=(a.json b.json); for f in $files`), or split explicitly with `${=FILES}`.',
            scope: 'agent:claude-code',
            trigger: 'Before a for loop over a variable holding several words',
            enforcement: 'Use an inline list or an array',
            verification: 'No loops that open the whole list as one file',
          },
        };
      }
      if (entity === 'sed delimiter') {
        return {
          why: "A sed substitution's pattern or replacement held the `/` it is delimited by, so sed read the rest as flags.",
          rule: {
            title: 'Use another sed delimiter when the text has slashes',
            body: "When the pattern or the replacement of `sed 's/A/B/'` contains `/` (paths, `//` comments), use another delimiter, `sed 's|A|B|'`, or escape each `/` as `\\/`.",
            scope: 'agent:claude-code',
            trigger: 'Before a sed substitution whose text has a slash',
            enforcement: 'Use `s|A|B|`',
            verification: "No \"unknown option to `s'\" failures",
          },
        };
      }
      if (entity === 'zsh glob') {
        return {
          why: 'The shell is zsh, which fails the whole command when a glob matches no file (bash would pass the pattern on as text).',
          rule: {
            title: 'Quote globs that may match nothing in zsh',
            body: "This shell is zsh: an unquoted glob that matches no file (`rm /tmp/x*`, `repo:*`, a path with parentheses such as `app/(public)/`) stops the command with \"no matches found\". Quote paths and patterns meant as text, and guard globs that may match nothing (`setopt nullglob` or `find ... -delete`).",
            scope: 'agent:claude-code',
            trigger: 'Before a command with *, ? or [ ] outside quotes',
            enforcement: 'Quote the pattern, or make sure it matches',
            verification: 'No "no matches found" failures',
          },
        };
      }
      if (entity.startsWith('mcp__')) {
        return {
          why: `Code sent to ${entity} runs again and again in the same page, so top-level declarations clash and top-level await is refused.`,
          rule: {
            title: 'Wrap code sent to a page in a function of its own',
            body: `Code run by ${entity} shares the page's global scope between calls. Wrap each snippet in \`(() => { ... })()\`, or \`(async () => { ... })()\` when it awaits, so its const and let names never clash.`,
            scope: 'agent:claude-code',
            trigger: `Before sending code to ${entity}`,
            enforcement: 'Wrap the snippet in an immediately called function',
            verification: `No "has already been declared" or await SyntaxErrors from ${entity}`,
          },
        };
      }
      if (entity === 'zsh equals') {
        return {
          why: 'The shell is zsh: it reads an unquoted word that starts with `=` (`echo ===`) as the path of a program named by the rest, and fails when there is none.',
          rule: {
            title: 'Quote separators that start with = in zsh',
            body: "This shell is zsh, where an unquoted `===` means the path of a program. Quote such words (`echo '==='`) or use another separator (`echo ---`).",
            scope: 'agent:claude-code',
            trigger: 'Before printing a separator such as === between commands',
            enforcement: 'Quote the separator or start it with another character',
            verification: 'No "(eval): == not found" failures',
          },
        };
      }
      if (entity === 'heredoc in sandbox') {
        return {
          why: "The shell runs in a sandbox that may not create the temp file a heredoc needs, so `$(cat <<'EOF' … EOF)` came out empty (an empty commit message aborts the commit).",
          rule: {
            title: 'Pass multi-line text without a heredoc in the sandboxed shell',
            body: "Heredocs fail in this sandboxed shell (no temp file). Give a commit message as several `-m` arguments (`git commit -m \"title\" -m \"body\"`), or write the text to a file with the Write tool and pass the file (`git commit -F msg.txt`).",
            scope: 'agent:claude-code',
            trigger: 'Before a Bash command that uses a heredoc (`<<EOF`)',
            enforcement: 'Use `-m` arguments or a file written with the Write tool',
            verification: 'No "can\'t create temp file for here document" failures',
          },
        };
      }
      if (entity === 'redirect split') {
        return {
          why: "A filter after the pipe read the redirect's `2` as a file name (`tail: 2: No such file or directory`): the `2>&1` reached it as a word, so the line was rewritten before the shell ran it, and the command's own output was lost.",
          rule: {
            title: 'Send long output to a log file, then read the file',
            body: 'Do not pipe `2>&1` into tail, head or grep on one line here: the redirect reaches the filter as a file named 2. Write the output to a file (`CMD > build.log 2>&1`) and read it with a second command (`tail -50 build.log`).',
            scope: 'agent:claude-code',
            trigger: "Before piping a command's output with 2>&1 into tail, head or grep",
            enforcement: 'Redirect to a log file and read that file in a second command',
            verification: 'No "tail: 2: No such file or directory" failures',
          },
        };
      }
      if (entity === 'shell') {
        return {
          why: 'The shell could not parse the command: quoting inside a one-line command went wrong.',
          rule: {
            title: 'Write long or heavily quoted shell code to a script file',
            body: 'When a command needs nested quotes, a heredoc or several lines, write it to a script file with the Write tool and run that file, instead of one quoted line.',
            scope: 'project',
            trigger: 'Before a Bash command with nested quotes or a heredoc',
            enforcement: 'Put the code in a file and run the file',
            verification: 'No "syntax error near unexpected token" or "unexpected EOF" failures',
          },
        };
      }
      break;
    case 'permission':
      if (entity.startsWith('declined: ')) {
        const command = entity.slice('declined: '.length);
        const said = declineReason(input.incident.sample.error);
        const sessions = input.incident.sessions.length;
        return {
          why: `The person declined \`${command}\` in ${sessions} sessions${said ? `, saying "${said}"` : ''}: each time the agent asked for it as if it were routine.`,
          rule: {
            title: `Ask in the conversation before running ${command}`,
            body: `The person has declined \`${command}\` in ${sessions} sessions${said ? ` (once saying "${said}")` : ''}. Before running it, say why it is needed and ask; when the task can be done without it, do that, and leave \`${command}\` to the person.`,
            scope: 'project',
            trigger: `Before running \`${command}\``,
            enforcement: 'Ask in the conversation first',
            verification: `No more declined \`${command}\` calls`,
          },
        };
      }
      if (entity.startsWith('login: ')) {
        const command = entity.slice('login: '.length);
        const program = command.split(' ')[0]!;
        return {
          why: `\`${program}\` has no logged-in account on this machine, and logging in (\`${command}\`) is the person's to do: it opens a browser or asks for a secret.`,
          rule: {
            title: `Ask the person to log ${program} in`,
            body: `When ${program} says it is not logged in, stop and ask the person to run \`${command}\` (or to set the token the tool reads); do not retry, and do not look for credentials to use instead.`,
            scope: 'project',
            trigger: `When ${program} says it is not logged in`,
            enforcement: `Ask the person to run \`${command}\``,
            verification: `No repeated "not logged in" failures of ${program}`,
          },
        };
      }
      if (entity === 'ssh key') {
        const host = target ? /\bssh\s+(?:-\S+\s+(?:\S+\s+)?)*([\w.@-]+)/.exec(target)?.[1] : undefined;
        return {
          why: `${host ? `\`${host}\`` : 'The host'} refused every key this machine offered: no key here is authorised there.`,
          rule: {
            title: `Ask for access instead of retrying ssh${host ? ` to ${host}` : ''}`,
            body: `\`ssh${host ? ` ${host}` : ''}\` is refused with "Permission denied (publickey)": no key of this machine is authorised there. Check \`ssh-add -l\` and the host's user, then ask the person to add a key (or give the right user) instead of retrying.`,
            scope: 'project',
            trigger: `Before connecting with ssh${host ? ` to ${host}` : ''}`,
            enforcement: 'Check `ssh-add -l` and the user first',
            verification: 'No "Permission denied (publickey)" failures',
          },
        };
      }
      if (entity === 'allowed roots') {
        const roots = /Allowed roots?:\s*([^\n]+)/i.exec(error)?.[1]?.trim();
        return {
          why: `${tool} may only touch files under its allowed roots, and the agent gave it one outside them.`,
          rule: {
            title: `Keep files for ${tool.replace(/^mcp__/, '').split('__')[0]} inside its allowed roots`,
            body: `${tool} only reads files under its allowed roots${roots ? ` (\`${roots.slice(0, 80)}\`)` : ''}. Write files it needs there, not in /tmp or another folder.`,
            scope: 'agent:claude-code',
            trigger: `Before giving ${tool} a file`,
            enforcement: 'Put the file under the allowed root first',
            verification: 'No "outside allowed roots" errors',
          },
        };
      }
      if (entity === 'mise trust') {
        return {
          why: 'mise refuses to read the mise.toml of a checkout it has not been told to trust, so none of its tasks ran.',
          rule: {
            title: "Trust a new checkout's mise config before running its tasks",
            body: "mise reads a project's mise.toml only once it is trusted. In a new checkout or worktree, run `mise trust` in its folder (or ask the person to) before the first `mise run`; do not turn the check off.",
            scope: 'project',
            trigger: 'Before the first `mise run` in a new checkout or worktree',
            enforcement: 'Run `mise trust` first',
            verification: 'No "are not trusted" errors from mise',
          },
        };
      }
      if (entity === 'credentials') {
        return {
          why: 'A login was refused: the credentials the agent used (or assumed) are not the ones this service accepts.',
          rule: {
            title: 'Ask for credentials instead of guessing them',
            body: 'When a service refuses a password or token, do not try other values or defaults. Read where the project keeps its configuration (an .env example, the deployment notes) and ask the person for the right credentials.',
            scope: 'project',
            trigger: 'When a login or authentication fails',
            enforcement: 'Stop and ask for the credentials',
            verification: 'No repeated "authentication failed" errors',
          },
        };
      }
      if (entity === 'cd outside') {
        return {
          why: 'The agent tried to cd out of the project, which Claude Code does not allow.',
          rule: {
            title: 'Stay in the project folder; name outside paths instead of cd-ing to them',
            body: 'Claude Code only lets the shell cd within the project. Work on outside paths by naming them (`ls /tmp/x`, `git -C /tmp/repo status`) instead of `cd`.',
            scope: 'agent:claude-code',
            trigger: 'Before cd to a folder outside the project',
            enforcement: 'Pass the path to the command, or use git -C',
            verification: 'No blocked cd calls',
          },
        };
      }
      if (tool === 'Bash' && entity !== 'sudo') {
        return {
          why: `\`${entity || cmd || 'the command'}\` was refused access to a file or folder this user cannot read or change.`,
          rule: {
            title: 'Ask for access instead of working around a denied path',
            body: 'When a command is refused with "Permission denied", tell the person which path needs which access and let them grant it; do not retry with sudo or change permissions yourself.',
            scope: 'project',
            trigger: 'When a command fails with Permission denied',
            enforcement: 'Name the path and the access needed, and ask',
            verification: 'No repeated "Permission denied" failures on the same path',
          },
        };
      }
      if (entity === 'sudo') {
        return {
          why: 'sudo needs a password, and the agent\'s shell has no terminal to type it in: such commands cannot run from the agent.',
          rule: {
            title: 'Ask the person to run commands that need sudo',
            body: 'The agent\'s shell cannot answer a sudo password prompt. Do not run sudo; give the person the exact command to run in their own terminal and wait for the result.',
            scope: 'project',
            trigger: 'Before a command that needs sudo',
            enforcement: 'Hand the command to the person instead of running it',
            verification: 'No "sudo: a terminal is required" failures',
          },
        };
      }
      return {
        why: `${tool} was refused: the agent acted on ${target ? `\`${basename(target)}\`` : 'a resource'} without the permission it needs.`,
        rule: {
          title: `Ask before ${tool === 'Write' || tool === 'Edit' ? 'changing' : 'using'} ${target ? `\`${basename(target)}\`` : 'protected files'}`,
          body: `Do not ${tool === 'Write' || tool === 'Edit' ? 'write' : 'touch'} ${target ? `\`${basename(target)}\`` : 'files outside the allowed set'} without the person's permission: propose the change and ask first. Permission-denied calls waste a turn.`,
          scope: 'project',
          trigger: `Before ${tool} on ${target ? `\`${basename(target)}\`` : 'a protected path'}`,
          enforcement: 'Ask for permission, or show the change instead of making it',
          verification: `No "haven't granted" or permission-denied failures from ${tool}`,
          ...(pattern ? { paths: [pattern] } : {}),
        },
      };
    case 'timeout':
      if (entity === 'sleep blocked') {
        return {
          why: 'Claude Code refuses a long sleep in the foreground: the agent waited by sleeping instead of watching for what it waited on.',
          rule: {
            title: 'Wait with a check loop or a background run, not a long sleep',
            body: 'Do not wait with `sleep N; cmd`. To wait for a condition, poll it: `until CHECK; do sleep 2; done`. To wait for a command you started, run it with run_in_background and read its output when it ends.',
            scope: 'agent:claude-code',
            trigger: 'Before waiting for a build, a review or a process',
            enforcement: 'Use an until-loop or run_in_background',
            verification: 'No "Blocked: sleep" refusals',
          },
        };
      }
      return {
        why: `\`${cmd ?? tool}\` ran longer than the tool allows: long-running work was started in the foreground.`,
        rule: {
          title: `Run ${cmd ? `\`${cmd}\`` : 'long commands'} in the background or on less`,
          body: `Run \`${cmd ?? 'long-running commands'}\` in the background (run_in_background) or with a narrower scope (one test file, one package). Calls that run past the tool's time limit are killed and their output is lost.`,
          scope: 'project',
          trigger: `Before running \`${cmd ?? 'a long command'}\``,
          enforcement: 'Narrow the command, or run it in the background and poll',
          verification: `No time-outs of \`${cmd ?? tool}\``,
        },
      };
    case 'network':
      if (entity === 'python certificates') {
        return {
          why: "Python could not verify the server's certificate: its own certificate store is missing (the python.org build on macOS has none until it is installed).",
          rule: {
            title: "Give Python a certificate store before it calls HTTPS",
            body: "This Python has no certificates of its own: run it with `SSL_CERT_FILE=$(python3 -m certifi)` (certifi installed), or ask the person to run `Install Certificates.command` of their Python once; never turn verification off.",
            scope: 'project',
            trigger: 'Before Python code here calls an HTTPS service',
            enforcement: 'Set SSL_CERT_FILE from certifi, or ask for the certificates to be installed',
            verification: 'No CERTIFICATE_VERIFY_FAILED failures',
          },
        };
      }
      if (entity === 'host name') {
        return {
          why: "curl could not resolve the host it was given (exit 6): the name was written from memory, and this machine does not know it.",
          rule: {
            title: 'Use host names this machine resolves, from the project or the person',
            body: "Take a host name from the project's configuration or from the person, not from memory, and check it resolves before calling it (`getent hosts NAME`, or `dscacheutil -q host -a name NAME` on macOS); for a device on the local network, ask for its address.",
            scope: 'project',
            trigger: 'Before calling a host not used in this project before',
            enforcement: "Check the name resolves, or ask for the address",
            verification: 'No curl exit code 6 (could not resolve host)',
          },
        };
      }
      if (entity === 'local server') {
        return {
          why: `${tool} asked for a page of a local server that was not running: the agent took the dev server for started.`,
          rule: {
            title: 'Check the dev server answers before fetching its pages',
            body: 'Before fetching a localhost page, start the dev server in the background (run_in_background) if it is not running, and check it answers with `curl -sI http://localhost:PORT/`; then fetch the page.',
            scope: 'project',
            trigger: 'Before fetching a localhost or 127.0.0.1 page',
            enforcement: 'Run `curl -sI` on the address first',
            verification: 'No ECONNREFUSED from local pages',
          },
        };
      }
      return {
        why: `\`${cmd ?? tool}\` needed the network, which this environment does not give it.`,
        rule: {
          title: `${cmd ? `\`${cmd}\`` : tool} cannot reach the network here`,
          body: `Do not run \`${cmd ?? 'commands'}\` that need the network here; use what is installed or cached, and say what needs a connection. Network calls fail in this environment.`,
          scope: 'project',
          trigger: `Before running \`${cmd ?? 'a command'}\` that downloads or connects`,
          enforcement: 'Use local or cached resources only',
          verification: `No network failures from \`${cmd ?? tool}\``,
        },
      };
    case 'runtime error':
      if (entity === 'import name') {
        const m = /ImportError: cannot import name '([^']+)' from '([^']+)'/.exec(error);
        const name = m?.[1] ?? 'NAME';
        const mod = m?.[2] ?? 'MODULE';
        return {
          why: `Python imported \`${name}\` from \`${mod}\`, which does not define it: the name was written from memory.`,
          rule: {
            title: "Check the names a module defines before importing them",
            body: `Before \`from ${mod} import ${name}\`, look at what \`${mod}\` defines: grep its file for \`def ${name}\`, \`class ${name}\` or \`${name} =\`, or print \`dir(${mod})\`, and import a name it has.`,
            scope: 'project',
            trigger: `Before importing from a module of this project`,
            enforcement: 'Read the module, or dir() it, first',
            verification: 'No "cannot import name" failures',
          },
        };
      }
      if (entity === 'require in es module') {
        return {
          why: "A script used `require` in a package whose .js files are ES modules (\"type\": \"module\"), where `require` does not exist.",
          rule: {
            title: 'Use import in this package, or name CommonJS scripts .cjs',
            body: 'This package\'s .js files are ES modules: write `import { x } from \'./dist/x.js\'` (or `const m = await import(\'./dist/x.js\')` in a one-off script), or name a script that must use `require` with `.cjs`.',
            scope: 'project',
            trigger: 'Before writing a Node script in this package',
            enforcement: 'Use import, or a .cjs file for require',
            verification: 'No "require is not defined in ES module scope" failures',
          },
        };
      }
      if (entity === 'locale encoding') {
        const codec = /'([\w-]+)' codec can't/.exec(error)?.[1] ?? 'the locale';
        return {
          why: `Python read or printed text in this machine's locale encoding (${codec}), not UTF-8, and met a character that encoding has no room for.`,
          rule: {
            title: 'Run Python in UTF-8 mode on this machine',
            body: `Python here defaults to the ${codec} code page, so printing emoji or reading UTF-8 files fails with a Unicode error. Run Python with ${tool === 'PowerShell' ? "\`$env:PYTHONUTF8 = '1'\` set" : '\`PYTHONUTF8=1\`'} (or \`python -X utf8\`), and open text files with \`encoding='utf-8'\`.`,
            scope: 'project',
            trigger: 'Before running Python that prints or reads non-ASCII text',
            enforcement: "Set PYTHONUTF8=1, and pass encoding='utf-8' to open()",
            verification: `No "'${codec}' codec can't encode" or "can't decode" failures`,
          },
        };
      }
      if (entity === 'interactive input') {
        const script = cmd && target ? target.replace(/^(?:cd\s+(?:"[^"]*"|\S+)\s*&&\s*)+/, '').split(/\s*(?:\||&&|;|2>&1)\s*/)[0]!.trim().slice(0, 80) : undefined;
        return {
          why: `${script ? `\`${script}\`` : 'A script'} asks for input (Python's input()) and the Bash tool has no terminal to answer it, so it stopped with EOFError.`,
          rule: {
            title: 'Pipe the answers into scripts that prompt for input',
            body: `The Bash tool has no terminal: a script that waits for input() ends with "EOFError: EOF when reading a line". Before running ${script ? `\`${script}\`` : 'such a script'}, read which prompts it asks and pipe the answers in (\`printf '1\\ny\\n' | ${script ?? 'python3 script.py'}\`), or give it flags that skip the menu.`,
            scope: 'project',
            trigger: 'Before running a script that shows a menu or asks a question',
            enforcement: 'Pipe the answers in with printf, or use its non-interactive flags',
            verification: 'No "EOFError: EOF when reading a line" failures',
          },
        };
      }
      break;
    case 'other':
      if (entity === 'port in use') {
        return {
          why: 'A server was started on a port another process already listens on (often the dev server from an earlier step), so it failed or moved to another port.',
          rule: {
            title: 'Check whether the port is taken before starting a server',
            body: 'Before starting a dev or test server, check the port with `lsof -i :PORT`; reuse the server already running there (for Playwright, `reuseExistingServer: true` in its webServer config) or stop it first, instead of starting a second one.',
            scope: 'project',
            trigger: 'Before starting a dev server or a test run that starts one',
            enforcement: 'Run `lsof -i :PORT` first',
            verification: 'No "address already in use" or "Port ... is in use" failures',
          },
        };
      }
      break;
    default:
      break;
  }
  return undefined;
}

/** Where each toolchain's project states its version, and how a person or the agent gets that one. */
const TOOLCHAINS: Record<string, { name: string; pinned: string; get: string; also?: string }> = {
  node: { name: 'Node.js', pinned: '`engines` in package.json or .nvmrc', get: '`nvm install` or `fnm use` (they read .nvmrc)' },
  python: { name: 'Python', pinned: '`requires-python` in pyproject.toml or .python-version', get: '`uv python install VERSION` (uv then uses it)' },
  rust: { name: 'Rust', pinned: '`rust-version` in Cargo.toml or rust-toolchain.toml', get: '`rustup update` (or `rustup toolchain install VERSION`)', also: ' When the project supports this Rust and only a new dependency does not, pin that dependency as cargo suggests (`cargo update PKG --precise VERSION`).' },
  go: { name: 'Go', pinned: 'the `go` and `toolchain` lines of go.mod', get: 'a Go of that version (where go may download, `GOTOOLCHAIN=auto` fetches it)' },
  java: { name: 'Java', pinned: 'the release in the build file (pom.xml, build.gradle)', get: 'a JDK of that release, with JAVA_HOME pointing at it' },
  dotnet: { name: '.NET', pinned: 'TargetFramework in the .csproj or global.json', get: 'the .NET SDK that global.json or the project targets' },
  swift: { name: 'Swift', pinned: '`swift-tools-version` in Package.swift', get: 'the Xcode or Swift toolchain of that version' },
  ruby: { name: 'Ruby', pinned: '`ruby` in the Gemfile or .ruby-version', get: '`rbenv install` or `mise install` (they read .ruby-version)' },
  php: { name: 'PHP', pinned: '`require.php` in composer.json', get: 'the PHP version composer.json requires' },
};

function toolchainTemplate(toolchain: string): Template {
  const t = TOOLCHAINS[toolchain] ?? { name: toolchain, pinned: 'the project files', get: 'the version the project names' };
  return {
    why: `The project (or a package it installs) needs another ${t.name} version than the one that ran here, and says which in ${t.pinned}: nothing builds until that version is used.`,
    rule: {
      title: `Use the ${t.name} version the project asks for`,
      body: `Read the ${t.name} version the project needs from ${t.pinned} and compare it with the one here first. Use ${t.get}, or ask the person to install it; do not lower the project's requirement to fit the machine.${t.also ?? ''}`,
      scope: 'project',
      trigger: `Before building or installing with ${t.name} in this project`,
      enforcement: `Check the ${t.name} version against ${t.pinned} first`,
      verification: `No ${t.name} version mismatch failures`,
    },
  };
}

/** What the person said when declining a call ("To tell you how to proceed, the user said: ..."), if anything. */
function declineReason(error: string): string | undefined {
  const said = /the user said:\s*([\s\S]+)$/i.exec(error)?.[1]?.trim();
  // One sentence at most, so the rule stays within its three.
  const first = said?.split('\n')[0]!.split(/(?<=[.!?])\s/)[0]!.replace(/[.!?]+$/, '').trim();
  return first ? first.slice(0, 120) : undefined;
}
