// Matches a tool call against the compiled guards of active rules (see rules/guards.ts). It runs
// inside `nevo-tui hook` before every tool call, so it matches with RE2 (linear time: no pattern
// can stall the hook), compiles each pattern once per process, and never throws: a broken file or
// pattern blocks nothing.
import { readFileSync } from 'node:fs';
import { isAbsolute, join, normalize } from 'node:path';
import { re2, re2Test, requiredLiterals } from '../util/re2.js';
import { runsProgram } from './shell.js';

/** Written at the workspace root, next to config.json. */
export const GUARDS_FILE = 'guards.json';

/** One active rule's guard, with every pattern as a regular expression source. */
export interface CompiledGuard {
  rule: string;
  title: string;
  /** The rule body, shown to the agent when a call is blocked. */
  text: string;
  tool: string;
  /** A program a Bash command must run (see detect/shell.ts). */
  program?: string;
  /** Over a Bash command. */
  command?: string;
  /** Over the file a tool works on, one per glob of the rule. */
  paths?: string[];
  /** Over the tool input as JSON. */
  input?: string;
}

export interface GuardsFile {
  version: 1;
  /** The agent's project folder: paths under it are matched relative to it too. */
  projectRoot: string;
  guards: CompiledGuard[];
}

/** How the hook's message to the agent starts when a guard blocks a call (see hook.ts, `blockMessage`). */
export const BLOCK_HEAD = 'nevo-tui blocked this call: ';

/**
 * Claude Code's record of a call a PreToolUse hook refused with exit 2 is
 * `PreToolUse:<tool> hook error: [<hook command>]: <hook stderr>`; when the stderr is nevo's block
 * message, the rule that blocked it, else null.
 */
export function blockingRule(error: string): string | null {
  if (!/^PreToolUse:[^\n]* hook error: /.test(error)) return null;
  const at = error.indexOf(BLOCK_HEAD);
  if (at < 0) return null;
  return /^((?:PROJ|AGENT)-\d{3,})\b/.exec(error.slice(at + BLOCK_HEAD.length))?.[1] ?? null;
}

const isStr = (v: unknown): v is string => typeof v === 'string';

function validGuard(g: unknown): g is CompiledGuard {
  if (!g || typeof g !== 'object') return false;
  const x = g as Record<string, unknown>;
  if (!isStr(x.rule) || !isStr(x.tool) || !x.rule || !x.tool) return false;
  if (x.command !== undefined && !isStr(x.command)) return false;
  if (x.program !== undefined && (!isStr(x.program) || !x.program)) return false;
  if (x.input !== undefined && !isStr(x.input)) return false;
  if (x.paths !== undefined && !(Array.isArray(x.paths) && x.paths.length > 0 && x.paths.every(isStr))) return false;
  // A guard with no pattern would block every call of its tool: never what a rule meant.
  return x.program !== undefined || x.command !== undefined || x.paths !== undefined || x.input !== undefined;
}

/** The workspace's guards.json; null when it is missing, unreadable or not of this version. */
export function loadGuards(workspaceRoot: string): GuardsFile | null {
  try {
    const parsed = JSON.parse(readFileSync(join(workspaceRoot, GUARDS_FILE), 'utf8')) as unknown;
    if (!parsed || typeof parsed !== 'object') return null;
    const f = parsed as Record<string, unknown>;
    if (f.version !== 1 || !Array.isArray(f.guards)) return null;
    const guards = f.guards.filter(validGuard).map((g) => ({ ...g, title: isStr(g.title) ? g.title : '', text: isStr(g.text) ? g.text : '' }));
    return { version: 1, projectRoot: isStr(f.projectRoot) ? f.projectRoot : '', guards };
  } catch {
    return null;
  }
}

/**
 * Guards files written before guards were RE2 hold picomatch's path sources, with lookaheads RE2
 * does not have: those (made by nevo from globs, not typed by a person) still match natively.
 */
const legacyPaths = new Map<string, RegExp | null>();
function legacyPath(source: string): RegExp | null {
  let re = legacyPaths.get(source);
  if (re === undefined) {
    try {
      re = /\(\?[=!]/.test(source) ? new RegExp(source) : null;
    } catch {
      re = null;
    }
    legacyPaths.set(source, re);
  }
  return re;
}

const literalsCache = new Map<string, string[] | null>();

/**
 * Whether the text can match at all: holds one of the literals every match contains. Checked
 * before the pattern is compiled, so a call no guard is about costs no regex compilation.
 */
function mayMatch(source: string, text: string): boolean {
  let literals = literalsCache.get(source);
  if (literals === undefined) {
    literals = requiredLiterals(source);
    literalsCache.set(source, literals);
  }
  return literals === null || literals.some((l) => text.includes(l));
}

function pathMatches(source: string, text: string): boolean {
  if (re2(source)) return re2Test(source, text);
  return legacyPath(source)?.test(text) ?? false;
}

/** The file a call works on, as given and (when under the project) relative to the project root. */
function pathForms(toolInput: Record<string, unknown>, projectRoot: string): string[] {
  const forms: string[] = [];
  const root = projectRoot ? normalize(projectRoot).replace(/\/+$/, '') : '';
  for (const key of ['file_path', 'notebook_path', 'path']) {
    const raw = toolInput[key];
    if (!isStr(raw) || !raw) continue;
    forms.push(raw);
    const p = normalize(raw);
    if (p !== raw) forms.push(p);
    if (root && isAbsolute(p) && p.startsWith(`${root}/`)) forms.push(p.slice(root.length + 1));
  }
  return forms;
}

function matches(g: CompiledGuard, toolInput: unknown, record: Record<string, unknown>, projectRoot: string): boolean {
  if (g.program !== undefined) {
    if (!isStr(record.command) || record.command.length > SUBJECT_LIMIT || !runsProgram(record.command, g.program)) return false;
  }
  if (g.command !== undefined) {
    if (!isStr(record.command) || !mayMatch(g.command, record.command) || !re2Test(g.command, subject(record.command))) return false;
  }
  if (g.paths !== undefined) {
    const forms = pathForms(record, projectRoot);
    if (!forms.some((f) => g.paths!.some((source) => pathMatches(source, subject(f))))) return false;
  }
  if (g.input !== undefined) {
    let json: string | undefined;
    try {
      json = JSON.stringify(toolInput);
    } catch {
      json = undefined;
    }
    if (!mayMatch(g.input, json ?? '') || !re2Test(g.input, subject(json ?? ''))) return false;
  }
  return true;
}

/**
 * The first guard that blocks this call: same tool, and every pattern it has (command, paths,
 * input) matches. Null when none does, or when anything goes wrong.
 */
/**
 * A command or path longer than this is not matched at all (the call is allowed): cutting it would
 * change what `$` means and block calls wrongly. RE2 takes time linear in the text, so this only
 * bounds that line.
 */
const SUBJECT_LIMIT = 10_000;
const subject = (text: string): string => (text.length > SUBJECT_LIMIT ? '\u0000' : text);

export function matchGuard(guards: GuardsFile, toolName: string, toolInput: unknown): CompiledGuard | null {
  try {
    const record = toolInput && typeof toolInput === 'object' ? (toolInput as Record<string, unknown>) : {};
    for (const g of guards.guards) {
      if (g.tool !== toolName) continue;
      if (matches(g, toolInput, record, guards.projectRoot)) return g;
    }
  } catch {
    // a guard that cannot be evaluated blocks nothing
  }
  return null;
}
