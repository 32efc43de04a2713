// The guards of active rules, compiled for the hook: every pattern becomes an RE2 regular
// expression source, so `nevo-tui hook` matches a tool call with a linear-time engine and no glob
// or schema library on its hot path. The export code writes this next to config.json.
import type { GuardSource } from '../detect/hook-plan.js';
import type { CompiledGuard, GuardsFile } from '../detect/guard-match.js';
import { globSource } from './glob-re2.js';
import type { Rule } from './rule.js';

// guards.json's format belongs to its reader, the hook's matcher (detect/guard-match.ts): rules/ only writes it.
export { GUARDS_FILE, type CompiledGuard, type GuardsFile } from '../detect/guard-match.js';

export { globSource } from './glob-re2.js';

const LEGACY_PROGRAM = /^\(\^\|\[;&\|\(\]\\s\*\)((?:[\w+@-]|\\\.)+)\(\\s\|\$\)$/;

/** Pure: the guards of the rules that are active and have one, in the order given. */
export function compileGuards(rules: Rule[], projectRoot: string): GuardsFile {
  const guards: CompiledGuard[] = [];
  for (const rule of rules) {
    if (rule.status !== 'active' || !rule.guard) continue;
    const g = rule.guard;
    const compiled: CompiledGuard = { rule: rule.id, title: rule.title, text: rule.body, tool: g.tool };
    if (g.program) compiled.program = g.program;
    else if (g.command) {
      // Guards written before programs were parsed: the built-in analyst's regex for "this program
      // in command position" is read as the program, so quoted text no longer trips it.
      const legacy = LEGACY_PROGRAM.exec(g.command);
      if (legacy) compiled.program = legacy[1]!.replace(/\\(.)/g, '$1');
      else compiled.command = g.command;
    }
    if (g.paths) {
      const paths = g.paths.map(globSource).filter((s): s is string => s !== null);
      // A guard whose every glob failed to compile would otherwise lose its paths condition and
      // block more than it was written for: leave it out.
      if (!paths.length) continue;
      compiled.paths = paths;
    }
    if (g.input) compiled.input = g.input;
    guards.push(compiled);
  }
  return { version: 1, projectRoot, guards };
}

/**
 * The guards compileGuards keeps, as written (path globs, not their regexes): what the PreToolUse
 * `if` patterns of Claude Code's settings are made from.
 */
export function guardSources(rules: Rule[], compiled: GuardsFile): GuardSource[] {
  const byId = new Map(rules.map((r) => [r.id, r]));
  return compiled.guards.map((g) => {
    const raw = byId.get(g.rule)?.guard;
    const source: GuardSource = { tool: g.tool };
    if (g.program) source.program = g.program;
    if (g.command) source.command = g.command;
    if (g.paths && raw?.paths) source.paths = raw.paths;
    if (g.input) source.input = g.input;
    return source;
  });
}

/** The file's text: indented JSON with a final newline, so its diffs stay readable. */
export function guardsJson(file: GuardsFile): string {
  return `${JSON.stringify(file, null, 2)}\n`;
}
