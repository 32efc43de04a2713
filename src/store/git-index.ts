/**
 * What a commit of some paths tells git's index (`.git/index`, version 2): each path's new entry,
 * or null when the path is gone. The rest of the index is copied byte for byte, so updating a
 * few paths costs one pass over the file's bytes, not a parse of its tens of thousands of entries.
 */
export interface IndexEntry {
  path: string;
  oid: string;
  /** 0o100644, 0o100755 or 0o120000. */
  mode: number;
  stat: { ctimeMs: number; mtimeMs: number; dev: number; ino: number; uid: number; gid: number; size: number };
}

const HEADER = 12;
const FIXED = 62; // an entry's bytes before its path
const TRAILER = 20;

/**
 * The index with `changes` applied, or null when it is one this code does not rewrite safely
 * (another version, or an extension git requires to be understood): the caller then lets
 * isomorphic-git do it the slow way. Optional extensions (git's cached trees, say) are dropped:
 * git rebuilds them, and a stale one would be wrong. `sha1` digests the trailer: the caller loads
 * node:crypto when it writes, so a command that only reads never compiles it. `racyFrom` is the
 * replaced index's mtime: entries not older than it are smudged (see below).
 */
export function patchIndex(index: Buffer, changes: Map<string, IndexEntry | null>, sha1: (data: Buffer) => Buffer, racyFrom?: [number, number]): Buffer | null {
  if (index.length < HEADER + TRAILER || index.toString('latin1', 0, 4) !== 'DIRC' || index.readUInt32BE(4) !== 2) return null;
  const count = index.readUInt32BE(8);
  const end = index.length - TRAILER;
  // The lengths in bytes of the changed paths: only an entry of such a length is read as a path.
  const lengths = new Set([...changes.keys()].map((p) => Buffer.byteLength(p, 'utf8')));
  const added = [...changes.values()]
    .filter((e): e is IndexEntry => e !== null)
    .map((e) => ({ path: Buffer.from(e.path, 'utf8'), bytes: entryBytes(e) }))
    .sort((a, b) => Buffer.compare(a.path, b.path));
  // Git orders entries by the bytes of their paths (then stage; a path here is at stage 0): the
  // index is in that order already, so the new entries are merged in as it is read. The entries
  // between two changes are copied as one run of bytes, not one by one.
  const parts: Buffer[] = [];
  let entries = 0;
  let next = 0;
  let at = HEADER;
  let run = at;
  for (let i = 0; i < count; i++) {
    if (at + FIXED > end) return null;
    const nul = pathEnd(index, at);
    if (nul < 0 || nul >= end || index[nul] !== 0) return null;
    const size = Math.ceil((nul + 1 - at) / 8) * 8;
    const pathStart = at + FIXED;
    while (next < added.length && added[next]!.path.compare(index, pathStart, nul) <= 0) {
      if (run < at) parts.push(index.subarray(run, at));
      run = at;
      parts.push(added[next++]!.bytes);
      entries++;
    }
    if (lengths.has(nul - pathStart) && changes.has(index.toString('utf8', pathStart, nul))) {
      if (run < at) parts.push(index.subarray(run, at));
      run = at + size;
    } else {
      entries++;
      // Racily clean in the index being replaced (modified in the instant that index was written,
      // or after): the new index, written later, would vouch for it. Its size is zeroed, as git
      // "smudges" it, so its stat no longer matches and the file is read again.
      const mtime: [number, number] = [index.readUInt32BE(at + 8), index.readUInt32BE(at + 12)];
      if (racyFrom && index.readUInt32BE(at + 36) !== 0 && !earlier(mtime, racyFrom)) {
        if (run < at) parts.push(index.subarray(run, at));
        const smudged = Buffer.from(index.subarray(at, at + size));
        smudged.writeUInt32BE(0, 36);
        parts.push(smudged);
        run = at + size;
      }
    }
    at += size;
  }
  if (run < at) parts.push(index.subarray(run, at));
  for (; next < added.length; next++, entries++) parts.push(added[next]!.bytes);
  // Extensions: a signature whose first letter is upper case is optional.
  while (at + 8 <= end) {
    const first = index[at]!;
    if (first < 0x41 || first > 0x5a) return null;
    at += 8 + index.readUInt32BE(at + 4);
  }
  const header = Buffer.alloc(HEADER);
  header.write('DIRC', 0, 'latin1');
  header.writeUInt32BE(2, 4);
  header.writeUInt32BE(entries, 8);
  const body = Buffer.concat([header, ...parts]);
  return Buffer.concat([body, sha1(body)]);
}

/** Where the path of the entry at `at` ends (its NUL), or -1. The flags' low 12 bits hold the path's length, up to 0xFFF; a longer path is read to its NUL. */
function pathEnd(index: Buffer, at: number): number {
  const length = index.readUInt16BE(at + 60) & 0xfff;
  return length < 0xfff ? at + FIXED + length : index.indexOf(0, at + FIXED + 0xfff);
}

function entryBytes(e: IndexEntry): Buffer {
  const path = Buffer.from(e.path, 'utf8');
  const size = Math.ceil((FIXED + path.length + 1) / 8) * 8;
  const b = Buffer.alloc(size);
  const [cs, cns] = gitTime(e.stat.ctimeMs);
  const [ms, mns] = gitTime(e.stat.mtimeMs);
  b.writeUInt32BE(cs, 0);
  b.writeUInt32BE(cns, 4);
  b.writeUInt32BE(ms, 8);
  b.writeUInt32BE(mns, 12);
  // Git keeps the low 32 bits of each of these.
  b.writeUInt32BE(e.stat.dev % 2 ** 32, 16);
  b.writeUInt32BE(e.stat.ino % 2 ** 32, 20);
  b.writeUInt32BE(e.mode, 24);
  b.writeUInt32BE(e.stat.uid % 2 ** 32, 28);
  b.writeUInt32BE(e.stat.gid % 2 ** 32, 32);
  b.writeUInt32BE(e.stat.size % 2 ** 32, 36);
  b.write(e.oid, 40, 'hex');
  b.writeUInt16BE(Math.min(path.length, 0xfff), 60);
  path.copy(b, FIXED);
  return b;
}

/** What the index says of a path: its object, its mode, and the stat it was staged with. */
export interface IndexedFile {
  oid: string;
  mode: number;
  /** ctime and mtime as git keeps them: seconds and nanoseconds. */
  ctime: [number, number];
  mtime: [number, number];
  ino: number;
  size: number;
}

/**
 * The entries of `paths` in the index (a version-2 one; any other gives none): one pass over the
 * entries, reading only the paths of the lengths asked for.
 */
export function indexedFiles(index: Buffer, paths: Iterable<string>): Map<string, IndexedFile> {
  const found = new Map<string, IndexedFile>();
  if (index.length < HEADER + TRAILER || index.toString('latin1', 0, 4) !== 'DIRC' || index.readUInt32BE(4) !== 2) return found;
  const lengths = new Set<number>();
  const wanted = new Set<string>();
  for (const p of paths) {
    wanted.add(p);
    lengths.add(Buffer.byteLength(p, 'utf8'));
  }
  const count = index.readUInt32BE(8);
  const end = index.length - TRAILER;
  let at = HEADER;
  for (let i = 0; i < count; i++) {
    if (at + FIXED > end) break;
    const nul = pathEnd(index, at);
    if (nul < 0 || nul >= end) break;
    // Stage 0 only: a path in conflict (stages 1 to 3) is not one this store staged.
    if (lengths.has(nul - at - FIXED) && (index.readUInt16BE(at + 60) & 0x3000) === 0) {
      const path = index.toString('utf8', at + FIXED, nul);
      if (wanted.has(path)) {
        found.set(path, {
          ctime: [index.readUInt32BE(at), index.readUInt32BE(at + 4)],
          mtime: [index.readUInt32BE(at + 8), index.readUInt32BE(at + 12)],
          ino: index.readUInt32BE(at + 20),
          mode: index.readUInt32BE(at + 24),
          size: index.readUInt32BE(at + 36),
          oid: index.toString('hex', at + 40, at + 60),
        });
      }
    }
    at += Math.ceil((nul + 1 - at) / 8) * 8;
  }
  return found;
}

/** Seconds and nanoseconds of a time in milliseconds, as an entry of this module stores them. */
export function gitTime(ms: number): [number, number] {
  return [Math.floor(ms / 1000) >>> 0, (Math.round((ms % 1000) * 1e6) >>> 0) % 1e9];
}

/**
 * Whether a file is as the index staged it, judged by its stat as git judges it: times to the
 * nanosecond, inode, size and mode (0o100644, 0o100755 or 0o120000) the same, and the entry not
 * "racily clean": staged in the instant the index was written or after, when a change in that same
 * instant would leave the stat alike. `indexTime` is the index file's mtime in milliseconds.
 */
export function stagedAsIs(staged: IndexedFile, stat: { ctimeMs: number; mtimeMs: number; ino: number; size: number; mode: number }, indexTime: number): boolean {
  const [cs, cns] = gitTime(stat.ctimeMs);
  const [ms, mns] = gitTime(stat.mtimeMs);
  const [is, ins] = gitTime(indexTime);
  const racy = !earlier(staged.mtime, [is, ins]);
  return !racy && staged.mode === stat.mode && staged.size === stat.size % 2 ** 32 && staged.ino === stat.ino % 2 ** 32 && staged.ctime[0] === cs && staged.ctime[1] === cns && staged.mtime[0] === ms && staged.mtime[1] === mns;
}

/** Whether git time `a` (seconds, nanoseconds) is strictly before `b`. */
function earlier(a: [number, number], b: [number, number]): boolean {
  return a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
}

