// The facts a member shares with its team, and those that come in: data in, data out. Only what a
// person reviewed leaves; what comes in waits for a person here (see sync.ts).

/** A fact a person reviewed (a preference, a lesson, a decision), as it travels. */
export interface SharedFact {
  id: string;
  statement: string;
  category: 'preference' | 'lesson' | 'decision';
}

export const SHARED_FACT_CATEGORIES: readonly SharedFact['category'][] = ['preference', 'lesson', 'decision'];

/**
 * The facts a member shares: the preferences, lessons and decisions a person gave or approved
 * there, never one still waiting for review, hidden, or that came from another member (each
 * member shares only its own, so nothing echoes round the team).
 */
export function sharedFacts(facts: readonly { id: string; statement: string; category: string; pending?: boolean | undefined; hidden: boolean; trusted: boolean; source: { by: string } }[]): SharedFact[] {
  return facts
    .filter((f): f is typeof f & { category: SharedFact['category'] } => (SHARED_FACT_CATEGORIES as readonly string[]).includes(f.category) && !f.pending && !f.hidden && f.trusted && !f.source.by.startsWith('team:'))
    .map((f) => ({ id: f.id, statement: f.statement, category: f.category }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

/** The other members' facts this workspace has not had yet (nor forgotten or rejected), each once, from the first member by name that shares it. */
export function incomingFacts(others: readonly { member: string; facts?: readonly SharedFact[] | undefined }[], known: ReadonlySet<string>): (SharedFact & { member: string })[] {
  const out = new Map<string, SharedFact & { member: string }>();
  for (const m of [...others].sort((a, b) => a.member.localeCompare(b.member))) {
    for (const f of m.facts ?? []) if (!known.has(f.id) && !out.has(f.id)) out.set(f.id, { ...f, member: m.member });
  }
  return [...out.values()].sort((a, b) => a.id.localeCompare(b.id));
}
