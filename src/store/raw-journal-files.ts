import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { groupByFile, journalLine, mergeJournal, parseJournal, sessionFileName, type EventExtras, type JournalLine } from './raw-journal.js';
import type { EventRecord } from './schemas.js';
import type { Transaction } from './store.js';

/** Events that close a turn or a session: the session's narrative is (re)built after them. */
const ENDINGS = new Set(['Stop', 'SessionEnd']);

export interface JournalWrite {
  lines: number;
  files: string[];
  /** Sessions that ended (or finished a turn) in these events. */
  ended: string[];
}

/**
 * Adds the stored events to the raw journal inside the ingest transaction, so an event is in the
 * journal exactly when it is in the store. Files are committed with the store's batches.
 */
export function writeJournal(ws: { config: { timeZone: string } }, tx: Transaction, stored: EventRecord[], incoming: EventExtras[]): JournalWrite {
  const byId = new Map(incoming.map((e) => [e.id, e]));
  const entries = stored.map((rec) => ({ line: journalLine(rec, byId.get(rec.id)), session: rec.session }));
  const out: JournalWrite = { lines: 0, files: [], ended: [] };
  for (const [rel, lines] of groupByFile(entries, ws.config.timeZone)) {
    const before = tx.readText(rel);
    const merged = mergeJournal(before, lines);
    // Part of the change's all-or-nothing write: ingest takes an id in the journal for an event
    // applied (see journaledIds), so the journal must never run ahead of the documents.
    if (merged.added) tx.writeFile(rel, merged.text, { batched: true });
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

/** Every journal file, by file name (the session's): one listing for many sessions. */
export function journalFilesBySession(root: string): Map<string, string[]> {
  const raw = join(root, 'journal', 'raw');
  const out = new Map<string, string[]>();
  if (!existsSync(raw)) return out;
  for (const day of readdirSync(raw).filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d)).sort()) {
    for (const f of readdirSync(join(raw, day))) {
      if (!f.endsWith('.jsonl')) continue;
      const name = f.slice(0, -'.jsonl'.length);
      const list = out.get(name) ?? [];
      list.push(`journal/raw/${day}/${f}`);
      out.set(name, list);
    }
  }
  return out;
}

/** A session's whole journal, in time order, with its size in bytes. */
export function readSessionJournal(root: string, session: string, files = sessionJournalFiles(root, session)): { lines: JournalLine[]; bytes: number } {
  let bytes = 0;
  const lines: JournalLine[] = [];
  for (const rel of files) {
    const text = readFileSync(join(root, rel), 'utf8');
    bytes += Buffer.byteLength(text);
    lines.push(...parseJournal(text));
  }
  lines.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
  return { lines, bytes };
}
