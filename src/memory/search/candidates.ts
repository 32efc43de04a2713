import { textBytes, type MemoryIndex } from './index.js';
import { errorBudget, queryTerms } from './options.js';
import { codeDistance, popcount, term, textDistance, words, type Term } from './words.js';

/**
 * Which items could match a query, and the best Fuse score each could get.
 *
 * Fuse's extended search (options.ts) matches each word of the query on its own: an item matches
 * when every word does, and scores the mean of the words' scores raised to the text's
 * field-length norm. A word (bitap, ignoreLocation) scores its edits / its length, at least 0.001,
 * and matches within the threshold; 0 when the whole text is that word; a word longer than 32
 * characters is matched in 32-character chunks whose scores are averaged (a chunk that does not
 * match counts 1). So the candidates are the items every word could match, and a candidate's bound
 * is the mean of its words' bounds. A word's edits are bounded in three steps, each tighter and
 * dearer than the last:
 *
 *  - CHEAP: each run of letters and digits in the word is compared with the vocabulary (letters,
 *    letter pairs and length rule most words out; Myers' bit-parallel count gives the rest their
 *    edits). An item can only match if one of its words is within that run's share of the word's
 *    error budget (were every run further, the edits would add up past the budget), so the
 *    candidates come from the inverted lists of a few close vocabulary words, the shares picked
 *    to read the fewest postings. A candidate's bound is the edits of the runs that found it. For
 *    the usual query word, a single run, that is already its edits within a word of the text.
 *    The query word that reads the fewest postings picks the candidates; each other word then
 *    reads its own, or, when the candidates left hold fewer words than that, is looked up in
 *    their words alone (a common short word like "the" need not read half the index).
 *  - PHRASE: a word of several runs ("package.json", "src/memory") against consecutive words of
 *    the item, in order, a word in between costing its letters.
 *  - EXACT: Fuse's own count, character by character over the text.
 *
 * The ranking stage (settle.ts) tightens a bound only when the candidate could still make the
 * results. The first two never exceed Fuse's count for a match within words; a match that runs
 * across a word boundary is not foreseen ("seret" is one edit from "s ret" in "exposes retry", as
 * close to Fuse as "secret"), so an item only such a match would bring is missed.
 */

export interface CandidatePool {
  size: number;
  /** Ascending, which is also Fuse's order for ties. */
  items: Uint32Array;
  /** A lower bound on each candidate's Fuse score (Infinity: it cannot match). */
  bounds: Float64Array;
  /** How tight bounds[p] is: CHEAP, PHRASE or EXACT (Fuse's own score, but for rounding). */
  level: Uint8Array;
  /** Tightens bounds[p] by one level. */
  refine(p: number): void;
  /** Runs of letters the phrase level compares with each word of an item (0: no phrase level). */
  phraseTerms: number;
  /** Pieces of the query Fuse matches one by one (each word, in 32 characters at most). */
  chunks: number;
}

export const CHEAP = 0;
export const PHRASE = 1;
export const EXACT = 2;

const UNKNOWN = 255;
/** Fuse's bitap compares at most 32 characters at once; a longer pattern is cut into chunks. */
const CHUNK = 32;

/** Null for an empty query (after fuseQuery): nothing to narrow. */
export function candidatePool(index: MemoryIndex, query: string): CandidatePool | null {
  const texts = queryTerms(query);
  if (!texts.length) return null;
  // Shared by the words of a query: repeated and overlapping chunks compare the same runs.
  const scans = new Map<string, Scan>();
  const terms = texts.map((t) => new Word(index, t, scans));
  const n = index.size;
  const { norms, wsTokens, textLengths } = index;
  // The common case, a single word of up to 32 characters, goes without the closures.
  const single = terms.length === 1 && terms[0]!.chunks.length === 1 ? terms[0]!.chunks[0]! : null;

  // An item must be a candidate for every word: the word that reads the fewest postings picks
  // them, and each other word either reads its postings too or, when the candidates left have
  // fewer words between them, looks at those words alone.
  const order = [...terms].sort((a, b) => a.cost - b.cost);
  order[0]!.collect();
  let items = new Uint32Array(n);
  let size = 0;
  let words = 0;
  const { tokenStart } = index;
  if (single) {
    const first = single.lower;
    for (let i = 0; i < n; i++) if (first[i] !== UNKNOWN) items[size++] = i;
  } else {
    for (let i = 0; i < n; i++) {
      if (!order[0]!.has(i)) continue;
      items[size++] = i;
      words += tokenStart[i + 1]! - tokenStart[i]!;
    }
    for (const t of order.slice(1)) {
      const probe = t.cost > words;
      if (!probe) t.collect();
      let kept = 0;
      words = 0;
      for (let p = 0; p < size; p++) {
        const i = items[p]!;
        if (probe) t.probe(i);
        if (!t.has(i)) continue;
        items[kept++] = i;
        words += tokenStart[i + 1]! - tokenStart[i]!;
      }
      size = kept;
    }
  }
  items = items.subarray(0, size);

  const bounds = new Float64Array(size);
  const count = terms.length;
  // The mean of the words' scores, raised to the norm; a mean of 0 (every word is the whole text)
  // counts EPSILON, as in Fuse.
  const bound = (i: number, exact: boolean) => {
    let sum = 0;
    for (const t of terms) {
      const s = t.score(i, exact);
      if (s === Infinity) return Infinity;
      sum += s;
    }
    return sum === 0 ? Number.EPSILON ** norms[i]! : (sum / count) ** norms[i]!;
  };
  if (single) {
    const { budget, lower } = single;
    const powers = new Powers(single.length);
    const length = texts[0]!.length;
    for (let p = 0; p < size; p++) {
      const i = items[p]!;
      const e = lower[i]!;
      bounds[p] = e > budget ? Infinity : e === 0 && textLengths[i] === length ? Number.EPSILON ** norms[i]! : powers.get(e, wsTokens[i]!, norms[i]!);
    }
  } else for (let p = 0; p < size; p++) bounds[p] = bound(items[p]!, false);
  const pieces = terms.flatMap((t) => t.chunks);
  const level = new Uint8Array(size).fill(pieces.some((c) => c.phrase) ? CHEAP : PHRASE);
  const refine = (p: number) => {
    if (level[p] === EXACT) return;
    const i = items[p]!;
    const exact = level[p] === PHRASE;
    // A word that cannot match rules the item out: the words after it are left as they are.
    for (const t of terms) {
      t.refine(i, exact);
      if (t.score(i, exact) === Infinity) break;
    }
    bounds[p] = bound(i, exact);
    level[p]!++;
  };
  return { size, items, bounds, level, refine, phraseTerms: pieces.reduce((sum, c) => sum + (c.phrase ? c.phrase.terms : 0), 0), chunks: pieces.length };
}

/** The `k` items with the best bounds, best first (ties: lower item index first, as in Fuse). */
export function candidates(index: MemoryIndex, query: string, k = Infinity): number[] {
  const pool = candidatePool(index, query);
  if (!pool) return [];
  for (let p = 0; p < pool.size; p++) while (pool.level[p]! < PHRASE) pool.refine(p);
  const order = Array.from({ length: pool.size }, (_, p) => p).filter((p) => pool.bounds[p]! < Infinity);
  order.sort((a, b) => pool.bounds[a]! - pool.bounds[b]! || pool.items[a]! - pool.items[b]!);
  return order.slice(0, k).map((p) => pool.items[p]!);
}

/**
 * One word of the query, which Fuse matches as a pattern of its own (in chunks of 32 characters):
 * which items it could match, and a lower bound on its score in each.
 */
class Word {
  readonly chunks: Chunk[];
  private readonly length: number;
  /** The first chunk's bitap score by its edits (Infinity past its budget). */
  private readonly scores: Float64Array;

  constructor(
    private readonly index: MemoryIndex,
    private readonly text: string,
    scans: Map<string, Scan>,
  ) {
    this.length = text.length;
    this.chunks = chunks(text).map((chunk) => new Chunk(index, chunk, scans));
    const c = this.chunks[0]!;
    this.scores = Float64Array.from({ length: UNKNOWN + 1 }, (_, e) => (e > c.budget ? Infinity : Math.max(0.001, e / c.length)));
  }

  /** Postings it takes to narrow through this word. */
  get cost(): number {
    return this.chunks.reduce((sum, c) => sum + c.cost, 0);
  }

  collect(): void {
    for (const c of this.chunks) c.collect();
  }

  probe(i: number): void {
    for (const c of this.chunks) c.probe(i);
  }

  /** Whether the item is a candidate for this word (once collected or probed). */
  has(i: number): boolean {
    for (const c of this.chunks) if (c.lower[i] !== UNKNOWN) return true;
    return false;
  }

  /** A lower bound on the word's score in item i, before the norm (Infinity: no match). */
  score(i: number, exact: boolean): number {
    const { chunks, index } = this;
    if (index.textLengths[i] === this.length && (exact ? index.text(i).toLowerCase() === this.text : chunks.every((c) => c.lower[i] === 0))) return 0;
    if (chunks.length === 1) return this.scores[chunks[0]!.lower[i]!]!;
    let sum = 0;
    let matched = false;
    for (const c of chunks) {
      const e = c.lower[i]!;
      if (e > c.budget) sum += 1;
      else {
        matched = true;
        sum += Math.max(0.001, e / c.length);
      }
    }
    return matched ? sum / chunks.length : Infinity;
  }

  /** Word by word (exact: false) or Fuse's own count (exact: true). */
  refine(i: number, exact: boolean): void {
    for (const c of this.chunks) {
      if (exact) c.exact(i);
      else c.refine(i);
    }
  }
}

/** As Fuse cuts a pattern: 32 characters at a time, the last chunk ending at the pattern's end. */
function chunks(pattern: string): string[] {
  if (pattern.length <= CHUNK) return [pattern];
  const out: string[] = [];
  const whole = pattern.length - (pattern.length % CHUNK);
  for (let i = 0; i < whole; i += CHUNK) out.push(pattern.slice(i, i + CHUNK));
  if (whole < pattern.length) out.push(pattern.slice(pattern.length - CHUNK));
  return out;
}

/** Fuse's max(0.001, edits / length) ** norm, for the few distinct (edits, word count) pairs. */
class Powers {
  private readonly memo = new Float64Array(32 * 512).fill(-1);
  constructor(private readonly length: number) {}

  get(errors: number, ws: number, norm: number): number {
    const key = errors * 512 + ws;
    if (ws >= 512 || errors >= 32) return Math.max(0.001, errors / this.length) ** norm;
    let v = this.memo[key]!;
    if (v < 0) this.memo[key] = v = Math.max(0.001, errors / this.length) ** norm;
    return v;
  }
}

/** One chunk of a query word: its runs of letters (terms), their distances to vocabulary words, its candidates. */
class Chunk {
  readonly length: number;
  readonly budget: number;
  /** Deleting every term fits the budget: any text may match. */
  readonly any: boolean = false;
  readonly phrase: Phrase | null = null;
  private readonly whole: Term;
  /**
   * Per item, the fewest edits it could need as far as known (UNKNOWN: ruled out); an item's entry
   * is known once collect or probe has seen it.
   */
  readonly lower: Uint8Array;
  /** Postings collect reads: what narrowing through this chunk costs (Infinity: it narrows nothing). */
  cost = 0;
  /** The terms that pick candidates, and the edits each is allowed (its share of the budget). */
  private readonly picks: { table: Uint8Array; share: number }[] = [];
  private base = 0;
  private collected = false;

  /** `scans` is shared by the chunks of a query: overlapping chunks and repeated words repeat terms. */
  constructor(
    private readonly index: MemoryIndex,
    chunk: string,
    scans: Map<string, Scan>,
  ) {
    this.length = chunk.length;
    this.budget = errorBudget(chunk.length);
    this.whole = term(chunk, true);
    const terms = words(chunk).map((w) => term(w));
    const { budget } = this;
    const total = terms.reduce((s, t) => s + t.length, 0);
    this.lower = new Uint8Array(index.size).fill(UNKNOWN);
    if (total < budget + 1) {
      this.any = true;
      this.collected = true;
      this.cost = Infinity;
      this.lower.fill(0);
      return;
    }
    // Each term is compared with the vocabulary up to about its share of the budget by length (a
    // term is never worth more than deleting it); the shares that read the fewest postings then
    // pick the candidates.
    const caps = terms.map((t) => Math.min(t.length - 1, budget));
    // floor(x) + 1 > x, so the fair shares still add up past the budget.
    const fair = terms.map((t, j) => Math.min(caps[j]!, Math.floor(((budget + 1) * t.length) / total)));
    const scanned = terms.map((t, j) => {
      // A scan exact to more edits serves as well: the shares just have more to choose from.
      const key = `${t.text} ${caps[j]}`;
      let x = scans.get(key);
      if (!x || x.volume.length <= fair[j]!) scans.set(key, (x = scan(index, t, fair[j]!, caps[j]!)));
      return x;
    });
    const tables = scanned.map((x) => x.table);
    const shares = allocate(
      scanned.map((x) => x.volume),
      budget,
    );

    // The cheap bound: a picking term that did not find the item is more than its share away.
    this.base = shares.reduce((sum, x) => sum + x + 1, 0);
    shares.forEach((share, j) => {
      if (share < 0) return;
      this.picks.push({ table: tables[j]!, share });
      this.cost += scanned[j]!.volume[share]!;
    });
    if (terms.length > 1) this.phrase = new Phrase(index, tables, caps);
  }

  /** The cheap bound of every item, from the inverted lists of the close vocabulary words. */
  collect(): void {
    if (this.collected) return;
    this.collected = true;
    const { index, lower, base } = this;
    const n = index.size;
    const best = new Uint8Array(n).fill(UNKNOWN);
    const hit = new Int32Array(n);
    for (const { table, share } of this.picks) {
      let count = 0;
      for (let w = 0; w < table.length; w++) {
        const e = table[w]!;
        if (e > share) continue;
        for (let k = index.postingStart[w]!; k < index.postingStart[w + 1]!; k++) {
          const i = index.postings[k]!;
          if (best[i] === UNKNOWN) hit[count++] = i;
          if (e < best[i]!) best[i] = e;
        }
      }
      for (let k = 0; k < count; k++) {
        const i = hit[k]!;
        lower[i] = (lower[i] === UNKNOWN ? base : lower[i]!) - (share + 1 - best[i]!);
        best[i] = UNKNOWN;
      }
    }
  }

  /** The same bound for one item, from its own words: cheaper than collect for a few items. */
  probe(i: number): void {
    if (this.collected) return;
    const { tokenStart, tokens } = this.index;
    let bound = this.base;
    let found = false;
    for (const { table, share } of this.picks) {
      let best = UNKNOWN;
      for (let k = tokenStart[i]!, end = tokenStart[i + 1]!; k < end; k++) {
        const e = table[tokens[k]!]!;
        if (e < best) best = e;
      }
      if (best <= share) {
        found = true;
        bound -= share + 1 - best;
      }
    }
    this.lower[i] = found ? bound : UNKNOWN;
  }

  /** The word-by-word count, in order. */
  refine(i: number): void {
    if (this.phrase && this.lower[i] !== UNKNOWN) this.lower[i] = Math.min(UNKNOWN, Math.max(this.lower[i]!, this.phrase.errors(i)));
  }

  /** Fuse's own count, character by character over the lowercased text. */
  exact(i: number): void {
    const [from, to] = textBytes(this.index, i);
    let d = codeDistance(this.whole, this.index.utf8, from, to, true);
    if (d < 0) d = textDistance(this.whole, this.index.text(i));
    this.lower[i] = Math.min(UNKNOWN, d);
  }
}

interface Scan {
  table: Uint8Array;
  volume: Float64Array;
}

/**
 * The term's edits to every vocabulary word: exact up to `upTo`, past it a lower bound (a word is
 * at least as many edits away as it lacks of the term's letters, as it is shorter than the term,
 * and as half the term's letter pairs it lacks); all capped at cap + 1, the cost of deleting the
 * term. And per edit count, how many postings the words that close hold: the cost of picking
 * candidates through this term.
 */
function scan(index: MemoryIndex, t: Term, upTo: number, cap: number): Scan {
  const table = new Uint8Array(index.words);
  const volume = new Float64Array(upTo + 1);
  const { lengths, masks, pairs, chars, charStart } = index;
  const [lo, hi] = t.pairs;
  for (let w = 0; w < table.length; w++) {
    const letters = popcount(t.mask & ~masks[w]!);
    const short = t.length - lengths[w]!;
    const broken = (popcount(lo & ~pairs[2 * w]!) + popcount(hi & ~pairs[2 * w + 1]!) + 1) >> 1;
    const least = letters > short ? (letters > broken ? letters : broken) : short > broken ? short : broken;
    if (least > upTo) {
      table[w] = Math.min(cap + 1, least);
      continue;
    }
    const e = Math.min(cap + 1, codeDistance(t, chars, charStart[w]!, charStart[w + 1]!));
    table[w] = e;
    if (e <= upTo) volume[e]! += index.postingStart[w + 1]! - index.postingStart[w]!;
  }
  for (let e = 1; e <= upTo; e++) volume[e]! += volume[e - 1]!;
  return { table, volume };
}

/**
 * Shares s_j (-1: the term picks no candidates) with sum(s_j + 1) >= budget + 1 that read the
 * fewest postings: dynamic programming over terms and budget units. The fair shares cover the
 * budget, so there is always a solution.
 */
function allocate(volumes: Float64Array[], budget: number): number[] {
  const units = budget + 1;
  let cost = new Float64Array(units + 1).fill(Infinity);
  cost[0] = 0;
  const picks: { share: Int16Array; from: Int16Array }[] = [];
  for (const volume of volumes) {
    const next = new Float64Array(units + 1).fill(Infinity);
    const share = new Int16Array(units + 1);
    const from = new Int16Array(units + 1);
    for (let u = 0; u <= units; u++) {
      if (cost[u] === Infinity) continue;
      for (let s = -1; s < volume.length; s++) {
        const v = Math.min(units, u + s + 1);
        const c = cost[u]! + (s < 0 ? 0 : volume[s]!);
        if (c < next[v]!) {
          next[v] = c;
          share[v] = s;
          from[v] = u;
        }
      }
    }
    cost = next;
    picks.push({ share, from });
  }
  const shares: number[] = new Array(volumes.length);
  for (let j = volumes.length - 1, u = units; j >= 0; j--) {
    shares[j] = picks[j]!.share[u]!;
    u = picks[j]!.from[u]!;
  }
  return shares;
}

/**
 * Fewest edits for the terms, in order, against consecutive words of an item: a term matches part
 * of a word at its table's count or is deleted (cap + 1: past its cap a term costs that whatever it
 * meets); a word between two matched terms is inserted at its length plus a separator.
 */
class Phrase {
  readonly terms: number;
  private readonly row: Int32Array;
  private readonly del: Int32Array;

  constructor(
    private readonly index: MemoryIndex,
    private readonly tables: Uint8Array[],
    caps: number[],
  ) {
    this.terms = tables.length;
    this.row = new Int32Array(tables.length + 1);
    this.del = Int32Array.from(caps, (c) => c + 1);
  }

  errors(i: number): number {
    return this.tables.length === 2 ? this.two(i) : this.many(i);
  }

  /** The common two-word query, unrolled: a third of the time of the general loop. */
  private two(i: number): number {
    const a = this.tables[0]!;
    const b = this.tables[1]!;
    const da = this.del[0]!;
    const db = this.del[1]!;
    const { tokenStart, tokens, lengths } = this.index;
    let r1 = da;
    let r2 = da + db;
    let best = r2;
    for (let k = tokenStart[i]!, end = tokenStart[i + 1]!; k < end; k++) {
      const w = tokens[k]!;
      const insert = lengths[w]! + 1;
      let v1 = a[w]! < da ? a[w]! : da;
      if (r1 + insert < v1) v1 = r1 + insert;
      let v2 = r1 + b[w]!;
      if (v1 + db < v2) v2 = v1 + db;
      if (r2 + insert < v2) v2 = r2 + insert;
      r1 = v1;
      r2 = v2;
      if (v2 < best) best = v2;
    }
    return best;
  }

  private many(i: number): number {
    const { row, del, tables } = this;
    const m = tables.length;
    row[0] = 0;
    for (let j = 1; j <= m; j++) row[j] = row[j - 1]! + del[j - 1]!;
    let best = row[m]!;
    const { tokenStart, tokens, lengths } = this.index;
    for (let k = tokenStart[i]!, end = tokenStart[i + 1]!; k < end; k++) {
      const w = tokens[k]!;
      const insert = lengths[w]! + 1;
      // One row, updated in place: diag is the previous row's value one term back.
      let diag = 0;
      let left = 0;
      for (let j = 1; j <= m; j++) {
        const up = row[j]!;
        let v = diag + tables[j - 1]![w]!;
        const d = left + del[j - 1]!;
        if (d < v) v = d;
        if (up + insert < v) v = up + insert;
        row[j] = v;
        diag = up;
        left = v;
      }
      if (left < best) best = left;
    }
    return best;
  }
}
