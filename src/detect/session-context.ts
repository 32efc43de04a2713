// The SessionStart context (config `rules.sessionStartContext`): the active rules that no file
// under the project's .claude/rules/ hands the agent. The export writes the candidates (every active
// rule without `paths`, with the file it was exported to) whatever the setting; the hook decides
// when a session starts, so turning the setting on or off takes effect at the next session with no
// export in between. Claude Code loads .claude/rules/ before SessionStart hooks run, so a rule whose
// exported file is there is never repeated, and a path-scoped rule, which attaches when a matching
// file is read, is never handed over up front. Light: the hook imports it.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';

/** Written at the workspace root, next to guards.json. */
export const SESSION_CONTEXT_FILE = 'session-context.json';
/** The file of the same purpose before version 1 (the rules as text, written only with the setting on). */
export const LEGACY_SESSION_CONTEXT_FILE = 'session-context.md';
export const SESSION_CONTEXT_HEADING = 'Rules this project learned from past mistakes (nevo-tui):';
/** Claude Code caps hook output at 10,000 characters; so do we. */
const MAX_CHARS = 10000;

export interface ContextRule {
  id: string;
  /** The line handed to the agent. */
  text: string;
  /** Where the export wrote the rule, relative to the project; null when it could not (a file of that name is someone else's). */
  file: string | null;
}

export interface SessionContextFile {
  version: 1;
  /** Where the export wrote the rules, relative to the project (so a later export can tidy it after a change). */
  exportDir: string;
  rules: ContextRule[];
}

const isStr = (v: unknown): v is string => typeof v === 'string';

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch {
    return null;
  }
}

/** Whether Claude Code loads this exported file at start: it exists under the project's .claude/rules/. */
export function loadedAtStart(project: string, rel: string | null): boolean {
  if (!rel) return false;
  const file = resolve(project, rel);
  return file.startsWith(join(project, '.claude', 'rules') + sep) && existsSync(file);
}

/**
 * Whether a SessionStart could print context for these candidates: the setting is on, or a rule
 * has no file under .claude/rules/ (turning the setting on by hand then takes effect at the next
 * session, so SessionStart has to run in the foreground already).
 */
export function sessionContextPossible(project: string, setting: boolean, rules: Pick<ContextRule, 'file'>[]): boolean {
  return setting || rules.some((r) => !loadedAtStart(project, r.file));
}

/**
 * The context to print at SessionStart, or null: off in config.json, nothing to hand over, or a
 * file missing or broken. Never throws.
 */
export function sessionContext(workspace: string): string | null {
  try {
    const config = readJson(join(workspace, 'config.json')) as { projectRoot?: unknown; rules?: { sessionStartContext?: unknown } } | null;
    if (config?.rules?.sessionStartContext !== true) return null;
    const data = readJson(join(workspace, SESSION_CONTEXT_FILE)) as { version?: unknown; rules?: unknown } | null;
    if (!data || data.version !== 1 || !Array.isArray(data.rules)) return null;
    const project = resolve(workspace, isStr(config.projectRoot) && config.projectRoot ? config.projectRoot : '..');
    const lines: string[] = [];
    for (const r of data.rules as Partial<ContextRule>[]) {
      if (!r || !isStr(r.text) || !r.text) continue;
      if (loadedAtStart(project, isStr(r.file) ? r.file : null)) continue;
      lines.push(r.text);
    }
    return lines.length ? `${SESSION_CONTEXT_HEADING}\n${lines.join('\n')}\n`.slice(0, MAX_CHARS) : null;
  } catch {
    return null;
  }
}
