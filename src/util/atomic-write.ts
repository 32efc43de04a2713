import { promises as fs, writeFileSync, renameSync, unlinkSync, openSync, fsyncSync, closeSync, mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

import { TEMP_PREFIX, uniqueSuffix } from './temp-name.js';

export { TEMP_PREFIX };

/** The file a failed write was for, on the error: a full disk is reported with the file, not its temp. */
function named(err: unknown, target: string): unknown {
  if (err && typeof err === 'object') (err as { target?: string }).target = target;
  return err;
}

/** The file a failed write was meant for, when the error came from an atomic write. */
export function failedTarget(err: unknown): string | undefined {
  const e = err as { target?: unknown; path?: unknown } | null;
  return typeof e?.target === 'string' ? e.target : typeof e?.path === 'string' ? e.path : undefined;
}

export function tempPathFor(target: string): string {
  return join(dirname(target), `${TEMP_PREFIX}${basename(target)}-${uniqueSuffix()}`);
}

/**
 * Writes a whole file so that a reader (or a crash at any instant) sees either the old
 * content or the new one, never a torn mix: write a temp file, flush it, rename it over.
 */
export async function atomicWriteFile(target: string, data: string | Uint8Array, flush = true): Promise<void> {
  const tmp = tempPathFor(target);
  try {
    const handle = await fs.open(tmp, 'w');
    try {
      await handle.writeFile(data);
      if (flush) await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(tmp, target);
  } catch (err) {
    await fs.unlink(tmp).catch(() => undefined);
    throw named(err, target);
  }
}

export function atomicWriteFileSync(target: string, data: string | Uint8Array, flush = true): void {
  const tmp = tempPathFor(target);
  try {
    if (flush) {
      const fd = openSync(tmp, 'w');
      try {
        writeFileSync(fd, data);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    } else {
      writeFileSync(tmp, data);
    }
    renameSync(tmp, target);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      // the temp file may never have been created
    }
    throw named(err, target);
  }
}

/**
 * Writes a derived file (a cache under `.cache/`): its folder made first, unflushed, and a failure
 * only lost, since the next reader rebuilds what it finds missing.
 */
export async function writeCacheFile(target: string, data: string): Promise<void> {
  try {
    await fs.mkdir(dirname(target), { recursive: true });
    await atomicWriteFile(target, data, false);
  } catch {
    // a cache: the next reader does without
  }
}

/** writeCacheFile for a caller that cannot wait (a lint run in steps, a synchronous load). */
export function writeCacheFileSync(target: string, data: string): void {
  try {
    mkdirSync(dirname(target), { recursive: true });
    atomicWriteFileSync(target, data, false);
  } catch {
    // a cache: the next reader does without
  }
}

