/**
 * Reads a Claude Code session transcript (JSONL, one object a line) and pulls out the tool calls
 * with their outcomes and the prompts the user typed. Pure: the caller reads the file.
 *
 * The format is internal to Claude Code and changes between releases, so every field is checked
 * before use and nothing here throws: lines that cannot be read are counted, not fatal.
 *
 * A call is the `tool_use` block of an `assistant` line, paired by id with the `tool_result` block
 * of a `user` line (usually a later one). It failed when the result has `is_error: true` or the
 * line's `toolUseResult` is a string starting with `Error:`.
 */

export interface TranscriptToolCall {
  /** sessionId of the line (subagent files carry the parent session id). */
  session: string;
  /** agentId on subagent lines. */
  agent?: string;
  sidechain: boolean;
  /** tool_use.id */
  toolUseId: string;
  /** tool_use.name */
  tool: string;
  /** tool_use.input */
  input: unknown;
  /** false when the tool_result has is_error === true, or toolUseResult is a string starting with "Error:". */
  ok: boolean;
  /** For failures: the tool_result content as text, without a `<tool_use_error>` wrapper. */
  error?: string;
  /** For successes: toolUseResult (the structured output) when present. */
  response?: unknown;
  /** ISO timestamp of the result line (falls back to the tool_use line; "" when neither has one). */
  time: string;
  cwd?: string;
  /** Claude Code version. */
  version?: string;
  /** 1-based line number of the tool_use in the file. */
  line: number;
}

export interface TranscriptPrompt {
  session: string;
  time: string;
  text: string;
  line: number;
}

export interface TranscriptParse {
  /** Distinct session ids seen, in order of first appearance. */
  sessions: string[];
  /** In file order of the tool_use; tool_use blocks without a result are left out and counted in `unanswered`. */
  calls: TranscriptToolCall[];
  /** Prompts the user typed (see `promptText`). */
  prompts: TranscriptPrompt[];
  /** Slash commands the user ran (`/init`, with their arguments): a session's intent when it has no prompt. */
  commands: TranscriptPrompt[];
  /** The task each subagent was given: the first text of its sidechain. */
  tasks: (TranscriptPrompt & { agent?: string })[];
  /** Lines in the text (a final newline does not start another line). */
  lines: number;
  skipped: {
    /** Lines that are not a JSON object: bad JSON, a partial last line, a bare value. Blank lines are not counted. */
    broken: number;
    /** JSON objects whose `type` is missing or not one of KNOWN_TYPES. */
    unknownType: number;
  };
  unanswered: number;
  /**
   * Lines a later read need not see again: all of them, unless a tool call is still waiting for its
   * result (or the last line is cut short), in which case the line before the first such one.
   */
  settledLines: number;
}

/** Line types this parser knows; the ones it has no use for are ignored without being counted. */
export const KNOWN_TYPES: ReadonlySet<string> = new Set([
  'user',
  'assistant',
  'system',
  'progress',
  'summary',
  'file-history-snapshot',
  'queue-operation',
]);

type Obj = Record<string, unknown>;

function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Envelope fields shared by message-like lines. */
interface Envelope {
  session?: string;
  agent?: string;
  sidechain: boolean;
  time?: string;
  cwd?: string;
  version?: string;
  line: number;
}

function envelope(entry: Obj, line: number): Envelope {
  const env: Envelope = { sidechain: entry.isSidechain === true, line };
  const session = str(entry.sessionId);
  const agent = str(entry.agentId);
  const time = str(entry.timestamp);
  const cwd = str(entry.cwd);
  const version = str(entry.version);
  if (session) env.session = session;
  if (agent) env.agent = agent;
  if (time) env.time = time;
  if (cwd) env.cwd = cwd;
  if (version) env.version = version;
  return env;
}

interface ToolUse {
  env: Envelope;
  id: string;
  name: string;
  input: unknown;
}

interface ToolResult {
  env: Envelope;
  isError: boolean;
  /** The tool_result content as text. */
  text: string;
  /** The line's toolUseResult, only when the line holds this one result and so it surely belongs to it. */
  structured: unknown;
  hasStructured: boolean;
}

/** String content as is; text blocks joined with "\n"; anything else gives "". */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  const parts: string[] = [];
  for (const block of content) {
    if (isObj(block) && block.type === 'text' && typeof block.text === 'string') parts.push(block.text);
  }
  return parts.join('\n');
}

const TOOL_USE_ERROR = /^\s*<tool_use_error>([\s\S]*?)<\/tool_use_error>\s*$/;

/** Removes the `<tool_use_error>…</tool_use_error>` wrapper Claude Code puts around validation errors. */
export function unwrapToolUseError(text: string): string {
  const m = TOOL_USE_ERROR.exec(text);
  return m ? (m[1] ?? '') : text;
}

/** Opening tags of text Claude Code writes on `user` lines that the user did not type as a prompt. */
const WRAPPER =
  /^<(command-name|command-message|command-args|command-stdout|command-stderr|local-command-[a-z-]+|bash-input|bash-stdout|bash-stderr|task-notification|system-reminder|user-prompt-submit-hook)>/;
/** Text Claude Code attaches to what the person typed: the editor's selection and open file, reminders, hook output. */
const ATTACHED = /<(ide_selection|ide_opened_file|ide_diagnostics|system-reminder|user-prompt-submit-hook)>[\s\S]*?(?:<\/\1>|$)/g;

/** What the person typed, without the text Claude Code attached to it. */
export function typedText(text: string): string {
  return text.replace(ATTACHED, '').trim();
}

const NOT_A_PROMPT = /^\[Request interrupted by user|^This session is being continued from a previous conversation/;

/**
 * The text of a typed prompt, or undefined: a `user` line whose content is a string or text blocks,
 * that is not a tool result, not `isMeta`, not a compact summary, not a subagent (sidechain) line
 * (its prompt was written by the parent agent, not typed), and not a slash-command, local-command,
 * shell or notification wrapper.
 */
function promptText(entry: Obj): string | undefined {
  if (entry.isMeta === true || entry.isCompactSummary === true || entry.isVisibleInTranscriptOnly === true) return undefined;
  if (entry.isSidechain === true) return undefined;
  const message = entry.message;
  if (!isObj(message)) return undefined;
  const content = message.content;
  let text: string;
  if (typeof content === 'string') {
    text = typedText(content);
  } else if (Array.isArray(content)) {
    if (content.some((b) => isObj(b) && b.type === 'tool_result')) return undefined;
    // Only the block the person typed: Claude Code adds the editor's selection, the open file and
    // reminders as blocks of their own, which are file text, not the person's word.
    const typed = content.filter((b): b is Obj => isObj(b) && b.type === 'text' && typeof b.text === 'string').map((b) => typedText(b.text as string)).filter((t) => t.trim() && !WRAPPER.test(t.trimStart()));
    if (!typed.length) return undefined;
    text = typed.join('\n');
  } else {
    return undefined;
  }
  const head = text.trimStart();
  if (head === '' || WRAPPER.test(head) || NOT_A_PROMPT.test(head)) return undefined;
  return text;
}

/** `/init some args` from the `<command-name>` wrapper Claude Code writes for a slash command. */
function slashCommand(entry: Obj): string | undefined {
  if (entry.isSidechain === true || !isObj(entry.message)) return undefined;
  const text = contentText(entry.message.content);
  const name = /<command-name>\s*([^<]+?)\s*<\/command-name>/.exec(text)?.[1];
  if (!name) return undefined;
  const args = /<command-args>\s*([^<]*?)\s*<\/command-args>/.exec(text)?.[1];
  const command = name.startsWith('/') ? name : `/${name}`;
  return args ? `${command} ${args}` : command;
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

export interface ParseOptions {
  /**
   * The lines of the file before this text (a tail read from where the last read stopped): line
   * numbers count on from there, and a subagent's task is taken only from a line that starts a
   * sidechain (no `parentUuid`), since the start of one already running lies in the part read before.
   */
  firstLine?: number;
}

export function parseTranscript(text: string, opts: ParseOptions = {}): TranscriptParse {
  const base = opts.firstLine ?? 0;
  const out: TranscriptParse = {
    sessions: [],
    calls: [],
    prompts: [],
    commands: [],
    tasks: [],
    lines: 0,
    skipped: { broken: 0, unknownType: 0 },
    unanswered: 0,
    settledLines: 0,
  };
  const tasked = new Set<string>();
  const sessions = new Set<string>();
  const uses: ToolUse[] = [];
  const useIds = new Set<string>();
  const results = new Map<string, ToolResult>();

  const source = typeof text === 'string' ? text : '';
  const lines = splitLines(source);
  out.lines = lines.length;

  lines.forEach((raw, index) => {
    const lineNo = base + index + 1;
    if (raw.trim() === '') return;
    let entry: unknown;
    try {
      entry = JSON.parse(raw);
    } catch {
      out.skipped.broken++;
      return;
    }
    if (!isObj(entry)) {
      out.skipped.broken++;
      return;
    }
    const type = entry.type;
    if (typeof type !== 'string' || !KNOWN_TYPES.has(type)) {
      out.skipped.unknownType++;
      return;
    }
    const session = str(entry.sessionId);
    if (session && !sessions.has(session)) {
      sessions.add(session);
      out.sessions.push(session);
    }
    if (type === 'assistant') {
      const message = entry.message;
      if (!isObj(message) || !Array.isArray(message.content)) return;
      let env: Envelope | undefined;
      for (const block of message.content) {
        if (!isObj(block) || block.type !== 'tool_use') continue;
        const id = str(block.id);
        if (!id || useIds.has(id)) continue;
        useIds.add(id);
        env ??= envelope(entry, lineNo);
        uses.push({ env, id, name: str(block.name) ?? '', input: block.input });
      }
    } else if (type === 'user') {
      const message = entry.message;
      const content = isObj(message) ? message.content : undefined;
      const blocks = Array.isArray(content) ? content.filter((b): b is Obj => isObj(b) && b.type === 'tool_result') : [];
      if (blocks.length > 0) {
        const env = envelope(entry, lineNo);
        const single = blocks.length === 1;
        const hasStructured = single && 'toolUseResult' in entry;
        for (const block of blocks) {
          const id = str(block.tool_use_id);
          if (!id || results.has(id)) continue;
          results.set(id, {
            env,
            isError: block.is_error === true,
            text: contentText(block.content),
            structured: hasStructured ? entry.toolUseResult : undefined,
            hasStructured,
          });
        }
        return;
      }
      const prompt = promptText(entry);
      const at = { session: session ?? '', time: str(entry.timestamp) ?? '', line: lineNo };
      if (prompt !== undefined) {
        out.prompts.push({ ...at, text: prompt });
        return;
      }
      const command = slashCommand(entry);
      if (command) out.commands.push({ ...at, text: command });
      const agent = str(entry.agentId);
      const key = agent ?? '';
      if (entry.isSidechain === true && !tasked.has(key) && (base === 0 || entry.parentUuid === null)) {
        const text = contentText(isObj(message) ? message.content : undefined).trim();
        if (text) {
          tasked.add(key);
          out.tasks.push({ ...at, text, ...(agent ? { agent } : {}) });
        }
      }
    }
  });

  let firstOpen = Number.POSITIVE_INFINITY;
  for (const use of uses) {
    const result = results.get(use.id);
    if (!result) {
      out.unanswered++;
      firstOpen = Math.min(firstOpen, use.env.line);
      continue;
    }
    const structured = result.structured;
    const errorString = typeof structured === 'string' && structured.startsWith('Error:') ? structured : undefined;
    const ok = !result.isError && errorString === undefined;
    const call: TranscriptToolCall = {
      session: use.env.session ?? result.env.session ?? '',
      sidechain: use.env.sidechain,
      toolUseId: use.id,
      tool: use.name,
      input: use.input,
      ok,
      time: result.env.time ?? use.env.time ?? '',
      line: use.env.line,
    };
    const agent = use.env.agent ?? result.env.agent;
    if (agent) call.agent = agent;
    if (ok) {
      if (result.hasStructured) call.response = structured;
    } else {
      let error = unwrapToolUseError(result.text);
      if (error.trim() === '' && errorString !== undefined) error = errorString.replace(/^Error:\s?/, '');
      call.error = error;
    }
    const cwd = use.env.cwd ?? result.env.cwd;
    const version = use.env.version ?? result.env.version;
    if (cwd) call.cwd = cwd;
    if (version) call.version = version;
    out.calls.push(call);
  }
  // A last line without its newline may still be being written: it is read again next time.
  const lastComplete = base + (source === '' || source.endsWith('\n') ? out.lines : out.lines - 1);
  out.settledLines = Math.min(lastComplete, firstOpen - 1);
  return out;
}

/**
 * The hook payloads Claude Code would have sent live for these calls: PostToolUse for successes,
 * PostToolUseFailure for failures, in the documented shapes, plus `timestamp` and, for subagent
 * calls, `agent_id`. `cwd` is left out when the transcript did not record it; `tool_response` is
 * null when the transcript kept no structured output.
 *
 * Live, Claude Code fires no PostToolUseFailure for validation rejections (`<tool_use_error>`) or
 * permission denials; replayed from a transcript they are reported as failures all the same.
 */
export function toHookPayloads(parse: TranscriptParse, transcriptPath: string): Record<string, unknown>[] {
  return parse.calls.map((call) => {
    const payload: Record<string, unknown> = {
      session_id: call.session,
      transcript_path: transcriptPath,
      ...(call.cwd !== undefined ? { cwd: call.cwd } : {}),
      hook_event_name: call.ok ? 'PostToolUse' : 'PostToolUseFailure',
      tool_name: call.tool,
      tool_input: call.input ?? {},
      tool_use_id: call.toolUseId,
    };
    if (call.ok) {
      payload.tool_response = call.response ?? null;
    } else {
      payload.error = call.error ?? '';
      payload.is_interrupt = false;
    }
    payload.timestamp = call.time;
    if (call.agent !== undefined) payload.agent_id = call.agent;
    return payload;
  });
}
