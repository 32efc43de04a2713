import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { redactString, redactValue } from '../redact/redact.js';
import { UserError, errorMessage } from '../errors.js';
import type { LedgerEntry } from '../store/schemas.js';
import { dayOf } from '../util/day.js';
import { packageRoot } from '../util/package-root.js';
import { describeIssues } from '../util/zod-issues.js';
import type { Workspace } from '../workspace/workspace.js';
import { ANALYST_SKILL, buildPrompt, loadAnalystSkill } from './prompt.js';
import { analysisSchema, type Analysis, type AnalystContext } from './schema.js';

export interface ExternalResult {
  analysis: Analysis;
  ledger: LedgerEntry;
}

/** Output beyond this is not read: the command is stopped and the call fails. */
const MAX_STDOUT = 1024 * 1024;
/** The text of a kept tail; when it was cut, from its first whole line on. */
function fromWholeLine(bytes: Buffer, cut: boolean): string {
  if (!cut) return bytes.toString('utf8');
  const nl = bytes.indexOf(10);
  return (nl >= 0 ? bytes.subarray(nl + 1) : Buffer.alloc(0)).toString('utf8');
}

/** Only the end of stderr is kept: its last lines explain a failure. */
const MAX_STDERR = 64 * 1024;
const STDERR_LINES = 8;
/** After a kill, how long to wait for the pipes to close before giving up on them. */
const KILL_GRACE_MS = 2000;
const MAX_LEDGER_ERROR = 500;

interface Usage {
  input: number;
  output: number;
}

/** A rough token count for text whose real count is unknown. */
function estimateTokens(bytes: number): number {
  return Math.ceil(bytes / 4);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function tokensOf(e: LedgerEntry): number {
  return (e.tokensIn ?? estimateTokens(e.bytesIn)) + (e.tokensOut ?? estimateTokens(e.bytesOut));
}

function spentOn(entries: LedgerEntry[], day: string, timeZone: string): { calls: number; tokens: number } {
  const today = entries.filter((e) => dayOf(e.time, timeZone) === day);
  return { calls: today.length, tokens: today.reduce((sum, e) => sum + tokensOf(e), 0) };
}

/**
 * What is left of the daily budget of external calls on `day` (every call counts, failed or not);
 * `spent` once either the calls or the tokens are used up.
 */
export function budgetLeft(entries: LedgerEntry[], day: string, budget: { calls: number; tokens: number }, timeZone: string): { calls: number; tokens: number; spent: boolean } {
  const used = spentOn(entries, day, timeZone);
  const calls = Math.max(0, budget.calls - used.calls);
  const tokens = Math.max(0, budget.tokens - used.tokens);
  return { calls, tokens, spent: calls === 0 || tokens === 0 };
}

/** The JSON object in a text: the whole text, its one fenced block, or the span from its first `{` to its last `}`. */
function objectInText(text: string, what: string): unknown {
  const trimmed = text.trim();
  if (trimmed === '') throw new Error(`${what} is empty`);
  const whole = tryParse(trimmed);
  if (whole.ok) return whole.value;

  const blocks = [...trimmed.matchAll(/(`{3,})[ \t]*([\w-]*)[^\n]*\n([\s\S]*?)\n?[ \t]*\1/g)].map((m) => ({ lang: (m[2] ?? '').toLowerCase(), body: m[3] ?? '' }));
  const candidates = blocks.filter((b) => b.lang === 'json' || b.lang === '' || b.lang === 'jsonc');
  const parsed = candidates.flatMap((b) => {
    const r = tryParse(b.body.trim());
    return r.ok && isObject(r.value) ? [r.value] : [];
  });
  if (parsed.length === 1) return parsed[0];
  if (parsed.length > 1) throw new Error(`${what} has ${parsed.length} fenced JSON blocks; expected exactly one`);
  if (candidates.length > 0) {
    const first = tryParse(candidates[0]!.body.trim());
    throw new Error(`${what} has a fenced block that is not a JSON object${first.ok ? '' : ` (${first.error})`}`);
  }

  const start = trimmed.indexOf('{');
  const end = trimmed.lastIndexOf('}');
  if (start >= 0 && end > start) {
    const span = tryParse(trimmed.slice(start, end + 1));
    if (span.ok) return span.value;
  }
  throw new Error(`${what} is not JSON (${whole.error}) and holds no fenced JSON block`);
}

function tryParse(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    return { ok: false, error: errorMessage(err) };
  }
}

function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.round(v) : 0;
}

/** The `claude -p --output-format json` result envelope (or, with --verbose, the last result of the array). */
function envelopeOf(value: unknown): Record<string, unknown> | null {
  if (isObject(value) && value.type === 'result' && typeof value.result === 'string') return value;
  if (Array.isArray(value)) {
    const last = value.filter((v): v is Record<string, unknown> => isObject(v) && v.type === 'result' && typeof v.result === 'string').at(-1);
    return last ?? null;
  }
  return null;
}

function parseOutput(stdout: string): { value: unknown; usage?: Usage } {
  const top = objectInText(stdout, 'the output');
  const envelope = envelopeOf(top);
  if (envelope) {
    if (envelope.is_error === true) {
      const subtype = typeof envelope.subtype === 'string' ? ` (${envelope.subtype})` : '';
      throw new Error(`the output is an error result${subtype}: ${String(envelope.result).trim().slice(0, 300) || 'no message'}`);
    }
    const value = objectInText(envelope.result as string, 'the result text');
    if (!isObject(value)) throw new Error('the result text holds JSON that is not an object');
    let usage: Usage | undefined;
    if (isObject(envelope.usage)) {
      const u = envelope.usage;
      usage = { input: num(u.input_tokens) + num(u.cache_creation_input_tokens) + num(u.cache_read_input_tokens), output: num(u.output_tokens) };
    }
    return { value, usage };
  }
  if (!isObject(top)) throw new Error(`the output is JSON but not an object (${Array.isArray(top) ? 'an array' : typeof top})`);
  return { value: top };
}

/**
 * The JSON object an analyst printed: a bare object, the `claude -p --output-format json` envelope
 * (whose `result` text holds the object, possibly in a ```json fence), or text with one fenced JSON
 * block. Throws an Error saying what was wrong otherwise.
 */
export function extractJson(stdout: string): unknown {
  return parseOutput(stdout).value;
}

export interface RunOutcome {
  stdout: string;
  stdoutBytes: number;
  stderr: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  overflow: boolean;
  spawnError?: Error;
}

function killGroup(pid: number | undefined, fallback: () => void): void {
  try {
    if (pid === undefined || process.platform === 'win32') throw new Error('no process group');
    process.kill(-pid, 'SIGKILL');
  } catch {
    try {
      fallback();
    } catch {
      // already gone
    }
  }
}

export interface RunOptions {
  /** Added to the environment (NEVO_HOOK_SKIP=1 is always set). */
  env?: Record<string, string>;
  /**
   * Keep only the last this many bytes of stdout instead of stopping the command past the stdout
   * limit: for commands whose output is read by people (a gate stage), not parsed.
   */
  stdoutTail?: number;
  /**
   * When the command exits, whatever it started in the background dies with it, and its pipes
   * are not waited for (a gate stage that leaves a server running must not hang the gate).
   */
  reap?: boolean;
}

/** How long a finished command's pipes may still be drained before they are cut. */
const REAP_GRACE_MS = 300;

/** Runs a command line through the shell with `input` on stdin; never rejects. */
export function runCommand(command: string, input: string, cwd: string, timeoutMs: number, opts: RunOptions = {}): Promise<RunOutcome> {
  return new Promise((resolve) => {
    const out: Buffer[] = [];
    let outBytes = 0;
    let err = Buffer.alloc(0);
    let errCut = false;
    let timedOut = false;
    let overflow = false;
    let settled = false;
    let spawnError: Error | undefined;
    let graceTimer: NodeJS.Timeout | undefined;

    // NEVO_HOOK_SKIP: if the analyst is Claude Code, its own session must not feed nevo's hooks.
    const child = spawn(command, { shell: true, detached: true, cwd, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true, env: { ...process.env, ...opts.env, NEVO_HOOK_SKIP: '1' } });

    // Interrupted while a reaped command runs: its whole group goes first, then nevo as asked.
    const onSignal = (sig: NodeJS.Signals) => {
      killGroup(child.pid, () => child.kill('SIGKILL'));
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      process.kill(process.pid, sig);
    };
    if (opts.reap) {
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
    }
    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      if (settled) return;
      settled = true;
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      clearTimeout(timer);
      clearTimeout(graceTimer);
      const kept = Buffer.concat(out);
      // A tail cut in the middle of a line may start inside a token, where redaction cannot tell it
      // is one: the partial first line goes.
      const stdout = fromWholeLine(kept, opts.stdoutTail !== undefined && outBytes > kept.length);
      const stderr = fromWholeLine(err, errCut);
      resolve({ stdout, stdoutBytes: outBytes, stderr, code, signal, timedOut, overflow, spawnError });
    };
    const stop = () => {
      killGroup(child.pid, () => child.kill('SIGKILL'));
      // A grandchild that left the group could hold the pipes open: do not wait for it forever.
      graceTimer ??= setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
        finish(child.exitCode, child.signalCode);
      }, KILL_GRACE_MS);
    };

    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, timeoutMs);

    child.stdout.on('data', (chunk: Buffer) => {
      outBytes += chunk.length;
      if (opts.stdoutTail !== undefined) {
        out.push(chunk);
        let kept = out.reduce((n, b) => n + b.length, 0);
        while (kept > opts.stdoutTail && out.length > 1) kept -= out.shift()!.length;
        if (kept > opts.stdoutTail) out[0] = out[0]!.subarray(kept - opts.stdoutTail);
        return;
      }
      if (overflow) return;
      if (outBytes > MAX_STDOUT) {
        overflow = true;
        stop();
        return;
      }
      out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err = Buffer.concat([err, chunk]);
      if (err.length > MAX_STDERR) {
        err = err.subarray(err.length - MAX_STDERR);
        errCut = true;
      }
    });
    // A command that exits without reading its input closes the pipe: not an error of ours.
    child.stdin.on('error', () => {});
    child.on('error', (e) => {
      spawnError = e;
      finish(null, null);
    });
    child.on('close', (code, signal) => {
      if (opts.reap) killGroup(child.pid, () => undefined);
      finish(code, signal);
    });
    if (opts.reap) {
      child.on('exit', (code, signal) => {
        setTimeout(() => {
          killGroup(child.pid, () => undefined);
          child.stdout?.destroy();
          child.stderr?.destroy();
          finish(code, signal);
        }, REAP_GRACE_MS).unref();
      });
    }
    child.stdin.end(input);
  });
}

function lastLines(text: string, n: number): string {
  const lines = text.replace(/\s+$/, '').split(/\r?\n/);
  return lines.slice(-n).join('\n');
}

/**
 * Per kind of external command: the config.json section that holds its settings, and the area of
 * the commit that records its call.
 */
const KINDS = {
  analyst: { config: 'analyst', area: 'analyze' },
  'skill-writer': { config: 'skills', area: 'skills' },
  summarizer: { config: 'memory', area: 'memory' },
  extractor: { config: 'memory', area: 'memory' },
} as const;
export type ExternalKind = keyof typeof KINDS;

function failure(outcome: RunOutcome, command: string, timeoutMs: number, kind: ExternalKind): string | null {
  const name = `the ${kind} command \`${command}\``;
  if (outcome.spawnError) return `${name} could not be started: ${outcome.spawnError.message}`;
  if (outcome.timedOut) return `${name} timed out after ${timeoutMs} ms and was stopped; raise ${KINDS[kind].config}.timeoutMs in config.json or check that the command answers`;
  if (outcome.overflow) return `${name} printed more than ${MAX_STDOUT} bytes and was stopped; it must print one JSON object`;
  if (outcome.code !== 0) {
    const how = outcome.code === null ? `was killed by ${outcome.signal ?? 'a signal'}` : `exited with code ${outcome.code}`;
    const tail = lastLines(outcome.stderr, STDERR_LINES);
    return `${name} ${how}${tail ? `; the end of its stderr:\n${tail}` : ' and printed nothing on stderr'}`;
  }
  return null;
}

/** The system's IANA zone when the config leaves it empty, for the budget message. */
function zoneName(timeZone: string): string {
  return timeZone || Intl.DateTimeFormat().resolvedOptions().timeZone || 'the system time zone';
}

export interface ExternalCall<T> {
  /** Ledger kind and the name in messages. */
  kind: ExternalKind;
  command: string;
  timeoutMs: number;
  prompt: string;
  /** What the call is about (an incident id, a session id), for the ledger. */
  subject: string;
  /** Checks the JSON object the command printed: the value, or what is wrong with it. */
  check: (value: unknown) => { ok: true; value: T } | { ok: false; error: string };
}

/**
 * Runs an external command under the shared contract: checks the daily budget, pipes the prompt
 * to the command, and checks its answer. Every call is recorded in the ledger; nothing else is
 * written (the caller stores the result). Throws a UserError saying what went wrong.
 */
export async function runExternal<T>(ws: Workspace, call: ExternalCall<T>): Promise<{ value: T; ledger: LedgerEntry }> {
  const { command, timeoutMs, kind } = call;
  const { timeZone } = ws.config;
  const budget = ws.config.analyst.dailyBudget;

  const ledger = (await ws.store.read('ledger')).records;
  const today = dayOf(ws.clock(), timeZone);
  if (budgetLeft(ledger, today, budget, timeZone).spent) {
    const used = spentOn(ledger, today, timeZone);
    throw new UserError(
      `${kind === 'analyst' ? "the analyst's daily budget" : 'the daily budget of external calls'} is spent: ${used.calls} of ${budget.calls} calls, ${used.tokens} of ${budget.tokens} tokens; ` +
        `it resets at midnight (${zoneName(timeZone)}); raise analyst.dailyBudget in config.json`,
    );
  }

  const bytesIn = Buffer.byteLength(call.prompt, 'utf8');
  const time = ws.clock().toISOString();
  const started = performance.now();
  const outcome = await runCommand(command, call.prompt, ws.root, timeoutMs);
  const ms = Math.round(performance.now() - started);

  let error = failure(outcome, command, timeoutMs, kind);
  let usage: Usage | undefined;
  let value: T | undefined;
  if (!error) {
    try {
      const parsed = parseOutput(outcome.stdout);
      usage = parsed.usage;
      // What a command answers (a rule, a narrative, facts) is redacted before anything reads it.
      const checked = call.check(redactValue(parsed.value));
      if (checked.ok) value = checked.value;
      else error = checked.error;
    } catch (err) {
      const start = outcome.stdout.trim().slice(0, 200);
      error = `the ${kind} command \`${command}\` printed no usable JSON: ${errorMessage(err)}; it must print one JSON object${start ? `. Its output began: ${start}` : ''}`;
    }
  }

  // The ledger is committed and errors are shown: a command's stderr (or the command line itself)
  // can carry a key, redacted like a hook payload.
  if (error !== null) error = redactString(error);
  const entry: LedgerEntry = {
    id: `${time}-${randomBytes(3).toString('hex')}`,
    time,
    kind,
    command: redactString(command),
    ms,
    bytesIn,
    bytesOut: outcome.stdoutBytes,
    tokensIn: usage?.input ?? estimateTokens(bytesIn),
    tokensOut: usage?.output ?? estimateTokens(outcome.stdoutBytes),
    ok: error === null,
    ...(error === null ? {} : { error: error.length > MAX_LEDGER_ERROR ? `${error.slice(0, MAX_LEDGER_ERROR - 3)}...` : error }),
    subject: call.subject,
  };
  await ws.store.transact(
    async (tx) => {
      (await tx.doc('ledger')).records.push(entry);
      tx.touch('ledger');
      tx.message(KINDS[kind].area, `external ${kind} on ${call.subject}: ${entry.ok ? 'ok' : 'failed'}`, [call.subject]);
    },
    { purpose: kind },
  );

  if (error !== null || value === undefined) throw new UserError(error ?? `the ${kind} command \`${command}\` gave no answer`);
  return { value, ledger: entry };
}

/** Asks the configured external analyst about one incident (see `runExternal`). */
export async function runExternalAnalyst(ws: Workspace, ctx: AnalystContext, opts: { command?: string; timeoutMs?: number } = {}): Promise<ExternalResult> {
  const command = (opts.command ?? ws.config.analyst.command).trim();
  if (!command) throw new UserError('no external analyst is configured: set analyst.command in config.json (for example "claude -p --output-format json").');
  const { value, ledger } = await runExternal<Analysis>(ws, {
    kind: 'analyst',
    command,
    timeoutMs: opts.timeoutMs ?? ws.config.analyst.timeoutMs,
    prompt: buildPrompt(loadAnalystSkill(ws.root, packageRoot()), ctx),
    subject: ctx.incident.id,
    check: (v) => {
      const checked = analysisSchema.safeParse(v);
      if (checked.success) return { ok: true, value: checked.data };
      const issues = describeIssues(checked.error.issues, v, 'field').map((d) => `  - ${d.text}`);
      return { ok: false, error: `the analyst command \`${command}\` answered JSON that is not a valid analysis:\n${issues.join('\n')}\nSee ${ANALYST_SKILL} for the expected shape.` };
    },
  });
  return { analysis: value, ledger };
}
