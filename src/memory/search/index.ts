import type { MemoryItem, MemoryKind } from '../item.js';
import { charMask, fieldNorm, pairBits, whitespaceTokens, words } from './words.js';

/**
 * The memory search index: narrows a query to the items Fuse could rank high (candidates.ts), so
 * Fuse scores a few dozen texts instead of every one; a full Fuse pass over 55,000 items takes far
 * longer than a keystroke. Each item's text is kept as a sequence of word ids (lowercased runs of
 * letters and digits) with an inverted list per word; what ranking and filters read of an item
 * (time, confidence, kind, category, Fuse's field-length norm) and the items' strings are kept in
 * flat typed arrays.
 *
 * Saved, it is those same arrays one after the other: loading makes views on the buffer and
 * decodes nothing until a search returns or scores an item.
 */

export const INDEX_FORMAT = 3;
const MAGIC = 'NVMI';
const KINDS: MemoryKind[] = ['fact', 'narrative', 'digest'];
export const PINNED = 4;
export const HIDDEN = 8;
const HAS_SESSION = 16;
/** Strings kept per item, in this order; then the category names. */
const FIELDS = ['id', 'title', 'text', 'category', 'time', 'session', 'extra'] as const;
const TEXT = FIELDS.indexOf('text');
const KNOWN = new Set(['id', 'kind', 'title', 'text', 'category', 'time', 'confidence', 'pinned', 'hidden', 'session']);

/** Everything an index is made of, saved in this order. */
interface Columns {
  times: Float64Array;
  confidences: Float64Array;
  /** Fuse's field-length norm of each text. */
  norms: Float64Array;
  /** Whitespace-separated tokens, what that norm counts. */
  wsTokens: Uint32Array;
  /** UTF-16 length of each text. */
  textLengths: Uint32Array;
  categoryOf: Uint32Array;
  tokenStart: Uint32Array;
  tokens: Uint32Array;
  postingStart: Uint32Array;
  postings: Uint32Array;
  masks: Int32Array;
  /** Per word, its pairBits (words.ts): low half at 2w, high half at 2w + 1. */
  pairs: Int32Array;
  charStart: Uint32Array;
  chars: Uint16Array;
  /** Byte offsets of the strings in `utf8`: FIELDS per item, then the categories. */
  stringStart: Uint32Array;
  /** Kind (index in KINDS, low 2 bits), PINNED, HIDDEN, HAS_SESSION. */
  flags: Uint8Array;
  /** Vocabulary word lengths, capped at 255. */
  lengths: Uint8Array;
  utf8: Uint8Array;
}

const ORDER: (keyof Columns)[] = ['times', 'confidences', 'norms', 'wsTokens', 'textLengths', 'categoryOf', 'tokenStart', 'tokens', 'postingStart', 'postings', 'masks', 'pairs', 'charStart', 'chars', 'stringStart', 'flags', 'lengths', 'utf8'];

export interface MemoryIndex extends Columns {
  size: number;
  /** Number of distinct words. */
  words: number;
  categories: string[];
  item(i: number): MemoryItem;
  text(i: number): string;
}

export function kindOf(index: MemoryIndex, i: number): MemoryKind {
  return KINDS[index.flags[i]! & 3]!;
}

/** The index keeps `items` and returns them from searches: they must not change afterwards. */
export function buildIndex(items: MemoryItem[]): MemoryIndex {
  const n = items.length;
  const ids = new Map<string, number>();
  const vocab: string[] = [];
  const categoryIds = new Map<string, number>();
  const times = new Float64Array(n);
  const confidences = new Float64Array(n);
  const wsTokens = new Uint32Array(n);
  const textLengths = new Uint32Array(n);
  const categoryOf = new Uint32Array(n);
  const flags = new Uint8Array(n);
  const tokenStart = new Uint32Array(n + 1);
  let tokens = new Uint32Array(Math.max(1024, n * 16));
  let count = 0;
  const strings: string[] = [];
  items.forEach((item, i) => {
    tokenStart[i] = count;
    for (const w of words(item.text.toLowerCase())) {
      let id = ids.get(w);
      if (id === undefined) {
        id = vocab.length;
        vocab.push(w);
        ids.set(w, id);
      }
      if (count === tokens.length) {
        const grown = new Uint32Array(tokens.length * 2);
        grown.set(tokens);
        tokens = grown;
      }
      tokens[count++] = id;
    }
    wsTokens[i] = whitespaceTokens(item.text);
    textLengths[i] = item.text.length;
    times[i] = Date.parse(item.time);
    confidences[i] = item.confidence;
    flags[i] = Math.max(0, KINDS.indexOf(item.kind)) | (item.pinned ? PINNED : 0) | (item.hidden ? HIDDEN : 0) | (item.session !== undefined ? HAS_SESSION : 0);
    let c = categoryIds.get(item.category);
    if (c === undefined) categoryIds.set(item.category, (c = categoryIds.size));
    categoryOf[i] = c;
    const extra = Object.keys(item).filter((k) => !KNOWN.has(k));
    const rest = extra.length ? JSON.stringify(Object.fromEntries(extra.map((k) => [k, (item as unknown as Record<string, unknown>)[k]]))) : '';
    strings.push(item.id, item.title, item.text, item.category, item.time, item.session ?? '', rest);
  });
  tokenStart[n] = count;
  const categories = [...categoryIds.keys()];
  const { offsets: stringStart, utf8 } = encode([...strings, ...categories]);
  const { offsets: charStart, codes: chars } = codeUnits(vocab);
  const masks = Int32Array.from(vocab, charMask);
  const pairs = Int32Array.from(vocab.flatMap(pairBits));
  const lengths = Uint8Array.from(vocab, (w) => Math.min(255, w.length));
  const norms = Float64Array.from(wsTokens, fieldNorm);
  const cols: Columns = { times, confidences, norms, wsTokens, textLengths, categoryOf, tokenStart, tokens: tokens.slice(0, count), ...postingsOf(n, vocab.length, tokenStart, tokens), masks, pairs, charStart, chars, stringStart, flags, lengths, utf8 };
  return { ...cols, size: n, words: vocab.length, categories, item: (i) => items[i]!, text: (i) => items[i]!.text };
}

/** Inverted lists by counting sort: one entry per item and word, however often the word repeats. */
function postingsOf(n: number, v: number, tokenStart: Uint32Array, tokens: Uint32Array) {
  const last = new Int32Array(v);
  const each = (visit: (w: number, i: number) => void) => {
    last.fill(-1);
    for (let i = 0; i < n; i++) {
      for (let k = tokenStart[i]!; k < tokenStart[i + 1]!; k++) {
        const w = tokens[k]!;
        if (last[w] === i) continue;
        last[w] = i;
        visit(w, i);
      }
    }
  };
  const postingStart = new Uint32Array(v + 1);
  each((w) => postingStart[w + 1]!++);
  for (let w = 0; w < v; w++) postingStart[w + 1]! += postingStart[w]!;
  const postings = new Uint32Array(postingStart[v]!);
  const fill = postingStart.slice(0, v);
  each((w, i) => (postings[fill[w]!++] = i));
  return { postingStart, postings };
}

function encode(strings: string[]): { offsets: Uint32Array; utf8: Uint8Array } {
  const offsets = new Uint32Array(strings.length + 1);
  let room = 0;
  for (const s of strings) room += s.length * 3;
  const buf = Buffer.allocUnsafe(room);
  for (let k = 0; k < strings.length; k++) offsets[k + 1] = offsets[k]! + buf.write(strings[k]!, offsets[k]!, 'utf8');
  // A copy, so the index does not hold on to the room left over.
  return { offsets, utf8: new Uint8Array(buf.subarray(0, offsets[strings.length]!)) };
}

function codeUnits(strings: string[]): { offsets: Uint32Array; codes: Uint16Array } {
  const offsets = new Uint32Array(strings.length + 1);
  for (let k = 0; k < strings.length; k++) offsets[k + 1] = offsets[k]! + strings[k]!.length;
  const codes = new Uint16Array(offsets[strings.length]!);
  strings.forEach((s, k) => {
    for (let c = 0; c < s.length; c++) codes[offsets[k]! + c] = s.charCodeAt(c);
  });
  return { offsets, codes };
}

// ---------------------------------------------------------------------------------------------
// Saving and loading

/**
 * A saved index: "NVMI", the format version and the header length (u32 LE each), a JSON header
 * ({ key, items, categories, lengths of each column }), then the columns in ORDER, each at an
 * 8-byte aligned offset. `key` is the caller's: what the index was built from, to tell when it
 * is stale.
 */
export function serializeIndex(index: MemoryIndex, key: string): Buffer {
  const header = Buffer.from(JSON.stringify({ key, items: index.size, words: index.words, categories: index.categories.length, lengths: ORDER.map((c) => index[c].length) }), 'utf8');
  const parts: Uint8Array[] = [Buffer.from(MAGIC, 'latin1'), u32(INDEX_FORMAT), u32(header.length), header];
  let at = 12 + header.length;
  for (const name of ORDER) {
    const col = index[name];
    const pad = (8 - (at % 8)) % 8;
    parts.push(new Uint8Array(pad), new Uint8Array(col.buffer, col.byteOffset, col.byteLength));
    at += pad + col.byteLength;
  }
  return Buffer.concat(parts);
}

/** The key a saved index was written with, without loading it (null: not an index of this format). */
export function savedIndexKey(buf: Buffer): string | null {
  try {
    return readHeader(buf)?.header.key ?? null;
  } catch {
    return null;
  }
}

/**
 * Null when the buffer is not an index of this format (or is damaged): the caller builds anew.
 * The index keeps views on `buf`, which must not be changed afterwards.
 */
export function loadIndex(buf: Buffer): { key: string; index: MemoryIndex } | null {
  try {
    return load(buf);
  } catch {
    return null;
  }
}

type Typed = Columns[keyof Columns];
type TypedCtor = { new (buffer: ArrayBuffer, offset: number, length: number): Typed; BYTES_PER_ELEMENT: number };

function load(buf: Buffer): { key: string; index: MemoryIndex } | null {
  const read = readHeader(buf);
  if (!read) return null;
  const h = read.header;
  let at = read.end;
  const cols = {} as Record<keyof Columns, Typed>;
  ORDER.forEach((name, k) => {
    const Ctor = (EMPTY[name] as unknown as { constructor: TypedCtor }).constructor;
    const length = h.lengths[k]!;
    at += (8 - (at % 8)) % 8;
    const start = buf.byteOffset + at;
    const bytes = Ctor.BYTES_PER_ELEMENT * length;
    at += bytes;
    if (at > buf.length) throw new Error('truncated index');
    // A view needs an aligned offset; a buffer that starts unaligned is copied.
    cols[name] = start % Ctor.BYTES_PER_ELEMENT === 0 ? new Ctor(buf.buffer as ArrayBuffer, start, length) : new Ctor(buf.buffer.slice(start, start + bytes) as ArrayBuffer, 0, length);
  });
  const c = cols as unknown as Columns;
  const n = h.items;
  if (c.stringStart.length !== n * FIELDS.length + h.categories + 1 || c.tokenStart.length !== n + 1) throw new Error('damaged index');

  const utf8 = Buffer.from(c.utf8.buffer, c.utf8.byteOffset, c.utf8.byteLength);
  const str = (s: number) => utf8.toString('utf8', c.stringStart[s]!, c.stringStart[s + 1]!);
  const made: (MemoryItem | undefined)[] = new Array(n);
  const item = (i: number): MemoryItem => {
    let it = made[i];
    if (it) return it;
    const s = i * FIELDS.length;
    const f = c.flags[i]!;
    it = { id: str(s), kind: KINDS[f & 3]!, title: str(s + 1), text: str(s + 2), category: str(s + 3), time: str(s + 4), confidence: c.confidences[i]!, pinned: (f & PINNED) !== 0, hidden: (f & HIDDEN) !== 0 };
    if (f & HAS_SESSION) it.session = str(s + 5);
    const extra = str(s + 6);
    if (extra) it = { ...(JSON.parse(extra) as object), ...it };
    return (made[i] = it);
  };
  const categories = Array.from({ length: h.categories }, (_, k) => str(n * FIELDS.length + k));
  return { key: h.key, index: { ...c, size: n, words: h.words, categories, item, text: (i) => made[i]?.text ?? str(i * FIELDS.length + TEXT) } };
}

/** One empty column of each type, to know what to make on load. */
const EMPTY: Columns = {
  times: new Float64Array(0),
  confidences: new Float64Array(0),
  norms: new Float64Array(0),
  wsTokens: new Uint32Array(0),
  textLengths: new Uint32Array(0),
  categoryOf: new Uint32Array(0),
  tokenStart: new Uint32Array(0),
  tokens: new Uint32Array(0),
  postingStart: new Uint32Array(0),
  postings: new Uint32Array(0),
  masks: new Int32Array(0),
  pairs: new Int32Array(0),
  charStart: new Uint32Array(0),
  chars: new Uint16Array(0),
  stringStart: new Uint32Array(0),
  flags: new Uint8Array(0),
  lengths: new Uint8Array(0),
  utf8: new Uint8Array(0),
};

/** Where item i's text sits in index.utf8, for matching it without decoding. */
export function textBytes(index: MemoryIndex, i: number): [number, number] {
  const s = i * FIELDS.length + TEXT;
  return [index.stringStart[s]!, index.stringStart[s + 1]!];
}

interface Header {
  key: string;
  items: number;
  words: number;
  categories: number;
  lengths: number[];
}

function readHeader(buf: Buffer): { header: Header; end: number } | null {
  if (buf.length < 12 || buf.toString('latin1', 0, 4) !== MAGIC || buf.readUInt32LE(4) !== INDEX_FORMAT) return null;
  const length = buf.readUInt32LE(8);
  return { header: JSON.parse(buf.toString('utf8', 12, 12 + length)) as Header, end: 12 + length };
}

function u32(x: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(x);
  return b;
}
