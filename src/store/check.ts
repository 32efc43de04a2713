import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { docFile } from './documents.js';
import type { DocName } from './schemas.js';
import { shardText, shardWrites, type Keyed, type ShardedCopy } from './shards.js';

/** What a change read and changed (a `Transaction`). */
export interface ChangeSeen {
  docs: ReadonlyMap<DocName, { data: unknown }>;
  sharded: ReadonlyMap<DocName, ShardedCopy>;
  touched: ReadonlyMap<DocName, number>;
}

/**
 * A record of a sharded document changed in place but not handed back to its repository would
 * be lost with its shard unwritten. Under NEVO_STORE_CHECK=1 (the test suite) a change whose
 * untouched shards differ from their files fails, naming the shard.
 */
export function checkHandedBack(root: string, tx: ChangeSeen, writing: ReadonlyMap<string, unknown>): void {
  for (const [name, db] of tx.docs) {
    if (tx.touched.has(name) || !existsSync(join(root, docFile(name)))) continue;
    const onDisk = JSON.parse(readFileSync(join(root, docFile(name)), 'utf8')) as unknown;
    if (!isDeepStrictEqual(onDisk, JSON.parse(JSON.stringify(db.data)))) throw new Error(`${docFile(name)}: a record was changed in place without being handed back to its repository (upsert or update); the change would be lost`);
  }
  for (const [name, copy] of tx.sharded) {
    if (copy.legacy && tx.touched.has(name)) continue;
    const groups = new Map<string, Keyed[]>();
    for (const [rel, records] of shardWrites(name, { ...copy, dirty: 'all', legacy: false })) if (!writing.has(rel)) groups.set(rel, records ?? []);
    for (const [rel, records] of groups) {
      // A month the change asked for that has no file yet (the current one) is fine while it stays empty.
      if (!copy.legacy && !existsSync(join(root, rel))) {
        if (!records.length) continue;
        throw new Error(`${rel}: record ${records[0]!.id} was added without being handed back to its repository (upsert); the change would be lost`);
      }
      const onDisk = copy.legacy ? null : readFileSync(join(root, rel), 'utf8');
      if (onDisk === null || onDisk === shardText(records)) continue;
      // Key order aside (a record parsed by its schema takes the schema's order).
      const was = new Map((JSON.parse(onDisk) as { records: Keyed[] }).records.map((r) => [r.id, r]));
      const which = (JSON.parse(shardText(records)) as { records: Keyed[] }).records.find((r) => !isDeepStrictEqual(was.get(r.id), r))?.id;
      if (which === undefined && was.size === records.length) continue;
      throw new Error(`${rel}: record ${which ?? '(one removed)'} was changed in place without being handed back to its repository (upsert or update); the change would be lost`);
    }
  }
}
