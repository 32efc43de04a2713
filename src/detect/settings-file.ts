// Reading and writing a Claude Code settings file: atomically, through a symbolic link (dotfile
// managers), keeping an existing file's permission bits.
import { chmodSync, lstatSync, mkdirSync, readFileSync, realpathSync, statSync, unlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import { UserError, errorMessage } from '../errors.js';
import { atomicWriteFileSync } from '../util/atomic-write.js';

/** The file's text; null when there is none. */
export function readSettings(file: string, shown: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new UserError(`cannot read ${shown}: ${errorMessage(err)}`);
  }
}

export function writeSettings(file: string, text: string, existed: boolean): void {
  let target = file;
  let mode: number | undefined;
  if (existed) {
    target = realpathSync(file);
    mode = statSync(target).mode & 0o7777;
  } else {
    mkdirSync(dirname(file), { recursive: true });
  }
  atomicWriteFileSync(target, text);
  if (mode !== undefined) {
    try {
      chmodSync(target, mode);
    } catch {
      // a file we may write but not chmod keeps the new file's bits
    }
  }
}

/**
 * Removes the settings file install created. A symlink (a dotfile manager took the file over)
 * stays, and its target gets the `{}` install started from.
 */
export function deleteSettings(file: string): void {
  let stat;
  try {
    stat = lstatSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  if (stat.isSymbolicLink()) writeSettings(file, '{}\n', true);
  else unlinkSync(file);
}
