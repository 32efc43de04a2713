// Runs a command line the way every outside program of nevo is run (the analyst, the summarizer,
// a gate stage): through the shell, with a timeout, bounded output, and its whole process group
// killed when it must stop.
import { spawn } from 'node:child_process';

/** Output beyond this is not read: the command is stopped and the call fails. */
export const MAX_STDOUT = 1024 * 1024;
/** The text of a kept tail; when it was cut, from its first whole line on. */
function fromWholeLine(bytes: Buffer, cut: boolean): string {
  if (!cut) return bytes.toString('utf8');
  const nl = bytes.indexOf(10);
  return (nl >= 0 ? bytes.subarray(nl + 1) : Buffer.alloc(0)).toString('utf8');
}

/** Only the end of stderr is kept: its last lines explain a failure. */
const MAX_STDERR = 64 * 1024;
/** After a kill, how long to wait for the pipes to close before giving up on them. */
const KILL_GRACE_MS = 2000;

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

    // Interrupted while a reaped command runs: its whole group goes first, then nevo as asked.
    // Listening starts before the command does: a signal that came between the two would take
    // nevo down by default and leave the command's group running, detached.
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
    // NEVO_HOOK_SKIP: if the analyst is Claude Code, its own session must not feed nevo's hooks.
    const child = spawn(command, { shell: true, detached: true, cwd, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true, env: { ...process.env, ...opts.env, NEVO_HOOK_SKIP: '1' } });
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
