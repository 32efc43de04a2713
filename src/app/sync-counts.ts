// The counts a member shares, one row per fingerprint, and the team's counts made from every
// member's: data in, data out. A member's counts are replaced at each sync, never added to, so a
// branch fetched twice counts nothing twice.

/** One fingerprint's counts on one member's machine. */
export interface SharedIncident {
  fingerprint: string;
  signature: string;
  category: string;
  key?: string | undefined;
  count: number;
  sessions: number;
  firstSeen: string;
  lastSeen: string;
  rules: string[];
  /** Occurrences per day over the last SHARED_DAYS days: what a rule's effectiveness counts across the team. */
  daily?: Record<string, number>;
}

/** How far back a member shares its daily counts: long enough for a rule's before and after windows. */
export const SHARED_DAYS = 180;
const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort();

/** A member's incidents as it shares them: one row per fingerprint, counts only. */
export function sharedIncidents(
  incidents: readonly { fingerprint: string; signature: string; category: string; key?: string | undefined; count: number; sessions: readonly string[]; firstSeen: string; lastSeen: string; rules: readonly string[]; daily?: Readonly<Record<string, number>> }[],
  since = '',
): SharedIncident[] {
  const by = new Map<string, SharedIncident & { sessionSet: Set<string> }>();
  const addDaily = (row: SharedIncident, daily: Readonly<Record<string, number>> | undefined) => {
    for (const [day, n] of Object.entries(daily ?? {})) if (day >= since && n > 0) (row.daily ??= {})[day] = (row.daily?.[day] ?? 0) + n;
  };
  for (const i of incidents) {
    const row = by.get(i.fingerprint);
    if (!row) {
      const made: SharedIncident & { sessionSet: Set<string> } = { fingerprint: i.fingerprint, signature: i.signature, category: i.category, ...(i.key ? { key: i.key } : {}), count: i.count, sessions: 0, sessionSet: new Set(i.sessions), firstSeen: i.firstSeen, lastSeen: i.lastSeen, rules: sorted(i.rules) };
      addDaily(made, i.daily);
      by.set(i.fingerprint, made);
      continue;
    }
    addDaily(row, i.daily);
    row.count += i.count;
    for (const s of i.sessions) row.sessionSet.add(s);
    if (i.firstSeen < row.firstSeen) row.firstSeen = i.firstSeen;
    if (i.lastSeen > row.lastSeen) row.lastSeen = i.lastSeen;
    row.rules = sorted([...row.rules, ...i.rules]);
  }
  return [...by.values()]
    .map(({ sessionSet, ...row }) => ({ ...row, sessions: sessionSet.size, ...(row.daily ? { daily: Object.fromEntries(Object.entries(row.daily).sort(([a], [b]) => a.localeCompare(b))) } : {}) }))
    .sort((a, b) => a.fingerprint.localeCompare(b.fingerprint));
}

export interface TeamCount {
  fingerprint: string;
  signature: string;
  count: number;
  sessions: number;
  /** Each member's own count. */
  byMember: Record<string, number>;
}

/** The team's counts: every member's own counts, added up per fingerprint. */
export function teamCounts(self: string, own: readonly SharedIncident[], members: Readonly<Record<string, { incidents: readonly SharedIncident[] }>>): TeamCount[] {
  const out = new Map<string, TeamCount>();
  const add = (member: string, rows: readonly SharedIncident[]) => {
    for (const r of rows) {
      const t = out.get(r.fingerprint) ?? { fingerprint: r.fingerprint, signature: r.signature, count: 0, sessions: 0, byMember: {} };
      t.count += r.count;
      t.sessions += r.sessions;
      t.byMember[member] = r.count;
      out.set(r.fingerprint, t);
    }
  };
  add(self, own);
  for (const [member, m] of Object.entries(members)) if (member !== self) add(member, m.incidents);
  return [...out.values()].sort((a, b) => b.count - a.count || a.fingerprint.localeCompare(b.fingerprint));
}
