import { spawn } from 'node:child_process';
import { getPriority, setPriority } from 'node:os';
import type { JobName } from '../store/vocabulary.js';
import type { JobReason, JobResult } from './run-job.js';

export type JobExecutor = (name: JobName, reason: JobReason, slot?: Date) => Promise<JobResult>;

// The last bytes of a child's stderr are kept for the error of a run that printed no result.
const STDERR_TAIL = 2000;

/**
 * Runs each job in a child `nevo-tui jobs run`, so a long job (the self-review of a big workspace
 * parses every incident and rule) never holds up the keys of the TUI that started it. The child
 * claims and records the run like any other process; a child that dies leaves a running mark
 * whose process is gone, which the next claim takes over.
 */
/** The line of a child's stderr that names what went wrong (a crash ends with Node's version). */
function errorLine(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.find((l) => /error/i.test(l)) ?? lines.at(-1) ?? '';
}

/** A background job yields the cores to the process that started it: the TUI's keys come first. */
function lowerPriority(pid: number | undefined): void {
  if (!pid) return;
  try {
    setPriority(pid, Math.min(19, getPriority() + 10));
  } catch {
    // Not allowed here (or the child is already gone): it runs at the same priority.
  }
}

export function childExecutor(cli: string, workspace: string, label: string): JobExecutor {
  return (name, reason, slot) =>
    new Promise((resolve) => {
      const args = [cli, '--workspace', workspace, 'jobs', 'run', name, '--json', '--reason', reason, '--by', label, ...(slot ? ['--slot', slot.toISOString()] : [])];
      // The same node flags as this process (a loader, say), but never a second debugger on its port.
      const flags = process.execArgv.filter((f) => !f.startsWith('--inspect'));
      const child = spawn(process.execPath, [...flags, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NEVO_WORKSPACE: '' } });
      lowerPriority(child.pid);
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (err = (err + d).slice(-STDERR_TAIL)));
      const fail = (why: string): JobResult => ({ ran: false, name, reason: why, crashed: true });
      child.on('error', (e) => resolve(fail(`could not start ${name}: ${e.message}`)));
      child.on('close', (code, signal) => {
        try {
          resolve(JSON.parse(out) as JobResult);
        } catch {
          resolve(fail(`${name} stopped (${signal ?? `exit code ${code}`}) without a result${err.trim() ? `: ${errorLine(err)}` : ''}`));
        }
      });
    });
}
