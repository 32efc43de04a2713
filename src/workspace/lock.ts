import { promises as fs, statSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import lockfile from 'proper-lockfile';
import { UserError } from '../errors.js';
import { atomicWriteFile } from '../util/atomic-write.js';
import type { Layout } from './layout.js';

export interface LockOptions {
  timeoutMs: number;
  staleMs: number;
  /** What the holder is doing, shown to whoever waits. */
  purpose?: string;
}

/** The files of one lock: the workspace lock, or the job runner's (see schedule/runner-lock.ts). */
export type LockPaths = Pick<Layout, 'root' | 'lock' | 'lockOwner' | 'lockBreak'>;

export interface Owner {
  pid: number;
  host: string;
  command: string;
  since: string;
  /** Identity of the lock directory this owner created, so a breaker never removes a newer lock. */
  ino: number;
  birth: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function readOwner(ws: LockPaths): Owner | null {
  try {
    return JSON.parse(readFileSync(ws.lockOwner, 'utf8')) as Owner;
  } catch {
    return null;
  }
}

function describeOwner(owner: Owner | null): string {
  if (!owner) return 'another process';
  return `pid ${owner.pid} on ${owner.host} (${owner.command}, since ${owner.since})`;
}

/**
 * proper-lockfile only breaks a lock once its mtime is older than `staleMs`. A holder killed with
 * SIGKILL on this machine is known dead at once by its pid, so we break its lock early; the
 * break is itself serialised and checks that the lock directory is still the dead owner's.
 */
export async function breakIfOwnerDead(ws: LockPaths, staleMs: number): Promise<boolean> {
  const owner = readOwner(ws);
  if (!owner || owner.host !== hostname() || owner.pid === process.pid || pidAlive(owner.pid)) return false;
  let releaseBreak: (() => Promise<void>) | undefined;
  try {
    // proper-lockfile keys the locks a process holds by their first argument: each lock needs its own.
    releaseBreak = await lockfile.lock(ws.lockBreak, { lockfilePath: ws.lockBreak, stale: staleMs, realpath: false, retries: 0 });
  } catch {
    return false;
  }
  try {
    const again = readOwner(ws);
    if (!again || again.pid !== owner.pid || again.since !== owner.since) return false;
    let st;
    try {
      st = statSync(ws.lock);
    } catch {
      return true;
    }
    if (st.ino !== again.ino || st.birthtimeMs !== again.birth) return false;
    await fs.rm(ws.lockOwner, { force: true });
    await fs.rmdir(ws.lock).catch(() => undefined);
    return true;
  } finally {
    await releaseBreak();
  }
}

// Within one process, callers queue here instead of polling the directory against each other.
const queues = new Map<string, Promise<unknown>>();

/** Runs `fn` holding the workspace lock, shared by every nevo-tui process on this workspace. */
export async function withWorkspaceLock<T>(ws: Layout, opts: LockOptions, fn: () => Promise<T>): Promise<T> {
  const previous = queues.get(ws.lock) ?? Promise.resolve();
  let done!: () => void;
  const mine = new Promise<void>((r) => (done = r));
  const tail = previous.then(() => mine);
  queues.set(ws.lock, tail);
  await previous;
  try {
    return await lockedRun(ws, opts, fn);
  } finally {
    done();
    if (queues.get(ws.lock) === tail) queues.delete(ws.lock);
  }
}

async function lockedRun<T>(ws: Layout, opts: LockOptions, fn: () => Promise<T>): Promise<T> {
  let compromised: Error | null = null;
  const deadline = Date.now() + opts.timeoutMs;
  let release: (() => Promise<void>) | undefined;
  let wait = 2;
  for (;;) {
    try {
      release = await lockfile.lock(ws.root, {
        lockfilePath: ws.lock,
        stale: opts.staleMs,
        realpath: false,
        retries: 0,
        onCompromised: (err) => {
          compromised = err;
        },
      });
      break;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ELOCKED') throw err;
      if (await breakIfOwnerDead(ws, opts.staleMs)) continue;
      if (Date.now() >= deadline) {
        throw new UserError(
          `The workspace ${ws.root} is locked by ${describeOwner(readOwner(ws))}; waited ${opts.timeoutMs} ms.\n` +
            `Let that command finish, or stop it; a lock left by a dead process is broken automatically.`,
        );
      }
      await sleep(wait + Math.random() * wait);
      wait = Math.min(wait * 2, 50);
    }
  }
  try {
    const st = statSync(ws.lock);
    const owner: Owner = {
      pid: process.pid,
      host: hostname(),
      command: opts.purpose ?? process.argv.slice(2, 4).join(' ') ?? 'nevo-tui',
      since: new Date().toISOString(),
      ino: st.ino,
      birth: st.birthtimeMs,
    };
    await atomicWriteFile(ws.lockOwner, JSON.stringify(owner));
    const result = await fn();
    if (compromised) throw compromised;
    return result;
  } finally {
    await fs.rm(ws.lockOwner, { force: true }).catch(() => undefined);
    await release().catch(() => undefined);
  }
}
