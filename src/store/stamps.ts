import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeCacheFile } from '../util/atomic-write.js';

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
  private readonly stamps: MapFile;
  /**
   * How many records each file held when the store wrote it, by file, as "stamp|count": `status`
   * counts a year of shards without parsing them (a derived index, never versioned).
   */
  private readonly counts: MapFile;
  private readonly ownCounts = new Map<string, number>();

  constructor(
    private readonly root: string,
    file: string,
  ) {
    this.stamps = new MapFile(file);
    this.counts = new MapFile(join(dirname(file), 'store-counts.json'));
  }

  /** Notes the file `rel` as just written, holding `records` records; its stamp, or null when it is not there. */
  wrote(rel: string, records?: number): string | null {
    const stamp = fileStamp(join(this.root, rel));
    if (stamp) {
      this.own.set(rel, stamp);
      this.due.add(rel);
      if (records === undefined) this.ownCounts.delete(rel);
      else this.ownCounts.set(rel, records);
    }
    return stamp;
  }

  removed(rel: string): void {
    this.own.delete(rel);
    this.ownCounts.delete(rel);
  }

  /** The number of records of the file `rel`, as `stamp` shows it, when the store wrote it so and nothing touched it since. */
  countOf(rel: string, stamp: string): number | undefined {
    if (this.own.get(rel) === stamp && this.ownCounts.has(rel)) return this.ownCounts.get(rel);
    const saved = this.counts.read().get(rel);
    if (!saved || !saved.startsWith(`${stamp}|`) || !this.isOwn(rel, stamp)) return undefined;
    const n = Number(saved.slice(stamp.length + 1));
    return Number.isInteger(n) && n >= 0 ? n : undefined;
  }

  /**
   * Notes the counts of files the store wrote and nothing touched since, read without a count (a
   * workspace from before counts were kept), and saves it at once: counting is a read, done
   * without the lock, and a count saved over a newer one only names a stamp no file has.
   */
  async learnCounts(found: readonly { rel: string; stamp: string; records: number }[]): Promise<void> {
    const own = found.filter((f) => this.isOwn(f.rel, f.stamp));
    if (!own.length) return;
    const counts = new Map(this.counts.read());
    for (const f of own) counts.set(f.rel, `${f.stamp}|${f.records}`);
    await this.counts.write(counts);
  }

  /** Whether the file `rel`, as `stamp` shows it, is one the store wrote (in this process or another) and nothing touched since. */
  isOwn(rel: string, stamp: string): boolean {
    return this.own.get(rel) === stamp || this.stamps.read().get(rel) === stamp;
  }

  /** Saves the stamps of the files written since the last save (under the lock), beside those of earlier processes. */
  async save(gone: readonly string[]): Promise<void> {
    if (!this.due.size && !gone.length) return;
    const stamps = new Map(this.stamps.read());
    const counts = new Map(this.counts.read());
    for (const rel of gone) {
      stamps.delete(rel);
      counts.delete(rel);
    }
    for (const rel of this.due) {
      const stamp = this.own.get(rel)!;
      stamps.set(rel, stamp);
      const n = this.ownCounts.get(rel);
      if (n === undefined) counts.delete(rel);
      else counts.set(rel, `${stamp}|${n}`);
    }
    this.due.clear();
    await this.stamps.write(stamps);
    await this.counts.write(counts);
  }
}

/**
 * A JSON file of strings by name, kept parsed while it is unchanged (writers replace it whole). A
 * cache: a missing or unreadable file reads as empty, and a write that fails is only lost.
 */
class MapFile {
  private held: { stamp: string | null; map: Map<string, string> } | null = null;

  constructor(private readonly file: string) {}

  read(): Map<string, string> {
    const stamp = fileStamp(this.file);
    if (!this.held || this.held.stamp !== stamp) {
      let map = new Map<string, string>();
      try {
        const raw = JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, unknown>;
        map = new Map(Object.entries(raw).filter((e): e is [string, string] => typeof e[1] === 'string'));
      } catch {
        // none yet, or unreadable
      }
      this.held = { stamp, map };
    }
    return this.held.map;
  }

  async write(map: ReadonlyMap<string, string>): Promise<void> {
    await writeCacheFile(this.file, JSON.stringify(Object.fromEntries(map)));
    this.held = null;
  }
}
