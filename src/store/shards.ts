import { DOCUMENTS, docFile, shardFile } from './documents.js';
import { documentText } from './document-text.js';
import type { DocName } from './schemas.js';

export interface Keyed {
  id: string;
}

/** The shard key of each record of a sharded document. */
export function shardKey(name: DocName, record: Keyed): string {
  return DOCUMENTS[name].shard!(record as Keyed & Record<string, unknown>);
}

/** A sharded document as a transaction holds it. */
export interface ShardedCopy {
  data: { version: 1; records: Keyed[] };
  /** The shard files it was read from (workspace-relative), by key. */
  read: Map<string, string>;
  /** Read from the file of the old layout: the first write puts every record in its shard. */
  legacy: boolean;
  /** The keys of the shards a change touched; 'all' when it could not say which. */
  dirty: Set<string> | 'all';
  /**
   * The keys of the shards read, when only some were (a change that named the records it wanted);
   * null when every shard was. The rest are read before anything asks for the whole document.
   */
  partial?: Set<string> | null;
}

/** Marks the shards of these records changed (every shard when the records are not known). */
export function markDirty(copy: ShardedCopy, name: DocName, records?: readonly Keyed[]): void {
  if (!records || copy.dirty === 'all') {
    copy.dirty = 'all';
    return;
  }
  for (const r of records) copy.dirty.add(shardKey(name, r));
}

/**
 * Pure: the files a change of a sharded document writes, workspace-relative (null: removed). The
 * shards it touched are written whole from the working copy; a shard left with no record goes;
 * a document read from the old layout is written in shards and its old file goes.
 */
export function shardWrites(name: DocName, copy: ShardedCopy): Map<string, Keyed[] | null> {
  const groups = new Map<string, Keyed[]>();
  for (const r of copy.data.records) {
    const key = shardKey(name, r);
    const group = groups.get(key);
    if (group) group.push(r);
    else groups.set(key, [r]);
  }
  const keys = copy.dirty === 'all' || copy.legacy ? new Set([...groups.keys(), ...(copy.partial ?? copy.read.keys())]) : copy.dirty;
  const out = new Map<string, Keyed[] | null>();
  for (const key of [...keys].sort()) out.set(shardFile(name, key), groups.get(key) ?? null);
  if (copy.legacy) out.set(docFile(name), null);
  return out;
}

/** A shard's text, as every document is written. */
export function shardText(records: readonly Keyed[]): string {
  return documentText({ version: 1, records });
}

/**
 * Pure: the records of `copy` with those of more shards, each shard's records where its key puts
 * them (the document's order is its shards' order), the ones already held kept as they are.
 */
export function mergeShards(name: DocName, held: readonly Keyed[], more: ReadonlyMap<string, readonly Keyed[]>): Keyed[] {
  const groups = new Map<string, Keyed[]>();
  for (const r of held) {
    const key = shardKey(name, r);
    const group = groups.get(key);
    if (group) group.push(r);
    else groups.set(key, [r]);
  }
  for (const [key, records] of more) if (!groups.has(key)) groups.set(key, [...records]);
  return [...groups.keys()].sort().flatMap((key) => groups.get(key)!);
}
