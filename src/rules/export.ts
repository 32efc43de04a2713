import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { stringify } from 'yaml';
import type { Transaction } from '../store/store.js';
import { atomicWriteFileSync } from '../util/atomic-write.js';
import type { Workspace } from '../workspace/workspace.js';
import { refreshHookSettings, type RefreshResult } from '../detect/hooks-refresh.js';
import { LEGACY_SESSION_CONTEXT_FILE, SESSION_CONTEXT_FILE, sessionContextPossible, type ContextRule, type SessionContextFile } from '../detect/session-context.js';
import { stableJson } from '../util/json.js';
import { compileGuards, GUARDS_FILE, guardSources, guardsJson } from './guards.js';
import type { Rule } from './rule.js';

/** First line of every file nevo writes for Claude Code: the only files it will ever change or remove there. */
export const EXPORT_MARKER = '<!-- nevo-tui: generated';
export { SESSION_CONTEXT_FILE };

/** A rule as Claude Code loads it: `paths` front matter when scoped, then the rule itself. */
export function renderExport(rule: Rule, sourceRel: string): string {
  const front = rule.paths?.length ? `---\n${stringify({ paths: rule.paths })}---\n` : '';
  return `${front}${EXPORT_MARKER} from ${sourceRel}; edit it there, not here -->\n# ${rule.id}: ${rule.title}\n\n${rule.body}\n`;
}

/** The rule file an export names as its source, relative to the project (so the agent can find it). */
export function exportSource(ws: Pick<Workspace, 'projectRoot' | 'root'>, rule: Pick<Rule, 'id'>): string {
  return `${relative(ws.projectRoot, ws.root) || '.'}/rules/${rule.id}.md`;
}

/** Rough token count of text as a model sees it: about four characters a token. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export interface ExportResult {
  dir: string;
  written: string[];
  removed: string[];
  tokens: number;
  budget: number;
  over: boolean;
  guards: number;
  /** The project's Claude Code settings whose nevo-tui hook entries were brought in step with the guards. */
  hooks: RefreshResult[];
}

/** The files nevo wrote in `dir` (first line marked) except `keep`, removed; a folder that never existed holds none. */
function removeExports(dir: string, keep: Set<string>): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    if (!name.endsWith('.md') || keep.has(name)) continue;
    const file = join(dir, name);
    try {
      if (!readFileSync(file, 'utf8').includes(EXPORT_MARKER)) continue;
    } catch {
      continue; // a folder named *.md, or gone meanwhile
    }
    rmSync(file);
    removed.push(file);
  }
  return removed;
}

/** The folder the last export wrote to, relative to the project, as session-context.json recorded it. */
function previousExportDir(ws: Pick<Workspace, 'root'>): string | null {
  try {
    const data = JSON.parse(readFileSync(join(ws.root, SESSION_CONTEXT_FILE), 'utf8')) as { exportDir?: unknown };
    return typeof data.exportDir === 'string' && data.exportDir ? data.exportDir : null;
  } catch {
    return null;
  }
}

/**
 * Writes every active rule to `.claude/rules/nevo/<id>.md` in the project and removes exports of
 * rules no longer active; files there that nevo did not write are never touched. Compiles the
 * active guards for the hook (`guards.json`, committed with the change through `tx`), and brings
 * the hook entries of the project's Claude Code settings in step with them.
 */
export function exportRules(ws: Pick<Workspace, 'root' | 'projectRoot' | 'config'>, rules: Rule[], tx?: Transaction): ExportResult {
  const dir = join(ws.projectRoot, ws.config.rules.exportDir);
  const active = rules.filter((r) => r.status === 'active').sort((a, b) => a.id.localeCompare(b.id));
  const result: ExportResult = { dir, written: [], removed: [], tokens: 0, budget: ws.config.rules.tokenBudget, over: false, guards: 0, hooks: [] };
  mkdirSync(dir, { recursive: true });
  // After `rules.exportDir` changed, the files nevo wrote to the old folder would still be loaded.
  const previous = previousExportDir(ws);
  if (previous && resolve(ws.projectRoot, previous) !== resolve(dir)) result.removed.push(...removeExports(resolve(ws.projectRoot, previous), new Set()));
  const wanted = new Set<string>();
  const context: ContextRule[] = [];
  for (const rule of active) {
    const name = `${rule.id}.md`;
    wanted.add(name);
    const text = renderExport(rule, exportSource(ws, rule));
    result.tokens += estimateTokens(text);
    const file = join(dir, name);
    const current = existsSync(file) ? readFileSync(file, 'utf8') : null;
    const theirs = current !== null && !current.includes(EXPORT_MARKER);
    // A path-scoped rule reaches the agent only with a matching file, never up front.
    if (!rule.paths?.length) context.push({ id: rule.id, text: `${rule.id}: ${rule.body}`, file: theirs ? null : relative(ws.projectRoot, file) });
    if (theirs) continue; // someone else's file of that name
    if (current !== text) {
      atomicWriteFileSync(file, text, false);
      result.written.push(file);
    }
  }
  result.removed.push(...removeExports(dir, wanted));
  result.over = result.tokens > result.budget;
  const guards = compileGuards(rules, ws.projectRoot);
  result.guards = guards.guards.length;
  // Written whatever rules.sessionStartContext says: the hook reads the setting when a session
  // starts and hands over only what no file under .claude/rules/ gives the agent.
  const contextJson = stableJson({ version: 1, exportDir: relative(ws.projectRoot, dir) || '.', rules: context } satisfies SessionContextFile);
  if (tx) {
    tx.writeFile(GUARDS_FILE, guardsJson(guards));
    tx.writeFile(SESSION_CONTEXT_FILE, contextJson);
    if (existsSync(join(ws.root, LEGACY_SESSION_CONTEXT_FILE))) tx.writeFile(LEGACY_SESSION_CONTEXT_FILE, null);
  } else {
    atomicWriteFileSync(join(ws.root, GUARDS_FILE), guardsJson(guards), false);
    atomicWriteFileSync(join(ws.root, SESSION_CONTEXT_FILE), contextJson, false);
    rmSync(join(ws.root, LEGACY_SESSION_CONTEXT_FILE), { force: true });
  }
  // The PreToolUse hook starts only for calls these guards could block: the settings follow them.
  result.hooks = refreshHookSettings(ws.projectRoot, {
    guards: guardSources(rules, guards),
    sessionContext: sessionContextPossible(ws.projectRoot, ws.config.rules.sessionStartContext, context),
    capture: ws.config.hooks.capture,
  });
  return result;
}
