/**
 * Words and edit distances for the memory index: the tokens a text is indexed by, and how many
 * edits a query term is from the closest part of a vocabulary word, as Fuse's bitap counts them.
 */

/** Runs of letters and digits: what the index keeps of a (lowercased) text. */
export const WORD = /[\p{L}\p{N}]+/gu;

export function words(lowercased: string): string[] {
  return lowercased.match(WORD) ?? [];
}

/** Fuse's field-length norm counts whitespace-separated tokens (fuse.js, src/tools/fieldNorm.ts). */
export function whitespaceTokens(text: string): number {
  let n = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 9 && c <= 13) || c === 32 || c === 160) inWord = false;
    else if (!inWord) {
      n++;
      inWord = true;
    }
  }
  return n || 1;
}

/** Fuse's norm for that many tokens (fieldNormWeight 1, three decimals). */
export function fieldNorm(tokens: number): number {
  return Math.round(1000 / Math.sqrt(tokens)) / 1000;
}

/**
 * One bit per letter a-z; digits share five bits and everything else one, so the count of a term's
 * bits missing from a word never exceeds the number of its characters the word lacks: a lower
 * bound on the edits, checked before the exact count.
 */
export function charMask(word: string): number {
  let m = 0;
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c >= 97 && c <= 122) m |= 1 << (c - 97);
    else if (c >= 48 && c <= 57) m |= 1 << (26 + ((c - 48) % 5));
    else m |= 1 << 31;
  }
  return m;
}

/**
 * Which letter pairs a word holds, hashed to 64 bits (two 32-bit halves): a term within e edits of
 * part of a word keeps all but at most 2e of its pairs (each edit breaks at most two), so a word
 * lacking more of the term's pair bits is further than e.
 */
export function pairBits(word: string): [number, number] {
  let lo = 0;
  let hi = 0;
  for (let i = 1; i < word.length; i++) {
    const h = (word.charCodeAt(i - 1) * 31 + word.charCodeAt(i)) & 63;
    if (h < 32) lo |= 1 << h;
    else hi |= 1 << (h - 32);
  }
  return [lo, hi];
}

export function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/** A query term prepared for Myers' bit-parallel matching (at most 32 characters are compared). */
export interface Term {
  text: string;
  length: number;
  mask: number;
  pairs: [number, number];
  ascii: Int32Array;
  other: Map<number, number>;
}

/** `text` is lowercase; with foldCase, ASCII capitals in a searched text match their lowercase. */
export function term(text: string, foldCase = false): Term {
  const t = text.slice(0, 32);
  const ascii = new Int32Array(128);
  const other = new Map<number, number>();
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c < 128) {
      ascii[c]! |= 1 << i;
      if (foldCase && c >= 97 && c <= 122) ascii[c - 32]! |= 1 << i;
    } else other.set(c, (other.get(c) ?? 0) | (1 << i));
  }
  return { text, length: t.length, mask: charMask(t), pairs: pairBits(t), ascii, other };
}

/**
 * Fewest edits over a whole text as Fuse sees it, lowercased: for a text with a character past
 * ASCII, which the index's byte scan leaves alone (lowercasing can depend on context and change
 * the length).
 */
export function textDistance(t: Term, text: string): number {
  const lower = text.toLowerCase();
  const codes = new Uint16Array(lower.length);
  for (let i = 0; i < lower.length; i++) codes[i] = lower.charCodeAt(i);
  return codeDistance(t, codes, 0, codes.length);
}

/**
 * Fewest edits (insertions, deletions, substitutions) that turn the term into some part of
 * chars[from .. to): 0 when it holds the term. The count Fuse's bitap gives. Over vocabulary words
 * (UTF-16 code units) or a text's UTF-8 bytes, where asciiOnly makes it return -1 at the first byte
 * past ASCII (the text needs decoding first); only a term built with foldCase matches capitals.
 * Myers (1999), search variant: the top row stays zero, so a match may start anywhere.
 */
export function codeDistance(t: Term, chars: Uint16Array | Uint8Array, from: number, to: number, asciiOnly = false): number {
  const m = t.length;
  if (m === 0) return 0;
  const high = 1 << (m - 1);
  const ascii = t.ascii;
  let pv = -1;
  let mv = 0;
  let score = m;
  let best = m;
  for (let i = from; i < to && best > 0; i++) {
    const c = chars[i]!;
    if (c >= 128 && asciiOnly) return -1;
    const eq = c < 128 ? ascii[c]! : (t.other.get(c) ?? 0);
    const xv = eq | mv;
    const xh = (((eq & pv) + pv) ^ pv) | eq;
    let ph = mv | ~(xh | pv);
    let mh = pv & xh;
    if (ph & high) score++;
    else if (mh & high) score--;
    ph <<= 1;
    mh <<= 1;
    pv = mh | ~(xv | ph);
    mv = ph & xv;
    if (score < best) best = score;
  }
  return best;
}
