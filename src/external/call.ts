// The one contract for every outside command (the analyst, the skill writer, the summarizer, the
// fact extractor): a daily budget, the prompt on stdin, one JSON object back, redacted, and every
// call written to the ledger. Here, below the mechanisms, so that none imports another for it.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { UserError, errorMessage } from '../errors.js';
import { redactString, redactValue } from '../redact/redact.js';
import type { LedgerEntry } from '../store/schemas.js';
import { dayOf } from '../util/day.js';
import type { Workspace } from '../workspace/workspace.js';
import { parseOutput, type Usage } from './answer.js';
import { MAX_STDOUT, runCommand, type RunOutcome } from './command.js';

/** How much of a failed command's stderr its error quotes, and how long a ledger error may be. */
const STDERR_LINES = 8;
const MAX_LEDGER_ERROR = 500;

/** A rough token count for text whose real count is unknown. */
function estimateTokens(bytes: number): number {
  return Math.ceil(bytes / 4);
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

  const ledger = await ws.store.ledger.list();
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
      await tx.ledger.upsert([entry]);
      tx.message(KINDS[kind].area, `external ${kind} on ${call.subject}: ${entry.ok ? 'ok' : 'failed'}`, [call.subject]);
    },
    { purpose: kind },
  );

  if (error !== null || value === undefined) throw new UserError(error ?? `the ${kind} command \`${command}\` gave no answer`);
  return { value, ledger: entry };
}
