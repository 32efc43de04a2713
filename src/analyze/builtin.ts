import { basename, dirname, extname, isAbsolute, relative } from 'node:path';
import type { Incident } from '../store/schemas.js';
import { causeOf, type Cause } from '../detect/cause.js';
import type { Analysis, AnalystContext, ProposedRule } from './schema.js';

/**
 * The built-in analyst: offline and deterministic. Per category, a root-cause explanation and a
 * rule template filled from the incident itself: the tool, the command, the path pattern, the
 * module name. An external analyst (config `analyst.command`) can do better; this one must still
 * propose rules a reviewer would accept.
 */

const SHELL_PREFIXES = new Set(['npm', 'npx', 'pnpm', 'yarn', 'bun', 'git', 'cargo', 'go', 'python', 'python3', 'pip', 'uv', 'make', 'docker']);

/** `npm test -- --watch` → `npm test`; `FOO=1 tree -L 2` → `tree`. */
export function commandName(command: string | undefined): string | undefined {
  if (!command) return undefined;
  const words = command
    .trim()
    .split(/\s+/)
    .filter((w) => !/^\w+=/.test(w));
  const first = words[0]?.replace(/^.*\//, '');
  if (!first) return undefined;
  if (SHELL_PREFIXES.has(first) && words[1] && !words[1].startsWith('-')) return `${first} ${words[1]}`;
  return first;
}


/** A glob for the kind of file a path is: `src/api/users.ts` → `src/api/*.ts`. */
export function pathPattern(target: string | undefined, projectRoot: string): string | undefined {
  if (!target || !/[\\/]|\.\w+$/.test(target) || /\s/.test(target.trim())) return undefined;
  const rel = isAbsolute(target) ? relative(projectRoot, target) : target;
  if (rel.startsWith('..')) return basename(target);
  const dir = dirname(rel);
  const ext = extname(rel);
  if (!ext) return rel;
  return dir === '.' ? `*${ext}` : `${dir}/*${ext}`;
}

function firstLine(error: string): string {
  const lines = error
    .replace(/<\/?tool_use_error>/g, '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^Exit code \d+$/.test(l));
  // "... due to the following issue:" says nothing by itself; the issue is on the next line.
  const first = lines[0]?.endsWith(':') && lines[1] ? `${lines[0]} ${lines[1]}` : lines[0];
  return (first ?? error).slice(0, 160);
}

/** What to use instead of a program that is missing, in the words a person would say it. */
const INSTEAD: Record<string, [title: string, body: string]> = {
  tree: ['list folders with Glob or find', 'list folders with the Glob tool or `find . -maxdepth 2 -not -path "*/node_modules/*"`'],
  jq: ['read JSON with node or python3', 'read JSON with `node -e` or `python3 -m json.tool`, or with the Read tool'],
  rg: ['search with Grep or grep -rn', 'search with the Grep tool or `grep -rn`'],
  ag: ['search with Grep or grep -rn', 'search with the Grep tool or `grep -rn`'],
  fd: ['find files with Glob or find', 'find files with the Glob tool or `find`'],
  bat: ['read files with Read or cat', 'read files with the Read tool or `cat`'],
  python: ['use python3', 'run `python3`'],
  pip: ['use python3 -m pip', 'run `python3 -m pip`'],
  pip3: ['use python3 -m pip', 'run `python3 -m pip`'],
  yq: ['read YAML with the Read tool', 'read YAML with the Read tool'],
  gh: ['use git and ask for GitHub steps', 'use `git`, and say which steps need GitHub'],
  timeout: ["use the Bash tool's timeout", "give the Bash tool its own timeout parameter"],
  gtimeout: ["use the Bash tool's timeout", "give the Bash tool its own timeout parameter"],
  realpath: ['use cd and pwd', 'use `cd DIR && pwd`'],
  tsc: ['run it with npx', 'run it through the project with `npx tsc`'],
  eslint: ['run it with npx', 'run it through the project with `npx eslint`'],
  prettier: ['run it with npx', 'run it through the project with `npx prettier`'],
  vitest: ['run it with npx', 'run it through the project with `npx vitest`'],
  jest: ['run it with npx', 'run it through the project with `npx jest`'],
};

function runScript(pm: string | undefined, script: string): string {
  const m = pm ?? 'npm';
  return m === 'npm' ? `npm run ${script}` : `${m} ${script}`;
}

function addCommand(pm: string | undefined, pkg: string): string {
  return pm === 'npm' || !pm ? `npm install ${pkg}` : `${pm} add ${pkg}`;
}

interface Template {
  why: string;
  rule?: ProposedRule;
  dismiss?: string;
}

const quoteSafe = (s: string) => s.replace(/[`]/g, "'");

function template(ctx: AnalystContext, cause: Cause, projectRoot: string): Template {
  const { incident } = ctx;
  const error = incident.sample.error;
  const target = incident.sample.target;
  const tool = incident.tool;
  const cmd = tool === 'Bash' ? cause.program ?? commandName(target) : undefined;
  const pattern = pathPattern(target, projectRoot);
  const shown = pattern ? `\`${pattern}\`` : 'the file';
  const entity = cause.entity;
  const pm = ctx.project?.packageManager;
  if (cause.noise) return { why: `Not a mistake to learn from: ${cause.noise.why}.`, dismiss: `noise (${cause.noise.kind}): ${cause.noise.why}` };
  switch (incident.category) {
    case 'interrupted':
      return { why: 'The call was interrupted by the person, not failed by the agent.', dismiss: 'an interrupt is a decision of the person, not a mistake' };
    case 'missing script': {
      const script = cause.subject ?? 'the script';
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
      const instead = INSTEAD[program];
      return {
        why: `The agent assumed \`${program}\` is installed; it is not on this machine's PATH, so the shell failed with exit code 127.`,
        rule: {
          title: `${program} is not installed here: ${instead ? instead[0] : 'use what the project declares'}`.slice(0, 120),
          body: `\`${program}\` is not installed on this machine, so commands that run it fail with exit code 127. ${instead ? `Instead, ${instead[1]}.` : 'Use the tools the project declares (its scripts, its dependencies via npx), or install it first if the task needs it.'}`,
          scope: 'project',
          trigger: `Before running \`${program}\` in a Bash command`,
          enforcement: `${instead ? `${instead[1][0]!.toUpperCase()}${instead[1].slice(1)}` : 'Use an available alternative'}; commands that run \`${program}\` are blocked`,
          verification: `No "command not found: ${program}" (exit code 127) failures`,
          guard: { tool: 'Bash', program },
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
    case 'git': {
      if (entity === 'no upstream') {
        return {
          why: 'A new branch was pushed without an upstream, so git refused the plain `git push`.',
          rule: {
            title: 'Push a new branch with its upstream set',
            body: 'A branch pushed for the first time has no upstream: push it with `git push -u origin HEAD`, not a plain `git push`.',
            scope: 'project',
            trigger: 'When pushing a branch for the first time',
            enforcement: 'Use `git push -u origin HEAD`',
            verification: 'No "has no upstream branch" failures',
          },
        };
      }
      if (entity === 'push protection') {
        return {
          why: 'The push carried a secret in one of its commits, and the remote refused it: the secret was committed before anyone checked.',
          rule: {
            title: 'Keep secrets out of commits, and out of history before a push',
            body: 'Never commit keys or tokens: keep them in ignored files or the environment. When a push is refused for a secret, remove it from every commit being pushed (rewrite them) and tell the person; do not use the bypass link yourself.',
            scope: 'project',
            trigger: 'Before committing files that may hold credentials, and when a push is refused',
            enforcement: 'Check staged changes for secrets; rewrite the commits that hold one',
            verification: 'No pushes refused by secret scanning',
          },
        };
      }
      if (entity === 'gpg signing') {
        return {
          why: 'Commits here are signed with gpg, which asks for a passphrase the agent\'s shell cannot give.',
          rule: {
            title: 'Let the person make commits that gpg must sign',
            body: 'This repository signs commits with gpg, which needs the person\'s passphrase. Stage the changes, write the commit message, and ask the person to run the commit; do not turn signing off.',
            scope: 'project',
            trigger: 'Before git commit',
            enforcement: 'Hand the commit command to the person',
            verification: 'No "gpg failed to sign the data" failures',
          },
        };
      }
      if (entity === 'push rejected') {
        return {
          why: 'The remote had commits the local branch did not: the push was made without pulling first.',
          rule: {
            title: 'Pull with rebase before pushing',
            body: 'Before pushing, run `git pull --rebase` so the branch has the remote\'s commits; never force-push to make a rejected push go through.',
            scope: 'project',
            trigger: 'Before `git push`',
            enforcement: 'Run `git pull --rebase` first',
            verification: 'No rejected pushes',
          },
        };
      }
      break;
    }
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
    case 'tool unavailable':
      if (entity === 'subagent type' || entity === 'skill') {
        const available = /Available agents?:\s*([^\n]+)/i.exec(error)?.[1]?.split(/,\s*/).map((x) => x.trim().replace(/\.$/, '')).filter(Boolean) ?? [];
        const listed = available.length ? ` This setup has: ${available.slice(0, 8).map((a) => `\`${a}\``).join(', ')}${available.length > 8 ? ', …' : ''}.` : '';
        return entity === 'skill'
          ? {
              why: 'The agent called a skill by a name that is not installed: it guessed the name instead of taking it from the listed skills.',
              rule: {
                title: 'Call skills only by the names listed as available',
                body: 'Before calling the Skill tool, take the skill name from the skills listed as available in this session; a guessed or remembered name fails with "Unknown skill".',
                scope: 'agent:claude-code',
                trigger: 'Before calling the Skill tool',
                enforcement: 'Pick the name from the available skills list',
                verification: 'No "Unknown skill" errors',
              },
            }
          : {
              why: 'The agent asked for a subagent type this setup does not have: it assumed agents from another setup.',
              rule: {
                title: 'Start only the subagent types this setup has',
                body: `Give the Task tool a subagent_type that exists here, or use general-purpose.${listed}`.slice(0, 400),
                scope: 'agent:claude-code',
                trigger: 'Before starting a subagent with the Task tool',
                enforcement: 'Pick subagent_type from the available agents',
                verification: 'No "Agent type not found" errors',
              },
            };
      }
      return {
        why: `The agent called the ${entity} tool, which this agent (or subagent) does not have: it assumed its tools instead of using the ones it was given.`,
        rule: {
          title: `Use the tools you were given when ${entity} is not one of them`,
          body: `The ${entity} tool is not available to this agent. Do the work with the tools it has (Glob to find files, Grep to search them, Read to open them) instead of calling ${entity}.`,
          scope: 'agent:claude-code',
          trigger: `Before calling ${entity} in an agent or subagent that may not have it`,
          enforcement: 'Check the tools the agent was given; use Glob, Grep and Read',
          verification: `No "No such tool available: ${entity}" errors`,
        },
      };
    case 'usage error':
      return {
        why: `\`${entity}\` was given an option or subcommand it does not take: its usage was written from memory (or from another version or platform).`,
        rule: {
          title: `Check what ${entity} accepts before using an option from memory`,
          body: `\`${entity}\` here does not take every option it takes elsewhere. Run \`${entity} --help\` (or the subcommand's help) and use the options it lists.`,
          scope: 'project',
          trigger: `Before using an option or subcommand of \`${entity}\` not used in this project before`,
          enforcement: `Read \`${entity} --help\` first`,
          verification: `No "unknown option" or usage failures from \`${entity}\``,
        },
      };
    case 'is a directory':
      return {
        why: `${tool} was given a folder where it takes a file: the path was not checked.`,
        rule: {
          title: `Give ${tool} a file, not a folder`,
          body: `${tool} works on one file. List a folder with the Glob tool or \`ls\` first and pass ${tool} the file you need.`,
          scope: 'agent:claude-code',
          trigger: `Before ${tool} on a path that may be a folder`,
          enforcement: 'List the folder with Glob and pick a file',
          verification: `No EISDIR failures from ${tool}`,
        },
      };
    case 'syntax error':
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
    case 'file not read first':
      return {
        why: `${tool} refuses to change a file that was not read in the session: the agent edited from memory instead of from the file's current content.`,
        rule: {
          title: `Read a file before ${tool === 'Write' ? 'overwriting' : 'editing'} it`,
          body: `Read the file with the Read tool before you ${tool === 'Write' ? 'overwrite' : 'edit'} it with ${tool}, even when you believe you know its content. ${tool} fails on files not read in the session.`,
          scope: 'agent:claude-code',
          trigger: `Before ${tool} on an existing file`,
          enforcement: 'Read the file earlier in the same session',
          verification: 'No "File has not been read yet" errors',
        },
      };
    case 'edit mismatch':
      if (entity === 'not unique') {
        return {
          why: 'The text to replace occurs more than once in the file, so the Edit could not tell which one was meant.',
          rule: {
            title: 'Make old_string unique, or set replace_all',
            body: 'When the text to replace occurs more than once, include enough surrounding lines in old_string to match one place only, or set replace_all when every occurrence should change.',
            scope: 'agent:claude-code',
            trigger: 'Before an Edit of a short or repeated snippet',
            enforcement: 'Add context lines to old_string, or pass replace_all: true',
            verification: 'No "Found N matches of the string to replace" failures',
          },
        };
      }
      if (entity === 'line numbers') {
        return {
          why: "old_string was copied with the Read tool's line-number prefixes, which are not in the file.",
          rule: {
            title: "Leave the Read tool's line numbers out of old_string",
            body: 'The Read tool shows each line after a number and an arrow (`12→`); they are not part of the file. Copy old_string from the text after the arrow only, with its exact indentation.',
            scope: 'agent:claude-code',
            trigger: 'Before an Edit whose old_string comes from a Read',
            enforcement: 'Strip the line-number prefix from every copied line',
            verification: 'No "String to replace not found" failures with numbered lines',
          },
        };
      }
      if (entity === 'modified since read') {
        return {
          why: 'The file changed after the agent read it (a formatter, a hook, the person or another session), so the Edit was refused.',
          rule: {
            title: 'Read a file again after a formatter or another writer touched it',
            body: 'When a formatter, a hook or the person may have changed a file since you read it, Read it again before the next Edit or Write, and copy old_string from that read.',
            scope: 'agent:claude-code',
            trigger: 'Before an Edit after a format step, a hook or a pause',
            enforcement: 'Read the file again first',
            verification: 'No "File has been modified since read" failures',
          },
        };
      }
      if (entity === 'no change') {
        return {
          why: 'The Edit asked to replace a text with the same text: the change had already been made or was never worked out.',
          rule: {
            title: 'Do not send an Edit whose new text equals the old',
            body: 'Before an Edit, check that new_string differs from old_string; when the file already holds the change, move on instead of editing again.',
            scope: 'agent:claude-code',
            trigger: 'Before an Edit',
            enforcement: 'Compare new_string with old_string',
            verification: 'No "No changes to make" failures',
          },
        };
      }
      return {
        why: 'The text to replace did not match the file: the edit was written from a stale or imagined copy of the file.',
        rule: {
          title: 'Copy old_string from a fresh Read of the file',
          body: 'Before an Edit, Read the file again and copy old_string exactly from it, whitespace included, with enough context to be unique. Edits written from memory do not match.',
          scope: 'agent:claude-code',
          trigger: 'Before an Edit',
          enforcement: 'Take old_string verbatim from the latest Read of the file',
          verification: 'No "String to replace not found" Edit failures',
        },
      };
    case 'input validation': {
      if (entity === 'too large') {
        return {
          why: `${tool} has a size limit; the agent tried to take a large file whole instead of in parts.`,
          rule: {
            title: 'Read large files in parts',
            body: 'Read large files in parts: pass offset and limit to the Read tool, or search them with Grep first. A whole read of a file over the size limit fails.',
            scope: 'agent:claude-code',
            trigger: 'Before reading a file that may be large (logs, data, generated code)',
            enforcement: 'Use offset and limit, or Grep for the part you need',
            verification: 'No "exceeds maximum allowed size" Read failures',
          },
        };
      }
      return {
        why: `The ${tool} call did not match the tool's input schema: the agent guessed its parameters.`,
        rule: {
          title: `Give the ${tool} tool the parameters its schema requires`,
          body: `Call the ${tool} tool with exactly the parameters and types its schema requires; check them before the call. It rejected: \`${quoteSafe(cause.firstLine).replace(/\.$/, '').slice(0, 150)}\`.`,
          scope: 'agent:claude-code',
          trigger: `Before calling the ${tool} tool`,
          enforcement: "Match the tool's documented parameter names and types",
          verification: `No InputValidationError from ${tool}`,
        },
      };
    }
    case 'file not found': {
      if (entity === 'msys path') {
        return {
          why: `${tool} was given a Git Bash path (\`/c/Users/...\`), which only the Git Bash shell understands; Windows file tools need the Windows spelling.`,
          rule: {
            title: 'Give file tools Windows paths, not Git Bash paths',
            body: `On Windows, pass ${tool} and the other file tools paths like \`C:/Users/me/project/file.md\`, not Git Bash's \`/c/Users/me/...\`, which they cannot open.`,
            scope: 'agent:claude-code',
            trigger: 'Before a file tool call on Windows with a path from the shell',
            enforcement: 'Write the drive letter: C:/... instead of /c/...',
            verification: 'No "File does not exist" failures on /c/... paths',
          },
        };
      }
      // The key names the folder and kind of file looked for (`archive/*.md`): the rule is about those.
      const folder = entity.includes('/*') && !entity.startsWith('./') ? `**/${entity}` : undefined;
      return {
        why: `The agent used a path that does not exist${target ? ` (${target.slice(0, 80)})` : ''}: it assumed the layout instead of looking.`,
        rule: {
          title: `Look ${folder ? `files like \`${entity}\`` : 'paths'} up before ${tool === 'Bash' ? 'using them in commands' : `passing them to ${tool}`}`,
          body: `Find a file with the Glob tool (or \`ls\` its folder) before ${tool === 'Bash' ? 'a command uses it' : `${tool} opens it`}${folder ? `, above all files like \`${folder}\`` : ''}; paths written from memory often do not exist in this project.`,
          scope: 'project',
          trigger: `Before ${tool} on a path not seen in this session`,
          enforcement: 'Find the path with Glob first',
          verification: `No "No such file or directory" or "does not exist" failures from ${tool}`,
          ...(folder ? { paths: [folder] } : {}),
        },
      };
    }
    case 'permission':
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
    case 'type error':
      return {
        why: 'Code was changed without running the type checker, so type errors surfaced later.',
        rule: {
          title: 'Type-check after changing typed code',
          body: `After editing typed code, run the project's type checker (${ctx.project?.scripts?.includes('typecheck') ? `\`${runScript(pm, 'typecheck')}\`` : 'for TypeScript `npx tsc --noEmit`'}) and fix every error before moving on.`,
          scope: 'project',
          trigger: 'After an Edit or Write of a typed source file',
          enforcement: 'Run the type checker before the next step',
          verification: 'No type errors reported by the gate or later commands',
        },
      };
    case 'lint':
      return {
        why: "Changes were made without running the project's linter or formatter, which then failed.",
        rule: {
          title: 'Lint and format changed files before finishing',
          body: `Run the project's linter and formatter on the files you changed${ctx.project?.scripts?.includes('lint') ? ` (\`${runScript(pm, 'lint')}\`)` : ''} and fix what they report before you finish or commit.`,
          scope: 'project',
          trigger: 'Before finishing a change or committing',
          enforcement: 'Run the linter on changed files and fix the findings',
          verification: 'No lint failures at the gate or in CI',
        },
      };
    case 'test failure':
      return {
        why: 'Tests failed after a change: the change was not checked against the tests before moving on.',
        rule: {
          title: 'Run the tests before calling a change done',
          body: `Run the relevant tests${ctx.project?.scripts?.includes('test') ? ` with \`${runScript(pm, 'test')}\`` : ''} after each change and before saying it is done; when one fails, fix the code rather than the assertion.`,
          scope: 'project',
          trigger: 'Before reporting a change as done',
          enforcement: 'Run the tests that cover the changed code',
          verification: 'No failing tests at the quality gate',
        },
      };
    default:
      break;
  }
  const line = quoteSafe(cause.firstLine || firstLine(error));
  return {
    why: `${tool} failed with "${line.slice(0, 160)}"; the cause is not one nevo recognises, so the rule asks for the cause to be found before a retry.`,
    rule: {
      title: `Find the cause before retrying a failed ${cmd ? `${cmd} command` : `${tool} call`}`,
      body: `When ${tool}${cmd ? ` (\`${cmd}\`)` : ''} fails with \`${line.slice(0, 100)}\`, read the error and fix its cause before calling it again. Repeating the same call repeats the failure.`,
      scope: 'project',
      trigger: `When ${tool}${cmd ? ` \`${cmd}\`` : ''} fails`,
      enforcement: 'Diagnose the error before the next identical call',
      verification: `The same ${tool} error does not recur`,
    },
  };
}

/** The mistake an incident is, as a key: stored at ingest, or worked out again for older incidents. */
export function incidentKey(incident: Incident): string {
  if (incident.key) return incident.key;
  const cause = incidentCause(incident);
  return cause.category === 'other' ? `other:${incident.fingerprint}` : cause.key;
}

/** The cause of an incident: stored at ingest, or read again from its sample for older ones. */
export function incidentCause(incident: Incident): Cause {
  const cause = causeOf({ tool: incident.tool, error: incident.sample.error, ...(incident.sample.target ? { target: incident.sample.target } : {}) });
  // Ingest read the whole command; the sample keeps its first line. The stored key wins.
  if (incident.key && incident.key !== cause.key && !incident.key.startsWith('other:')) {
    const at = incident.key.indexOf(':');
    return { ...cause, category: incident.key.slice(0, at) as Cause['category'], entity: incident.key.slice(at + 1), key: incident.key };
  }
  return cause;
}

export function builtinAnalyst(ctx: AnalystContext, projectRoot: string): Analysis {
  const { incident } = ctx;
  const seenBefore = incident.count > 1 || incident.sessions.length > 1;
  const what = `${incident.tool} failed ${incident.count} time(s) in ${incident.sessions.length} session(s) (${incident.category}): ${firstLine(incident.sample.error)}`;
  const covering = ctx.rules.find((r) => r.status === 'active' && r.incidents?.some((i) => i.fingerprint === incident.fingerprint));
  const cause = ctx.cause ?? incidentCause(incident);
  const t = template(ctx, cause, projectRoot);
  if (covering) return { what, why: t.why, seenBefore: true, decision: { action: 'link', rule: covering.id, reason: `${covering.id} already answers this fingerprint` } };
  if (t.dismiss) return { what, why: t.why, seenBefore, decision: { action: 'dismiss', reason: t.dismiss } };
  if (incident.category === 'other' && incident.sessions.length >= 3) {
    return { what, why: `${t.why} It recurs across ${incident.sessions.length} sessions: knowledge or a workflow is missing, which a one-line rule cannot carry.`, seenBefore: true, decision: { action: 'skill-gap', skill: `handle ${incident.tool} failures: ${firstLine(incident.sample.error).slice(0, 60)}`, reason: 'recurring failure with no known cause' } };
  }
  return { what, why: t.why, seenBefore, decision: { action: 'propose', rule: t.rule! } };
}
