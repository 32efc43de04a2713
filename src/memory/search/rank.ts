import Fuse from 'fuse.js';
import { UserError } from '../../errors.js';
import type { MemoryItem, MemoryKind } from '../item.js';
import { candidatePool } from './candidates.js';
import { HIDDEN, kindOf, PINNED, type MemoryIndex } from './index.js';
import { FUSE_OPTIONS, fuseQuery } from './options.js';
import { Best, byFinal, settle, type Scored } from './settle.js';
import { term, textDistance } from './words.js';

export { fuseQuery } from './options.js';

/**
 * Memory search: the index narrows a query to the items that could match, fuse.js scores them, and
 * the final score blends Fuse's match with how recent, how confident and whether pinned:
 *
 *   score = 0.7 * match + 0.15 * recency + 0.15 * confidence + (pinned ? 0.25 : 0)
 *   match = 1 - Fuse score (Fuse: 0 is perfect)      recency = 0.5 ^ (age in days / half-life)
 *
 * Match dominates: an exact match in a fact of ten words (Fuse 0.11, match 0.89) is 0.37 ahead
 * of one with a typo (Fuse 0.65), more than recency and confidence together can make up; between
 * equal matches, the recent, confident and pinned item wins. An empty query browses: the same
 * blend without the match part.
 *
 * A query of several words matches an item when every word does, each fuzzily and anywhere in the
 * text, in any order; Fuse's score is then the mean of the words' scores (options.ts). The query
 * goes through fuseQuery first, so characters Fuse's extended search would read as operators
 * ("!word", "^word", "word$", "a | b") are taken as the words alone; a query of nothing else
 * browses like an empty one.
 *
 * Filters apply first; then the index gives each candidate a lower bound on its Fuse score, hence
 * an upper bound on its final score, and Fuse scores candidates best possible first until no other
 * could enter the results (settle.ts): the results a Fuse pass over every item would give.
 */

export const W_MATCH = 0.7;
export const W_RECENCY = 0.15;
export const W_CONFIDENCE = 0.15;
export const PIN_BONUS = 0.25;
/** How many best Fuse matches are settled exactly, whatever the blend does with them. */
export const FUSE_TOP = 10;
const DAY = 86_400_000;

export interface SearchOptions {
  now: Date;
  category?: string;
  /** ISO date or instant: items whose time is at or after it. */
  since?: string;
  kinds?: MemoryKind[];
  includeHidden?: boolean;
  limit?: number;
  halfLifeDays?: number;
}

export interface SearchHit {
  item: MemoryItem;
  score: number;
  why: {
    /** 0..1, 1 best: 1 - fuseScore (0 when browsing). */
    match: number;
    /** Fuse's own score, 0 best (1 when browsing). */
    fuseScore: number;
    recency: number;
    ageDays: number;
    confidence: number;
    pinned: boolean;
    parts: string[];
  };
}

export interface FuseHit {
  item: MemoryItem;
  fuseScore: number;
}

export function searchMemory(index: MemoryIndex, query: string, opts: SearchOptions): SearchHit[] {
  return run(index, query, opts).hits;
}

/** The ranking stage alone: the best FUSE_TOP Fuse matches among the filtered items. */
export function fuseStage(index: MemoryIndex, query: string, opts: SearchOptions): FuseHit[] {
  return run(index, query, opts).fuse;
}

/** The final score of one item (bench and tests blend plain Fuse results with it). */
export function blendScore(item: MemoryItem, fuseScore: number | null, now: Date, halfLifeDays = 30): number {
  return mix(ageOf(Date.parse(item.time), now.getTime()), item.confidence, item.pinned, fuseScore, halfLifeDays);
}

function blend(index: MemoryIndex, i: number, fuseScore: number | null, now: number, halfLifeDays: number): number {
  return mix(ageOf(index.times[i]!, now), index.confidences[i]!, (index.flags[i]! & PINNED) !== 0, fuseScore, halfLifeDays);
}

function mix(age: number, confidence: number, pinned: boolean, fuseScore: number | null, halfLifeDays: number): number {
  const prior = W_RECENCY * 0.5 ** (age / halfLifeDays) + W_CONFIDENCE * clamp(confidence) + (pinned ? PIN_BONUS : 0);
  return fuseScore === null ? prior : W_MATCH * (1 - fuseScore) + prior;
}

/** Days since `time` (ms), 0 for a time ahead of now, Infinity when it did not parse. */
function ageOf(time: number, now: number): number {
  return Number.isNaN(time) ? Infinity : Math.max(0, (now - time) / DAY);
}

function clamp(confidence: number): number {
  return Number.isFinite(confidence) ? Math.min(1, Math.max(0, confidence)) : 0;
}

/** The baseline the index is measured against (bench and tests): Fuse over every item. */
export function plainFuse(items: MemoryItem[]): Fuse<MemoryItem> {
  return new Fuse(items, FUSE_OPTIONS);
}

/** A query with no words (after fuseQuery) has no Fuse matches here, as in searchMemory (which browses). */
export function plainSearch(fuse: Fuse<MemoryItem>, query: string, limit = FUSE_TOP): FuseHit[] {
  const q = fuseQuery(query);
  if (!q) return [];
  return fuse.search(q, { limit }).map((r) => ({ item: r.item, fuseScore: r.score ?? 0 }));
}

// ---------------------------------------------------------------------------------------------

function run(index: MemoryIndex, query: string, opts: SearchOptions): { hits: SearchHit[]; fuse: FuseHit[] } {
  const q = fuseQuery(query);
  const limit = opts.limit ?? 20;
  const halfLife = opts.halfLifeDays ?? 30;
  const now = opts.now.getTime();
  const keep = filter(index, opts);
  const prior = priors(index, now, halfLife);
  const final = (i: number, fuse: number | null) => blend(index, i, fuse, now, halfLife);
  const explain = (s: Scored) => hit(index, query, q, s, now, halfLife);

  const pool = candidatePool(index, q);
  if (!pool) {
    const best = new Best(limit, byFinal);
    for (let i = 0; i < index.size; i++) {
      // Most items cannot make the page: the bound on the prior rules them out before the blend.
      if (keep(i) && !(best.full && prior(i) + 1e-9 < best.worst.final)) best.add({ i, fuse: 1, final: final(i, null) });
    }
    return { hits: best.list.map(explain), fuse: [] };
  }
  const top = settle({ index, pool, query: q, keep, prior, final, weight: W_MATCH, fuseTop: FUSE_TOP, limit });
  return { hits: top.final.map(explain), fuse: top.fuse.map((s) => ({ item: index.item(s.i), fuseScore: s.fuse })) };
}

/**
 * Recency, confidence and pin of every item, for bounds: 0.5^(age / half-life) is
 * C(now) * E_i with E_i = 2^((t_i - t_ref) / half-life), so only E_i needs an exponential, once
 * per index and half-life.
 */
const cache = new WeakMap<MemoryIndex, { halfLife: number; ref: number; e: Float64Array; rest: Float64Array }>();

function priors(index: MemoryIndex, now: number, halfLife: number): (i: number) => number {
  let c = cache.get(index);
  if (!c || c.halfLife !== halfLife) {
    const n = index.size;
    let ref = -Infinity;
    for (let i = 0; i < n; i++) if (index.times[i]! > ref) ref = index.times[i]!;
    const e = new Float64Array(n);
    const rest = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const t = index.times[i]!;
      e[i] = Number.isNaN(t) ? 0 : 2 ** ((t - ref) / (halfLife * DAY));
      rest[i] = W_CONFIDENCE * clamp(index.confidences[i]!) + (index.flags[i]! & PINNED ? PIN_BONUS : 0);
    }
    c = { halfLife, ref, e, rest };
    cache.set(index, c);
  }
  const { e, rest } = c;
  const scale = 2 ** ((c.ref - now) / (halfLife * DAY));
  return (i) => W_RECENCY * (Math.min(1, scale * e[i]!) || 0) + rest[i]!;
}

function filter(index: MemoryIndex, opts: SearchOptions): (i: number) => boolean {
  const category = opts.category?.toLowerCase();
  const kinds = opts.kinds ? new Set(opts.kinds) : null;
  let since = -Infinity;
  if (opts.since !== undefined) {
    since = Date.parse(opts.since);
    if (Number.isNaN(since)) throw new UserError(`--since: "${opts.since}" is not an ISO date or instant`);
  }
  const { flags, categoryOf, times } = index;
  const skip = opts.includeHidden ? 0 : HIDDEN;
  if (!kinds && category === undefined && since === -Infinity) return (i) => (flags[i]! & skip) === 0;
  const categories = index.categories.map((c) => category === undefined || c.toLowerCase() === category);
  return (i) => (flags[i]! & skip) === 0 && (!kinds || kinds.has(kindOf(index, i))) && categories[categoryOf[i]!]! && (since === -Infinity || times[i]! >= since);
}

const num = (x: number) => x.toFixed(2);

/** The breakdown a detail view shows: each part of the score in words. */
function hit(index: MemoryIndex, typed: string, q: string, s: Scored, now: number, halfLife: number): SearchHit {
  const item = index.item(s.i);
  const age = ageOf(index.times[s.i]!, now);
  const rec = 0.5 ** (age / halfLife);
  const conf = clamp(item.confidence);
  const match = q ? 1 - s.fuse : 0;
  const parts: string[] = [];
  if (q) {
    parts.push(matchPart(index, q, s, match));
    if (q !== typed.trim().split(/\s+/).join(' ')) parts.push(`searched for "${q}": a leading ! ^ ' = or trailing $ on a word, and | or ", are not search operators here`);
  } else parts.push(typed.trim() ? `no words in "${typed.trim()}" once search operators are left out: ranked by recency, confidence and pins` : 'no query: ranked by recency, confidence and pins');
  parts.push(Number.isFinite(age) ? `${days(age)} old: recency ${num(rec)} (half-life ${halfLife} days)` : `no valid time: recency 0`);
  parts.push(`confidence ${num(conf)}`);
  if (item.pinned) parts.push(`pinned: +${PIN_BONUS}`);
  const terms = [...(q ? [`${W_MATCH} × ${num(match)}`] : []), `${W_RECENCY} × ${num(rec)}`, `${W_CONFIDENCE} × ${num(conf)}`, ...(item.pinned ? [`${PIN_BONUS}`] : [])];
  parts.push(`score ${terms.join(' + ')} = ${num(s.final)}`);
  return { item, score: s.final, why: { match, fuseScore: q ? s.fuse : 1, recency: rec, ageDays: age, confidence: conf, pinned: item.pinned, parts } };
}

/**
 * How the query matched, word by word: Fuse's score for a word before the length norm is its edits
 * / its length, counted here the same way (words.ts) for a word of at most 32 characters, which
 * Fuse matches in one piece.
 */
function matchPart(index: MemoryIndex, q: string, s: Scored, match: number): string {
  const text = index.item(s.i).text;
  const edits = q.split(' ').map((w) => [w, w.length <= 32 ? textDistance(term(w.toLowerCase()), text) : -1] as const);
  const words = index.wsTokens[s.i]!;
  const where = `in ${words} word${words === 1 ? '' : 's'}`;
  const away = (e: number) => `${e} edit${e === 1 ? '' : 's'} away`;
  if (edits.length === 1) {
    const e = edits[0]![1];
    const what = e === 0 ? `exact match for "${q}"` : e < 0 ? `close match for "${q}"` : `close match for "${q}", ${away(e)}`;
    return `${what} ${where} (fuse ${s.fuse.toFixed(3)}; shorter texts score better): match ${num(match)}`;
  }
  const each = edits.map(([w, e]) => `"${w}": ${e === 0 ? 'exact' : e < 0 ? 'close' : away(e)}`).join(', ');
  return `every word matches (${each}) ${where} (fuse ${s.fuse.toFixed(3)}, from the mean of the words' scores; shorter texts score better): match ${num(match)}`;
}

function days(age: number): string {
  if (age < 1) return 'less than a day';
  const d = Math.floor(age);
  return `${d} day${d === 1 ? '' : 's'}`;
}
