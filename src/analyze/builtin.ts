import { basename, dirname, extname, isAbsolute, relative } from 'node:path';
import type { Incident } from '../store/schemas.js';
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

/** The program a "command not found" error names, else the command's own first word. */
function missingProgram(error: string, command: string | undefined): string | undefined {
  // Tried one by one, most specific first: "(eval):1: command not found: tree" must give "tree", not "1".
  const script = /missing script:\s*"?([\w:.-]+)/.exec(error)?.[1];
  if (script) return `npm run ${script}`;
  for (const re of [/command not found:\s*([\w.+-]+)/, /([A-Za-z_][\w.+-]*): command not found/, /([A-Za-z_][\w.+-]*): not found/]) {
    const found = re.exec(error)?.[1];
    if (found) return found;
  }
  return commandName(command);
}

function moduleName(error: string): string | undefined {
  const m = /Cannot find (?:module|package) ['"]([^'"]+)['"]|No module named ['"]?([\w.-]+)['"]?|Could not resolve ['"]([^'"]+)['"]/.exec(error);
  return m?.[1] ?? m?.[2] ?? m?.[3];
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

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

interface Template {
  why: string;
  rule?: ProposedRule;
  dismiss?: string;
}

function template(incident: Incident, projectRoot: string): Template {
  const error = incident.sample.error;
  const target = incident.sample.target;
  const tool = incident.tool;
  const cmd = tool === 'Bash' ? commandName(target) : undefined;
  const pattern = pathPattern(target, projectRoot);
  const shown = pattern ? `\`${pattern}\`` : 'the file';
  switch (incident.category) {
    case 'interrupted':
      return { why: 'The call was interrupted by the person, not failed by the agent.', dismiss: 'an interrupt is a decision of the person, not a mistake' };
    case 'command not found': {
      const program = missingProgram(error, target) ?? 'the program';
      const script = program.startsWith('npm run ');
      return {
        why: script
          ? `The agent ran \`${program}\`, but package.json declares no such script: it assumed the project's scripts instead of reading them.`
          : `The agent assumed \`${program}\` is installed; it is not on this machine's PATH, so the shell failed with exit code 127.`,
        rule: script
          ? {
              title: `Read package.json before running \`${program}\``,
              body: `Before running an npm script, read the "scripts" of package.json and use one that exists. \`${program}\` is not defined in this project.`,
              scope: 'project',
              trigger: `Before running \`${program}\` or any other npm script`,
              enforcement: 'Look up the script name in package.json first',
              verification: `No "missing script" failures for \`${program}\``,
            }
          : {
              title: `Do not rely on \`${program}\`: it is not installed`,
              body: `\`${program}\` is not installed in this environment, so do not call it in Bash. Check with \`command -v ${program}\` first, or use a tool that is available (the Glob and Read tools, \`ls\`, \`find\`).`,
              scope: 'project',
              trigger: `Before running \`${program}\` in a Bash command`,
              enforcement: `Check \`command -v ${program}\` or use an available alternative; calls starting with \`${program}\` are blocked`,
              verification: `No "command not found: ${program}" (exit code 127) failures`,
              guard: { tool: 'Bash', command: `(^|[;&|(]\\s*)${escapeRegExp(program)}(\\s|$)` },
            },
      };
    }
    case 'module not found': {
      const mod = moduleName(error) ?? 'the module';
      return {
        why: `Code needed \`${mod}\`, which is not installed or not declared: the agent used a dependency without checking the project's manifest.`,
        rule: {
          title: `Check that \`${mod}\` is a declared dependency before using it`,
          body: `Before importing or running code that needs \`${mod}\`, check that the project declares and installs it (package.json or the lock file). If it is missing, add it with the project's package manager instead of assuming it is there.`,
          scope: 'project',
          trigger: `When code or a command needs \`${mod}\``,
          enforcement: `Look up \`${mod}\` in the manifest, and install it with the package manager when it is missing`,
          verification: `No "Cannot find module ${mod}" failures`,
        },
      };
    }
    case 'file not read first':
      return {
        why: `${tool} refuses to change a file that was not read in the session: the agent edited from memory instead of from the file's current content.`,
        rule: {
          title: `Read ${pattern ? `files like ${shown}` : 'a file'} before ${tool === 'Write' ? 'overwriting' : 'editing'} it`,
          body: `Read the file with the Read tool before you ${tool === 'Write' ? 'overwrite' : 'edit'} it with ${tool}, even when you believe you know its content. ${tool} fails on files not read in the session.`,
          scope: 'agent:claude-code',
          trigger: `Before ${tool} on an existing file${pattern ? ` such as ${shown}` : ''}`,
          enforcement: 'Read the file earlier in the same session',
          verification: 'No "File has not been read yet" errors',
          ...(pattern ? { paths: [pattern] } : {}),
        },
      };
    case 'edit mismatch':
      return {
        why: 'The text to replace did not match the file: the edit was written from a stale or imagined copy of the file.',
        rule: {
          title: `Copy old_string from a fresh Read of ${pattern ? shown : 'the file'}`,
          body: 'Before an Edit, Read the file again and copy old_string exactly from it, whitespace included, with enough context to be unique. Edits written from memory do not match.',
          scope: 'agent:claude-code',
          trigger: `Before an Edit${pattern ? ` of ${shown}` : ''}`,
          enforcement: 'Take old_string verbatim from the latest Read of the file',
          verification: 'No "String to replace not found" or "not unique" Edit failures',
          ...(pattern ? { paths: [pattern] } : {}),
        },
      };
    case 'input validation': {
      if (/exceeds maximum allowed size|too large/i.test(error)) {
        return {
          why: `${tool} has a size limit; the agent tried to take a large file whole instead of in parts.`,
          rule: {
            title: `Read large files${pattern ? ` like ${shown}` : ''} in parts`,
            body: `Read large files${pattern ? ` such as ${shown}` : ''} in parts: pass offset and limit to the Read tool, or search them with Grep first. A whole read of a file over the size limit fails.`,
            scope: 'agent:claude-code',
            trigger: `Before reading a file that may be large${pattern ? ` (${shown})` : ''}`,
            enforcement: 'Use offset and limit, or Grep for the part you need',
            verification: 'No "exceeds maximum allowed size" Read failures',
            ...(pattern ? { paths: [pattern] } : {}),
          },
        };
      }
      return {
        why: `The ${tool} call did not match the tool's input schema: the agent guessed its parameters.`,
        rule: {
          title: `Give the ${tool} tool the parameters its schema requires`,
          body: `Call the ${tool} tool with exactly the parameters and types its schema requires; check them before the call. It rejected: ${firstLine(error).replace(/[`]/g, "'").replace(/\.$/, '').slice(0, 150)}.`,
          scope: 'agent:claude-code',
          trigger: `Before calling the ${tool} tool`,
          enforcement: "Match the tool's documented parameter names and types",
          verification: `No InputValidationError from ${tool}`,
        },
      };
    }
    case 'file not found':
      return {
        why: `The agent used a path that does not exist${target ? ` (${target.slice(0, 80)})` : ''}: it assumed the layout instead of looking.`,
        rule: {
          title: `Confirm a path exists before ${tool === 'Bash' ? 'using it in a command' : `calling ${tool} on it`}`,
          body: `Before ${tool === 'Bash' ? `running \`${cmd ?? 'a command'}\` on a path` : `calling ${tool} on a path`}${pattern ? ` like ${shown}` : ''}, confirm that it exists with the Glob tool or \`ls\`. Paths guessed from memory often do not exist.`,
          scope: 'project',
          trigger: `Before ${tool} on a path not seen in this session`,
          enforcement: 'Find the path with Glob or ls first',
          verification: `No "No such file or directory" failures from ${tool}`,
        },
      };
    case 'permission':
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
          title: `Run \`${cmd ?? 'long commands'}\` with a time limit or in the background`,
          body: `Run \`${cmd ?? 'long-running commands'}\` in the background or with a narrower scope (one test file, one package). Calls that run past the tool's time limit are killed and their output is lost.`,
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
          title: `Do not depend on the network for \`${cmd ?? tool}\``,
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
          body: `After editing ${pattern ? `files like ${shown}` : 'typed code'}, run the project's type checker (for TypeScript \`npx tsc --noEmit\`) and fix every error before moving on.`,
          scope: 'project',
          trigger: `After an Edit or Write of ${pattern ? shown : 'a typed source file'}`,
          enforcement: 'Run the type checker before the next step',
          verification: 'No type errors reported by the gate or later commands',
          ...(pattern ? { paths: [pattern] } : {}),
        },
      };
    case 'lint':
      return {
        why: 'Changes were made without running the project\'s linter or formatter, which then failed.',
        rule: {
          title: 'Lint and format changed files before finishing',
          body: `Run the project's linter and formatter on the files you changed${cmd ? ` (\`${cmd}\`)` : ''} and fix what they report before you finish or commit.`,
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
          title: `Run the tests${cmd ? ` (\`${cmd}\`)` : ''} before calling a change done`,
          body: `Run the relevant tests${cmd ? ` with \`${cmd}\`` : ''} after each change and before saying it is done; when one fails, fix the code rather than the assertion.`,
          scope: 'project',
          trigger: 'Before reporting a change as done',
          enforcement: 'Run the tests that cover the changed code',
          verification: 'No failing tests at the quality gate',
        },
      };
    default:
      return {
        why: `${tool} failed with "${firstLine(error)}"; the cause is not one nevo recognises, so the rule asks for the cause to be found before a retry.`,
        rule: {
          title: `Find the cause before retrying a failed ${tool} call`,
          body: `When ${tool}${cmd ? ` (\`${cmd}\`)` : ''} fails with "${firstLine(error).replace(/["`]/g, "'").slice(0, 100)}", read the error and fix its cause before calling it again. Repeating the same call repeats the failure.`,
          scope: 'project',
          trigger: `When ${tool}${cmd ? ` \`${cmd}\`` : ''} fails`,
          enforcement: 'Diagnose the error before the next identical call',
          verification: `The same ${tool} error does not recur`,
        },
      };
  }
}

export function builtinAnalyst(ctx: AnalystContext, projectRoot: string): Analysis {
  const { incident } = ctx;
  const seenBefore = incident.count > 1 || incident.sessions.length > 1;
  const what = `${incident.tool} failed ${incident.count} time(s) in ${incident.sessions.length} session(s) (${incident.category}): ${firstLine(incident.sample.error)}`;
  const covering = ctx.rules.find((r) => r.status === 'active' && r.incidents?.some((i) => i.fingerprint === incident.fingerprint));
  const t = template(incident, projectRoot);
  if (covering) return { what, why: t.why, seenBefore: true, decision: { action: 'link', rule: covering.id, reason: `${covering.id} already answers this fingerprint` } };
  if (t.dismiss) return { what, why: t.why, seenBefore, decision: { action: 'dismiss', reason: t.dismiss } };
  if (incident.category === 'other' && incident.sessions.length >= 3) {
    return { what, why: `${t.why} It recurs across ${incident.sessions.length} sessions: knowledge or a workflow is missing, which a one-line rule cannot carry.`, seenBefore: true, decision: { action: 'skill-gap', skill: `handle ${incident.tool} failures: ${firstLine(incident.sample.error).slice(0, 60)}`, reason: 'recurring failure with no known cause' } };
  }
  return { what, why: t.why, seenBefore, decision: { action: 'propose', rule: t.rule! } };
}
