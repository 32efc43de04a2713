/**
 * Every source (a live hook, an imported transcript, a report from a gate or a task runner)
 * becomes the same event shape before ingest decides its fate.
 */
import { isAbsolute } from 'node:path';
import { isShellTool } from './shell-tool.js';
import type { REPORT_SIGNALS, Signal, Source } from '../store/vocabulary.js';

export type { Signal };

export interface IncomingEvent {
  id: string;
  time: string;
  source: Source;
  signal: Signal;
  kind: string;
  session?: string;
  agent?: string;
  tool?: string;
  target?: string;
  /** true: a tool call that worked; false: one that failed; undefined: not a tool call. */
  ok?: boolean;
  durationMs?: number;
  error?: string;
  interrupted?: boolean;
  cwd?: string;
  /** The rule whose guard blocked this call (a PreToolUse event the hook exited 2 on). */
  blocked?: string;
  /** A prompt's text (capped), for the journal: intent of a narrative, the user's own rules for facts. */
  text?: string;
  /** The transcript line it came from, for facts' sources. */
  line?: number;
  /** A Bash call's whole command (capped), read for the failure's cause; not stored. */
  command?: string;
  /** The session's transcript, as a hook named it (an absolute .jsonl path): read while the session is open. */
  transcript?: string;
}

/** What a cause is read from: a long script is cut, its first lines say what ran first. */
const COMMAND_CHARS = 4000;

/** A prompt is kept whole in the journal up to this many characters. */
export const PROMPT_CHARS = 2000;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

/** A full ISO instant, normalised; anything else (a bare year, garbage) is not trusted as a time. */
export function isoTime(v: unknown): string | undefined {
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(v)) return undefined;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

/** The file or command a tool call worked on, for the event list and the incident sample. */
export function targetOf(tool: string | undefined, input: unknown): string | undefined {
  if (!input || typeof input !== 'object') return undefined;
  const i = input as Record<string, unknown>;
  const pick = str(i.command) ?? str(i.file_path) ?? str(i.notebook_path) ?? str(i.path) ?? str(i.url) ?? str(i.pattern) ?? str(i.description) ?? str(i.query);
  if (tool === 'Grep' || tool === 'Glob') return [str(i.pattern), str(i.path)].filter(Boolean).join(' in ') || undefined;
  // A command continued with `\` at the end of its lines is one line to a person.
  return pick ? pick.replace(/\\\r?\n\s*/g, ' ').split('\n')[0]!.slice(0, 300) : undefined;
}

/** Old builds reported a failed shell call as PostToolUse with the output on stderr. */
function failureInResponse(tool: string | undefined, response: unknown): { error: string; interrupted: boolean } | null {
  if (tool !== 'Bash' || !response || typeof response !== 'object') return null;
  const r = response as Record<string, unknown>;
  if (r.interrupted === true) return { error: 'Interrupted: the command was interrupted', interrupted: true };
  return null;
}

/** What a plan or a todo list said, for the decisions of a session's narrative. */
function toolNote(tool: string | undefined, input: unknown): string | undefined {
  if (!input || typeof input !== 'object') return undefined;
  const i = input as Record<string, unknown>;
  if (tool === 'TodoWrite' && Array.isArray(i.todos)) {
    const items = i.todos.flatMap((t) => {
      if (!t || typeof t !== 'object') return [];
      const { content, status } = t as Record<string, unknown>;
      return typeof content === 'string' && content ? [`[${typeof status === 'string' ? status : '?'}] ${content.split('\n')[0]!.slice(0, 160)}`] : [];
    });
    return items.length ? items.join('\n').slice(0, PROMPT_CHARS) : undefined;
  }
  if (tool === 'ExitPlanMode' && typeof i.plan === 'string' && i.plan) return i.plan.slice(0, PROMPT_CHARS);
  return undefined;
}

const TOOL_EVENTS = new Set(['PostToolUse', 'PostToolUseFailure']);

export function fromHookPayload(p: Record<string, unknown>, meta: { id: string; time: string; source: 'hook' | 'transcript' }): IncomingEvent {
  const kind = str(p.hook_event_name) ?? 'unknown';
  const tool = str(p.tool_name);
  const ev: IncomingEvent = {
    id: meta.id,
    time: isoTime(p.timestamp) ?? meta.time,
    source: meta.source,
    signal: meta.source,
    kind,
  };
  const session = str(p.session_id);
  const agent = str(p.agent_id);
  const cwd = str(p.cwd);
  if (session) ev.session = session;
  if (agent) ev.agent = agent;
  if (cwd) ev.cwd = cwd;
  if (tool) ev.tool = tool;
  // The session's own transcript (a subagent's is agent_transcript_path), only as a live hook names it.
  const transcript = str(p.transcript_path);
  if (meta.source === 'hook' && transcript && transcript.endsWith('.jsonl') && isAbsolute(transcript)) ev.transcript = transcript;
  const target = targetOf(tool, p.tool_input);
  if (target) ev.target = target;
  const command = isShellTool(tool) && p.tool_input && typeof p.tool_input === 'object' ? str((p.tool_input as Record<string, unknown>).command) : undefined;
  if (command && command !== target) ev.command = command.slice(0, COMMAND_CHARS);
  if (typeof p.duration_ms === 'number') ev.durationMs = p.duration_ms;
  const note = toolNote(tool, p.tool_input);
  if (note) ev.text = note;
  if (TOOL_EVENTS.has(kind)) {
    if (kind === 'PostToolUseFailure') {
      ev.ok = false;
      ev.error = str(p.error) ?? 'unknown error (the payload had no error text)';
      if (p.is_interrupt === true) ev.interrupted = true;
    } else {
      const failed = failureInResponse(tool, p.tool_response);
      ev.ok = !failed;
      if (failed) {
        ev.error = failed.error;
        ev.interrupted = failed.interrupted;
      }
    }
  } else if (kind === 'InstructionsLoaded') {
    // Which instruction file Claude Code put in the agent's context, and why (session_start, path_glob_match, ...).
    ev.target = str(p.file_path);
    ev.text = str(p.load_reason);
  } else if (kind === 'StopFailure') {
    // An API error (rate limit, overload) is not the agent's mistake: journal it, open nothing.
    ev.target = str(p.error);
  } else if (kind === 'UserPromptSubmit' || kind === 'SubagentStart') {
    const prompt = str(p.prompt);
    if (prompt) {
      ev.target = prompt.split('\n')[0]!.slice(0, 200);
      ev.text = prompt.slice(0, PROMPT_CHARS);
    }
  }
  return ev;
}

export interface ReportInput {
  signal: (typeof REPORT_SIGNALS)[number];
  error: string;
  /** The gate stage, breaker or task name: what failed. */
  name?: string;
  session?: string;
  target?: string;
  time?: string;
}

export function fromReport(r: ReportInput, meta: { id: string; time: string }): IncomingEvent {
  const tool = r.signal === 'quality' ? `gate:${r.name ?? 'stage'}` : r.signal === 'breaker' ? `breaker:${r.name ?? 'breaker'}` : `task:${r.name ?? 'task'}`;
  const ev: IncomingEvent = { id: meta.id, time: isoTime(r.time) ?? meta.time, source: 'report', signal: r.signal, kind: r.signal, tool, ok: false, error: r.error };
  if (r.session) ev.session = r.session;
  if (r.target) ev.target = r.target;
  return ev;
}
