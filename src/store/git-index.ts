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
 * node:crypto when it writes, so a command that only reads never compiles it.
 */
export function patchIndex(index: Buffer, changes: Map<string, IndexEntry | null>, sha1: (data: Buffer) => Buffer): Buffer | null {
  if (index.length < HEADER + TRAILER || index.toString('latin1', 0, 4) !== 'DIRC' || index.readUInt32BE(4) !== 2) return null;
  const count = index.readUInt32BE(8);
  const end = index.length - TRAILER;
  // The changed paths by their length in bytes: only an entry of such a length is compared with them.
  const changed = new Map<number, Buffer[]>();
  for (const p of changes.keys()) {
    const bytes = Buffer.from(p, 'utf8');
    changed.set(bytes.length, [...(changed.get(bytes.length) ?? []), bytes]);
  }
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
    // The flags' low 12 bits hold the path's length, up to 0xFFF; a longer path is read to its NUL.
    const length = index.readUInt16BE(at + 60) & 0xfff;
    const nul = length < 0xfff ? at + FIXED + length : index.indexOf(0, at + FIXED + 0xfff);
    if (nul < 0 || nul >= end || index[nul] !== 0) return null;
    const size = Math.ceil((nul + 1 - at) / 8) * 8;
    const pathStart = at + FIXED;
    while (next < added.length && added[next]!.path.compare(index, pathStart, nul) <= 0) {
      if (run < at) parts.push(index.subarray(run, at));
      run = at;
      parts.push(added[next++]!.bytes);
      entries++;
    }
    const same = changed.get(nul - pathStart);
    if (same?.some((p) => p.compare(index, pathStart, nul) === 0)) {
      if (run < at) parts.push(index.subarray(run, at));
      run = at + size;
    } else entries++;
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

function entryBytes(e: IndexEntry): Buffer {
  const path = Buffer.from(e.path, 'utf8');
  const size = Math.ceil((FIXED + path.length + 1) / 8) * 8;
  const b = Buffer.alloc(size);
  const secs = (ms: number) => Math.floor(ms / 1000) >>> 0;
  const nsecs = (ms: number) => Math.round((ms % 1000) * 1e6) >>> 0;
  b.writeUInt32BE(secs(e.stat.ctimeMs), 0);
  b.writeUInt32BE(nsecs(e.stat.ctimeMs) % 1e9, 4);
  b.writeUInt32BE(secs(e.stat.mtimeMs), 8);
  b.writeUInt32BE(nsecs(e.stat.mtimeMs) % 1e9, 12);
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
