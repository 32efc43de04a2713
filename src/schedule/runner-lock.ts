import { statSync } from 'node:fs';
import { hostname } from 'node:os';
import lockfile from 'proper-lockfile';
import type { Layout } from '../workspace/layout.js';
import { breakIfOwnerDead, ownedFs, pidAlive, readOwner, type LockPaths, type Owner } from '../store/lock.js';

/** Which process runs the jobs of a workspace, as a second instance shows it. */
export interface RunnerOwner {
  pid: number;
  host: string;
  /** `tui` or `daemon`. */
  kind: string;
  since: string;
}

export interface RunnerLease {
  /** Resolves when the lease is lost (its lock was taken away, e.g. after the machine slept). */
  lost: Promise<void>;
  release(): Promise<void>;
}

// The lock is refreshed every STALE_MS / 2 while held; one not refreshed for STALE_MS is abandoned.
// A holder killed on this machine is known dead at once by its pid (see breakIfOwnerDead).
const STALE_MS = 30_000;

const paths = (l: Layout): LockPaths => ({ root: l.root, lock: l.runnerLock, lockOwner: l.runnerOwner, lockBreak: l.runnerBreak });

function asRunner(o: Owner | null): RunnerOwner | null {
  return o ? { pid: o.pid, host: o.host, kind: o.command, since: o.since } : null;
}

/**
 * A holder names itself in the step that makes the folder (ownedFs), but one of an older version
 * wrote its name after, seconds after on a busy machine: this waits while the lock is there without
 * a name (up to the stale time), not for a fixed moment.
 */
async function ownerOf(p: LockPaths): Promise<RunnerOwner | null> {
  const until = Date.now() + STALE_MS;
  for (;;) {
    const o = asRunner(readOwner(p));
    if (o) return o;
    if (!statSync(p.lock, { throwIfNoEntry: false }) || Date.now() > until) return null;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The process running the jobs now, or null when none does (a dead holder counts as none). */
export function currentRunner(l: Layout): RunnerOwner | null {
  const owner = asRunner(readOwner(paths(l)));
  if (!owner) return null;
  if (owner.host === hostname() && !pidAlive(owner.pid)) return null;
  try {
    statSync(l.runnerLock);
  } catch {
    return null;
  }
  return owner;
}

/**
 * Tries once to become the workspace's job runner. Returns the lease, or the owner that holds it.
 * Only one process at a time holds it, across TUIs, daemons and `daemon --once`.
 */
export async function acquireRunner(l: Layout, kind: string, now: () => Date): Promise<{ lease: RunnerLease } | { owner: RunnerOwner | null }> {
  const p = paths(l);
  let signalLost!: () => void;
  const lost = new Promise<void>((r) => (signalLost = r));
  let release: () => Promise<void>;
  // The lock folder and its owner file come and go together (see ownedFs).
  const { fs } = ownedFs(p, { pid: process.pid, host: hostname(), command: kind }, () => now().toISOString());
  for (let attempt = 0; ; attempt++) {
    try {
      // proper-lockfile keys a process's locks by this first argument; the workspace lock uses the root.
      release = await lockfile.lock(l.runnerLock, { lockfilePath: l.runnerLock, stale: STALE_MS, realpath: false, retries: 0, fs, onCompromised: () => signalLost() });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ELOCKED') throw err;
      if (attempt === 0 && (await breakIfOwnerDead(p, STALE_MS))) continue;
      return { owner: await ownerOf(p) };
    }
  }
  let released = false;
  return {
    lease: {
      lost,
      async release() {
        if (released) return;
        released = true;
        // A lease lost is someone else's lock now: proper-lockfile then removes nothing.
        await release().catch(() => undefined);
      },
    },
  };
}

export function describeRunner(o: RunnerOwner | null): string {
  if (!o) return 'no process';
  return `${o.kind} pid ${o.pid}${o.host === hostname() ? '' : ` on ${o.host}`}, since ${o.since}`;
}
