import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeCacheFile } from '../util/atomic-write.js';

/** What a saved list holds: lists saved under another version are made again from their shard. */
const VALUES_VERSION = 1;

/**
 * The values one field takes in each shard of a document (the sessions' ids, the incidents'
 * fingerprints), kept in `dir` (a derived index under `.cache/`, never versioned) by the shard's
 * stamp: a change that needs the record of one session or one fingerprint finds its month without
 * parsing the year. Only a cache: missing, unreadable or of another stamp, the shard is read again
 * and its values saved anew.
 */
export class ShardValueFiles {
  constructor(private readonly dir: string) {}

  private file(rel: string, field: string): string {
    return join(this.dir, `${rel.replace(/[\\/]/g, '__')}.${field}`);
  }

  /** The values saved for `field` of the shard `rel` as `stamp` shows it, or undefined. */
  read(rel: string, field: string, stamp: string): string[] | undefined {
    try {
      const saved = JSON.parse(readFileSync(this.file(rel, field), 'utf8')) as { version?: unknown; stamp?: unknown; values?: unknown };
      return saved.version === VALUES_VERSION && saved.stamp === stamp && Array.isArray(saved.values) && saved.values.every((v) => typeof v === 'string') ? saved.values : undefined;
    } catch {
      return undefined;
    }
  }

  write(rel: string, field: string, stamp: string, values: readonly string[]): Promise<void> {
    return writeCacheFile(this.file(rel, field), JSON.stringify({ version: VALUES_VERSION, stamp, values }));
  }
}
