import type { Command } from 'commander';
import { emit } from '../output.js';
import { duration } from '../util/format.js';
import { runGate, type RefineRun, type StageRun } from '../gate/run.js';
import { outcomeText } from './analyze.js';
import { workspaceOf } from './context.js';

interface Opts {
  json?: boolean;
}

function how(r: StageRun | RefineRun): string {
  if (r.spawnError) return 'could not start';
  if (r.timedOut) return 'timed out';
  return r.code === null ? 'killed' : `exit code ${r.code}`;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}

function stageLine(r: StageRun): string {
  if (r.ok) return `✓ ${r.name}  ${duration(r.ms)}`;
  const last = r.output.split('\n').slice(-12).join('\n');
  return [`✗ ${r.name}  ${duration(r.ms)}  (${how(r)}${r.incident ? `; incident ${r.incident}` : ''})`, ...(last ? [indent(last)] : [])].join('\n');
}

function refineLine(r: RefineRun): string {
  return `↻ refine after ${r.after} (iteration ${r.iteration})  ${duration(r.ms)}${r.ok ? '' : `  (${how(r)})`}`;
}

export async function run(opts: Opts, cmd: Command): Promise<void> {
  const ws = workspaceOf(cmd);
  const result = await runGate(ws, {
    onRun: opts.json ? undefined : (e) => process.stdout.write(`${e.kind === 'stage' ? stageLine(e.run) : refineLine(e.run)}\n`),
  });
  const { stages, iterations, escalated, incidents, passed, refines, analyzed } = result;
  emit(opts.json, { passed, stages, refines, iterations, escalated, incidents, analyzed }, () => {
    const failed = stages.at(-1);
    const summary = passed
      ? `Gate passed${iterations > 1 ? ` on iteration ${iterations}` : ''}.`
      : escalated
        ? `Gate escalated: ${failed?.name ?? 'a stage'} still failed after ${iterations} iteration(s); breaker incident ${incidents.at(-1) ?? '?'} waits for a person (Review screen, \`nevo-tui incidents\`).`
        : `Gate failed at ${failed?.name ?? 'a stage'}${failed?.incident ? `: incident ${failed.incident}` : ''}.`;
    return [summary, ...analyzed.map(outcomeText)].join('\n');
  });
  if (!passed) process.exitCode = 1;
}
