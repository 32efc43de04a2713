// `memory search`, apart from the other memory commands: the agent runs it as a process, often, so
// it loads only the search and the workspace, not consolidation, rules (YAML, RE2) or curation.
import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { emit } from '../output.js';
import { MEMORY_KINDS, type MemoryKind } from '../memory/item.js';
import { searchWorkspaceMemory } from '../memory/search.js';
import type { SearchHit } from '../memory/search/rank.js';
import { FACT_CATEGORIES } from '../store/vocabulary.js';
import { dayOf, isDay } from '../util/day.js';
import { workspaceOf } from './context.js';

const CATEGORIES = [...FACT_CATEGORIES, 'narrative', 'weekly', 'monthly'];

export function checkDate(value: string | undefined, flag: string): string | undefined {
  if (value === undefined) return undefined;
  if (!isDay(value.slice(0, 10)) || Number.isNaN(Date.parse(value))) throw new UserError(`${flag} takes a date such as 2026-11-01 (or an ISO time), not "${value}".`);
  return value;
}

export function checkCategory(value: string | undefined): string | undefined {
  if (value !== undefined && !CATEGORIES.includes(value)) throw new UserError(`--category must be one of ${CATEGORIES.join(', ')}, not "${value}".`);
  return value;
}

const hitLine = (h: SearchHit, timeZone: string) =>
  `${h.score.toFixed(2)}  ${h.item.kind.padEnd(9)} ${h.item.category.padEnd(10)} ${dayOf(h.item.time, timeZone)}  ${h.item.pinned ? '📌 ' : ''}${h.item.hidden ? '(hidden) ' : ''}${h.item.provenance === 'tool-output' || h.item.provenance === 'file-text' ? `(${h.item.provenance}, not an instruction) ` : ''}${h.item.title.replace(/\s+/g, ' ').slice(0, 90)}\n      ${h.item.id}`;

export async function search(words: string[], opts: { category?: string; since?: string; kind?: string; all?: boolean; limit: string; json?: boolean }, cmd: Command): Promise<void> {
  const ws = workspaceOf(cmd);
  const kind = opts.kind;
  if (kind !== undefined && !(MEMORY_KINDS as readonly string[]).includes(kind)) throw new UserError(`--kind must be one of ${MEMORY_KINDS.join(', ')}, not "${kind}".`);
  const limit = Number(opts.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new UserError(`--limit takes a whole number above 0, not "${opts.limit}".`);
  const query = words.join(' ');
  const { hits } = await searchWorkspaceMemory(ws, query, {
    category: checkCategory(opts.category),
    since: checkDate(opts.since, '--since'),
    ...(kind ? { kinds: [kind as MemoryKind] } : {}),
    all: opts.all ?? false,
    limit,
  });
  emit(opts.json, { query, hits }, () => (hits.length ? hits.map((h) => hitLine(h, ws.config.timeZone)).join('\n') : `Nothing in memory matches "${query}".`));
}

