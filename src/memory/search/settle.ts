import Fuse from 'fuse.js';
import { CHEAP, EXACT, type CandidatePool } from './candidates.js';
import type { MemoryIndex } from './index.js';
import { FUSE_OPTIONS } from './options.js';

/**
 * Ranking by bounds: Fuse scores candidates in batches, best possible first, until no candidate
 * left could enter the results. A candidate's bound is the mean of the query words' bounds
 * (candidates.ts), as Fuse's extended search scores the mean of the words' scores. Two results are
 * settled at once, each with its own queue over the same candidates: the best Fuse matches (by the
 * lower bound on the Fuse score) and the best final scores (by the upper bound on the blend, match
 * part from that same lower bound).
 *
 * A candidate whose bound is loose is tightened when it comes up (candidates.ts: word by word, then
 * Fuse's own count) and queued again at its new place; only an exact bound is sent to Fuse. So
 * Fuse scores little more than the results themselves, and they are the ones a Fuse pass over
 * every item would give, but for what the index cannot foresee (candidates.ts) and WORK_LIMIT.
 */

export interface Scored {
  i: number;
  fuse: number;
  final: number;
}

export interface Settle {
  index: MemoryIndex;
  pool: CandidatePool;
  /** As fuseQuery (options.ts) gives it: the words Fuse's extended search matches one by one. */
  query: string;
  keep: (i: number) => boolean;
  /** Upper bound of the final score without its match part (recency, confidence, pin). */
  prior: (i: number) => number;
  /** The final score, exactly. */
  final: (i: number, fuse: number) => number;
  /** Weight of the match part (1 - Fuse score) in the final score. */
  weight: number;
  fuseTop: number;
  limit: number;
}

export const byFuse = (a: Scored, b: Scored) => a.fuse - b.fuse || a.i - b.i;
export const byFinal = (a: Scored, b: Scored) => b.final - a.final || a.i - b.i;

/** Covers rounding between the bound on the prior and the exact blend. */
const SLACK = 1e-9;
/** A query Fuse could match almost everywhere stops here rather than score every item. */
const MAX_SCORED = 3000;
/**
 * Work, in rough nanoseconds (measured): a phrase cell (a query term against a word), a character
 * of a text matched exactly, taking a candidate out of the queues and back, a candidate in a pass
 * over all of them (besides its cells). A query Fuse would match almost
 * anywhere ("a b", a long pasted text) stops tightening bounds after WORK_LIMIT: its last round
 * scores the best candidates as their loose bounds order them, so its results are the best found
 * by then, not necessarily the best there are.
 */
const CELL = 3;
const CHAR = 6;
const QUEUE = 1000;
const PASS = 150;
const WORK_LIMIT = 20e6;

export function settle(s: Settle): { fuse: Scored[]; final: Scored[] } {
  const { index, pool } = s;
  const upper = new Float64Array(pool.size);
  const prior = new Float64Array(pool.size);
  const positions = new Int32Array(pool.size);
  let kept = 0;
  // Best possible final score, negated so that both queues pop the smallest key.
  const setUpper = (p: number) => (upper[p] = -(s.weight * (1 - pool.bounds[p]!) + prior[p]! + SLACK));
  for (let p = 0; p < pool.size; p++) {
    if (!s.keep(pool.items[p]!)) continue;
    positions[kept++] = p;
    prior[p] = s.prior(pool.items[p]!);
    setUpper(p);
  }
  const queues = () => [new Queue(pool.bounds, positions.subarray(0, kept)), new Queue(upper, positions.subarray(0, kept))] as const;
  let [byBound, byUpper] = queues();
  const fuseBest = new Best(s.fuseTop, byFuse);
  const finalBest = new Best(s.limit, byFinal);
  const scored = new Uint8Array(pool.size);
  let count = 0;

  // Loose candidates are tightened one at a time as they come up, until that has cost as much as
  // tightening all those left in one pass would: never much more than the better of the two.
  const cells = (p: number) => CELL * pool.phraseTerms * (index.tokenStart[pool.items[p]! + 1]! - index.tokenStart[pool.items[p]!]!);
  let spent = 0;
  let left = 0;
  for (let k = 0; k < kept; k++) if (pool.level[positions[k]!] === CHEAP) left += cells(positions[k]!);
  let work = 0;
  const passCost = () => left + kept * PASS;
  const tightenAll = () => {
    work += passCost();
    let k = 0;
    for (let j = 0; j < kept; j++) {
      const x = positions[j]!;
      if (pool.level[x] === CHEAP) {
        pool.refine(x);
        setUpper(x);
      }
      if (!scored[x] && pool.bounds[x] !== Infinity) positions[k++] = x;
    }
    kept = k;
    [byBound, byUpper] = queues();
  };

  const take = (second: boolean, want: number, settled: (p: number) => boolean, batch: number[]) => {
    for (let taken = 0; taken < want && count < MAX_SCORED; ) {
      const queue = second ? byUpper : byBound;
      const p = queue.pop();
      if (p < 0) return;
      if (scored[p] || pool.bounds[p] === Infinity) continue;
      const loose = pool.level[p] !== EXACT && work <= WORK_LIMIT;
      if (loose && pool.level[p] === CHEAP && (spent += cells(p) + QUEUE) > (left -= cells(p)) && work + passCost() <= WORK_LIMIT) {
        tightenAll();
        continue;
      }
      if (loose) {
        work += QUEUE + (pool.level[p] === CHEAP ? cells(p) : CHAR * pool.chunks * index.textLengths[pool.items[p]!]!);
        pool.refine(p);
        setUpper(p);
        queue.push(p);
        continue;
      }
      if (settled(p)) {
        queue.push(p);
        return;
      }
      scored[p] = 1;
      batch.push(p);
      taken++;
      count++;
    }
  };
  const nextBound = (p: number): Scored => ({ i: pool.items[p]!, fuse: pool.bounds[p]!, final: -upper[p]! });
  // The first round asks for just enough to fill both lists; each later round for twice more.
  for (let round = 1; count < MAX_SCORED; round *= 2) {
    const batch: number[] = [];
    const last = work > WORK_LIMIT;
    take(false, s.fuseTop * (last ? 1 : round), (p) => fuseBest.full && byFuse(fuseBest.worst, nextBound(p)) <= 0, batch);
    take(true, s.limit * (last ? 1 : round), (p) => finalBest.full && byFinal(finalBest.worst, nextBound(p)) <= 0, batch);
    if (!batch.length) break;
    const docs = batch.map((p) => index.item(pool.items[p]!));
    for (const r of new Fuse(docs, FUSE_OPTIONS).search(s.query)) {
      const i = pool.items[batch[r.refIndex]!]!;
      const fuse = r.score ?? 0;
      const hit = { i, fuse, final: s.final(i, fuse) };
      fuseBest.add(hit);
      finalBest.add(hit);
    }
    if (last) break;
  }
  return { fuse: fuseBest.list, final: finalBest.list };
}

/** The best k so far, in order; k is small (a page of results), so insertion is enough. */
export class Best {
  readonly list: Scored[] = [];
  constructor(
    private readonly k: number,
    private readonly order: (a: Scored, b: Scored) => number,
  ) {}

  get full(): boolean {
    return this.list.length >= this.k;
  }

  get worst(): Scored {
    return this.list[this.list.length - 1]!;
  }

  add(s: Scored): void {
    if (this.k <= 0 || (this.full && this.order(s, this.worst) >= 0)) return;
    let at = this.list.length;
    while (at > 0 && this.order(s, this.list[at - 1]!) < 0) at--;
    this.list.splice(at, 0, s);
    if (this.list.length > this.k) this.list.pop();
  }
}

/**
 * Candidate positions by ascending key, then ascending position (pool items ascend with their
 * positions, so that is Fuse's tie-break). A query can have tens of thousands of candidates of
 * which a few dozen are ever taken, so only the keys at or below a floor sit in a binary heap; the
 * rest wait unsorted and move in, a few hundred at a time, when the heap runs past the floor. Keys
 * only grow (bounds get tighter): an entry whose key grew since it was queued is popped early and
 * queued again, never late.
 */
class Queue {
  private pos = new Int32Array(64);
  /** Each entry's key when it was queued. */
  private at = new Float64Array(64);
  private size = 0;
  private readonly rest: Int32Array;
  private restSize: number;
  /** Every key waiting in `rest` is above it. */
  private floor = -Infinity;
  private want = 256;

  constructor(
    private readonly key: Float64Array,
    positions: Int32Array,
  ) {
    this.rest = positions.slice();
    this.restSize = positions.length;
    this.refill();
  }

  /** The position with the smallest current key, or -1. */
  pop(): number {
    while (this.size || this.restSize) {
      if (!this.size || (this.restSize && this.at[0]! > this.floor)) {
        this.refill();
        continue;
      }
      const p = this.pos[0]!;
      const stale = this.at[0] !== this.key[p];
      this.size--;
      this.pos[0] = this.pos[this.size]!;
      this.at[0] = this.at[this.size]!;
      this.down(0);
      if (!stale) return p;
      this.push(p);
    }
    return -1;
  }

  push(p: number): void {
    let k = this.append(p);
    while (k > 0) {
      const parent = (k - 1) >> 1;
      if (!this.less(k, parent)) break;
      this.swap(k, parent);
      k = parent;
    }
  }

  /** Raises the floor to about the next `want` keys (read off a sample) and moves them in. */
  private refill(): void {
    const { rest, key } = this;
    const n = this.restSize;
    if (!n) {
      this.floor = Infinity;
      return;
    }
    const step = Math.max(1, Math.floor(n / 256));
    const sample = new Float64Array(Math.ceil(n / step));
    for (let s = 0; s < sample.length; s++) sample[s] = key[rest[s * step]!]!;
    sample.sort();
    this.floor = sample[Math.min(sample.length - 1, Math.floor((sample.length * this.want) / n))]!;
    this.want *= 2;
    let kept = 0;
    for (let r = 0; r < n; r++) {
      const p = rest[r]!;
      if (key[p]! <= this.floor) this.append(p);
      else rest[kept++] = p;
    }
    this.restSize = kept;
    for (let k = (this.size >> 1) - 1; k >= 0; k--) this.down(k);
  }

  private append(p: number): number {
    if (this.size === this.pos.length) {
      const pos = new Int32Array(this.size * 2);
      const at = new Float64Array(this.size * 2);
      pos.set(this.pos);
      at.set(this.at);
      this.pos = pos;
      this.at = at;
    }
    this.pos[this.size] = p;
    this.at[this.size] = this.key[p]!;
    return this.size++;
  }

  private less(a: number, b: number): boolean {
    const ka = this.at[a]!;
    const kb = this.at[b]!;
    return ka < kb || (ka === kb && this.pos[a]! < this.pos[b]!);
  }

  private swap(a: number, b: number): void {
    const p = this.pos[a]!;
    this.pos[a] = this.pos[b]!;
    this.pos[b] = p;
    const k = this.at[a]!;
    this.at[a] = this.at[b]!;
    this.at[b] = k;
  }

  private down(k: number): void {
    for (;;) {
      const l = 2 * k + 1;
      if (l >= this.size) return;
      const c = l + 1 < this.size && this.less(l + 1, l) ? l + 1 : l;
      if (!this.less(c, k)) return;
      this.swap(c, k);
      k = c;
    }
  }
}
