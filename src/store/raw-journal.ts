import { createHash } from 'node:crypto';
import { dayOf } from '../util/day.js';
import type { EventRecord } from './schemas.js';

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

/** What an event brought in that its stored record does not keep (detect/normalise.ts's IncomingEvent has it). */
export interface EventExtras {
  id: string;
  text?: string;
  line?: number;
  cwd?: string;
}

const ERROR_CHARS = 300;
const NO_SESSION = 'no-session';

/** A session id as a file name: ids are UUIDs, but nothing outside is trusted to be one. */
export function sessionFileName(session: string | undefined): string {
  if (!session) return NO_SESSION;
  const safe = session.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_').slice(0, 100);
  // Two ids that clean up to the same name (a/b and a_b) must not share a journal.
  return safe === session ? safe : `${safe.slice(0, 80)}~${createHash('sha256').update(session).digest('hex').slice(0, 10)}`;
}

export function journalPath(session: string | undefined, time: string, timeZone: string): string {
  return `journal/raw/${dayOf(time, timeZone)}/${sessionFileName(session)}.jsonl`;
}

/** The journal line of a stored event; `ev` (the event as it came in) adds what the store does not keep. */
export function journalLine(rec: EventRecord, ev?: EventExtras): JournalLine {
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

const OPTIONAL_STRINGS = ['tool', 'target', 'detail', 'agent', 'incident', 'rule', 'cwd'] as const;

function isJournalLine(v: unknown): v is JournalLine {
  if (!v || typeof v !== 'object') return false;
  const l = v as Record<string, unknown>;
  if (typeof l.id !== 'string' || typeof l.event !== 'string' || typeof l.time !== 'string' || Number.isNaN(Date.parse(l.time))) return false;
  if (l.ok !== undefined && typeof l.ok !== 'boolean') return false;
  if ((l.ms !== undefined && typeof l.ms !== 'number') || (l.line !== undefined && typeof l.line !== 'number')) return false;
  return OPTIONAL_STRINGS.every((k) => l[k] === undefined || typeof l[k] === 'string');
}

/**
 * Lines of a journal file, and the lines that are not journal lines (a torn copy, a hand edit), with
 * their numbers. `mayHold`, when given, is asked about each raw line first: a line it turns down is
 * neither parsed nor returned (a reader after one tool's calls skips the JSON of all the others).
 */
export function readJournal(text: string, mayHold?: (raw: string) => boolean): { lines: JournalLine[]; foreign: { line: number; text: string }[] } {
  const lines: JournalLine[] = [];
  const foreign: { line: number; text: string }[] = [];
  text.split('\n').forEach((raw, i) => {
    if (!raw.trim() || (mayHold && !mayHold(raw))) return;
    let v: unknown;
    try {
      v = JSON.parse(raw);
    } catch {
      v = undefined;
    }
    if (isJournalLine(v)) lines.push(v);
    else foreign.push({ line: i + 1, text: raw });
  });
  return { lines, foreign };
}

export function parseJournal(text: string, mayHold?: (raw: string) => boolean): JournalLine[] {
  return readJournal(text, mayHold).lines;
}

/**
 * The file's new text with `lines` added: lines already there (same id) are not added again;
 * oldest first. Lines that are not journal lines are kept as they were, at the end: nothing is lost.
 */
export function mergeJournal(existing: string, lines: JournalLine[]): { text: string; added: number } {
  const { lines: old, foreign } = readJournal(existing);
  const ids = new Set(old.map((l) => l.id));
  const fresh = lines.filter((l) => !ids.has(l.id) && (ids.add(l.id), true));
  const all = [...old, ...fresh];
  // Stable: lines of the same instant keep the order they arrived in.
  all.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
  const out = [...all.map((l) => JSON.stringify(l)), ...foreign.map((f) => f.text)];
  return { text: out.join('\n') + (out.length ? '\n' : ''), added: fresh.length };
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
