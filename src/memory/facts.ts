import { createHash } from 'node:crypto';
import type { Fact } from '../store/schemas.js';
import type { FactCategory, Provenance } from '../store/vocabulary.js';
import type { Transaction } from '../store/store.js';
import { redactString } from '../redact/redact.js';

/** Days a fact lives after it was last confirmed, per category; null: permanent. */
export type TtlDays = Record<FactCategory, number | null>;

export interface FactCandidate {
  statement: string;
  category: FactCategory;
  confidence: number;
  /** When it was seen: the event's time, not the time it was extracted. */
  time: string;
  source: Fact['source'];
  /** Flat details the statement leaves out (counts, ids); the latest sighting's replace older ones. */
  meta?: Fact['meta'];
  /** Where the words came from; read from `source.by` when not given. */
  provenance?: Provenance;
}

/** What the extractors' names say of a fact's words, for facts that do not record it. */
const PROVENANCE_OF_FINDER: Record<string, Provenance> = { prompt: 'typed', manual: 'person', lesson: 'person', command: 'assistant', incident: 'tool-output', external: 'assistant' };

/** Who found a fact, by its finder's name (`source.by`), in words for people. */
const FINDERS: Record<string, string> = {
  manual: 'added by a person (memory add)',
  agent: 'the agent (memory add in its shell)',
  prompt: 'a prompt the person typed',
  command: 'a command the agent ran',
  lesson: "an approved rule's lesson",
  incident: 'a failed tool call',
  external: 'the external fact extractor (memory.extractor)',
  'self-review': 'the nightly self-review',
};

/** A teammate's reviewed fact comes in by team sync as `team:<member>`. */
const TEAM = 'team:';

export function teamFinder(member: string): string {
  return `${TEAM}${member}`;
}

export function describeFinder(by: string): string {
  if (by.startsWith(TEAM)) return `${by.slice(TEAM.length)}, a teammate (team sync: reviewed on their machine)`;
  return FINDERS[by] ?? `the ${by} finder`;
}

/** Where a fact came from, in words: its finder, then the session and journal line when known. */
export function describeSource(source: { by: string; session?: string | undefined; line?: number | undefined }): string {
  const where = [source.session && `session ${source.session}`, source.line !== undefined && `line ${source.line}`].filter(Boolean).join(', ');
  return `${describeFinder(source.by)}${where ? ` · ${where}` : ''}`;
}

export function provenanceOf(f: { provenance?: Provenance | undefined; source: { by: string } }): Provenance {
  return f.provenance ?? PROVENANCE_OF_FINDER[f.source.by] ?? 'assistant';
}

/** Words a person gave: only these make a preference or a lesson without a review. */
export const isTrusted = (p: Provenance): boolean => p === 'typed' || p === 'person';
/** Data from a tool or a file: shown as such, never as something to do. */
export const isUntrustedText = (p: Provenance): boolean => p === 'tool-output' || p === 'file-text';
const INSTRUCTIONS = new Set<FactCategory>(['preference', 'lesson']);

const DAY_MS = 86_400_000;
/** Each sighting makes a fact more certain, never quite certain. */
const CONFIRM_STEP = 0.05;
const MAX_CONFIDENCE = 0.99;
const MAX_SESSIONS = 50;

/** Case, spacing, quotes and the final full stop do not make a different fact. */
export function normaliseStatement(statement: string): string {
  return statement
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[‘’`´]/g, "'")
    .replace(/[“”]/g, '"')
    .replace(/\s+/g, ' ')
    .replace(/[\s.!;:,]+$/, '')
    .trim();
}

export function factId(statement: string): string {
  return createHash('sha256').update(normaliseStatement(statement)).digest('hex').slice(0, 16);
}

export function expiryFor(category: FactCategory, from: string, ttl: TtlDays): string | null {
  const days = ttl[category];
  return days === null ? null : new Date(Date.parse(from) + days * DAY_MS).toISOString();
}

/** Pinned facts never expire. */
export function isExpired(fact: Fact, now: Date): boolean {
  return !fact.pinned && fact.expires !== null && Date.parse(fact.expires) <= now.getTime();
}

/**
 * Adds new facts and refreshes known ones (same normalised statement): a fact seen again gets a
 * later last-confirmed time, a higher confidence and a later expiry instead of a copy.
 * Pure: it changes only the array and the facts it is given (new facts go at the end).
 */
export function upsertFacts(facts: Fact[], candidates: FactCandidate[], ttl: TtlDays, forgotten: ReadonlySet<string> = new Set()): { added: string[]; refreshed: string[]; moved: { id: string; created: string }[] } {
  const byId = new Map(facts.map((f) => [f.id, f]));
  const added: string[] = [];
  const refreshed: string[] = [];
  // Facts now filed under another month (seen earlier than they were made): where they were.
  const moved: { id: string; created: string }[] = [];
  for (const c of candidates) {
    // Every fact passes here (a person's, an extractor's, an import's): what it says is redacted.
    const statement = redactString(c.statement.trim());
    if (!statement) continue;
    const id = factId(statement);
    if (forgotten.has(`fact:${id}`)) continue;
    const known = byId.get(id);
    const provenance = provenanceOf(c);
    if (!known) {
      const fact: Fact = {
        id,
        statement,
        category: c.category,
        source: c.source,
        confidence: Math.min(MAX_CONFIDENCE, c.confidence),
        created: c.time,
        lastConfirmed: c.time,
        expires: expiryFor(c.category, c.time, ttl),
        seen: 1,
        sessions: c.source.session ? [c.source.session] : [],
        pinned: false,
        hidden: false,
        provenance,
        // An instruction nobody gave: it goes to review instead of into the agent's context.
        ...(INSTRUCTIONS.has(c.category) && !isTrusted(provenance) ? { pending: true } : {}),
        ...(c.meta ? { meta: { ...c.meta } } : {}),
      };
      facts.push(fact);
      byId.set(id, fact);
      added.push(id);
      continue;
    }
    // The person saying it makes a proposed instruction theirs.
    if (known.pending && isTrusted(provenance)) {
      delete known.pending;
      known.provenance = provenance;
      if (!refreshed.includes(id)) refreshed.push(id);
    }
    // A session narrated again (after every turn, or an import run twice) confirms nothing new.
    const session = c.source.session;
    if (c.meta) known.meta = { ...c.meta };
    if (session && known.sessions.includes(session)) continue;
    // Only the latest sessions are listed: an older one read again is not a new sighting.
    if (session && known.sessions.length >= MAX_SESSIONS && c.time <= known.lastConfirmed) continue;
    if (session) known.sessions = [...known.sessions, session].slice(-MAX_SESSIONS);
    known.seen++;
    known.confidence = Math.min(MAX_CONFIDENCE, Math.max(known.confidence, c.confidence) + CONFIRM_STEP);
    if (c.time > known.lastConfirmed) known.lastConfirmed = c.time;
    if (c.time < known.created) {
      if (c.time.slice(0, 7) !== known.created.slice(0, 7) && !moved.some((m) => m.id === id)) moved.push({ id, created: known.created });
      known.created = c.time;
    }
    known.expires = expiryFor(known.category, known.lastConfirmed, ttl);
    if (!added.includes(id) && !refreshed.includes(id)) refreshed.push(id);
  }
  return { added, refreshed, moved };
}

/** Facts whose time is up; they leave the live store (git history keeps them). */
export function expiredFacts(facts: readonly Fact[], now: Date): Fact[] {
  return facts.filter((f) => isExpired(f, now));
}

/**
 * `upsertFacts` inside a change: over the change's facts, the facts it added or refreshed handed
 * back to the store (one record change each).
 */
export async function recordFacts(tx: Transaction, candidates: FactCandidate[], ttl: TtlDays, forgotten?: ReadonlySet<string>): Promise<{ added: string[]; refreshed: string[] }> {
  // Only the facts these statements may confirm, read from the months that hold them: a session's
  // facts are not checked against the whole year's.
  const wanted = candidates.flatMap((c) => {
    const statement = redactString(c.statement.trim());
    return statement ? [factId(statement)] : [];
  });
  const facts = await tx.facts.having('id', wanted);
  const { moved, ...changed } = upsertFacts(facts, candidates, ttl, forgotten);
  const ids = new Set([...changed.added, ...changed.refreshed]);
  await tx.facts.upsert(facts.filter((f) => ids.has(f.id)), { movedFrom: moved });
  return changed;
}
