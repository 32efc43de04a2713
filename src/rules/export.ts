import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { stringify } from 'yaml';
import type { Transaction } from '../store/store.js';
import { atomicWriteFileSync } from '../util/atomic-write.js';
import type { Workspace } from '../workspace/workspace.js';
import { compileGuards, GUARDS_FILE, guardsJson } from './guards.js';
import type { Rule } from './rule.js';

/** First line of every file nevo writes for Claude Code: the only files it will ever change or remove there. */
export const EXPORT_MARKER = '<!-- nevo-tui: generated';
export const SESSION_CONTEXT_FILE = 'session-context.md';

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
}

/**
 * Writes every active rule to `.claude/rules/nevo/<id>.md` in the project and removes exports of
 * rules no longer active; files there that nevo did not write are never touched. Compiles the
 * active guards for the hook (`guards.json`, committed with the change through `tx`).
 */
export function exportRules(ws: Pick<Workspace, 'root' | 'projectRoot' | 'config'>, rules: Rule[], tx?: Transaction): ExportResult {
  const dir = join(ws.projectRoot, ws.config.rules.exportDir);
  const active = rules.filter((r) => r.status === 'active').sort((a, b) => a.id.localeCompare(b.id));
  const result: ExportResult = { dir, written: [], removed: [], tokens: 0, budget: ws.config.rules.tokenBudget, over: false, guards: 0 };
  mkdirSync(dir, { recursive: true });
  const wanted = new Set<string>();
  const context: string[] = [];
  for (const rule of active) {
    const name = `${rule.id}.md`;
    wanted.add(name);
    const text = renderExport(rule, exportSource(ws, rule));
    result.tokens += estimateTokens(text);
    context.push(`${rule.id}: ${rule.body}`);
    const file = join(dir, name);
    const current = existsSync(file) ? readFileSync(file, 'utf8') : null;
    if (current !== null && !current.includes(EXPORT_MARKER)) continue; // someone else's file of that name
    if (current !== text) {
      atomicWriteFileSync(file, text, false);
      result.written.push(file);
    }
  }
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.md') || wanted.has(name)) continue;
    const file = join(dir, name);
    if (readFileSync(file, 'utf8').includes(EXPORT_MARKER)) {
      rmSync(file);
      result.removed.push(file);
    }
  }
  result.over = result.tokens > result.budget;
  const guards = compileGuards(rules, ws.projectRoot);
  result.guards = guards.guards.length;
  const contextText = ws.config.rules.sessionStartContext && context.length ? `Rules this project learned from past mistakes (nevo-tui):\n${context.join('\n')}\n` : null;
  if (tx) {
    tx.writeFile(GUARDS_FILE, guardsJson(guards));
    tx.writeFile(SESSION_CONTEXT_FILE, contextText);
  } else {
    atomicWriteFileSync(join(ws.root, GUARDS_FILE), guardsJson(guards), false);
    if (contextText) atomicWriteFileSync(join(ws.root, SESSION_CONTEXT_FILE), contextText, false);
    else rmSync(join(ws.root, SESSION_CONTEXT_FILE), { force: true });
  }
  return result;
}
