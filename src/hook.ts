// `nevo-tui hook`: the only code Claude Code waits on. It reads one event on stdin, redacts and
// caps it, drops it into the workspace's triggers/ and exits 0, whatever it is fed; except that a
// PreToolUse call matching the guard of an active rule exits 2, which blocks the call, with the
// rule on stderr for the agent to read, and that Stop waits for the capture hooks of its session
// still running in the background (detect/hook-wait.ts). It imports nothing heavy: no argument
// parser, schema library, glob library, git or store.
import { appendFileSync, mkdirSync, statSync, renameSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { cleanPayload } from './detect/clean.js';
import { BLOCK_HEAD, loadGuards, matchGuard } from './detect/guard-match.js';
import { HOOK_EVENTS } from './detect/hook-events.js';
import { countLost, ensureLostTally } from './detect/lost-tally.js';
import { sessionContext } from './detect/session-context.js';
import { waitForSiblingHooks } from './detect/hook-wait.js';
import { PROBE_ANSWER, PROBE_ENV } from './detect/probe.js';
import { callTriggerId, newTriggerId, writeTrigger, type Rejection, type Trigger } from './detect/trigger.js';
import { findUp, resolveNamed } from './workspace/discover.js';
import type { CompiledGuard } from './rules/guards.js';

/** Beyond this the payload is not parsed: it is tallied as rejected (too large) and dropped. */
export const SKIP_ENV = 'NEVO_HOOK_SKIP';

export const MAX_PAYLOAD_BYTES = 8 * 1024 * 1024;
/** Claude Code always closes stdin; this only guards against a caller that never does. */
const STDIN_TIMEOUT_MS = 5000;

export interface Input {
  head: Buffer;
  bytes: number;
  timedOut: boolean;
}

function readStdin(): Promise<Input> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let kept = 0;
    let bytes = 0;
    let settled = false;
    const finish = (timedOut: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // A writer that never closes stdin must not keep the hook alive past its timeout.
      if (timedOut) process.stdin.destroy();
      resolve({ head: Buffer.concat(chunks), bytes, timedOut });
    };
    const timer = setTimeout(() => finish(true), STDIN_TIMEOUT_MS);
    if (process.stdin.isTTY) return finish(false);
    process.stdin.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (kept < MAX_PAYLOAD_BYTES) {
        chunks.push(chunk);
        kept += chunk.length;
      }
    });
    process.stdin.on('end', () => finish(false));
    process.stdin.on('error', () => finish(false));
  });
}

/** Small fields read from the start of a payload too large (or too broken) to parse. */
function sniff(head: Buffer): Pick<Rejection, 'event' | 'session' | 'tool'> {
  const text = head.subarray(0, 65536).toString('utf8');
  const field = (name: string) => new RegExp(`"${name}"\\s*:\\s*"([^"]{1,200})"`).exec(text)?.[1];
  const out: Pick<Rejection, 'event' | 'session' | 'tool'> = {};
  const event = field('hook_event_name');
  const session = field('session_id');
  const tool = field('tool_name');
  if (event) out.event = event;
  if (session) out.session = session;
  if (tool) out.tool = tool;
  return out;
}

function workspaceFor(payload: Record<string, unknown> | null, env: NodeJS.ProcessEnv): string | null {
  if (env.NEVO_WORKSPACE) return resolveNamed(env.NEVO_WORKSPACE);
  for (const start of [env.CLAUDE_PROJECT_DIR, typeof payload?.cwd === 'string' ? payload.cwd : undefined]) {
    if (!start) continue;
    const found = findUp(start);
    if (found) return found;
  }
  return null;
}

/**
 * With no workspace to hold it, a rejected event is still tallied: one JSON line appended to a
 * per-user log (appends this small are atomic), rotated once it passes 1 MB.
 */
function tallyOrphan(reason: string, extra: Record<string, unknown>, env: NodeJS.ProcessEnv): void {
  const dir = join(env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'nevo-tui');
  const file = join(dir, 'rejected.jsonl');
  mkdirSync(dir, { recursive: true });
  try {
    if (statSync(file).size > 1024 * 1024) renameSync(file, `${file}.1`);
  } catch {
    // no log yet
  }
  appendFileSync(file, `${JSON.stringify({ time: new Date().toISOString(), reason, ...extra })}\n`);
}

export function classifyInput(input: Input): { payload: Record<string, unknown> } | { rejected: Rejection } {
  const base = { bytes: input.bytes };
  if (input.bytes > MAX_PAYLOAD_BYTES) return { rejected: { reason: `payload too large (over ${MAX_PAYLOAD_BYTES} bytes)`, ...base, ...sniff(input.head) } };
  const text = input.head.toString('utf8');
  // What arrived before the timeout may still be a whole payload; only an incomplete one is rejected.
  if (input.timedOut) {
    try {
      JSON.parse(text);
    } catch {
      return { rejected: { reason: 'stdin not closed in time', ...base, ...sniff(input.head) } };
    }
  }
  if (!text.trim()) return { rejected: { reason: 'empty input', ...base } };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { rejected: { reason: 'invalid JSON', ...base, ...sniff(input.head) } };
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return { rejected: { reason: 'not a JSON object', ...base } };
  const payload = parsed as Record<string, unknown>;
  const event = payload.hook_event_name;
  if (typeof event !== 'string' || !event) return { rejected: { reason: 'no hook_event_name', ...base } };
  if (!HOOK_EVENTS.has(event)) return { rejected: { reason: `unknown event ${event.slice(0, 60)}`, ...base, event: event.slice(0, 60) } };
  return { payload };
}

/** Claude Code's exit code for "block this call, and show stderr to the model". */
export const BLOCK_EXIT_CODE = 2;

export interface HookOutcome {
  /** The trigger file written, if any. */
  file: string | null;
  /** The guard that blocks this call, if any (PreToolUse only). */
  blocked: CompiledGuard | null;
  /** Active rules to hand the agent at SessionStart, when configured (see detect/session-context.ts). */
  context: string | null;
  /** The payload's hook_event_name, when it had one. */
  event: string | null;
}

/** The guard of an active rule this PreToolUse call matches; null for any other event. Never throws. */
function guardFor(workspace: string, payload: Record<string, unknown>): CompiledGuard | null {
  if (payload.hook_event_name !== 'PreToolUse' || typeof payload.tool_name !== 'string') return null;
  try {
    const guards = loadGuards(workspace);
    return guards && guards.guards.length ? matchGuard(guards, payload.tool_name, payload.tool_input) : null;
  } catch {
    return null;
  }
}

/** What the agent reads when its call is blocked. */
export function blockMessage(guard: CompiledGuard): string {
  const head = `${BLOCK_HEAD}${guard.rule}${guard.title ? ` ${guard.title}` : ''}`;
  const text = guard.text.trim();
  return `${head}\n${text ? `${text}\n` : ''}`;
}

/**
 * Everything the hook does after reading stdin; never throws. The guard is matched against the
 * payload as sent (before redaction and capping), and a matching call is blocked even when its
 * trigger cannot be written.
 */
export function handleHook(input: Input, env: NodeJS.ProcessEnv, started = Date.now()): HookOutcome {
  const outcome: HookOutcome = { file: null, blocked: null, context: null, event: null };
  // nevo's own helpers (an external analyst such as `claude -p`) run with this set: their
  // sessions are nevo at work, not the agent, and must not be recorded as the agent's.
  if (env[SKIP_ENV] === '1') return outcome;
  let payload: Record<string, unknown> | null = null;
  let rejection: Rejection | null = null;
  try {
    const kind = classifyInput(input);
    if ('payload' in kind) payload = kind.payload;
    else rejection = kind.rejected;
    if (typeof payload?.hook_event_name === 'string') outcome.event = payload.hook_event_name;
    const workspace = workspaceFor(payload, env);
    const receivedAt = new Date(started).toISOString();
    if (!workspace) {
      tallyOrphan(rejection?.reason ?? 'no workspace', { event: payload?.hook_event_name ?? rejection?.event, cwd: payload?.cwd, projectDir: env.CLAUDE_PROJECT_DIR }, env);
      return outcome;
    }
    const triggers = join(workspace, 'triggers');
    const id = (payload && callTriggerId(payload)) ?? newTriggerId(started);
    if (rejection) {
      outcome.file = writeCounted(triggers, { v: 1, id, receivedAt, source: 'hook', rejected: rejection });
      return outcome;
    }
    if (payload!.hook_event_name === 'SessionStart') outcome.context = sessionContext(workspace);
    outcome.blocked = guardFor(workspace, payload!);
    const cleaned = cleanPayload(payload!);
    outcome.file = writeCounted(
      triggers,
      outcome.blocked ? { v: 1, id, receivedAt, source: 'hook', payload: cleaned, blocked: { rule: outcome.blocked.rule } } : { v: 1, id, receivedAt, source: 'hook', payload: cleaned },
    );
    return outcome;
  } catch (err) {
    try {
      tallyOrphan(`hook failed: ${(err as Error)?.message ?? String(err)}`.slice(0, 300), {}, env);
    } catch {
      // The agent must never be broken by the hook: swallow even this.
    }
    return outcome;
  }
}

/**
 * Writes the trigger; one that cannot be written (a full disk, a folder it may not write) is
 * counted in the workspace's lost tally, which status, doctor and Watch show.
 */
function writeCounted(triggers: string, trigger: Trigger): string | null {
  try {
    const file = writeTrigger(triggers, trigger);
    ensureLostTally(triggers);
    return file;
  } catch (err) {
    countLost(triggers, err);
    throw err;
  }
}

/** Everything the hook does after reading stdin; never throws. Returns the trigger file written, if any. */
export function handleInput(input: Input, env: NodeJS.ProcessEnv): string | null {
  return handleHook(input, env).file;
}

/** Runs the hook; resolves to its exit code (2 when a guard blocks the call, else 0) and sets it. */
export async function runHook(_args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  // A reader that went away (EPIPE) is no reason to fail the agent's call.
  process.stdout.on('error', () => undefined);
  process.stderr.on('error', () => undefined);
  let code = 0;
  process.exitCode = 0;
  try {
    const input = await readStdin();
    if (env[PROBE_ENV] === '1') {
      const kind = classifyInput(input);
      const workspace = workspaceFor('payload' in kind ? kind.payload : null, env);
      process.stdout.write(`${PROBE_ANSWER} ${JSON.stringify({ workspace })}\n`);
      return 0;
    }
    // Timed from when Claude Code started the process: a background hook may end after the next one began.
    const { blocked, context, event } = handleHook(input, env, Math.floor(performance.timeOrigin));
    // Claude Code cancels the background hooks still running once the Stop hooks return.
    if (event === 'Stop') await waitForSiblingHooks();
    if (context) process.stdout.write(`${JSON.stringify({ hookSpecificOutput: { hookEventName: 'SessionStart', additionalContext: context } })}\n`);
    if (blocked) {
      code = BLOCK_EXIT_CODE;
      process.stderr.write(blockMessage(blocked));
    }
  } catch {
    // handleHook already swallows; this guards the read itself and the write to stderr.
  }
  process.exitCode = code;
  return code;
}
