import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { dayOf } from '../util/day.js';
import type { Digest, Fact, Narrative } from '../store/schemas.js';
import type { Table } from '../store/repositories.js';
import type { Transaction } from '../store/store.js';
import type { Workspace } from '../workspace/workspace.js';
import { refreshMemoryIndex } from './index-file.js';
import type { MemoryItem } from './item.js';
import { memoryItems, parseItemId, splitItemId, type ItemId } from './items.js';
import { sessionFileName } from '../store/raw-journal.js';
import { journalFilesBySession, sessionJournalFiles } from '../store/raw-journal-files.js';
import { isInside } from '../util/inside.js';

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

const BARE_DAY = /^\d{4}-\d{2}-\d{2}$/;
/** A bare day is a day in the workspace's time zone (as journal folders are); anything else an instant. */
const onOrAfter = (time: string, from: string, tz: string) => (BARE_DAY.test(from) ? dayOf(time, tz) >= from : Date.parse(time) >= Date.parse(from));
const onOrBefore = (time: string, to: string, tz: string) => (BARE_DAY.test(to) ? dayOf(time, tz) <= to : Date.parse(time) <= Date.parse(to));

/**
 * Pure: the items a forget takes. A query matches an item that holds every one of its words: a
 * deletion should be predictable, so it does not use the fuzzy ranking search does.
 */
export function selectForget(items: MemoryItem[], filter: ForgetFilter, timeZone = ''): MemoryItem[] {
  const words = (filter.query ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length && !filter.category && !filter.from && !filter.to && !filter.session && !filter.ids?.length) {
    throw new UserError('memory forget needs a query, --category, --from/--to, --session or an id: it never forgets everything at once.');
  }
  return items.filter((item) => {
    if (filter.ids?.length && !filter.ids.includes(item.id)) return false;
    if (filter.category && item.category !== filter.category) return false;
    if (filter.session && item.session !== filter.session) return false;
    if (filter.from && !onOrAfter(item.time, filter.from, timeZone)) return false;
    if (filter.to && !onOrBefore(item.time, filter.to, timeZone)) return false;
    const text = `${item.title}\n${item.text}`.toLowerCase();
    return words.every((w) => text.includes(w));
  });
}

async function allItems(ws: Workspace): Promise<MemoryItem[]> {
  const [facts, narratives, digests] = [await ws.store.facts.list(), await ws.store.narratives.list(), await ws.store.digests.list()];
  // Expired facts can be forgotten too: they are still in the live store until consolidation.
  return memoryItems(facts, narratives, digests, new Date(0));
}

export interface ForgetResult {
  items: { id: string; kind: string; title: string }[];
  files: string[];
  commit: string | null;
  dryRun: boolean;
}

/** Removes the items and leaves a tombstone for each fact and session, so nothing brings them back. */
async function removeItems(ws: Workspace, tx: Transaction, ids: Set<string>, sessions: Set<string>): Promise<string[]> {
  const files = new Set<string>();
  const byKind = { fact: new Set<string>(), narrative: new Set<string>(), digest: new Set<string>() };
  for (const id of ids) {
    const split = splitItemId(id);
    if (split) byKind[split.kind].add(split.record);
  }
  const gone = new Set(sessions);
  for (const s of byKind.narrative) gone.add(s);
  if (byKind.digest.size) {
    for (const d of await tx.digests.remove(byKind.digest)) {
      files.add(d.file);
      for (const s of d.sessions) gone.add(s);
    }
  }
  for (const n of await tx.narratives.remove((r) => gone.has(r.id))) files.add(n.file);
  // The raw journal goes too, or the next consolidation would write the narrative again. One
  // listing for all the sessions: a digest can hold hundreds.
  if (gone.size) {
    const journals = journalFilesBySession(ws.root);
    for (const s of gone) for (const f of journals.get(sessionFileName(s)) ?? []) files.add(f);
  }
  if (byKind.fact.size) await tx.facts.remove(byKind.fact);
  await tx.forgotten.add([...[...byKind.fact].map((f) => `fact:${f}`), ...[...gone].map((s) => `session:${s}`)], ws.clock().toISOString());
  for (const f of files) tx.writeFile(f, null);
  return [...files];
}

/** `nevo-tui memory forget`: one commit, so `nevo-tui revert` brings everything back. */
export async function forgetMemory(ws: Workspace, filter: ForgetFilter, opts: { dryRun?: boolean } = {}): Promise<ForgetResult> {
  const chosen = selectForget(await allItems(ws), filter, ws.config.timeZone);
  const items = chosen.map((i) => ({ id: i.id, kind: i.kind, title: i.title }));
  // A session folded into a digest has no item of its own: its journal and facts still go.
  const session = filter.session && (await hasSession(ws, filter.session)) ? [filter.session] : [];
  if (opts.dryRun || (!chosen.length && !session.length)) return { items, files: session.flatMap((s) => sessionJournalFiles(ws.root, s)), commit: null, dryRun: opts.dryRun ?? false };
  const before = await ws.history.head();
  const files = await ws.store.transact(
    async (tx) => {
      const removed = await removeItems(ws, tx, new Set(chosen.map((i) => i.id)), new Set(session));
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

async function hasSession(ws: Workspace, session: string): Promise<boolean> {
  return sessionJournalFiles(ws.root, session).length > 0 || (await ws.store.sessions.get(session)) !== undefined;
}

/**
 * One item's record and, for a narrative or a digest, its Markdown: null when the file is gone or
 * the record (a hand-edited document) points outside the workspace.
 */
export async function readMemoryRecord(ws: Workspace, split: ItemId): Promise<{ record: Fact | Narrative | Digest; markdown: string | null } | null> {
  const record = await ws.store[split.doc].get(split.record);
  if (!record) return null;
  let markdown: string | null = null;
  if ('file' in record) {
    const file = join(ws.root, record.file);
    if (isInside(ws.root, file) && existsSync(file)) markdown = readFileSync(file, 'utf8');
  }
  return { record, markdown };
}

export type Mark = 'pin' | 'unpin' | 'hide' | 'unhide';

/** Pin (keep on top, never expire or fold) or hide (never recall) one item; a commit each. */
export async function markMemory(ws: Workspace, id: string, mark: Mark): Promise<{ id: string; pinned: boolean; hidden: boolean }> {
  const split = parseItemId(id);
  const out = await ws.store.transact(
    async (tx) => {
      // Facts, narratives and digests alike can be pinned and hidden.
      const items: Table<{ id: string; pinned: boolean; hidden: boolean }> = tx[split.doc];
      const rec = await items.update(split.record, (r) => {
        if (mark === 'pin') r.pinned = true;
        if (mark === 'unpin') r.pinned = false;
        if (mark === 'hide') r.hidden = true;
        if (mark === 'unhide') r.hidden = false;
      });
      if (!rec) throw new UserError(`no memory item ${id}: it may have been forgotten or consolidated; \`nevo-tui memory search\` lists what there is.`);
      tx.forceCommit = true;
      tx.message('memory', `${mark} ${id}`);
      return { id, pinned: rec.pinned, hidden: rec.hidden };
    },
    { purpose: `memory ${mark}` },
  );
  await refreshMemoryIndex(ws);
  return out;
}
