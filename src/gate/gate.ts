/**
 * The quality gate's decisions, free of processes and files: given what has run so far, what runs
 * next. The runner (`run.ts`) executes each step and feeds the outcome back.
 *
 * An iteration is one pass over the stages, in order, stopping at the first failure. With a refine
 * command, a failure runs it and the next iteration starts again from the first stage (the fix may
 * have broken an earlier one); after `maxIterations` failed passes the gate escalates instead.
 */

export interface GateStage {
  name: string;
  command: string;
  timeoutMs?: number;
}

export interface GatePlan {
  stages: GateStage[];
  /** Empty: no refine loop, the first failure ends the gate. */
  refine: string;
  maxIterations: number;
}

/** What has happened so far, in order. */
export type GateHistory = ({ kind: 'stage'; name: string; ok: boolean } | { kind: 'refine' })[];

export type GateStep =
  /** Run this stage next. */
  | { kind: 'stage'; stage: GateStage; index: number; iteration: number }
  /** A stage failed and another iteration is allowed: run the refine command, then retry. */
  | { kind: 'refine'; failed: string; iteration: number }
  /** Every stage passed. */
  | { kind: 'passed'; iteration: number }
  /** A stage failed and there is no refine command. */
  | { kind: 'failed'; failed: string; iteration: number }
  /** A stage still failed on the last allowed iteration: a circuit breaker for a person. */
  | { kind: 'escalate'; failed: string; iteration: number };

export function nextStep(plan: GatePlan, history: GateHistory): GateStep {
  const lastRefine = history.map((h) => h.kind).lastIndexOf('refine');
  const iteration = 1 + history.filter((h) => h.kind === 'refine').length;
  const current = history.slice(lastRefine + 1).filter((h): h is { kind: 'stage'; name: string; ok: boolean } => h.kind === 'stage');
  const failed = current.find((h) => !h.ok);
  if (failed) {
    if (!plan.refine.trim()) return { kind: 'failed', failed: failed.name, iteration };
    if (iteration >= plan.maxIterations) return { kind: 'escalate', failed: failed.name, iteration };
    return { kind: 'refine', failed: failed.name, iteration };
  }
  const index = current.length;
  if (index < plan.stages.length) return { kind: 'stage', stage: plan.stages[index]!, index, iteration };
  return { kind: 'passed', iteration };
}

/** The last `lines` lines of a text, at most `chars` characters (the end is kept). */
export function tail(text: string, lines = 30, chars = 3000): string {
  const kept = text.replace(/\s+$/, '').split(/\r?\n/).slice(-lines).join('\n');
  return kept.length > chars ? `…${kept.slice(kept.length - chars)}` : kept;
}

export interface StageFailure {
  /** Exit code, or null when the command was killed or never started. */
  code: number | null;
  timedOut: boolean;
  timeoutMs: number;
  /** Why the command could not be started, if it could not. */
  spawnError?: string;
  /** The end of what it printed. */
  output: string;
}

/**
 * The error text of a failed stage: a first line saying how it ended (`Exit code N`, as a shell
 * failure reads in a hook event, so that the same failure fingerprints the same), then the end of
 * its output.
 */
export function failureText(f: StageFailure): string {
  const how = f.spawnError
    ? `Could not start the command: ${f.spawnError}`
    : f.timedOut
      ? `Timed out after ${f.timeoutMs} ms and was stopped`
      : f.code === null
        ? 'Killed by a signal'
        : `Exit code ${f.code}`;
  const out = tail(f.output);
  return out ? `${how}\n${out}` : `${how}\n(no output)`;
}

/** The circuit breaker's error: which stage, after how many iterations, and its last output. */
export function breakerText(stage: string, iterations: number, last: string): string {
  const refines = iterations - 1;
  return `Circuit breaker: the gate stage ${stage} did not pass in ${iterations} iteration(s) (${refines} refine run(s)); a person must decide what to do.\n${last}`;
}

/** What the refine command reads on stdin. */
export function refinePrompt(stage: GateStage, iteration: number, maxIterations: number, failure: string): string {
  return [
    `The quality gate stage "${stage.name}" failed on iteration ${iteration} of ${maxIterations}.`,
    `Command: ${stage.command}`,
    'How it ended, and the end of its output:',
    failure,
    '',
    'Fix the cause in the project. When you exit, the gate runs every stage again from the first.',
    '',
  ].join('\n');
}
