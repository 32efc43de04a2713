import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeCacheFile } from '../util/atomic-write.js';
import { isIncidentRow, type IncidentRow } from './incident-rows.js';
import type { Incident } from './schemas.js';

/**
 * What the TUI's first frame needs of a month's incidents, without the month's every row: how many
 * there are by status, and the rows any first screen can show. A heavy year holds 14,580 rows (5 MB
 * to parse); the heads of its months hold a tenth of them.
 *
 * The rows kept are exact for what they serve:
 * - the first `HEAD_ROWS` by count and by last seen (the Incidents list's first pages in either
 *   order: the first rows of all months together are among the first rows of each month);
 * - every row seen in the `RECENT_DAYS` before the head was made (the week's repeated errors count
 *   only those, and a row can only be seen later by changing its month, which makes a new head);
 * - every gate escalation (Review's and the header's count of open ones).
 */
export interface IncidentHead {
  total: number;
  byStatus: Partial<Record<Incident['status'], number>>;
  rows: IncidentRow[];
}

/** More than any terminal shows of a list at once. */
export const HEAD_ROWS = 100;
/** The week the statistics count, and a day for any time zone. */
const RECENT_DAYS = 8;

const byCount = (a: IncidentRow, b: IncidentRow) => b.count - a.count || b.lastSeen.localeCompare(a.lastSeen);
const byLast = (a: IncidentRow, b: IncidentRow) => b.lastSeen.localeCompare(a.lastSeen);

/** Pure: the head of a month's rows as of `now`, its rows in their order. */
export function incidentHead(rows: readonly IncidentRow[], now: Date): IncidentHead {
  const since = new Date(now.getTime() - RECENT_DAYS * 86_400_000).toISOString();
  const keep = new Set(rows.filter((r) => r.lastSeen >= since || r.signal === 'breaker'));
  for (const order of [byCount, byLast]) for (const r of [...rows].sort(order).slice(0, HEAD_ROWS)) keep.add(r);
  return { ...countRows(rows), rows: rows.filter((r) => keep.has(r)) };
}

/** Pure: the heads of several months as one. */
export function joinHeads(heads: readonly IncidentHead[]): IncidentHead {
  const out: IncidentHead = { total: 0, byStatus: {}, rows: [] };
  for (const h of heads) {
    out.total += h.total;
    for (const [s, n] of Object.entries(h.byStatus) as [Incident['status'], number][]) out.byStatus[s] = (out.byStatus[s] ?? 0) + n;
    for (const r of h.rows) out.rows.push(r);
  }
  return out;
}

/** Pure: how many of all rows there are by status, as a head counts them. */
export function countRows(rows: readonly IncidentRow[]): Pick<IncidentHead, 'total' | 'byStatus'> {
  const byStatus: IncidentHead['byStatus'] = {};
  for (const r of rows) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
  return { total: rows.length, byStatus };
}

const HEADS_VERSION = 1;

/**
 * The head of each incident shard, kept in `dir` (a derived index under `.cache/`, never
 * versioned) by the shard's stamp and the time it was made: a head made later than now (another
 * clock) may lack rows seen since now's week began, so it is made again, as a missing, unreadable
 * or stale one is.
 */
export class IncidentHeadFiles {
  constructor(private readonly dir: string) {}

  private file(rel: string): string {
    return join(this.dir, `${rel.replace(/[\\/]/g, '__')}`);
  }

  read(rel: string, stamp: string, now: Date): IncidentHead | undefined {
    try {
      const saved = JSON.parse(readFileSync(this.file(rel), 'utf8')) as Partial<IncidentHead> & { version?: unknown; stamp?: unknown; made?: unknown };
      if (saved.version !== HEADS_VERSION || saved.stamp !== stamp || typeof saved.made !== 'string' || saved.made > now.toISOString()) return undefined;
      if (typeof saved.total !== 'number' || typeof saved.byStatus !== 'object' || saved.byStatus === null || !Array.isArray(saved.rows) || !saved.rows.every(isIncidentRow)) return undefined;
      return { total: saved.total, byStatus: saved.byStatus, rows: saved.rows };
    } catch {
      return undefined;
    }
  }

  write(rel: string, stamp: string, made: Date, head: IncidentHead): Promise<void> {
    return writeCacheFile(this.file(rel), JSON.stringify({ version: HEADS_VERSION, stamp, made: made.toISOString(), ...head }));
  }
}
