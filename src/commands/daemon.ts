import type { Command } from 'commander';
import { emit } from '../output.js';
import { JobRunner } from '../app/jobs.js';
import { startServing } from './serve-search.js';
import { notRunMessage } from '../schedule/runner.js';
import { describeRunner } from '../schedule/runner-lock.js';
import type { JobResult } from '../schedule/run-job.js';
import { workspaceOf } from './context.js';
import { resultLine } from './jobs.js';

interface Opts {
  once?: boolean;
  json?: boolean;
}

const stamp = () => new Date().toISOString().slice(0, 19).replace('T', ' ');

/**
 * `nevo-tui daemon`: the jobs without the TUI. It holds the workspace's runner lock until stopped
 * (SIGINT, SIGTERM, SIGHUP), letting a job half-way finish first. `--once` runs what is due and exits.
 */
export async function run(opts: Opts, cmd: Command): Promise<void> {
  const ws = workspaceOf(cmd);
  const log = (line: string) => {
    if (!opts.json) process.stdout.write(`${stamp()} ${line}\n`);
  };
  const results: JobResult[] = [];
  const errors: string[] = [];
  const runner = new JobRunner(ws, {
    kind: opts.once ? 'daemon --once' : 'daemon',
    watchTriggers: true,
    onRun: (r) => {
      results.push(r);
      if (opts.json && !opts.once) process.stdout.write(`${JSON.stringify(r)}\n`);
      log(resultLine(r));
    },
    // Goes to stderr even with --json: a broken store/jobs.json stops every job until it is fixed.
    onError: (err, name) => {
      const message = notRunMessage(err, name);
      errors.push(message);
      process.stderr.write(`${stamp()} ${message}\n`);
    },
  });
  const role = await runner.start();
  if (role !== 'runner') {
    const message = `Jobs of ${ws.root} already run in ${describeRunner(runner.owner)}; not starting a second runner.`;
    await runner.stop();
    emit(opts.json, { ran: false, runner: runner.owner, message }, () => message);
    if (!opts.once) process.exitCode = 1;
    return;
  }
  if (opts.once) {
    // start() queued the catch-up; wait for it and leave.
    await runner.idle();
    await runner.stop();
    const failed = errors.length > 0 || results.some((r) => r.ran && r.run.outcome === 'failed');
    emit(opts.json, { ran: true, results, ...(errors.length ? { errors } : {}) }, () => (results.length || errors.length ? '' : 'Nothing was due.'));
    if (failed) process.exitCode = 1;
    return;
  }
  log(`running the jobs of ${ws.root} (pid ${process.pid}); next: ${Object.entries(runner.nextRuns()).map(([n, d]) => `${n} ${d ? d.toISOString() : '-'}`).join(', ')}`);
  // The agent's `memory search` is answered here while the daemon runs (src/serve/).
  const server = await startServing(ws).catch(() => null);
  if (server) log('answering memory search for this workspace');
  await new Promise<void>((resolve) => {
    const bye = (sig: string) => {
      log(`${sig}: stopping after the job in progress`);
      void Promise.all([runner.stop(), server?.close()]).then(() => resolve());
    };
    process.once('SIGINT', () => bye('SIGINT'));
    process.once('SIGTERM', () => bye('SIGTERM'));
    // The terminal it was started in closed.
    process.once('SIGHUP', () => bye('SIGHUP'));
  });
}
