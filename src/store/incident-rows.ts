import { promises as fs, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { atomicWriteFile } from '../util/atomic-write.js';
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
  /** The signature's first lines (what a list row and a filter read). */
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

const SIGNATURE_CHARS = 300;

/** Pure: an incident's row. */
export function incidentRow(i: Incident): IncidentRow {
  return {
    id: i.id,
    fingerprint: i.fingerprint,
    status: i.status,
    signal: i.signal,
    category: i.category,
    tool: i.tool,
    signature: i.signature.split('\n').slice(0, 3).join('\n').slice(0, SIGNATURE_CHARS),
    count: i.count,
    sessions: i.sessions.length,
    firstSeen: i.firstSeen,
    lastSeen: i.lastSeen,
    recurring: i.recurring,
    rules: i.rules,
    daily: i.daily,
  };
}

const isRow = (r: unknown): r is IncidentRow => typeof r === 'object' && r !== null && typeof (r as IncidentRow).id === 'string' && typeof (r as IncidentRow).lastSeen === 'string' && typeof (r as IncidentRow).daily === 'object';

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
      const saved = JSON.parse(readFileSync(this.file(rel), 'utf8')) as { stamp?: unknown; rows?: unknown };
      return saved.stamp === stamp && Array.isArray(saved.rows) && saved.rows.every(isRow) ? saved.rows : undefined;
    } catch {
      return undefined;
    }
  }

  async write(rel: string, stamp: string, rows: readonly IncidentRow[]): Promise<void> {
    try {
      const file = this.file(rel);
      await fs.mkdir(dirname(file), { recursive: true });
      await atomicWriteFile(file, JSON.stringify({ stamp, rows }), false);
    } catch {
      // a cache: the next reader reads the shard
    }
  }
}
