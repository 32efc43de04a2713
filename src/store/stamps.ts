import { promises as fs, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { atomicWriteFile } from '../util/atomic-write.js';

/** A file's identity and version: inode, size, modification and change times (null: no such file). */
export function fileStamp(file: string): string | null {
  try {
    const st = statSync(file, { bigint: true });
    return `${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
  } catch {
    return null;
  }
}

/**
 * What each document file looked like right after the store wrote it from validated data, so a
 * read that finds it unchanged skips the schema check. The stamps outlive the process in `file`:
 * a command started later (`rules approve`, `status`, the TUI) then parses the shards of a year
 * without checking each record again. A file changed by anything else has another stamp (its
 * change time moves with every write), so it is checked as before. Only a cache: lost or stale,
 * it costs a check, nothing more.
 */
export class WrittenStamps {
  /** What this process wrote. */
  private readonly own = new Map<string, string>();
  /** Written since the stamps were last saved. */
  private readonly due = new Set<string>();
  private persisted: { stamp: string | null; stamps: Map<string, string> } | null = null;

  constructor(
    private readonly root: string,
    private readonly file: string,
  ) {}

  /** Notes the file `rel` as just written; its stamp, or null when it is not there. */
  wrote(rel: string): string | null {
    const stamp = fileStamp(join(this.root, rel));
    if (stamp) {
      this.own.set(rel, stamp);
      this.due.add(rel);
    }
    return stamp;
  }

  removed(rel: string): void {
    this.own.delete(rel);
  }

  /** Whether the file `rel`, as `stamp` shows it, is one the store wrote (in this process or another) and nothing touched since. */
  isOwn(rel: string, stamp: string): boolean {
    return this.own.get(rel) === stamp || this.load().get(rel) === stamp;
  }

  private load(): Map<string, string> {
    const stamp = fileStamp(this.file);
    if (!this.persisted || this.persisted.stamp !== stamp) {
      let stamps = new Map<string, string>();
      try {
        const raw = JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, unknown>;
        stamps = new Map(Object.entries(raw).filter((e): e is [string, string] => typeof e[1] === 'string'));
      } catch {
        // none yet, or unreadable: every file is checked
      }
      this.persisted = { stamp, stamps };
    }
    return this.persisted.stamps;
  }

  /** Saves the stamps of the files written since the last save (under the lock), beside those of earlier processes. */
  async save(gone: readonly string[]): Promise<void> {
    if (!this.due.size && !gone.length) return;
    const stamps = new Map(this.load());
    for (const rel of gone) stamps.delete(rel);
    for (const rel of this.due) stamps.set(rel, this.own.get(rel)!);
    this.due.clear();
    try {
      await fs.mkdir(dirname(this.file), { recursive: true });
      await atomicWriteFile(this.file, JSON.stringify(Object.fromEntries(stamps)), false);
    } catch {
      // a cache: the next process checks the files instead
    }
    this.persisted = null;
  }
}
