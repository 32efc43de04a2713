import { startOfDay } from '../util/day.js';
import type { Workspace } from '../workspace/workspace.js';
import { openMemoryIndex } from './index-file.js';
import type { MemoryKind } from './item.js';
import { searchMemory, type SearchHit } from './search/rank.js';
import type { MemoryIndex } from './search/index.js';

export interface MemorySearchOptions {
  category?: string;
  since?: string;
  kinds?: MemoryKind[];
  /** Hidden (never-recall) items too. */
  all?: boolean;
  limit?: number;
}

/** Ranked hits from an open index; an item whose expiry passed since the index was saved is dropped. */
export function searchIndex(index: MemoryIndex, query: string, now: Date, halfLifeDays: number, opts: MemorySearchOptions = {}, timeZone = ''): SearchHit[] {
  const limit = opts.limit ?? 20;
  const hits = searchMemory(index, query, {
    now,
    halfLifeDays,
    limit: limit + 20,
    ...(opts.category ? { category: opts.category } : {}),
    // A bare day is a day of the workspace's zone, as everywhere else in memory.
    ...(opts.since ? { since: /^\d{4}-\d{2}-\d{2}$/.test(opts.since) ? startOfDay(opts.since, timeZone) : opts.since } : {}),
    ...(opts.kinds ? { kinds: opts.kinds } : {}),
    includeHidden: opts.all ?? false,
  });
  const at = now.toISOString();
  return hits.filter((h) => !h.item.expires || h.item.expires > at).slice(0, limit);
}

export async function searchWorkspaceMemory(ws: Workspace, query: string, opts: MemorySearchOptions = {}): Promise<{ hits: SearchHit[]; rebuilt: boolean }> {
  const { index, rebuilt } = await openMemoryIndex(ws);
  return { hits: searchIndex(index, query, ws.clock(), ws.config.memory.halfLifeDays, opts, ws.config.timeZone), rebuilt };
}
