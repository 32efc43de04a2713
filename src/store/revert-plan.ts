import { isDeepStrictEqual } from 'node:util';
import { docOfPath } from './documents.js';
import { documentText } from './document-text.js';

export interface FileVersions {
  path: string;
  /** Content in the reverted commit's parent, in the commit itself, and now (null: absent). */
  before: string | null;
  after: string | null;
  current: string | null;
}

export interface RevertPlan {
  writes: { path: string; content: string | null }[];
  conflicts: string[];
}

type Collection = { records: { id: string }[] } & Record<string, unknown>;

function parseCollection(text: string | null): Collection | null {
  if (text === null) return null;
  try {
    const value = JSON.parse(text) as unknown;
    if (value && typeof value === 'object' && Array.isArray((value as Collection).records)) return value as Collection;
  } catch {
    // not a record collection: handled as a whole file
  }
  return null;
}

/**
 * Undoes one commit's record changes in a store document while keeping every change made since:
 * records the commit added are removed, records it removed come back, records it modified go back
 * to their old version unless they changed again later (a conflict).
 */
function revertRecords(path: string, before: Collection, after: Collection, current: Collection, conflicts: string[]): Collection {
  const byId = (c: Collection) => new Map(c.records.map((r) => [r.id, r]));
  const b = byId(before);
  const a = byId(after);
  const records = [...current.records];
  const index = new Map(records.map((r, i) => [r.id, i]));
  const removed = new Set<string>();
  for (const [id, rec] of a) {
    const old = b.get(id);
    const i = index.get(id);
    if (!old) {
      if (i !== undefined) removed.add(id);
    } else if (!isDeepStrictEqual(old, rec) && i !== undefined) {
      const now = records[i];
      if (isDeepStrictEqual(now, rec)) records[i] = old;
      else if (!isDeepStrictEqual(now, old)) conflicts.push(`${path}: record ${id} changed again after this commit`);
    }
  }
  const kept = records.filter((r) => !removed.has(r.id));
  // Records coming back go where they were: before the record that followed them in the old
  // version (lists such as events are kept oldest first, and trimmed from the front).
  const back = before.records.filter((r) => !a.has(r.id) && !index.has(r.id));
  for (const rec of back.reverse()) {
    const at = before.records.findIndex((r) => r.id === rec.id);
    const follower = before.records.slice(at + 1).find((r) => kept.some((k) => k.id === r.id));
    const pos = follower ? kept.findIndex((k) => k.id === follower.id) : kept.length;
    kept.splice(pos, 0, rec);
  }
  return { ...current, records: kept };
}

/** Pure: decides what to write for a revert, from the three versions of each changed file. */
export function planRevert(files: FileVersions[]): RevertPlan {
  const writes: RevertPlan['writes'] = [];
  const conflicts: string[] = [];
  for (const f of files) {
    if (f.current === f.before) continue;
    // A shard that is not there holds no record: a shard the commit made, or emptied, is reverted
    // record by record like any other, keeping what was added to it since.
    const shard = docOfPath(f.path)?.shard !== undefined;
    const collection = (text: string | null) => (shard && text === null ? { version: 1, records: [] } : parseCollection(text));
    const [b, a, c] = [collection(f.before), collection(f.after), collection(f.current)];
    if (f.path.startsWith('store/') && b && a && c) {
      const merged = revertRecords(f.path, b, a, c, conflicts);
      writes.push({ path: f.path, content: shard && merged.records.length === 0 ? null : `${documentText(merged)}\n` });
    } else if (f.current === f.after) {
      writes.push({ path: f.path, content: f.before });
    } else {
      conflicts.push(`${f.path} changed again after this commit`);
    }
  }
  return { writes, conflicts };
}
