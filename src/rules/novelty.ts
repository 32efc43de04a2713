import Fuse from 'fuse.js';
import { RULE_ID, sentences, type Rule } from './rule.js';

/**
 * Is a proposed rule new? Pure: compares a candidate with the rules it is given, scores how close
 * each is (0..1) and spots instructions that say the opposite of each other.
 *
 * similarity(a, b) = 0.5 * fuzzy + 0.5 * words, both over the normalised content words of a and b
 * (lowercase, no punctuation, no stop words, light stemming):
 *  - fuzzy: every content word of one text is searched with fuse.js in the content words of the
 *    other (ignoreLocation, threshold 0.6); a hit counts (1 - Fuse score) times the length ratio of
 *    the two words, so "unread" still meets "read" but "fil" does not fully meet "makefil". The
 *    mean over the words, averaged over both directions.
 *  - words: the mean of the Dice coefficient and the overlap coefficient of the two word sets.
 * Near-paraphrases land around 0.65 and above; rules about different things stay below 0.4.
 */

export interface NoveltyMatch {
  id: string;
  /** 0..1, 1 = the same rule. */
  score: number;
  title: string;
}

export interface NoveltyResult {
  /** Ids compared, sorted. */
  checked: string[];
  /** The closest rule, if any rule shares anything with the candidate. */
  best: NoveltyMatch | null;
  /** score >= threshold, best first. */
  overlaps: NoveltyMatch[];
  contradictions: { id: string; reason: string }[];
  /** "checked PROJ-001 to PROJ-027: no overlap" | "overlaps PROJ-014 (0.82)", plus "; contradicts PROJ-003". */
  summary: string;
}

export interface NoveltyCandidate {
  title: string;
  body: string;
  trigger?: string;
  enforcement?: string;
}

export type ComparableRule = Pick<Rule, 'id' | 'title' | 'body' | 'trigger' | 'enforcement' | 'status'>;

/** Fuse's own cut-off for a word to count as a fuzzy hit. */
const FUSE_THRESHOLD = 0.6;
/** Weight of the fuzzy part; the exact word overlap gets the rest. */
const FUZZY_WEIGHT = 0.5;
/** How many ids (or id ranges) a summary lists per prefix before "and N more". */
const LIST_CAP = 6;

const STOP_WORDS = new Set(
  (
    'a an the to before after it its you your yours of in and or is are was were be been being am that this these those ' +
    'with without for on when whenever any all always never must not do does did doing dont doesnt didnt should shouldnt ' +
    'can cant cannot will wont would may might mustnt isnt arent than then there their them they we our us i me my at by ' +
    'as from into onto if else so but also just only even every each same other such what which who whom whose how why ' +
    'where while up down out over under again once here both few more most some no nor own too very via per instead ' +
    'still already has have had use uses used using avoid please ever e g ie eg etc ' +
    'run runs ran make makes made sure ensure first get gets let need needs want try'
  ).split(' '),
);

/** Words a light suffix stripper would mangle. */
const KEEP = new Set(['string', 'thing', 'during', 'nothing', 'something', 'anything', 'everything', 'spring', 'bring', 'ring', 'need', 'feed', 'seed', 'speed', 'process', 'access', 'status', 'class', 'always']);

/** Light stemming: plural "s"/"ies", "ing", "ed", a doubled final consonant, a final "e". */
export function stem(word: string): string {
  let w = word;
  if (KEEP.has(w)) return w;
  if (w.length > 4 && w.endsWith('ies')) w = `${w.slice(0, -3)}y`;
  else if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) w = w.slice(0, -1);
  if (w.length > 5 && w.endsWith('ing')) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith('ed')) w = w.slice(0, -2);
  if (/([b-df-hj-np-tv-z])\1$/.test(w) && !/(ll|ss|zz)$/.test(w)) w = w.slice(0, -1);
  if (w.length > 3 && w.endsWith('e')) w = w.slice(0, -1);
  return w;
}

/** Normalised content words of a text, in order of first appearance, without repeats. */
/**
 * Lint compares every pair of rules, so the words and instructions of each text are computed once
 * and remembered (results are pure functions of the text; the memo is dropped when it grows large).
 */
function memo<T>(fn: (text: string) => T): (text: string) => T {
  const cache = new Map<string, T>();
  return (text) => {
    let hit = cache.get(text);
    if (hit === undefined) {
      if (cache.size > 20000) cache.clear();
      hit = fn(text);
      cache.set(text, hit);
    }
    return hit;
  };
}

export const contentWords = memo(contentWordsOf);

function contentWordsOf(text: string): string[] {
  const out = new Set<string>();
  const raw = text
    .toLowerCase()
    .replace(/['’`]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .split(' ');
  for (const token of raw) {
    if (!token || STOP_WORDS.has(token)) continue;
    const s = stem(token);
    if (s.length < 2 || STOP_WORDS.has(s)) continue;
    out.add(s);
  }
  return [...out];
}

/** How many overlapping rules a novelty summary names. */
export const SUMMARY_OVERLAPS = 3;

/**
 * Fuzzy word neighbours of a vocabulary: a word is searched with fuse.js among all words the
 * first time a comparison needs it (scores do not depend on the other items, since field norms are
 * ignored), and kept, so comparing word lists is then a few map lookups instead of a search per word.
 *
 * With `focus` (one candidate against every rule), only pairs with a focus word are ever looked
 * up: a focus word is searched among all words, any other only among the focus words. That gives
 * the same similarities to the focus list, and a search per word of a few words instead of the
 * whole vocabulary's, which grows with every rule. Only `similarity(focus, x)` (or `(x, focus)`)
 * is then exact: a pair of two other lists scores too low.
 */
export class WordNeighbours {
  /** Each word's fuzzy hits and their scores, best first, so a scan stops at the first hit the target holds. */
  private readonly near = new Map<string, Map<string, number>>();
  private readonly vocabulary: Set<string>;
  private readonly focused: Set<string> | null;
  private all: Fuse<string> | null = null;
  private amongFocus: Fuse<string> | null = null;

  // Lazily: lint and the closest-rule look-up rule most pairs out before any fuzzy matching, so
  // most words of a large vocabulary are never searched.
  constructor(lists: string[][], focus?: readonly string[]) {
    this.vocabulary = new Set(lists.flat());
    this.focused = focus ? new Set(focus) : null;
  }

  private hitsOf(word: string): Map<string, number> | undefined {
    const known = this.near.get(word);
    if (known || !this.vocabulary.has(word)) return known;
    const options = { includeScore: true, ignoreLocation: true, ignoreFieldNorm: true, threshold: FUSE_THRESHOLD };
    this.all ??= new Fuse([...this.vocabulary], options);
    const fuse = !this.focused || this.focused.has(word) ? this.all : (this.amongFocus ??= new Fuse([...this.focused], options));
    const hits = fuse
      .search(word)
      .map((hit) => ({ word: hit.item, score: (1 - (hit.score ?? 1)) * (Math.min(word.length, hit.item.length) / Math.max(word.length, hit.item.length)) }))
      .filter((hit) => hit.score > 0)
      .sort((x, y) => y.score - x.score);
    const found = new Map(hits.map((h) => [h.word, h.score]));
    this.near.set(word, found);
    return found;
  }

  /** Mean over `query` words of their best fuzzy hit among `target` words. */
  coverage(query: string[], target: Set<string>): number {
    if (!query.length || !target.size) return 0;
    let total = 0;
    for (const word of query) {
      const hits = this.hitsOf(word);
      if (!hits) continue;
      let best = 0;
      if (target.size < hits.size) {
        // A rule's few words against a long list of hits: the best of the target's own scores.
        for (const t of target) best = Math.max(best, hits.get(t) ?? 0);
      } else {
        for (const [hit, score] of hits) {
          if (target.has(hit)) {
            best = score;
            break;
          }
        }
      }
      total += best;
    }
    return total / query.length;
  }

  similarity(a: string[], b: string[], setA: Set<string> = new Set(a), setB: Set<string> = new Set(b)): number {
    const fuzzy = (this.coverage(a, setB) + this.coverage(b, setA)) / 2;
    return Math.min(1, Math.max(0, FUZZY_WEIGHT * fuzzy + (1 - FUZZY_WEIGHT) * wordOverlap(a, b, setB)));
  }
}

export function wordOverlap(a: string[], b: string[], setB: Set<string> = new Set(b)): number {
  if (!a.length || !b.length) return 0;
  const shared = a.filter((w) => setB.has(w)).length;
  const dice = (2 * shared) / (a.length + b.length);
  const overlap = shared / Math.min(a.length, b.length);
  return (dice + overlap) / 2;
}

/**
 * The fuzzy part is at most 1, so a pair whose word overlap is below 2 * threshold - 1 cannot
 * reach the threshold: it is ruled out without running fuse.js (lint compares every pair).
 */
export function reachesThreshold(a: string[], b: string[], threshold: number, neighbours: WordNeighbours, setA: Set<string> = new Set(a), setB: Set<string> = new Set(b)): number | null {
  const overlap = wordOverlap(a, b, setB);
  if (FUZZY_WEIGHT * 1 + (1 - FUZZY_WEIGHT) * overlap < threshold) return null;
  return neighbours.similarity(a, b, setA, setB);
}

export function similarityOfWords(a: string[], b: string[]): number {
  return new WordNeighbours([a, b]).similarity(a, b);
}

/** How close two texts are in meaning, 0..1 (symmetric; 1 = the same content words). */
export function similarity(a: string, b: string): number {
  const wa = contentWords(a);
  const wb = contentWords(b);
  if (!wa.length || !wb.length) return a.trim() !== '' && a.trim().toLowerCase() === b.trim().toLowerCase() ? 1 : 0;
  return similarityOfWords(wa, wb);
}

/** The text a rule is compared by: title, body and trigger. */
export function comparableText(rule: { title: string; body: string; trigger?: string }): string {
  return [rule.title, rule.body, rule.trigger ?? ''].filter((s) => s.trim()).join('\n');
}

// ---------------------------------------------------------------------------------------------
// Contradictions: the same action, once required and once forbidden.

const NEGATIVE = /\b(?:never|do not|don['’]?t|must not|mustn['’]?t|should not|shouldn['’]?t|avoid|refrain from)\b|^no\b/i;
const POSITIVE = /\b(?:always|must|should|make sure to|make sure|ensure that|ensure|do|use|prefer)\b/i;
/** Where the action of an instruction ends: a comma, or what comes instead of it. */
const ACTION_END = /,|\b(?:instead of|rather than|not|without|except|unless|but)\b/i;
/** A leading condition ("Before you X, ...", "When Y, ...") is not the instruction. */
const CONDITION = /^(?:before|after|when|whenever|if|once|while|until|unless|in|on|for)\b[^,]*,\s*/i;

interface Instruction {
  polarity: 'do' | 'dont';
  /** The clause as written, for the reason. */
  clause: string;
  /** Content words of the action. */
  words: string[];
  /** The action's words and those of its leading condition. */
  context: Set<string>;
}

/**
 * The instructions of a text: clauses (sentences, and parts of them split by ";") with an explicit
 * marker (always/must/do/use vs never/don't/do not/avoid/must not), and the first clause as an
 * imperative when it has no marker. The action is what follows the marker, up to a comma or an
 * "instead of", "rather than", "not", "without".
 */
const instructions = memo(instructionsOf);

function instructionsOf(text: string): Instruction[] {
  const clauses = sentences(text.replace(/\s+/g, ' ').trim()).flatMap((s) => s.split(/;\s*/));
  const out: Instruction[] = [];
  clauses.forEach((raw, index) => {
    const clause = raw.trim().replace(/[.!?]+$/, '');
    if (!clause) return;
    const main = clause.replace(CONDITION, '');
    const condition = clause.slice(0, clause.length - main.length);
    let polarity: Instruction['polarity'] | null = null;
    let action = '';
    const neg = NEGATIVE.exec(main);
    const pos = POSITIVE.exec(main);
    if (neg && (!pos || neg.index <= pos.index)) {
      polarity = 'dont';
      action = main.slice(neg.index + neg[0].length);
    } else if (pos) {
      polarity = 'do';
      action = main.slice(pos.index + pos[0].length);
    } else if (index === 0 && isImperative(main)) {
      polarity = 'do';
      action = main;
    }
    if (!polarity) return;
    const words = contentWords(action.split(ACTION_END)[0] ?? '');
    if (words.length) out.push({ polarity, clause, words, context: new Set([...contentWords(condition), ...words]) });
  });
  return out;
}

/** Subjects and determiners: a sentence starting with one describes, it does not instruct. */
const NOT_A_VERB = new Set(['a', 'an', 'the', 'this', 'that', 'these', 'those', 'it', 'its', 'you', 'we', 'they', 'he', 'she', 'i', 'each', 'every', 'all', 'any', 'some', 'most', 'many', 'there', 'here', 'our', 'your', 'their', 'one', 'to']);

/** Does a clause start like an imperative ("Read ...", "Check ...")? Not "Committing X leaks Y". */
function isImperative(clause: string): boolean {
  const first = /^[A-Za-z]+/.exec(clause.trim())?.[0]?.toLowerCase();
  if (!first || NOT_A_VERB.has(first)) return false;
  return !first.endsWith('ing') && !(first.endsWith('s') && !first.endsWith('ss'));
}

function quote(clause: string): string {
  return `"${clause.length > 80 ? `${clause.slice(0, 79).trimEnd()}…` : clause}"`;
}

/**
 * Does `b` forbid what `a` requires, or the other way round? Same action = the forbidden action's
 * words are (nearly, 75%) all in the required instruction (its action or its condition), and at
 * least half of the required action's words are in the forbidding one; so "never run the tests
 * with --watch" does not contradict "always run the tests". Returns the reason.
 */
export function contradiction(a: string, b: string): string | null {
  const left = instructions(a);
  const right = instructions(b);
  for (const x of left) {
    for (const y of right) {
      if (x.polarity === y.polarity) continue;
      const [must, mustNot] = x.polarity === 'do' ? [x, y] : [y, x];
      const forbiddenCovered = mustNot.words.filter((w) => must.context.has(w)).length / mustNot.words.length;
      const requiredCovered = must.words.filter((w) => mustNot.context.has(w)).length / must.words.length;
      if (forbiddenCovered >= 0.75 && requiredCovered >= 0.5) {
        return `${quote(x.clause)} vs ${quote(y.clause)}`;
      }
    }
  }
  return null;
}

/** A contradiction between two rules: their bodies, enforcements and titles, each against each. */
export function ruleContradiction(
  a: { title: string; body: string; enforcement?: string },
  b: { title: string; body: string; enforcement?: string },
): string | null {
  const fields = (r: typeof a) => [r.body, r.enforcement ?? '', r.title].filter((s) => s.trim());
  for (const x of fields(a)) {
    for (const y of fields(b)) {
      const reason = contradiction(x, y);
      if (reason) return reason;
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Summaries.

function idKey(id: string): [string, number] {
  const m = RULE_ID.exec(id);
  return m ? [m[1]!, Number(m[2])] : [id, Number.NaN];
}

export function compareIds(a: string, b: string): number {
  const [pa, na] = idKey(a);
  const [pb, nb] = idKey(b);
  if (pa !== pb) return pa < pb ? -1 : 1;
  if (!Number.isNaN(na) && !Number.isNaN(nb) && na !== nb) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** "PROJ-001 to PROJ-027" for a consecutive group; otherwise a capped list of ids and ranges. */
export function formatIdRanges(ids: string[]): string {
  const sorted = [...new Set(ids)].sort(compareIds);
  const groups = new Map<string, string[]>();
  for (const id of sorted) {
    const prefix = idKey(id)[0];
    groups.set(prefix, [...(groups.get(prefix) ?? []), id]);
  }
  const parts: string[] = [];
  for (const group of groups.values()) {
    const runs: string[][] = [];
    for (const id of group) {
      const run = runs[runs.length - 1];
      const last = run?.[run.length - 1];
      if (run && last !== undefined && idKey(id)[1] === idKey(last)[1] + 1) run.push(id);
      else runs.push([id]);
    }
    const items: string[] = [];
    for (const run of runs) {
      const first = run[0]!;
      const last = run[run.length - 1]!;
      if (run.length === 1) items.push(first);
      else if (runs.length === 1 || run.length > 2) items.push(`${first} to ${last}`);
      else items.push(first, last);
    }
    const shown = items.slice(0, LIST_CAP);
    const rest = group.length - countIds(shown);
    parts.push(rest > 0 ? `${shown.join(', ')} and ${rest} more` : shown.join(', '));
  }
  return parts.join(', ');
}

function countIds(items: string[]): number {
  return items.reduce((n, item) => {
    const [from, to] = item.split(' to ');
    return n + (to ? idKey(to)[1] - idKey(from!)[1] + 1 : 1);
  }, 0);
}

function byScore(a: NoveltyMatch, b: NoveltyMatch): number {
  return b.score - a.score || compareIds(a.id, b.id);
}

/**
 * Compares a candidate with every rule whatever its status (a rejected rule said again is still
 * not new). Contradictions are looked for among the rules in force, active or proposed.
 */
export function checkNovelty(candidate: NoveltyCandidate, rules: ComparableRule[], threshold = 0.6): NoveltyResult {
  const candidateWords = contentWords(comparableText(candidate));
  const ruleWords = rules.map((r) => contentWords(comparableText(r)));
  const neighbours = new WordNeighbours([candidateWords, ...ruleWords], candidateWords);
  const matches: NoveltyMatch[] = rules.map((r, i) => ({
    id: r.id,
    title: r.title,
    score: neighbours.similarity(candidateWords, ruleWords[i]!),
  }));
  matches.sort(byScore);
  const top = matches[0];
  const best = top && top.score > 0 ? top : null;
  const overlaps = matches.filter((m) => m.score >= threshold);
  const contradictions = rules
    .filter((r) => r.status === 'active' || r.status === 'proposed')
    .map((r) => ({ id: r.id, reason: ruleContradiction(candidate, r) }))
    .filter((c): c is { id: string; reason: string } => c.reason !== null)
    .sort((a, b) => compareIds(a.id, b.id));
  const checked = rules.map((r) => r.id).sort(compareIds);

  // The summary is a rule file's `novelty` line and a line of ingest's report: a flood of similar
  // proposals would make it list every one of them, so it names the closest few (`overlaps` has all).
  const named = overlaps.slice(0, SUMMARY_OVERLAPS).map((m) => `${m.id} (${m.score.toFixed(2)})`).join(', ');
  const more = overlaps.length - SUMMARY_OVERLAPS;
  let summary = overlaps.length
    ? `overlaps ${named}${more > 0 ? ` and ${more} more` : ''}`
    : `checked ${checked.length ? formatIdRanges(checked) : 'no rules'}: no overlap`;
  if (contradictions.length) summary += `; contradicts ${contradictions.map((c) => c.id).join(', ')}`;
  return { checked, best, overlaps, contradictions, summary };
}
