import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { analyzeOpened } from '../analyze/auto.js';
import type { AnalyzeOutcome } from '../analyze/analyze.js';
import { runCommand } from '../external/command.js';
import { redactString } from '../redact/redact.js';
import { recordReports, type Report } from '../detect/report.js';
import { UserError } from '../errors.js';
import type { Workspace } from '../workspace/workspace.js';
import { breakerText, failureText, nextStep, refinePrompt, tail, type GateHistory, type GateStage } from './gate.js';

/** What one command did. */
export interface CommandOutcome {
  ok: boolean;
  code: number | null;
  timedOut: boolean;
  ms: number;
  /** The end of stdout and stderr. */
  output: string;
  spawnError?: string;
}

/** Runs one shell command; injected so the loop can be tested without processes. */
export type CommandRunner = (command: string, opts: { cwd: string; timeoutMs: number; input: string; env: Record<string, string> }) => Promise<CommandOutcome>;

export interface StageRun extends CommandOutcome {
  name: string;
  command: string;
  iteration: number;
  /** The incident this failure opened or was counted into. */
  incident?: string;
}

export interface RefineRun extends CommandOutcome {
  iteration: number;
  /** The stage whose failure it answered. */
  after: string;
}

export interface GateResult {
  passed: boolean;
  stages: StageRun[];
  refines: RefineRun[];
  iterations: number;
  escalated: boolean;
  /** Incidents opened or counted into by this run (quality failures, then the breaker). */
  incidents: string[];
  opened: string[];
  analyzed: AnalyzeOutcome[];
}

/** Only the end of a command's output is kept: it says why it failed. */
const OUTPUT_TAIL_BYTES = 64 * 1024;

/** The default runner: the analyst's process handling (shell, timeout, process-group kill, NEVO_HOOK_SKIP=1). */
export const shellRunner: CommandRunner = async (command, opts) => {
  const started = performance.now();
  const r = await runCommand(command, opts.input, opts.cwd, opts.timeoutMs, { env: opts.env, stdoutTail: OUTPUT_TAIL_BYTES, reap: true });
  const ms = Math.round(performance.now() - started);
  // Redacted here, so the console, --json, the incident and the refine prompt all get clean text.
  const output = redactString([r.stdout.replace(/\s+$/, ''), r.stderr.replace(/\s+$/, '')].filter(Boolean).join('\n'));
  const outcome: CommandOutcome = { ok: !r.spawnError && !r.timedOut && r.code === 0, code: r.code, timedOut: r.timedOut, ms, output: tail(output, 40, 4000) };
  if (r.spawnError) outcome.spawnError = r.spawnError.message;
  return outcome;
};

export interface RunGateOptions {
  runner?: CommandRunner;
  /** Told of each stage and refine run as it ends (for the human output). */
  onRun?: (run: { kind: 'stage'; run: StageRun } | { kind: 'refine'; run: RefineRun }) => void;
}

/**
 * Runs the gate of the workspace's config: each failed stage becomes a `quality` report, and a gate
 * that gives up after its refine loop a `breaker` report, recorded like `nevo-tui report` (redacted,
 * capped, opening or counting incidents). New incidents are analyzed as after any ingest.
 */
export async function runGate(ws: Workspace, opts: RunGateOptions = {}): Promise<GateResult> {
  const runner = opts.runner ?? shellRunner;
  // The gate's config is its plan (stages, refine, maxIterations) and the limits it runs them with.
  const cfg = ws.config.gate;
  const cwd = resolve(ws.projectRoot, cfg.cwd);
  if (!existsSync(cwd) || !statSync(cwd).isDirectory()) throw new UserError(`gate.cwd: ${cwd} is not a folder; fix gate.cwd in config.json (relative to the project).`);

  const history: GateHistory = [];
  const result: GateResult = { passed: false, stages: [], refines: [], iterations: 0, escalated: false, incidents: [], opened: [], analyzed: [] };
  const lastFailure = new Map<string, string>();

  // recordReports redacts and caps the report as it does any other.
  const record = async (report: Report): Promise<string | undefined> => {
    const summary = await recordReports(ws, [report]);
    result.opened.push(...summary.opened);
    const fate = summary.stored[0]?.fate;
    const id = fate && (fate.kind === 'opened' || fate.kind === 'counted') ? fate.incident : undefined;
    if (id && !result.incidents.includes(id)) result.incidents.push(id);
    return id;
  };

  for (;;) {
    const step = nextStep(cfg, history);
    result.iterations = step.iteration;
    if (step.kind === 'passed') {
      result.passed = true;
      break;
    }
    if (step.kind === 'failed') break;
    if (step.kind === 'escalate') {
      result.escalated = true;
      await record({ signal: 'breaker', name: 'gate', error: breakerText(step.failed, step.iteration, lastFailure.get(step.failed) ?? '') });
      break;
    }
    if (step.kind === 'refine') {
      const stage = cfg.stages.find((s) => s.name === step.failed)!;
      const out = await runner(cfg.refine, {
        cwd,
        timeoutMs: cfg.timeoutMs,
        input: refinePrompt(stage, step.iteration, cfg.maxIterations, lastFailure.get(step.failed) ?? ''),
        env: { NEVO_GATE_STAGE: stage.name, NEVO_GATE_ITERATION: String(step.iteration), NEVO_GATE_MAX_ITERATIONS: String(cfg.maxIterations) },
      });
      const run: RefineRun = { ...out, iteration: step.iteration, after: stage.name };
      result.refines.push(run);
      opts.onRun?.({ kind: 'refine', run });
      // A refine command that fails still may have changed something: the next iteration tells.
      history.push({ kind: 'refine' });
      continue;
    }
    const stage: GateStage = step.stage;
    const timeoutMs = stage.timeoutMs ?? cfg.timeoutMs;
    const out = await runner(stage.command, { cwd, timeoutMs, input: '', env: { NEVO_GATE_STAGE: stage.name, NEVO_GATE_ITERATION: String(step.iteration) } });
    const run: StageRun = { ...out, name: stage.name, command: stage.command, iteration: step.iteration };
    if (!out.ok) {
      const error = failureText({ code: out.code, timedOut: out.timedOut, timeoutMs, output: out.output, ...(out.spawnError ? { spawnError: out.spawnError } : {}) });
      lastFailure.set(stage.name, error);
      const id = await record({ signal: 'quality', name: stage.name, error, target: stage.command.split('\n')[0]!.slice(0, 300) });
      if (id) run.incident = id;
    }
    result.stages.push(run);
    opts.onRun?.({ kind: 'stage', run });
    history.push({ kind: 'stage', name: stage.name, ok: out.ok });
  }

  result.analyzed = await analyzeOpened(ws, result.opened);
  return result;
}
