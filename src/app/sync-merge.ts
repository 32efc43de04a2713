// The merge of team members' shared states: data in, data out, no disk, git or network (the sync
// itself, in sync.ts, fetches, pushes and writes). Every member pushes only its own branch, so the
// merge happens on each machine, and it must come out the same whatever order the members sync in.
//
// A rule has two parts that merge on their own: its text (title, body, trigger, enforcement,
// verification, scope, keys, paths, guard) and its decision (status, activated, reason). Each part
// carries a lineage: the hash of its content and the hashes of every earlier version it replaces.
// Of two versions, the one whose lineage holds the other's hash is the newer; when neither holds
// the other, both changed: a decision against a proposal wins (with who decided), two texts or two
// decisions are a conflict, kept for a person, never settled by the last writer. Two proposals
// with no history in common that answer the same mistake become one; a skill's files merge as one
// part, like a rule's text.
import { createHash } from 'node:crypto';
import { keyInWords } from '../rules/mistake-key.js';
import { checkNovelty } from '../rules/novelty.js';
import type { Rule, RuleMeta } from '../rules/rule.js';
import { RULE_ID } from '../rules/rule.js';
import { stableJson } from '../util/json.js';
import type { SharedFact } from './sync-facts.js';
import type { SharedIncident } from './sync-counts.js';

/** A rule as it travels: its front matter and body, no file. */
export type SharedRuleBody = RuleMeta & { body: string };

export interface Lineage {
  hash: string;
  /** The hashes of the versions this one replaces, sorted. */
  seen: string[];
}

export interface RuleLineage {
  text: Lineage;
  decision: Lineage;
}

export interface SharedRule {
  rule: SharedRuleBody;
  lineage: RuleLineage;
}

/** A skill as it travels: its files (paths inside its folder) and the lineage of their content. */
export interface SharedSkill {
  name: string;
  files: Record<string, string>;
  lineage: Lineage;
}

export interface MemberState {
  member: string;
  /** The commit of the member's branch this came from. */
  commit: string;
  rules: SharedRule[];
  incidents: SharedIncident[];
  skills?: SharedSkill[];
  facts?: SharedFact[];
}

export interface SyncConflict {
  rule: string;
  member: string;
  /** A skill's conflict names the skill in `rule` and its SKILL.md in `theirsBody`. */
  part: 'text' | 'decision' | 'skill';
  /** The hash of the other member's version: `sync --resolve` marks it replaced by ours. */
  theirs: string;
  /** Their version, for a person to compare. */
  theirsTitle: string;
  theirsBody: string;
  theirsStatus: string;
  /** Their version of the part in conflict, whole: what taking theirs writes (null: a field they do not have). */
  theirsFields?: Record<string, unknown>;
}

/** What the workspace remembers between syncs (team/state.json). */
export interface SyncState {
  version: 1;
  /** Each rule's lineage as of the last sync. */
  rules: Record<string, RuleLineage>;
  /**
   * Each other member's counts, replaced at every sync (never added to: a second fetch counts
   * nothing twice). Not the commit they came from: a member's branch that moved with nothing new
   * changes nothing here.
   */
  members: Record<string, { incidents: SharedIncident[] }>;
  conflicts: SyncConflict[];
  /** The workspace's last commit before the last sync: the history after it is what a new rule's earlier texts are read from. */
  head?: string;
  /** Each skill's content lineage as of the last sync. */
  skills?: Record<string, Lineage>;
}

function sha(value: unknown): string {
  return createHash('sha256').update(stableJson(value)).digest('hex').slice(0, 24);
}

export function textHash(r: SharedRuleBody): string {
  return sha({ title: r.title, scope: r.scope, body: r.body.trim(), trigger: r.trigger, enforcement: r.enforcement, verification: r.verification, keys: r.keys ?? null, paths: r.paths ?? null, guard: r.guard ?? null });
}

export function decisionHash(r: SharedRuleBody): string {
  return sha({ status: r.status, activated: r.activated ?? null, reason: r.reason ?? null });
}

const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort();

/** A part's lineage now: as remembered when unchanged, else the new hash replacing the remembered one. */
function lineageNow(hash: string, before: Lineage | undefined): Lineage {
  if (!before) return { hash, seen: [] };
  if (before.hash === hash) return { hash, seen: [...before.seen] };
  return { hash, seen: sorted([...before.seen, before.hash]) };
}

/**
 * This workspace's rules as it shares them: each with its lineage, and `decidedBy` set to `self`
 * on a decision made here since the last sync.
 */
export function ownShared(rules: readonly (Rule | SharedRuleBody)[], state: SyncState, self: string, earlier: ReadonlyMap<string, readonly string[]> = new Map()): SharedRule[] {
  return [...rules]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((r) => {
      const { file: _file, ...rest } = r as Rule;
      const rule: SharedRuleBody = structuredClone(rest);
      const before = state.rules[rule.id];
      const decision = lineageNow(decisionHash(rule), before?.decision);
      // Who decided is known for a decision made since the last sync; on a first sync, it may be
      // anyone's (a starter rule, an approval from before the team): it is left unsaid.
      if (before && decision.hash !== before.decision.hash) {
        if (rule.status === 'proposed') delete rule.decidedBy;
        else rule.decidedBy = self;
      }
      // A rule new since the last sync may have been edited already: its earlier texts (from the
      // workspace's history) are versions it replaces, so another member's copy of one of them is
      // this rule, older, not a different rule.
      const hash = textHash(rule);
      const text = before ? lineageNow(hash, before.text) : { hash, seen: sorted((earlier.get(rule.id) ?? []).filter((h) => h !== hash)) };
      return { rule, lineage: { text, decision } };
    });
}

function family(l: Lineage): Set<string> {
  return new Set([l.hash, ...l.seen]);
}

function related(a: Lineage, b: Lineage): boolean {
  const fa = family(a);
  return [...family(b)].some((h) => fa.has(h));
}

function idNumber(id: string): number {
  const m = RULE_ID.exec(id);
  return m ? Number(m[2]) : 0;
}

function prefixOf(id: string): 'PROJ' | 'AGENT' {
  return id.startsWith('AGENT-') ? 'AGENT' : 'PROJ';
}

const TEXT_FIELDS = ['title', 'scope', 'body', 'trigger', 'enforcement', 'verification', 'keys', 'paths', 'guard'] as const;
const DECISION_FIELDS = ['status', 'activated', 'reason', 'decidedBy'] as const;

function fieldsOf(from: SharedRuleBody, fields: readonly string[]): Record<string, unknown> {
  const f = from as unknown as Record<string, unknown>;
  return Object.fromEntries(fields.map((k) => [k, f[k] === undefined ? null : structuredClone(f[k])]));
}

function copyFields(to: SharedRuleBody, from: SharedRuleBody, fields: readonly string[]): void {
  const t = to as unknown as Record<string, unknown>;
  const f = from as unknown as Record<string, unknown>;
  for (const k of fields) {
    if (f[k] === undefined) delete t[k];
    else t[k] = structuredClone(f[k]);
  }
}

export interface MergeInput {
  self: string;
  own: SharedRule[];
  /** This workspace's skills (from ownSkills). */
  ownSkills?: SharedSkill[];
  /** The other members' states; the order given does not matter. */
  others: MemberState[];
  state: SyncState;
  /** The highest number ever handed out per prefix here (store/sequences), so a new id is never a reused one. */
  floor?: Partial<Record<'PROJ' | 'AGENT', number>>;
}

export interface MergeResult {
  /** Every rule after the merge, by id. */
  rules: SharedRule[];
  added: string[];
  /** Rules whose text or decision changed here. */
  updated: string[];
  /** Rules of this workspace that moved to another id (an id two members gave two different rules). */
  renamed: { from: string; to: string }[];
  /** Rules another member's rule took a new id for here, because of such a collision. */
  collisions: { id: string; member: string; to: string }[];
  /** Two proposals for the same mistake made one: the one that went (its id where `member` had it) and the one kept. */
  merged: RuleMerge[];
  conflicts: SyncConflict[];
  state: SyncState;
  /** Every skill after the merge, and the skills that came in or changed here. */
  skills: SharedSkill[];
  skillsIn: { added: string[]; updated: string[] };
}

export interface RuleMerge {
  /** The proposal that went into the other, under the id `member` gave it. */
  id: string;
  member: string;
  /** The rule kept, under its id after this sync. */
  into: string;
  /** What made them one: `same mistake (KEY)` or `overlapping text (SCORE)`. */
  why: string;
}

/**
 * How alike two rules that name no mistake must be to count as one. Fixed, not the workspace's
 * `rules.overlapThreshold`: every member must come to the same answer, whatever it configured.
 */
export const MERGE_OVERLAP = 0.6;

/**
 * The proposals among `rules` that answer the same mistake as the proposal `t`, with why: the
 * analyst's own test (a mistake key in common; for rules that name none, text that overlaps).
 * Only proposals merge: a decision a person made on either one stands as it is.
 */
export function sameMistake(t: SharedRuleBody, rules: readonly SharedRule[]): { rule: SharedRule; why: string }[] {
  if (t.status !== 'proposed') return [];
  const open = rules.filter((r) => r.rule.status === 'proposed' && prefixOf(r.rule.id) === prefixOf(t.id));
  if (t.keys) {
    return open.flatMap((r) => {
      const key = r.rule.keys?.find((k) => t.keys!.includes(k));
      return key ? [{ rule: r, why: `same mistake (${keyInWords(key)})` }] : [];
    });
  }
  const unnamed = open.filter((r) => !r.rule.keys);
  if (!unnamed.length) return [];
  // One comparison against all of them: the score of a pair does not depend on the others.
  const byId = new Map(unnamed.map((r) => [r.rule.id, r]));
  return checkNovelty(t, unnamed.map((r) => r.rule), MERGE_OVERLAP).overlaps.map((o) => ({ rule: byId.get(o.id)!, why: `overlapping text (${o.score.toFixed(2)})` }));
}

/** Which of two different rules proposed under one id keeps it: the older, then the smaller text hash. */
function keepsId(a: SharedRule, b: SharedRule): boolean {
  if (a.rule.created !== b.rule.created) return a.rule.created < b.rule.created;
  return a.lineage.text.hash < b.lineage.text.hash;
}

export function mergeShared(input: MergeInput): MergeResult {
  const work = new Map<string, SharedRule>(input.own.map((r) => [r.rule.id, structuredClone(r)]));
  const originalText = new Map(input.own.map((r) => [r.rule.id, r.lineage.text.hash]));
  const originalDecision = new Map(input.own.map((r) => [r.rule.id, r.lineage.decision.hash]));
  const ownIdOf = new Map<SharedRule, string>([...work].map(([id, r]) => [r, id]));
  const conflicts: SyncConflict[] = [];
  const collisions: MergeResult['collisions'] = [];
  // The rule kept is named by its object: its id may still move before the merge is done.
  const merges: { id: string; member: string; into: SharedRule; why: string }[] = [];
  const others = [...input.others].sort((a, b) => a.member.localeCompare(b.member));

  // Every id any member uses, and every id handed out here: a moved rule takes a number above all.
  const high: Record<'PROJ' | 'AGENT', number> = { PROJ: input.floor?.PROJ ?? 0, AGENT: input.floor?.AGENT ?? 0 };
  const note = (id: string) => {
    const p = prefixOf(id);
    high[p] = Math.max(high[p], idNumber(id));
  };
  for (const id of work.keys()) note(id);
  for (const m of others) for (const r of m.rules) note(r.rule.id);
  const freshId = (like: string) => {
    const p = prefixOf(like);
    high[p]++;
    return `${p}-${String(high[p]).padStart(3, '0')}`;
  };

  // Versions of rules this workspace has (under any id) first, then the rules new to it: a rule
  // another member already moved away from a collision is then found at its new id before the id
  // it left is given to anyone.
  const pairs = others.flatMap((member) => [...member.rules].sort((a, b) => a.rule.id.localeCompare(b.rule.id)).map((rule) => ({ member, rule })));
  const knownFirst = [...pairs.filter((p) => [...work.values()].some((r) => related(r.lineage.text, p.rule.lineage.text))), ...pairs.filter((p) => ![...work.values()].some((r) => related(r.lineage.text, p.rule.lineage.text)))];
  for (const { member, rule: theirs } of knownFirst) {
    {
      const t = structuredClone(theirs);
      // The same rule (a shared history of its text), wherever it sits: under its id first.
      let mine = work.get(t.rule.id);
      if (mine && !related(mine.lineage.text, t.lineage.text) && textHash(mine.rule) !== t.lineage.text.hash) mine = undefined;
      if (!mine) mine = [...work.values()].find((r) => related(r.lineage.text, t.lineage.text));
      if (!mine) {
        // Another proposal for a mistake one here already answers: the two become one. The one
        // whose text hash sorts first is kept, so every member keeps the same one whatever order
        // they sync in; the other's text joins its history, so that version, wherever it is
        // still held, is from now on an older version of the kept one.
        const twin = sameMistake(t.rule, [...work.values()])
          .map((x) => ({ r: x.rule, why: x.why }))
          .sort((x, y) => (x.r.lineage.text.hash < y.r.lineage.text.hash ? -1 : 1))[0];
        if (twin) {
          const keepTheirs = t.lineage.text.hash < twin.r.lineage.text.hash;
          const [kept, gone] = keepTheirs ? [t, twin.r] : [twin.r, t];
          kept.lineage.text = { hash: kept.lineage.text.hash, seen: sorted([...kept.lineage.text.seen, gone.lineage.text.hash, ...gone.lineage.text.seen]) };
          merges.push({ id: gone.rule.id, member: keepTheirs ? input.self : member.member, into: twin.r, why: twin.why });
          mine = twin.r;
        }
      }
      if (mine && mine.rule.id !== t.rule.id) {
        // One rule under two ids: only a collision moves a rule, always to a higher number, so the higher id is the settled one.
        if (idNumber(t.rule.id) > idNumber(mine.rule.id) && prefixOf(t.rule.id) === prefixOf(mine.rule.id)) {
          const taken = work.get(t.rule.id);
          work.delete(mine.rule.id);
          if (taken) {
            const to = freshId(taken.rule.id);
            work.delete(taken.rule.id);
            taken.rule.id = to;
            work.set(to, taken);
          }
          mine.rule.id = t.rule.id;
          work.set(mine.rule.id, mine);
        } else t.rule.id = mine.rule.id;
      }
      if (!mine) {
        const there = work.get(t.rule.id);
        if (!there) {
          work.set(t.rule.id, t);
          continue;
        }
        // Two different rules proposed under one id: the one that keeps it is chosen the same way on every machine.
        if (keepsId(there, t)) {
          const to = freshId(t.rule.id);
          collisions.push({ id: t.rule.id, member: member.member, to });
          t.rule.id = to;
          work.set(to, t);
        } else {
          const to = freshId(there.rule.id);
          work.delete(there.rule.id);
          there.rule.id = to;
          work.set(to, there);
          work.set(t.rule.id, t);
        }
        continue;
      }
      mergeOne(mine, t, member.member, conflicts);
    }
  }

  const rules = [...work.values()].sort((a, b) => a.rule.id.localeCompare(b.rule.id));
  const renamed: MergeResult['renamed'] = [];
  const added: string[] = [];
  const updated: string[] = [];
  for (const r of rules) {
    const was = ownIdOf.get(r);
    if (was === undefined) added.push(r.rule.id);
    else {
      if (was !== r.rule.id) renamed.push({ from: was, to: r.rule.id });
      if (originalText.get(was) !== r.lineage.text.hash || originalDecision.get(was) !== r.lineage.decision.hash) updated.push(r.rule.id);
    }
  }
  const members: SyncState['members'] = { ...input.state.members };
  for (const m of others) members[m.member] = { incidents: [...m.incidents].sort((a, b) => a.fingerprint.localeCompare(b.fingerprint)) };
  delete members[input.self];
  const skills = mergeSkills(input.ownSkills ?? [], others, conflicts);
  const state: SyncState = {
    version: 1,
    rules: Object.fromEntries(rules.map((r) => [r.rule.id, r.lineage])),
    members: Object.fromEntries(Object.entries(members).sort(([a], [b]) => a.localeCompare(b))),
    conflicts,
    ...(skills.all.length ? { skills: Object.fromEntries(skills.all.map((k) => [k.name, k.lineage])) } : {}),
  };
  const merged = merges.map((m) => ({ id: m.id, member: m.member, into: m.into.rule.id, why: m.why }));
  return { rules, added, updated, renamed, collisions, merged, conflicts, state, skills: skills.all, skillsIn: { added: skills.added, updated: skills.updated } };
}

/** The hash of a skill's content: its files' paths and texts, sorted. */
export function skillHash(files: Record<string, string>): string {
  return sha(Object.keys(files).sort().map((path) => [path, files[path]]));
}

/** This workspace's skills as it shares them, each with its content lineage. */
export function ownSkills(skills: ReadonlyMap<string, Record<string, string>>, state: SyncState): SharedSkill[] {
  return [...skills]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, files]) => ({ name, files: { ...files }, lineage: lineageNow(skillHash(files), state.skills?.[name]) }));
}

/**
 * Skills merge as a rule's text does: one another member has and this workspace has not comes
 * in; of two versions the newer (whose lineage holds the other) wins; two different changes are a
 * conflict, kept for a person. Whether a skill is deployed stays each member's own decision: a
 * skill that comes in is in skills/ for `nevo-tui skills approve`, never deployed by a sync.
 */
function mergeSkills(own: readonly SharedSkill[], others: readonly MemberState[], conflicts: SyncConflict[]): { all: SharedSkill[]; added: string[]; updated: string[] } {
  const work = new Map(own.map((k) => [k.name, structuredClone(k)]));
  const originals = new Map(own.map((k) => [k.name, k.lineage.hash]));
  for (const member of others) {
    for (const theirs of [...(member.skills ?? [])].sort((a, b) => a.name.localeCompare(b.name))) {
      const mine = work.get(theirs.name);
      if (!mine) {
        work.set(theirs.name, structuredClone(theirs));
        continue;
      }
      const m = mine.lineage;
      const t = theirs.lineage;
      if (m.hash === t.hash || m.seen.includes(t.hash)) mine.lineage = { hash: m.hash, seen: sorted([...m.seen, ...t.seen]) };
      else if (t.seen.includes(m.hash)) {
        mine.files = { ...theirs.files };
        mine.lineage = { hash: t.hash, seen: sorted([...m.seen, ...t.seen]) };
      } else conflicts.push({ rule: theirs.name, member: member.member, part: 'skill', theirs: t.hash, theirsTitle: theirs.name, theirsBody: theirs.files['SKILL.md'] ?? '', theirsStatus: '' });
    }
  }
  const all = [...work.values()].sort((a, b) => a.name.localeCompare(b.name));
  return {
    all,
    added: all.filter((k) => !originals.has(k.name)).map((k) => k.name),
    updated: all.filter((k) => originals.has(k.name) && originals.get(k.name) !== k.lineage.hash).map((k) => k.name),
  };
}

function mergeOne(mine: SharedRule, t: SharedRule, member: string, conflicts: SyncConflict[]): void {
  const conflict = (part: SyncConflict['part']) =>
    conflicts.push({ rule: mine.rule.id, member, part, theirs: part === 'text' ? t.lineage.text.hash : t.lineage.decision.hash, theirsTitle: t.rule.title, theirsBody: t.rule.body, theirsStatus: t.rule.status, theirsFields: fieldsOf(t.rule, part === 'text' ? TEXT_FIELDS : DECISION_FIELDS) });

  // Text.
  const mt = mine.lineage.text;
  const tt = t.lineage.text;
  if (mt.hash === tt.hash || mt.seen.includes(tt.hash)) mine.lineage.text = { hash: mt.hash, seen: sorted([...mt.seen, ...tt.seen]) };
  else if (tt.seen.includes(mt.hash)) {
    copyFields(mine.rule, t.rule, TEXT_FIELDS);
    mine.lineage.text = { hash: tt.hash, seen: sorted([...mt.seen, ...tt.seen]) };
  } else conflict('text');

  // Decision.
  const md = mine.lineage.decision;
  const td = t.lineage.decision;
  if (md.hash === td.hash) {
    mine.lineage.decision = { hash: md.hash, seen: sorted([...md.seen, ...td.seen]) };
    // The same decision on both sides: the same name for who made it on both, whoever merges.
    const names = [mine.rule.decidedBy, t.rule.decidedBy].filter((n): n is string => !!n).sort();
    if (names.length) mine.rule.decidedBy = names[0];
  } else if (md.seen.includes(td.hash)) mine.lineage.decision = { hash: md.hash, seen: sorted([...md.seen, ...td.seen]) };
  else if (td.seen.includes(md.hash)) {
    copyFields(mine.rule, t.rule, DECISION_FIELDS);
    mine.lineage.decision = { hash: td.hash, seen: sorted([...md.seen, ...td.seen]) };
  } else if (mine.rule.status === 'proposed' && t.rule.status !== 'proposed') {
    // A decision wins over a proposal, and says who decided.
    copyFields(mine.rule, t.rule, DECISION_FIELDS);
    mine.rule.decidedBy ??= member;
    mine.lineage.decision = { hash: td.hash, seen: sorted([...md.seen, ...td.seen, md.hash]) };
  } else if (t.rule.status === 'proposed' && mine.rule.status !== 'proposed') {
    mine.lineage.decision = { hash: md.hash, seen: sorted([...md.seen, ...td.seen, td.hash]) };
  } else if (mine.rule.status === t.rule.status && (mine.rule.reason ?? '') === (t.rule.reason ?? '')) {
    // The same decision made on two days (two approvals): nothing for a person to settle. The
    // earlier stands on both sides, and who made it with it.
    const theirsFirst = (t.rule.activated ?? '') < (mine.rule.activated ?? '');
    if (theirsFirst) copyFields(mine.rule, t.rule, DECISION_FIELDS);
    const hash = theirsFirst ? td.hash : md.hash;
    mine.lineage.decision = { hash, seen: sorted([...md.seen, ...td.seen, md.hash, td.hash]).filter((h) => h !== hash) };
  } else conflict('decision');

  // What only counts up: links and hits, the latest update. Two members who proposed the same
  // text on different days, each from its own incident, must still end with one file: the
  // earliest date and, per fingerprint, one link chosen the same way on every machine (the
  // fingerprint is what a link means to another member; the incident's id is only the one it
  // has where it was counted).
  const links = new Map(mine.rule.incidents.map((i) => [i.fingerprint, i]));
  for (const i of t.rule.incidents) {
    const have = links.get(i.fingerprint);
    if (!have || i.id < have.id) links.set(i.fingerprint, i);
  }
  mine.rule.incidents = [...links.values()].sort((a, b) => a.fingerprint.localeCompare(b.fingerprint));
  mine.rule.hits = Math.max(mine.rule.hits, t.rule.hits);
  if (t.rule.updated > mine.rule.updated) mine.rule.updated = t.rule.updated;
  if (t.rule.created < mine.rule.created) mine.rule.created = t.rule.created;
}

