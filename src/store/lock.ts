import nodeFs, { promises as fs, mkdirSync, readFileSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { UserError } from '../errors.js';
import { atomicWriteFileSync } from '../util/atomic-write.js';

// Loaded by the first change, not with the store: a command that only reads never takes the lock.
const loadLockfile = async () => (await import('proper-lockfile')).default;

export interface LockOptions {
  timeoutMs: number;
  staleMs: number;
  /** What the holder is doing, shown to whoever waits. */
  purpose?: string;
}

/**
 * The files of one lock: the workspace lock, or the job runner's (see schedule/runner-lock.ts).
 * workspace/layout.ts gives them their places.
 */
export interface LockPaths {
  root: string;
  lock: string;
  lockOwner: string;
  lockBreak: string;
}

export interface Owner {
  pid: number;
  host: string;
  command: string;
  since: string;
  /** Identity of the lock directory this owner created, so a breaker never removes a newer lock. */
  ino: number;
  birth: number;
  /** When the process started (Linux clock ticks since boot): a pid reused later has another. */
  start?: number;
}

/**
 * proper-lockfile breaks a lock whose directory was not refreshed for its `stale` time, even when
 * the holder is alive but paused (SIGSTOP, a suspended laptop, heavy swapping): the resumed holder
 * and the breaker then both write. Its own age check is set beyond any pause (a day); locks are
 * broken here, when the owner is known dead.
 */
const NEVER_BY_AGE_MS = 24 * 60 * 60 * 1000;

/** A process's start time, from /proc on Linux; undefined elsewhere (the pid alone then decides). */
export function processStart(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]);
    return Number.isFinite(ticks) ? ticks : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the owner's process is gone: its pid is free, or taken by a process started later. */
export function ownerDead(owner: Pick<Owner, 'pid' | 'start'>): boolean {
  if (!pidAlive(owner.pid)) return true;
  if (owner.start === undefined) return false;
  const now = processStart(owner.pid);
  return now !== undefined && now !== owner.start;
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
  // A lock directory whose owner never wrote its name (killed between the two) is abandoned once
  // it is older than the stale time: a live taker writes its name within milliseconds.
  if (!owner) return breakOwnerless(ws, staleMs);
  if (owner.host !== hostname() || owner.pid === process.pid || !ownerDead(owner)) return false;
  return underBreakLock(ws, staleMs, async () => {
    const again = readOwner(ws);
    if (!again || again.pid !== owner.pid || again.since !== owner.since) return false;
    const st = statSync(ws.lock, { throwIfNoEntry: false });
    if (!st) return true;
    if (!madeBy(again, st)) return false;
    // One synchronous step, as a release is: a breaker killed here leaves no ownerless directory.
    rmSync(ws.lockOwner, { force: true });
    try {
      rmdirSync(ws.lock);
    } catch {
      // gone already
    }
    return true;
  });
}

async function breakOwnerless(ws: LockPaths, staleMs: number): Promise<boolean> {
  const st = statSync(ws.lock, { throwIfNoEntry: false });
  if (!st) return true;
  if (Date.now() - st.mtimeMs < staleMs) return false;
  return underBreakLock(ws, staleMs, async () => {
    if (readOwner(ws)) return false;
    const again = statSync(ws.lock, { throwIfNoEntry: false });
    if (!again) return true;
    if (again.ino !== st.ino || again.birthtimeMs !== st.birthtimeMs) return false;
    await fs.rmdir(ws.lock).catch(() => undefined);
    return true;
  });
}

/** Runs a break of the lock while holding the break lock, so two breakers never both break it. */
async function underBreakLock(ws: LockPaths, staleMs: number, fn: () => Promise<boolean>): Promise<boolean> {
  let releaseBreak: () => Promise<void>;
  try {
    // proper-lockfile keys the locks a process holds by their first argument: each lock needs its own.
    releaseBreak = await (await loadLockfile()).lock(ws.lockBreak, { lockfilePath: ws.lockBreak, stale: staleMs, realpath: false, retries: 0 });
  } catch {
    return false;
  }
  try {
    return await fn();
  } finally {
    await releaseBreak();
  }
}

/** Thrown when the lock was taken away while held: the holder writes nothing. */
export class LockLostError extends Error {
  constructor(root: string) {
    super(`The workspace lock of ${root} was taken away while this command held it; it wrote nothing. Run the command again.`);
  }
}

/** Whether the lock directory `st` is the one `owner` made: a directory made later has another identity. */
function madeBy(owner: Pick<Owner, 'ino' | 'birth'>, st: { ino: number; birthtimeMs: number } | undefined): boolean {
  return !!st && st.ino === owner.ino && st.birthtimeMs === owner.birth;
}

/** Whether this process still holds the lock it took (its owner file and lock directory are still there). */
export function stillHeld(ws: LockPaths, mine: Owner): boolean {
  const owner = readOwner(ws);
  if (!owner || owner.pid !== mine.pid || owner.since !== mine.since || owner.host !== mine.host) return false;
  const st = statSync(ws.lock, { throwIfNoEntry: false });
  return madeBy(mine, st);
}

// Within one process, callers queue here instead of polling the directory against each other.
const queues = new Map<string, Promise<unknown>>();

/** Runs `fn` holding the workspace lock, shared by every nevo-tui process on this workspace. */
export async function withWorkspaceLock<T>(ws: LockPaths, opts: LockOptions, fn: (held: () => boolean) => Promise<T>): Promise<T> {
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

/**
 * The file system proper-lockfile takes and releases a lock directory with. The directory and
 * its owner file come and go together, in one synchronous step: a holder killed with SIGKILL
 * leaves both or neither (short of a kill between two system calls), never a directory with no
 * owner, which every process would have to wait out for the stale time (ownerless, it cannot be
 * told from one being taken this instant). Unflushed: after a power loss the lock means nothing,
 * and an empty owner file reads as ownerless.
 *
 * A removal removes only what is this process's: proper-lockfile still counts a lock taken away
 * (found stale while its holder slept) as held until it notices, and removes its lock at exit.
 */
export function ownedFs(ws: LockPaths, draft: Omit<Owner, 'ino' | 'birth' | 'since'>, since = () => new Date().toISOString()) {
  let mine: Owner | null = null;
  const remove = (path: string) => {
    const held = mine;
    mine = null;
    // A lock this process took goes only while it is still the one it made.
    if (held && !stillHeld(ws, held)) return;
    // Not taken by this process: proper-lockfile breaking a lock gone stale. Its owner file goes
    // with it when it names this very directory.
    const owner = held ?? readOwner(ws);
    if (owner && madeBy(owner, statSync(path, { throwIfNoEntry: false }))) rmSync(ws.lockOwner, { force: true });
    rmdirSync(path);
  };
  const fs = {
    ...nodeFs,
    mkdir(path: string, cb: (err: NodeJS.ErrnoException | null) => void) {
      try {
        mkdirSync(path);
      } catch (err) {
        return cb(err as NodeJS.ErrnoException);
      }
      try {
        const st = statSync(path);
        const owner: Owner = { ...draft, since: since(), ino: st.ino, birth: st.birthtimeMs };
        atomicWriteFileSync(ws.lockOwner, JSON.stringify(owner), false);
        mine = owner;
      } catch (err) {
        try {
          rmdirSync(path);
        } catch {
          // the error that counts is the write's
        }
        return cb(err as NodeJS.ErrnoException);
      }
      cb(null);
    },
    rmdir(path: string, cb: (err: NodeJS.ErrnoException | null) => void) {
      try {
        remove(path);
      } catch (err) {
        return cb(err as NodeJS.ErrnoException);
      }
      cb(null);
    },
    rmdirSync: remove,
  };
  /** `fs` for proper-lockfile; `owner()` is this process's owner record while it holds the lock. */
  return { fs, owner: () => mine };
}

async function lockedRun<T>(ws: LockPaths, opts: LockOptions, fn: (held: () => boolean) => Promise<T>): Promise<T> {
  let compromised: Error | null = null;
  const deadline = Date.now() + opts.timeoutMs;
  let release: (() => Promise<void>) | undefined;
  let wait = 2;
  const draft: Omit<Owner, 'ino' | 'birth' | 'since'> = {
    pid: process.pid,
    host: hostname(),
    command: opts.purpose ?? process.argv.slice(2, 4).join(' ') ?? 'nevo-tui',
  };
  const start = processStart(process.pid);
  if (start !== undefined) draft.start = start;
  const owned = ownedFs(ws, draft);
  for (;;) {
    try {
      release = await (await loadLockfile()).lock(ws.root, {
        lockfilePath: ws.lock,
        stale: NEVER_BY_AGE_MS,
        realpath: false,
        retries: 0,
        fs: owned.fs,
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
        const holder = readOwner(ws);
        const elsewhere = holder && holder.host !== hostname();
        throw new UserError(
          `The workspace ${ws.root} is locked by ${describeOwner(holder)}; waited ${opts.timeoutMs} ms.\n` +
            (elsewhere
              ? `That process runs on another machine, so nevo-tui cannot tell whether it is alive. If it is gone, remove ${ws.lock} and ${ws.lockOwner}.`
              : `Let that command finish, or stop it; a lock left by a dead process is broken automatically. A paused holder (stopped, suspended) keeps its lock until it resumes.`),
        );
      }
      await sleep(wait + Math.random() * wait);
      wait = Math.min(wait * 2, 50);
    }
  }
  const mine = owned.owner()!;
  try {
    const result = await fn(() => !compromised && stillHeld(ws, mine));
    if (compromised) throw compromised;
    return result;
  } finally {
    // A lock taken away is someone else's now: its owner file and directory are left alone.
    if (!compromised && stillHeld(ws, mine)) await release().catch(() => undefined);
  }
}
