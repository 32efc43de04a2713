import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { atomicWriteFile } from '../util/atomic-write.js';
import { docFiles } from '../store/documents.js';
import type { Workspace } from '../workspace/workspace.js';
import { buildIndex, loadIndex, savedIndexKey, serializeIndex, type MemoryIndex } from './search/index.js';

/** The saved search index: starting the TUI or a search loads it instead of building it again. */
export const INDEX_FILE = '.cache/memory-index.bin';
const SOURCES = ['facts', 'narratives', 'digests'] as const;

/**
 * Which version of the memory documents an index was built from: their sizes, times and inodes.
 * The store replaces a file by renaming a new one over it, so every write gives it a new inode: a
 * change of the same size within one tick of the file system's clock (a fact confirmed again)
 * still changes the key.
 */
export function indexKey(root: string): string {
  return SOURCES.flatMap((name) =>
    docFiles(root, name).map((rel) => {
      const file = join(root, rel);
      if (!existsSync(file)) return `${rel}:-`;
      const st = statSync(file);
      return `${rel}:${st.size}:${Math.floor(st.mtimeMs)}:${st.ino}`;
    }),
  ).join('|');
}

async function build(ws: Workspace, key: string): Promise<MemoryIndex> {
  const [facts, narratives, digests] = [await ws.store.facts.list(), await ws.store.narratives.list(), await ws.store.digests.list()];
  // Only a rebuild turns records into items (and reads facts' rules, which load the redaction):
  // a search on a saved index that is still current does without them.
  const { memoryItems } = await import('./items.js');
  const index = buildIndex(memoryItems(facts, narratives, digests, ws.clock()));
  try {
    await mkdir(join(ws.root, dirname(INDEX_FILE)), { recursive: true });
    // A cache: no flush to disk, a lost one is built again.
    await atomicWriteFile(join(ws.root, INDEX_FILE), serializeIndex(index, key), false);
  } catch {
    // A cache: a read-only workspace still searches, it only builds again next time.
  }
  return index;
}

/** Builds the index from the documents and saves it, unless the saved one is already theirs; run after every change of memory. */
export async function refreshMemoryIndex(ws: Workspace): Promise<void> {
  const key = indexKey(ws.root);
  const file = join(ws.root, INDEX_FILE);
  if (existsSync(file)) {
    try {
      if (savedIndexKey(readHead(file)) === key) return;
    } catch {
      // unreadable: built again
    }
  }
  await build(ws, key);
}

/** The start of a saved index, enough to read its key without loading everything. */
function readHead(file: string): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** The saved index when it matches the documents; otherwise a new one (saved for next time). */
export async function openMemoryIndex(ws: Workspace): Promise<{ index: MemoryIndex; rebuilt: boolean }> {
  // The key is taken before the documents are read: a change in between makes the next open rebuild.
  const key = indexKey(ws.root);
  const file = join(ws.root, INDEX_FILE);
  if (existsSync(file)) {
    try {
      const saved = loadIndex(readFileSync(file));
      if (saved && saved.key === key) return { index: saved.index, rebuilt: false };
    } catch {
      // an old format or a damaged cache: built again below
    }
  }
  return { index: await build(ws, key), rebuilt: true };
}
