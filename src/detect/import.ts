import { closeSync, openSync, readFileSync, readSync, realpathSync, statSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import type { Workspace } from '../workspace/workspace.js';
import { transcriptEventId } from './call-id.js';
import { cleanPayload } from './clean.js';
import { blockingRule } from './guard-match.js';
import { applyInTransaction, ingestTriggers } from './ingest.js';
import { fromHookPayload, type IncomingEvent } from './normalise.js';
export { transcriptEventId } from './call-id.js';
import { callTriggerId } from './trigger.js';
import { findTranscripts } from './transcript-files.js';
import { parseTranscript, toHookPayloads, type TranscriptPrompt } from './transcript.js';

export interface ImportFileResult {
  file: string;
  session: string | null;
  calls: number;
  failures: number;
  events: number;
  status: 'imported' | 'unchanged' | 'recorded live' | 'grown';
  skipped: { broken: number; unknownType: number };
}

export interface ImportResult {
  files: ImportFileResult[];
  /** Transcripts left out because their session ran in another project (only with `project`). */
  otherProjects: number;
  events: number;
  opened: string[];
  counted: number;
  skipped: { broken: number; unknownType: number };
  /** Sessions that got new events: their narratives are due. */
  sessions: string[];
}

function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

function isInside(root: string, path: string | null): boolean {
  if (!path) return false;
  const p = realOrSelf(path);
  return p === root || p.startsWith(root.endsWith(sep) ? root : root + sep);
}

/** The first `"cwd"` a transcript records: where its session ran. Read from its start, the whole file only when need be. */
export function transcriptCwd(file: string): string | null {
  const first = (text: string): string | null => {
    // A top-level field; inside a JSON string the same text would be escaped (\"cwd\").
    const m = /"cwd":"((?:[^"\\]|\\.)*)"/.exec(text);
    if (!m) return null;
    try {
      return JSON.parse(`"${m[1]}"`) as string;
    } catch {
      return null;
    }
  };
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const head = Buffer.alloc(64 * 1024);
    const n = readSync(fd, head, 0, head.length, 0);
    const found = first(head.subarray(0, n).toString('utf8'));
    if (found || n < head.length) return found;
    return first(readFileSync(file, 'utf8'));
  } catch {
    return null;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The PreToolUse payload the hook saw live for a call it blocked. */
function preToolUse(payload: Record<string, unknown>): Record<string, unknown> {
  const { error: _error, is_interrupt: _interrupt, tool_response: _response, ...rest } = payload;
  return { ...rest, hook_event_name: 'PreToolUse' };
}

/** The byte where line `lines` of this text ends (after its newline): where a later read starts. */
export function lineEnd(buf: Buffer, lines: number): number {
  let at = 0;
  for (let i = 0; i < lines; i++) {
    const nl = buf.indexOf(0x0a, at);
    if (nl < 0) return buf.length;
    at = nl + 1;
  }
  return at;
}

/** Bytes [from, to) of a file. */
function readBytes(file: string, from: number, to: number): Buffer {
  const buf = Buffer.alloc(Math.max(0, to - from));
  const fd = openSync(file, 'r');
  try {
    let got = 0;
    while (got < buf.length) {
      const n = readSync(fd, buf, got, buf.length - got, from + got);
      if (n === 0) break;
      got += n;
    }
    return buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

export interface ImportOptions {
  /** Only the transcripts whose session ran inside this folder (a file already read once is not asked again in `tail`). */
  project?: string;
  /** Calls told apart by their ids, not skipped by session: the capture by turn, where hooks send only failures and blocks. */
  byCall?: boolean;
  /**
   * Read only what was appended since the last read (ingest's reads of open sessions and ended
   * turns): a file whose size did not change is not opened; the hook inbox was just taken in.
   */
  tail?: boolean;
}

/**
 * Reads Claude Code transcripts (a file, a project folder, or ~/.claude/projects) and turns their
 * tool calls into the events hooks would have produced. Each file's progress is kept in the
 * imports document, so a transcript that grew is read on from where it stopped.
 */
export async function importTranscripts(ws: Workspace, path: string, opts: ImportOptions = {}): Promise<ImportResult> {
  // One transcript reached through a symlink is still one transcript.
  let files = [...new Set(findTranscripts(path).map((f) => realpathSync(f)))];
  let otherProjects = 0;
  const result: ImportResult = { files: [], otherProjects, events: 0, opened: [], counted: 0, skipped: { broken: 0, unknownType: 0 }, sessions: [] };
  const size = new Map<string, number>();
  if (opts.tail) {
    // Stat first: a transcript that did not grow since it was last read is not opened at all.
    const grown: string[] = [];
    for (const f of files) {
      const st = statSync(f, { throwIfNoEntry: false });
      if (!st?.isFile()) continue;
      const prior = await ws.store.imports.get(f);
      if (prior && prior.bytes === st.size) continue;
      size.set(f, st.size);
      grown.push(f);
    }
    files = grown;
  }
  if (opts.project) {
    const root = realOrSelf(opts.project);
    const known = new Set(opts.tail ? (await Promise.all(files.map((f) => ws.store.imports.get(f)))).flatMap((r) => (r ? [r.id] : [])) : []);
    const kept = files.filter((f) => known.has(f) || isInside(root, transcriptCwd(f)));
    otherProjects = files.length - kept.length;
    files = kept;
  }
  result.otherProjects = otherProjects;
  // Hook events still waiting in the inbox are a live record of their sessions: taken in first,
  // they mark those sessions live, so the transcript does not count the same calls again.
  if (files.length && !opts.tail) await ingestTriggers(ws);
  for (const file of files) {
    const [prior, sessions] = [await ws.store.imports.get(file), await ws.store.sessions.list()];
    // Read on from where the last read stopped when that place is known and the file did not shrink.
    const bytes = size.get(file) ?? statSync(file).size;
    const from = opts.tail && prior?.offset !== undefined && prior.offset <= bytes && prior.bytes <= bytes ? prior.offset : 0;
    const buf = from > 0 ? readBytes(file, from, bytes) : readFileSync(file);
    const firstLine = from > 0 ? prior!.lines : 0;
    const parse = parseTranscript(buf.toString('utf8'), { firstLine });
    const session = parse.sessions[0] ?? prior?.session ?? null;
    const entry: ImportFileResult = { file, session, calls: parse.calls.length, failures: parse.calls.filter((c) => !c.ok).length, events: 0, status: 'imported', skipped: parse.skipped };
    result.skipped.broken += parse.skipped.broken;
    result.skipped.unknownType += parse.skipped.unknownType;
    result.files.push(entry);
    if (prior && prior.bytes === bytes) {
      entry.status = 'unchanged';
      continue;
    }
    // A session the hooks recorded is skipped whole, unless its calls are told apart by their ids:
    // byCall (ingest's reads for the capture by turn), or a session whose hooks named its transcript,
    // recorded since a hook's call has its call's id and a hook's prompt marks the session (a
    // session killed before its Stop, captured by turn, is then read whole by import).
    const hooked = new Set(sessions.filter((s) => s.source === 'hook').map((s) => s.id));
    const live = new Set(opts.byCall ? [] : sessions.filter((s) => s.source === 'hook' && !s.transcript).map((s) => s.id));
    // Prompts the UserPromptSubmit hook sent (settings written for the capture by call) are not read again.
    const livePrompts = new Set(sessions.filter((s) => s.livePrompts).map((s) => s.id));
    const payloads = toHookPayloads(parse, file);
    const incoming: IncomingEvent[] = [];
    parse.calls.forEach((call, i) => {
      if (prior && call.line <= prior.lines) return;
      if (live.has(call.session)) return;
      // A call nevo's own guard refused never ran: live, the hook recorded it as a blocked
      // PreToolUse, tallied against its rule; it is no failure to learn from.
      const rule = call.ok ? null : blockingRule(call.error ?? '');
      const raw = payloads[i]!;
      const payload = cleanPayload(rule ? preToolUse(raw) : raw);
      // A blocked call has the id the hook gave its PreToolUse event, so it is tallied once.
      const id = (rule && callTriggerId(payload)) || transcriptEventId(call.session, call.toolUseId);
      const ev = fromHookPayload(payload, { id, time: call.time || ws.clock().toISOString(), source: 'transcript' });
      if (rule) ev.blocked = rule;
      ev.line = call.line;
      incoming.push(ev);
    });
    // Prompts and slash commands are what UserPromptSubmit would have journalled live, and a
    // subagent's task what it started with: a narrative's intent.
    const asked: (TranscriptPrompt & { kind: string; agent?: string })[] = [
      ...[...parse.prompts, ...parse.commands].map((p) => ({ ...p, kind: 'UserPromptSubmit' })),
      ...parse.tasks.map((p) => ({ ...p, kind: 'SubagentStart' })),
    ];
    for (const prompt of asked) {
      if ((prior && prompt.line <= prior.lines) || live.has(prompt.session) || !prompt.session) continue;
      if (prompt.kind === 'UserPromptSubmit' && livePrompts.has(prompt.session)) continue;
      const payload = cleanPayload({ session_id: prompt.session, transcript_path: file, hook_event_name: prompt.kind, prompt: prompt.text, timestamp: prompt.time, ...(prompt.agent ? { agent_id: prompt.agent } : {}) });
      const ev = fromHookPayload(payload, { id: transcriptEventId(prompt.session, `prompt:${prompt.line}`), time: prompt.time || ws.clock().toISOString(), source: 'transcript' });
      ev.line = prompt.line;
      incoming.push(ev);
    }
    // In the order they happened, as the hook would have journalled them: prompts among the calls.
    incoming.sort((a, b) => Date.parse(a.time) - Date.parse(b.time) || (a.line ?? 0) - (b.line ?? 0));
    if (prior) entry.status = 'grown';
    // A line still being written, or a call still waiting for its result, is read again next time.
    const offset = from + lineEnd(buf, parse.settledLines - firstLine);
    const summary = await applyInTransaction(ws, incoming, [], 'nevo-tui import', async (tx) => {
      const record = { id: file, lines: parse.settledLines, bytes, offset, events: (prior?.events ?? 0) + incoming.length, importedAt: ws.clock().toISOString(), ...(session ? { session } : {}) };
      await tx.imports.upsert([record]);
    });
    entry.events = summary.events;
    if (session && hooked.has(session) && summary.events === 0) entry.status = 'recorded live';
    for (const ev of summary.stored) if (ev.session && !result.sessions.includes(ev.session)) result.sessions.push(ev.session);
    result.events += summary.events;
    result.opened.push(...summary.opened);
    result.counted += summary.counted;
  }
  return result;
}
