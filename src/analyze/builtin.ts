import { basename, dirname, extname, isAbsolute, relative } from 'node:path';
import type { Incident } from '../store/schemas.js';
import { causeOf, incidentKeyOf, type Cause } from '../detect/cause.js';
import { shellCommands } from '../detect/shell.js';
import { isShellTool } from '../detect/shell-tool.js';
import type { Analysis, AnalystContext } from './schema.js';
import { checksTemplate } from './templates/checks.js';
import { quoteSafe, type Template, type TemplateInput } from './templates/common.js';
import { FIXED } from './templates/fixed.js';
import { shellTemplate } from './templates/shell.js';
import { toolsTemplate } from './templates/tools.js';

/**
 * The built-in analyst: offline and deterministic. Per category, a root-cause explanation and a
 * rule template filled from the incident itself: the tool, the command, the path pattern, the
 * module name. An external analyst (config `analyst.command`) can do better; this one must still
 * propose rules a reviewer would accept.
 */

const SHELL_PREFIXES = new Set(['npm', 'npx', 'pnpm', 'yarn', 'bun', 'git', 'cargo', 'go', 'python', 'python3', 'pip', 'uv', 'make', 'docker']);

/** Set-up a line starts with (`cd api && go run .`, `source .venv/bin/activate; pytest`): not what failed. */
const SET_UP = new Set(['cd', 'pushd', 'source', '.', 'export', 'set']);

/** `npm test -- --watch` → `npm test`; `FOO=1 tree -L 2` → `tree`; `cd api && go run .` → `go run`. */
export function commandName(command: string | undefined): string | undefined {
  if (!command) return undefined;
  // The shell parser finds the commands of the line. Taken word by word: a Windows path
  // (`C:\tools\x.exe`), which Bash would read as escapes, and a loop, whose first command inside
  // (an `echo`) is not what the line is.
  const wordwise = command.includes('\\') || /^\s*(?:for|while|until|if|case|select)\s/.test(command);
  const parsed = wordwise ? undefined : shellCommands(command).find((c) => !c.nested && !SET_UP.has(c.program));
  const words = parsed
    ? [parsed.program, ...parsed.args]
    : command
        .trim()
        .split(/\s+/)
        .filter((w) => !/^\w+=/.test(w));
  const first = words[0]?.replace(/^.*[\\/]/, '');
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

/**
 * A program's name as a rule may name it (`tree`, `npm run`, `python3 scripts/a.py`), or nothing: text run
 * as a command (pasted JSON, a quoted sentence) has no program to name, and a title quoting it
 * reads as noise or runs past a title's length.
 */
export function programLabel(name: string | undefined): string | undefined {
  if (!name || name.length > 60) return undefined;
  return /^[A-Za-z0-9_][\w.+-]*( [\w./~][\w.:/~@+-]*)?$/.test(name) ? name : undefined;
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

function template(ctx: AnalystContext, cause: Cause, projectRoot: string): Template {
  const { incident } = ctx;
  const error = incident.sample.error;
  const target = incident.sample.target;
  const tool = incident.tool;
  const cmd = isShellTool(tool) ? programLabel(cause.program ?? commandName(target)) : undefined;
  if (cause.noise) return { why: `Not a mistake to learn from: ${cause.noise.why}.`, dismiss: `noise (${cause.noise.kind}): ${cause.noise.why}` };
  if (incident.category === 'interrupted') return { why: 'The call was interrupted by the person, not failed by the agent.', dismiss: 'an interrupt is a decision of the person, not a mistake' };
  const input: TemplateInput = { ctx, cause, incident, error, target, tool, cmd, pattern: pathPattern(target, projectRoot), entity: cause.entity, pm: ctx.project?.packageManager };
  // A copy: the analysis adds to the rule it returns (paths, a guard).
  const fixed = FIXED[`${incident.category}:${cause.entity}`];
  const known = (fixed && structuredClone(fixed)) ?? shellTemplate(input) ?? toolsTemplate(input) ?? checksTemplate(input);
  if (known) return known;
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
  return incident.key ?? incidentKeyOf(incidentCause(incident), incident.fingerprint);
}

/** The cause of an incident: stored at ingest, or read again from its sample for older ones. */
export function incidentCause(incident: Incident): Cause {
  // Ingest opens an incident for a file changed since it was read only when a command of the
  // session rewrote it (it is noise otherwise); the sample alone no longer shows that.
  const ownWrite = incident.key === 'edit mismatch:modified since read';
  const cause = causeOf({ tool: incident.tool, error: incident.sample.error, ...(incident.sample.target ? { target: incident.sample.target } : {}), ...(ownWrite ? { rewrittenByOwnCommand: true } : {}) });
  // Ingest read the whole command; the sample keeps its first line. The stored key wins.
  if (incident.key && incident.key !== cause.key && !incident.key.startsWith('other:')) {
    const at = incident.key.indexOf(':');
    // Ingest found no noise in the whole call (it opened the incident): a verdict read again from
    // the first line alone (a `2>/dev/null` there, the script that shows the mistake cut off) does not stand.
    const { noise: _fromSample, ...rest } = cause;
    return { ...rest, category: incident.key.slice(0, at) as Cause['category'], entity: incident.key.slice(at + 1), key: incident.key };
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
