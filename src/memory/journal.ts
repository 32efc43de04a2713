import type { IncomingEvent } from '../detect/normalise.js';
import type { EventRecord } from '../store/schemas.js';
import { dayOf } from '../util/day.js';

/**
 * The raw journal: one compact JSON line per event, in `journal/raw/YYYY-MM-DD/<session>.jsonl`.
 * It outlives store/events.json (which keeps only recent events) and is what narratives and facts
 * are made from.
 */
export interface JournalLine {
  /** The event id: a line is never written twice. */
  id: string;
  time: string;
  event: string;
  tool?: string;
  /** The file or command the call worked on. */
  target?: string;
  ok?: boolean;
  ms?: number;
  /** Short and already redacted: the error of a failure; a prompt, a plan or a todo list, capped. */
  detail?: string;
  agent?: string;
  /** The transcript line of an imported event. */
  line?: number;
  incident?: string;
  /** The rule whose guard blocked the call. */
  rule?: string;
  cwd?: string;
}

const ERROR_CHARS = 300;
const NO_SESSION = 'no-session';

/** A session id as a file name: ids are UUIDs, but nothing outside is trusted to be one. */
export function sessionFileName(session: string | undefined): string {
  const safe = (session ?? '').replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_').slice(0, 100);
  return safe || NO_SESSION;
}

export function journalPath(session: string | undefined, time: string, timeZone: string): string {
  return `journal/raw/${dayOf(time, timeZone)}/${sessionFileName(session)}.jsonl`;
}

/** The journal line of a stored event; `ev` (the event as it came in) adds what the store does not keep. */
export function journalLine(rec: EventRecord, ev?: IncomingEvent): JournalLine {
  const line: JournalLine = { id: rec.id, time: rec.time, event: rec.kind };
  if (rec.tool) line.tool = rec.tool;
  if (rec.target) line.target = rec.target;
  if (rec.ok !== undefined) line.ok = rec.ok;
  if (rec.durationMs !== undefined) line.ms = rec.durationMs;
  if (rec.error) line.detail = rec.error.replace(/\s+/g, ' ').trim().slice(0, ERROR_CHARS);
  else if (ev?.text) line.detail = ev.text;
  if (rec.agent) line.agent = rec.agent;
  if (ev?.line !== undefined) line.line = ev.line;
  if (rec.fate.kind === 'opened' || rec.fate.kind === 'counted') line.incident = rec.fate.incident;
  if (rec.fate.kind === 'blocked') line.rule = rec.fate.rule;
  if (ev?.cwd && rec.kind === 'SessionStart') line.cwd = ev.cwd;
  return line;
}

/** Lines of a journal file; a line that is not a journal line (a torn copy, a hand edit) is skipped. */
export function parseJournal(text: string): JournalLine[] {
  const out: JournalLine[] = [];
  for (const raw of text.split('\n')) {
    if (!raw.trim()) continue;
    try {
      const v = JSON.parse(raw) as JournalLine;
      if (v && typeof v.id === 'string' && typeof v.time === 'string' && typeof v.event === 'string') out.push(v);
    } catch {
      // skipped: the rest of the file is still read
    }
  }
  return out;
}

/** The file's new text with `lines` added: lines already there (same id) are not added again; oldest first. */
export function mergeJournal(existing: string, lines: JournalLine[]): { text: string; added: number } {
  const old = parseJournal(existing);
  const ids = new Set(old.map((l) => l.id));
  const fresh = lines.filter((l) => !ids.has(l.id) && (ids.add(l.id), true));
  const all = [...old, ...fresh];
  // Stable: lines of the same instant keep the order they arrived in.
  all.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
  return { text: all.map((l) => JSON.stringify(l)).join('\n') + (all.length ? '\n' : ''), added: fresh.length };
}

/** Journal lines grouped by the file they belong in. */
export function groupByFile(entries: { line: JournalLine; session?: string }[], timeZone: string): Map<string, JournalLine[]> {
  const files = new Map<string, JournalLine[]>();
  for (const { line, session } of entries) {
    const path = journalPath(session, line.time, timeZone);
    const list = files.get(path) ?? [];
    list.push(line);
    files.set(path, list);
  }
  return files;
}
