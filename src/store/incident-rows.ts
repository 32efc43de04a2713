import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeCacheFile } from '../util/atomic-write.js';
import type { Incident } from './schemas.js';

/**
 * What the lists show of an incident (the Incidents screen, the counts, the week's repeated
 * errors): its record without the sample, the analysis and the list of sessions. A year of
 * incidents is listed from these rows; a record is read whole only when it is opened.
 */
export interface IncidentRow {
  id: string;
  fingerprint: string;
  status: Incident['status'];
  signal: Incident['signal'];
  category: string;
  tool: string;
  /** The whole signature (a few short lines): what a list row shows and a filter searches. */
  signature: string;
  count: number;
  /** How many sessions it was seen in (as many as the record lists). */
  sessions: number;
  firstSeen: string;
  lastSeen: string;
  recurring: boolean;
  rules: string[];
  daily: Record<string, number>;
}

/** What a row holds: rows saved under another version are rebuilt from their shard. */
const ROWS_VERSION = 1;

/** Pure: an incident's row. */
export function incidentRow(i: Incident): IncidentRow {
  return {
    id: i.id,
    fingerprint: i.fingerprint,
    status: i.status,
    signal: i.signal,
    category: i.category,
    tool: i.tool,
    signature: i.signature,
    count: i.count,
    sessions: i.sessions.length,
    firstSeen: i.firstSeen,
    lastSeen: i.lastSeen,
    recurring: i.recurring,
    rules: i.rules,
    daily: i.daily,
  };
}

export const isIncidentRow = (r: unknown): r is IncidentRow => {
  const row = r as IncidentRow;
  return typeof r === 'object' && r !== null && ['id', 'fingerprint', 'status', 'category', 'tool', 'signature', 'firstSeen', 'lastSeen'].every((k) => typeof (row as unknown as Record<string, unknown>)[k] === 'string') && typeof row.count === 'number' && typeof row.sessions === 'number' && Array.isArray(row.rules) && typeof row.daily === 'object' && row.daily !== null;
};

/**
 * The rows of each incident shard, kept in `dir` (a derived index under `.cache/`, never
 * versioned) by the shard's stamp: a process that lists incidents reads the rows of the months
 * nothing changed instead of parsing their records. Only a cache: missing, unreadable or of
 * another stamp, the shard is read again and its rows saved anew.
 */
export class IncidentRowFiles {
  constructor(private readonly dir: string) {}

  private file(rel: string): string {
    return join(this.dir, `${rel.replace(/[\\/]/g, '__')}`);
  }

  /** The rows saved for the shard `rel` as `stamp` shows it, or undefined. */
  read(rel: string, stamp: string): IncidentRow[] | undefined {
    try {
      const saved = JSON.parse(readFileSync(this.file(rel), 'utf8')) as { version?: unknown; stamp?: unknown; rows?: unknown };
      return saved.version === ROWS_VERSION && saved.stamp === stamp && Array.isArray(saved.rows) && saved.rows.every(isIncidentRow) ? saved.rows : undefined;
    } catch {
      return undefined;
    }
  }

  write(rel: string, stamp: string, rows: readonly IncidentRow[]): Promise<void> {
    return writeCacheFile(this.file(rel), JSON.stringify({ version: ROWS_VERSION, stamp, rows }));
  }
}
