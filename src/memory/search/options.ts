import type { IFuseOptions } from 'fuse.js';
import type { MemoryItem } from '../item.js';

/**
 * Fuse's cut-off: a match may have about one edit per three characters of the query (one typo in a
 * 3-5 letter word, two in 6-8, three in 9-11). Fuse's default (0.6) lets a 5-letter word match
 * with 3 edits, which finds almost anything; 0.34 still lets "pnmp" find "pnpm" and "tpyecheck"
 * find "typecheck". The index derives its error budget from the same number.
 */
export const FUSE_THRESHOLD = 0.34;

/**
 * The one set of Fuse options: the ranking stage over indexed candidates and the plain baseline
 * over every item use exactly these, so their scores are comparable one for one. Only `text` is
 * searched (a title is a shortened text or a label for lists); `ignoreLocation` because a match
 * counts wherever it is in the text; Fuse's field-length norm is kept, so a short fact that
 * matches beats a long narrative that merely mentions the word.
 */
export const FUSE_OPTIONS: IFuseOptions<MemoryItem> = {
  keys: ['text'],
  includeScore: true,
  ignoreLocation: true,
  threshold: FUSE_THRESHOLD,
};

/** Most edits Fuse accepts for a pattern of this length (its test is errors / length <= threshold). */
export function errorBudget(patternLength: number): number {
  let e = Math.floor(FUSE_THRESHOLD * patternLength);
  while ((e + 1) / patternLength <= FUSE_THRESHOLD) e++;
  while (e > 0 && e / patternLength > FUSE_THRESHOLD) e--;
  return e;
}
