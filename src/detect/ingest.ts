import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { Transaction } from '../store/store.js';
import type { Workspace } from '../workspace/workspace.js';
import { writeJournal, type JournalWrite } from '../store/raw-journal-files.js';
import { journalPath, parseJournal } from '../store/raw-journal.js';
import { applyEvents, ingestNeeds, type ApplySummary, type IngestRecords, type RejectedInput } from './apply.js';
import { callEventId } from './call-id.js';
import { fromHookPayload, fromReport, type IncomingEvent, type ReportInput } from './normalise.js';
import type { Trigger } from './trigger.js';
import { UserError } from '../errors.js';

export interface IngestResult extends Omit<ApplySummary, 'touched' | 'stored' | 'changed' | 'movedSessions'> {
  files: number;
  /** Sessions that ended or finished a turn: their narratives are due. */
  ended: string[];
  /** The transcripts whose turn (or subagent) ended, as their Stop, SubagentStop and SessionEnd payloads name them: read there when the capture is by turn. */
  transcripts: string[];
}

export type AppliedEvents = ApplySummary & { written: JournalWrite };

function emptyResult(): IngestResult {
  return { files: 0, events: 0, duplicates: 0, opened: [], counted: 0, journal: 0, blocked: 0, rejected: 0, reopened: [], ended: [], transcripts: [] };
}

function merge(into: IngestResult, s: AppliedEvents) {
  for (const id of s.written.ended) if (!into.ended.includes(id)) into.ended.push(id);
  into.events += s.events;
  into.duplicates += s.duplicates;
  into.opened.push(...s.opened);
  into.counted += s.counted;
  into.journal += s.journal;
  into.blocked += s.blocked;
  into.rejected += s.rejected;
  into.reopened.push(...s.reopened);
}

/**
 * Applies events in one store transaction: the records of the seven documents are read through
 * the repositories under the lock, changed in memory by the pure `applyEvents`, and handed back
 * to the repositories, written together with the raw journal.
 */
export async function applyInTransaction(
  ws: Workspace,
  incoming: IncomingEvent[],
  rejected: RejectedInput[],
  purpose: string,
  also?: (tx: Transaction) => Promise<void>,
): Promise<AppliedEvents> {
  return ws.store.transact(
    async (tx) => {
      const noisy = new Set(ws.config.detect.noisyCategories);
      const events = await tx.events.list();
      // Only the months that hold what these events count (the incidents of their failures, their
      // sessions) and the current ones: the cost of a change must not grow with the year behind it.
      const needs = ingestNeeds(incoming, events, { noisy, timeZone: ws.config.timeZone });
      const months = async (name: 'incidents' | 'sessions', field: 'fingerprint' | 'id', values: Set<string>, current: Set<string>) => {
        if (!values.size) return new Set<string>();
        const holding = await ws.store.shardsWith(name, field, values);
        return holding && new Set([...holding, ...current]);
      };
      const incidentMonths = await months('incidents', 'fingerprint', needs.fingerprints, needs.incidentMonths);
      const sessionMonths = await months('sessions', 'id', needs.sessions, needs.sessionMonths);
      const records: IngestRecords = {
        events,
        incidents: incidentMonths?.size === 0 ? [] : await tx.incidents.inShards(incidentMonths),
        telemetry: await tx.telemetry.list(),
        sessions: sessionMonths?.size === 0 ? [] : await tx.sessions.inShards(sessionMonths),
        rejections: await tx.rejections.list(),
        blocks: await tx.blocks.list(),
        loads: await tx.loads.list(),
      };
      const summary = applyEvents(records, incoming, rejected, {
        journaled: journaledIds(ws, tx, [...incoming, ...rejected]),
        noisy,
        recentEvents: ws.config.store.recentEvents,
        timeZone: ws.config.timeZone,
        exportDir: ws.config.rules.exportDir,
        failures: needs.failures,
      });
      await storeChanges(tx, summary, ws.config.store.recentEvents);
      const written = writeJournal(ws, tx, summary.stored, incoming);
      if (also) await also(tx);
      return { ...summary, written };
    },
    { purpose },
  );
}

/**
 * Hands what `applyEvents` changed back to the repositories, each document in the order it was
 * first changed (a batch commit names them in that order), counted as it counted them.
 */
async function storeChanges(tx: Transaction, summary: ApplySummary, recentEvents: number): Promise<void> {
  const { changed, touched } = summary;
  const write: Record<keyof IngestRecords, () => Promise<void>> = {
    events: () => tx.events.append(changed.events, { keep: recentEvents }),
    incidents: () => tx.incidents.upsert(changed.incidents, { changes: touched.incidents }),
    telemetry: () => tx.telemetry.upsert(changed.telemetry, { changes: touched.telemetry }),
    sessions: () => tx.sessions.upsert(changed.sessions, { changes: touched.sessions, movedFrom: summary.movedSessions }),
    rejections: () => tx.rejections.upsert(changed.rejections, { changes: touched.rejections }),
    blocks: () => tx.blocks.upsert(changed.blocks, { changes: touched.blocks }),
    loads: () => tx.loads.upsert(changed.loads, { changes: touched.loads }),
  };
  for (const name of Object.keys(touched) as (keyof IngestRecords)[]) await write[name]();
}

/**
 * The ids among these events that the raw journal already holds. The journal is written in the
 * same transaction as the store and keeps every event, so an event applied once (by another
 * ingester that read the same trigger, or before a crash that left its trigger behind) is never
 * applied again, however many events came since: the store keeps only the recent ones.
 */
function journaledIds(ws: Workspace, tx: Transaction, events: { id: string; time: string; session?: string }[]): Set<string> {
  const files = new Map<string, Set<string>>();
  for (const e of events) {
    const rel = journalPath(e.session, e.time, ws.config.timeZone);
    const ids = files.get(rel) ?? new Set<string>();
    ids.add(e.id);
    files.set(rel, ids);
  }
  const seen = new Set<string>();
  // Read through the change: writeJournal reads the same files right after, from the same copy.
  for (const [rel, wanted] of files) for (const line of parseJournal(tx.readText(rel))) if (wanted.has(line.id)) seen.add(line.id);
  return seen;
}

/** Turns one trigger file's content into an event (or a rejection); never throws. */
export function fromTrigger(t: Trigger): { event?: IncomingEvent; rejected?: RejectedInput } {
  if ('rejected' in t) {
    const r: RejectedInput = { id: t.id, time: t.receivedAt, reason: t.rejected.reason };
    if (t.rejected.event) r.kind = t.rejected.event;
    if (t.rejected.session) r.session = t.rejected.session;
    if (t.rejected.tool) r.tool = t.rejected.tool;
    return { rejected: r };
  }
  if (t.source === 'report') return { event: fromReport(t.payload as unknown as ReportInput, { id: t.id, time: t.receivedAt }) };
  // A call's event has its call's id, so a transcript read at the end of the turn does not count it again.
  const event = fromHookPayload(t.payload, { id: callEventId(t.payload) ?? t.id, time: t.receivedAt, source: 'hook' });
  const rule = t.blocked?.rule;
  if (typeof rule === 'string' && rule) event.blocked = rule;
  return { event };
}

const TURN_ENDS = new Set(['Stop', 'SubagentStop', 'SessionEnd']);

/** The transcript a turn's end names (a subagent's own, for SubagentStop): an absolute path to a .jsonl file, or nothing. */
export function turnTranscript(t: Trigger): string | null {
  if (!('payload' in t) || t.source !== 'hook' || !TURN_ENDS.has(String(t.payload.hook_event_name))) return null;
  const path = t.payload.agent_transcript_path ?? t.payload.transcript_path;
  return typeof path === 'string' && path.endsWith('.jsonl') && isAbsolute(path) ? path : null;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A trigger ingest can trust: anything else is a poison file, kept aside and recorded as rejected. */
export function isTrigger(v: unknown): v is Trigger {
  if (!isObject(v)) return false;
  if (v.v !== 1 || typeof v.id !== 'string' || !v.id || typeof v.receivedAt !== 'string' || Number.isNaN(Date.parse(v.receivedAt))) return false;
  if (isObject(v.rejected)) return typeof v.rejected.reason === 'string';
  if (!isObject(v.payload)) return false;
  if (v.source === 'report') return typeof v.payload.signal === 'string' && typeof v.payload.error === 'string';
  return typeof v.payload.hook_event_name === 'string';
}

/**
 * Ingests the trigger inbox in batches. A trigger file is removed only after the transaction
 * holding its event has been written; a crash in between leaves the file, and the next run skips
 * it as a duplicate (its id is already stored). Several ingesters may run at once.
 */
export async function ingestTriggers(ws: Workspace, opts: { batch?: number } = {}): Promise<IngestResult> {
  const result = emptyResult();
  const dir = ws.layout.triggers;
  if (!existsSync(dir)) return result;
  // The inbox is read only when it is a real folder, and only its regular files: a symbolic link
  // could point anywhere, and reading a FIFO would wait forever.
  if (lstatSync(dir).isSymbolicLink()) throw new UserError(`${dir} is a symbolic link; nevo-tui reads hook events only from a real folder inside the workspace. Replace it with a folder: rm ${dir} && mkdir ${dir}`);
  const names = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.json') && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
  const batch = Math.max(1, Math.min(opts.batch ?? 1000, Math.floor(ws.config.store.recentEvents / 2)));
  for (let start = 0; start < names.length; start += batch) {
    const chunk = names.slice(start, start + batch);
    const incoming: IncomingEvent[] = [];
    const rejected: RejectedInput[] = [];
    const unreadable: string[] = [];
    for (const name of chunk) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(readFileSync(join(dir, name), 'utf8'));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue; // another ingester took it
        parsed = undefined;
      }
      if (!isTrigger(parsed)) {
        unreadable.push(name);
        rejected.push({ id: `bad-${name.replace(/\.json$/, '')}`, time: ws.clock().toISOString(), reason: 'unreadable trigger file' });
        continue;
      }
      const path = turnTranscript(parsed);
      if (path && !result.transcripts.includes(path)) result.transcripts.push(path);
      const { event, rejected: rej } = fromTrigger(parsed);
      if (event) incoming.push(event);
      if (rej) rejected.push(rej);
    }
    const summary = await applyInTransaction(ws, incoming, rejected, 'nevo-tui ingest');
    merge(result, summary);
    for (const name of unreadable) {
      // Kept, not deleted: a person may want to see what was in it.
      const keep = join(ws.root, '.broken', 'triggers');
      mkdirSync(keep, { recursive: true });
      try {
        renameSync(join(dir, name), join(keep, name));
      } catch {
        // already moved by another ingester
      }
    }
    for (const name of chunk) if (!unreadable.includes(name)) rmSync(join(dir, name), { force: true });
    result.files += chunk.length;
  }
  return result;
}
