import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IncomingEvent } from '../detect/normalise.js';
import type { EventRecord } from '../store/schemas.js';
import type { Transaction } from '../store/store.js';
import type { Workspace } from '../workspace/workspace.js';
import { groupByFile, journalLine, mergeJournal, parseJournal, sessionFileName, type JournalLine } from './journal.js';

/** Events that close a turn or a session: the session's narrative is (re)built after them. */
const ENDINGS = new Set(['Stop', 'SessionEnd']);

export interface JournalWrite {
  lines: number;
  files: string[];
  /** Sessions that ended (or finished a turn) in these events. */
  ended: string[];
}

function readText(ws: Workspace, tx: Transaction, rel: string): string {
  const pending = tx.pendingFile(rel);
  if (pending !== undefined) return pending ?? '';
  const abs = join(ws.root, rel);
  return existsSync(abs) ? readFileSync(abs, 'utf8') : '';
}

/**
 * Adds the stored events to the raw journal inside the ingest transaction, so an event is in the
 * journal exactly when it is in the store. Files are committed with the store's batches.
 */
export function writeJournal(ws: Workspace, tx: Transaction, stored: EventRecord[], incoming: IncomingEvent[]): JournalWrite {
  const byId = new Map(incoming.map((e) => [e.id, e]));
  const entries = stored.map((rec) => ({ line: journalLine(rec, byId.get(rec.id)), session: rec.session }));
  const out: JournalWrite = { lines: 0, files: [], ended: [] };
  for (const [rel, lines] of groupByFile(entries, ws.config.timeZone)) {
    const merged = mergeJournal(readText(ws, tx, rel), lines);
    if (!merged.added) continue;
    tx.writeFile(rel, merged.text, { batched: true, idempotent: true });
    out.lines += merged.added;
    out.files.push(rel);
  }
  out.ended = [...new Set(stored.filter((r) => r.session && ENDINGS.has(r.kind)).map((r) => r.session!))];
  return out;
}

/** Every journal file of a session, over all days, oldest day first. */
export function sessionJournalFiles(root: string, session: string): string[] {
  const name = `${sessionFileName(session)}.jsonl`;
  const raw = join(root, 'journal', 'raw');
  if (!existsSync(raw)) return [];
  return readdirSync(raw)
    .filter((day) => /^\d{4}-\d{2}-\d{2}$/.test(day))
    .sort()
    .map((day) => `journal/raw/${day}/${name}`)
    .filter((rel) => existsSync(join(root, rel)));
}

/** A session's whole journal, in time order, with its size in bytes. */
export function readSessionJournal(root: string, session: string): { lines: JournalLine[]; bytes: number } {
  let bytes = 0;
  const lines: JournalLine[] = [];
  for (const rel of sessionJournalFiles(root, session)) {
    const text = readFileSync(join(root, rel), 'utf8');
    bytes += Buffer.byteLength(text);
    lines.push(...parseJournal(text));
  }
  lines.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
  return { lines, bytes };
}
