import type { IFuseOptions } from 'fuse.js';
import type { MemoryItem } from '../item.js';

/**
 * Fuse's cut-off: a match may have about one edit per three characters of the query (one typo in a
 * 3-5 letter word, two in 6-8, three in 9-11). Fuse's default (0.6) lets a 5-letter word match
 * with 3 edits, which finds almost anything; 0.34 still lets "pnmp" find "pnpm" and "tpyecheck"
 * find "typecheck". The index derives its error budget from the same number. With extended search
 * (below) the cut-off applies to each word of the query on its own.
 */
export const FUSE_THRESHOLD = 0.34;

/**
 * The one set of Fuse options: the ranking stage over indexed candidates and the plain baseline
 * over every item use exactly these, so their scores are comparable one for one. Only `text` is
 * searched (a title is a shortened text or a label for lists); `ignoreLocation` because a match
 * counts wherever it is in the text; Fuse's field-length norm is kept, so a short fact that
 * matches beats a long narrative that merely mentions the word.
 *
 * `useExtendedSearch`: a query of several words means every word matches, each fuzzily and
 * anywhere in the text ("read before edit" finds "Read a file ... before you edit it"). Fuse then
 * splits the query at spaces, matches each word as its own bitap pattern (within the threshold,
 * by its own length) and scores the item by the mean of the words' scores, raised to the text's
 * field-length norm. Its operators are kept out of the query by fuseQuery: always pass a query
 * through it first.
 */
export const FUSE_OPTIONS: IFuseOptions<MemoryItem> = {
  keys: ['text'],
  includeScore: true,
  ignoreLocation: true,
  threshold: FUSE_THRESHOLD,
  useExtendedSearch: true,
};

/**
 * The query as Fuse's extended search is given it: whitespace-separated words, each a plain fuzzy
 * word. Someone typing "!important", "^foo", "foo$" or "a | b" means the words, not Fuse's
 * operators (ignore items with, starts with, ends with, or), so a word loses a leading ! ^ ' = and
 * a trailing $, and | and " (or-groups and quoted phrases) separate words like a space. What is
 * left of the query is joined by single spaces; nothing left (a query of operators alone) is the
 * empty query.
 */
export function fuseQuery(query: string): string {
  return query
    .replace(/["|\0]/g, ' ')
    .split(/\s+/)
    .map((w) => w.replace(/^[!^'=]+/, '').replace(/\$+$/, ''))
    .filter(Boolean)
    .join(' ');
}

/** The words Fuse matches one by one, lowercased as Fuse does. */
export function queryTerms(query: string): string[] {
  const q = fuseQuery(query).toLowerCase();
  return q ? q.split(' ') : [];
}

/** Most edits Fuse accepts for a pattern of this length (its test is errors / length <= threshold). */
export function errorBudget(patternLength: number): number {
  let e = Math.floor(FUSE_THRESHOLD * patternLength);
  while ((e + 1) / patternLength <= FUSE_THRESHOLD) e++;
  while (e > 0 && e / patternLength > FUSE_THRESHOLD) e--;
  return e;
}
