import { UserError } from '../errors.js';
import type { Transaction } from '../store/store.js';
import type { Workspace } from '../workspace/workspace.js';
import { refreshMemoryIndex } from './index-file.js';
import type { MemoryItem } from './item.js';
import { memoryItems, splitItemId } from './items.js';
import { sessionJournalFiles } from './journal-store.js';

/** What a person can do to one memory item: keep it on top, keep it from the agent, or drop it. */
export interface ForgetFilter {
  query?: string;
  category?: string;
  /** YYYY-MM-DD or an instant; items whose time falls in [from, to]. */
  from?: string;
  to?: string;
  session?: string;
  ids?: string[];
}

const endOfDay = (d: string) => (/^\d{4}-\d{2}-\d{2}$/.test(d) ? `${d}T23:59:59.999Z` : d);

/**
 * Pure: the items a forget takes. A query matches an item that holds every one of its words: a
 * deletion should be predictable, so it does not use the fuzzy ranking search does.
 */
export function selectForget(items: MemoryItem[], filter: ForgetFilter): MemoryItem[] {
  const words = (filter.query ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length && !filter.category && !filter.from && !filter.to && !filter.session && !filter.ids?.length) {
    throw new UserError('memory forget needs a query, --category, --from/--to, --session or an id: it never forgets everything at once.');
  }
  return items.filter((item) => {
    if (filter.ids?.length && !filter.ids.includes(item.id)) return false;
    if (filter.category && item.category !== filter.category) return false;
    if (filter.session && item.session !== filter.session) return false;
    if (filter.from && item.time < filter.from) return false;
    if (filter.to && item.time > endOfDay(filter.to)) return false;
    const text = `${item.title}\n${item.text}`.toLowerCase();
    return words.every((w) => text.includes(w));
  });
}

async function allItems(ws: Workspace): Promise<MemoryItem[]> {
  const [facts, narratives, digests] = [await ws.store.read('facts'), await ws.store.read('narratives'), await ws.store.read('digests')];
  // Expired facts can be forgotten too: they are still in the live store until consolidation.
  return memoryItems(facts.records, narratives.records, digests.records, new Date(0));
}

export interface ForgetResult {
  items: { id: string; kind: string; title: string }[];
  files: string[];
  commit: string | null;
  dryRun: boolean;
}

async function removeItems(ws: Workspace, tx: Transaction, ids: Set<string>): Promise<string[]> {
  const files: string[] = [];
  const byKind = { fact: new Set<string>(), narrative: new Set<string>(), digest: new Set<string>() };
  for (const id of ids) {
    const split = splitItemId(id);
    if (split) byKind[split.kind].add(split.record);
  }
  if (byKind.fact.size) {
    const doc = await tx.doc('facts');
    doc.records = doc.records.filter((f) => !byKind.fact.has(f.id));
    tx.touch('facts', byKind.fact.size);
  }
  if (byKind.narrative.size) {
    const doc = await tx.doc('narratives');
    for (const n of doc.records.filter((r) => byKind.narrative.has(r.id))) {
      // The raw journal goes too, or the next consolidation would write the narrative again.
      for (const f of [n.file, ...sessionJournalFiles(ws.root, n.id)]) {
        tx.writeFile(f, null);
        files.push(f);
      }
    }
    doc.records = doc.records.filter((n) => !byKind.narrative.has(n.id));
    tx.touch('narratives', byKind.narrative.size);
  }
  if (byKind.digest.size) {
    const doc = await tx.doc('digests');
    for (const d of doc.records.filter((r) => byKind.digest.has(r.id))) {
      tx.writeFile(d.file, null);
      files.push(d.file);
    }
    doc.records = doc.records.filter((d) => !byKind.digest.has(d.id));
    tx.touch('digests', byKind.digest.size);
  }
  return files;
}

/** `nevo-tui memory forget`: one commit, so `nevo-tui revert` brings everything back. */
export async function forgetMemory(ws: Workspace, filter: ForgetFilter, opts: { dryRun?: boolean } = {}): Promise<ForgetResult> {
  const chosen = selectForget(await allItems(ws), filter);
  const items = chosen.map((i) => ({ id: i.id, kind: i.kind, title: i.title }));
  if (opts.dryRun || !chosen.length) return { items, files: [], commit: null, dryRun: opts.dryRun ?? false };
  const before = await ws.history.head();
  const files = await ws.store.transact(
    async (tx) => {
      const removed = await removeItems(ws, tx, new Set(chosen.map((i) => i.id)));
      tx.forceCommit = true;
      const what = [filter.query && `"${filter.query}"`, filter.category && `category ${filter.category}`, filter.session && `session ${filter.session}`, (filter.from || filter.to) && `${filter.from ?? '…'} to ${filter.to ?? '…'}`]
        .filter(Boolean)
        .join(', ');
      tx.message('memory', `forget ${chosen.length} item(s)${what ? ` matching ${what}` : ''}`);
      return removed;
    },
    { purpose: 'memory forget' },
  );
  const head = await ws.history.head();
  await refreshMemoryIndex(ws);
  return { items, files, commit: head !== before ? head : null, dryRun: false };
}

export type Mark = 'pin' | 'unpin' | 'hide' | 'unhide';

/** Pin (keep on top, never expire or fold) or hide (never recall) one item; a commit each. */
export async function markMemory(ws: Workspace, id: string, mark: Mark): Promise<{ id: string; pinned: boolean; hidden: boolean }> {
  const split = splitItemId(id);
  if (!split) throw new UserError(`"${id}" is not a memory id: ids look like fact:0123456789abcdef, narrative:<session> or digest:weekly:2026-W47 (see \`nevo-tui memory search --json\`).`);
  const out = await ws.store.transact(
    async (tx) => {
      const name = split.kind === 'fact' ? 'facts' : split.kind === 'narrative' ? 'narratives' : 'digests';
      const doc = await tx.doc(name);
      const rec = (doc.records as { id: string; pinned: boolean; hidden: boolean }[]).find((r) => r.id === split.record);
      if (!rec) throw new UserError(`no memory item ${id}: it may have been forgotten or consolidated; \`nevo-tui memory search\` lists what there is.`);
      if (mark === 'pin') rec.pinned = true;
      if (mark === 'unpin') rec.pinned = false;
      if (mark === 'hide') rec.hidden = true;
      if (mark === 'unhide') rec.hidden = false;
      tx.touch(name);
      tx.forceCommit = true;
      tx.message('memory', `${mark} ${id}`);
      return { id, pinned: rec.pinned, hidden: rec.hidden };
    },
    { purpose: `memory ${mark}` },
  );
  await refreshMemoryIndex(ws);
  return out;
}
