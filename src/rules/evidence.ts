// What a reviewer needs to decide on a proposal in seconds, worked out from the workspace's data:
// how often and how widely the mistake happened, what its guard would have blocked, the closest
// rule and whether it is the same mistake, and what it goes against. Pure: the Review screen and
// `nevo-tui review` both show this.
import type { Incident } from '../store/schemas.js';
import type { Backtest } from './backtest.js';
import { comparableText, compareIds, contentWords, ruleContradiction, WordNeighbours } from './novelty.js';
import { keyInWords, keySubject } from './mistake-key.js';
import { preferenceConflicts } from './preferences.js';
import type { Guard, Rule, RuleStatus } from './rule.js';

export interface ClosestRule {
  id: string;
  status: RuleStatus;
  title: string;
  body: string;
  /** Why it was rejected or deprecated, when it was. */
  reason?: string;
  /** 0..1, the wording compared as the novelty check does. */
  similarity: number;
  /** It answers a mistake this proposal answers too (a key in common). */
  sameMistake: boolean;
  /** Why it is, or is not, the same mistake. */
  why: string;
}

export interface ProposalEvidence {
  id: string;
  title: string;
  /** The mistakes it answers (cause keys). */
  keys: string[];
  incidents: { id: string; category: string; tool: string; status: string }[];
  /** Occurrences over its incidents. */
  count: number;
  /** Distinct sessions they happened in. */
  sessions: number;
  firstSeen: string | null;
  lastSeen: string | null;
  sample: { incident: string; error: string; target?: string } | null;
  guard: Guard | null;
  /** What the guard would have blocked of the workspace's past calls, when it was proposed. */
  backtest: Backtest | null;
  closest: ClosestRule | null;
  /** Rules in force (or flagged when it was proposed) that say the opposite. */
  contradicts: { id: string; status: RuleStatus | 'missing'; reason: string }[];
  /** The person's stated preferences it goes against. */
  preferences: string[];
}

export interface EvidenceContext {
  rules: readonly Rule[];
  incidents: readonly Incident[];
  preferences: readonly string[];
  /** Similarity at which a proposal is linked to a rule that names no mistake (rules.overlapThreshold). */
  threshold: number;
  /** The rules whose evidence will all be asked for (a whole queue): their words are searched once, together. */
  subjects?: readonly Rule[];
}

const inForce = (r: Pick<Rule, 'status'>) => r.status === 'active' || r.status === 'proposed';

/** The mistakes a rule answers: its keys, else (rules written before keys) those of its incidents; undefined when it names none. */
function ruleKeys(rule: Rule, incidentsById: Map<string, Incident>): string[] | undefined {
  if (rule.keys) return rule.keys;
  const keys = rule.incidents.map((i) => incidentsById.get(i.id)?.key).filter((k): k is string => !!k);
  return keys.length ? [...new Set(keys)] : undefined;
}

function whyClosest(mine: string[] | undefined, theirs: string[] | undefined, other: Rule, score: number, threshold: number): { same: boolean; why: string } {
  const shared = mine && theirs ? mine.filter((k) => theirs.includes(k)) : [];
  if (shared.length) {
    const what = `the same mistake (${shared.map(keyInWords).join(', ')})`;
    if (other.status === 'active') return { same: true, why: `${what}: it already answers it, so approving makes two rules for one mistake` };
    if (other.status === 'proposed') return { same: true, why: `${what}: another proposal for it` };
    return { same: true, why: `${what}, ${other.status} before${other.reason ? `: "${other.reason}"` : ''}` };
  }
  const wording = `wording ${score.toFixed(2)}, ${score >= threshold ? 'at or above' : 'below'} the ${threshold} that links`;
  if (!mine?.length) return { same: false, why: `this proposal names no mistake; ${wording}` };
  if (theirs === undefined) return { same: false, why: `it names no mistake; ${wording}` };
  if (!theirs.length) return { same: false, why: 'not the same mistake: it is a general habit that answers no one mistake' };
  return { same: false, why: `not the same mistake: it answers ${theirs.map(keyInWords).join(', ')}; this one ${mine.map(keyInWords).join(', ')}` };
}

/**
 * What every proposal of one rule set shares, worked out once: each rule's words, the incidents by
 * id and by fingerprint; and per proposal shown, the fuzzy neighbours of its words (as the novelty
 * check scores wording), so a proposal against 500 rules costs a lookup per pair.
 */
export function evidenceFor(ctx: EvidenceContext): (rule: Rule) => ProposalEvidence {
  const incidentsById = new Map(ctx.incidents.map((i) => [i.id, i]));
  const byFingerprint = new Map<string, Incident[]>();
  for (const i of ctx.incidents) byFingerprint.set(i.fingerprint, [...(byFingerprint.get(i.fingerprint) ?? []), i]);
  const words = new Map(ctx.rules.map((r) => [r.id, contentWords(comparableText(r))]));
  const wordSets = new Map([...words].map(([id, list]) => [id, new Set(list)]));
  // What a contradiction compares (title, body, enforcement): rules sharing none of it cannot contradict.
  const clauseWords = new Map(ctx.rules.map((r) => [r.id, new Set([...words.get(r.id)!, ...contentWords(r.enforcement)])]));
  // A proposal's words searched among all words, every other word among the proposal's: the scores
  // of a search of the whole vocabulary (novelty.ts) in time linear in it, where one search of it
  // all took seconds at 800 rules. The subjects of a whole queue share one such search; a proposal
  // asked for alone (the Review screen's current one) gets its own.
  const all = [...words.values()];
  const subjects = new Set(ctx.subjects?.map((r) => r.id));
  let together: WordNeighbours | null = null;
  const around = new Map<string, WordNeighbours>();
  // A rule asked about that is not among ctx.rules (a proposal not saved yet): its words, read once.
  const unsaved = new Map<string, { list: string[]; set: Set<string> }>();
  const wordsOf = (r: Rule) => {
    const list = words.get(r.id);
    if (list) return { list, set: wordSets.get(r.id)! };
    let w = unsaved.get(r.id);
    if (!w) {
      const list = contentWords(comparableText(r));
      unsaved.set(r.id, (w = { list, set: new Set(list) }));
    }
    return w;
  };
  const neighboursOf = (a: Rule): WordNeighbours => {
    if (subjects.has(a.id) && words.has(a.id)) return (together ??= new WordNeighbours(all, [...subjects].flatMap((id) => words.get(id) ?? [])));
    let own = around.get(a.id);
    if (!own) around.set(a.id, (own = new WordNeighbours(words.has(a.id) ? all : [...all, wordsOf(a).list], wordsOf(a).list)));
    return own;
  };
  const wording = (a: Rule, b: Rule) => {
    const [wa, wb] = [wordsOf(a), wordsOf(b)];
    return neighboursOf(a).similarity(wa.list, wb.list, wa.set, wb.set);
  };
  const keysOf = (rule: Rule) => ruleKeys(rule, incidentsById);

  /**
   * The closest rule: one answering the same mistake (in force first), else the one whose wording
   * is closest. A rule of the same mistake matters more than a look-alike: it may have been
   * rejected for a reason that still holds.
   */
  const closestRule = (rule: Rule): ClosestRule | null => {
    const others = ctx.rules.filter((r) => r.id !== rule.id);
    const mine = keysOf(rule);
    const same = mine?.length ? others.filter((r) => keysOf(r)?.some((k) => mine.includes(k))).sort((a, b) => Number(inForce(b)) - Number(inForce(a)) || compareIds(a.id, b.id)) : [];
    let other = same[0];
    let score = other ? wording(rule, other) : 0;
    if (!other) {
      for (const r of others) {
        const s = wording(rule, r);
        if (s > score || (s === score && s > 0 && other && compareIds(r.id, other.id) < 0)) [other, score] = [r, s];
      }
    }
    if (!other) return null;
    const { same: sameMistake, why } = whyClosest(mine, keysOf(other), other, score, ctx.threshold);
    return { id: other.id, status: other.status, title: other.title, body: other.body, ...(other.reason ? { reason: other.reason } : {}), similarity: Math.round(score * 100) / 100, sameMistake, why };
  };

  const contradictions = (rule: Rule): ProposalEvidence['contradicts'] => {
    const out: ProposalEvidence['contradicts'] = [];
    const flagged = new Set(rule.contradicts ?? []);
    const mine = clauseWords.get(rule.id) ?? new Set<string>();
    for (const other of ctx.rules) {
      if (other.id === rule.id) continue;
      // Ones flagged when it was proposed are shown whatever their status now; new ones only in force.
      if (!flagged.has(other.id) && (!inForce(other) || ![...(clauseWords.get(other.id) ?? [])].some((w) => mine.has(w)))) continue;
      const reason = ruleContradiction(rule, other);
      if (reason || flagged.has(other.id)) out.push({ id: other.id, status: other.status, reason: reason ?? 'flagged when it was proposed' });
    }
    for (const id of flagged) if (!ctx.rules.some((r) => r.id === id)) out.push({ id, status: 'missing', reason: 'flagged when it was proposed; the rule is gone' });
    return out.sort((a, b) => compareIds(a.id, b.id));
  };

  return (rule) => {
    const fingerprints = [...new Set(rule.incidents.map((i) => i.fingerprint))];
    const mine = fingerprints.flatMap((fp) => byFingerprint.get(fp) ?? []);
    // The sample comes from the incident the rule was made from.
    const first = mine[0];
    const times = (pick: (i: Incident) => string) => mine.map(pick).sort();
    const keys = keysOf(rule) ?? [];
    return {
      id: rule.id,
      title: rule.title,
      keys,
      incidents: mine.map((i) => ({ id: i.id, category: i.category, tool: i.tool, status: i.status })),
      count: mine.reduce((n, i) => n + i.count, 0),
      sessions: new Set(mine.flatMap((i) => i.sessions)).size,
      firstSeen: times((i) => i.firstSeen)[0] ?? null,
      lastSeen: times((i) => i.lastSeen).at(-1) ?? null,
      sample: first ? { incident: first.id, error: first.sample.error, ...(first.sample.target ? { target: first.sample.target } : {}) } : null,
      guard: rule.guard ?? null,
      backtest: rule.backtest ?? null,
      closest: closestRule(rule),
      contradicts: contradictions(rule),
      preferences: [...new Set([...(rule.conflicts ?? []), ...preferenceConflicts(ctx.preferences, [rule.guard?.program, ...keys.map(keySubject)])])],
    };
  };
}

/** The evidence of one proposal (for many, `evidenceFor` shares the work). */
export function proposalEvidence(rule: Rule, ctx: EvidenceContext): ProposalEvidence {
  return evidenceFor(ctx)(rule);
}

/** What its guard would have done to the workspace's past calls. */
export function backtestText(e: Pick<ProposalEvidence, 'guard' | 'backtest'>): string | null {
  const b = e.backtest;
  if (!b) return e.guard ? 'not tried on past calls (written by hand)' : null;
  if (b.dropped) return `guard left out: ${b.dropped}; it would have blocked ${b.failuresBlocked} of ${b.failuresTotal} past failures`;
  return `would have blocked ${b.failuresBlocked} of ${b.failuresTotal} past failures, ${b.successesBlocked} of ${b.successesTotal} past calls that worked`;
}
