import type { Incident } from '../store/schemas.js';
import { addDays } from '../util/day.js';
import type { Rule } from './rule.js';

export interface Effectiveness {
  rule: string;
  activated: string | null;
  days: number;
  /**
   * Occurrences of the rule's fingerprints in the `days` days up to the activation day, and in the
   * `days` days after it (up to today). Counts are per day, and the activation day holds the very
   * mistakes the rule was made from, before anyone approved it: it counts as before.
   */
  before: number;
  after: number;
  blocks: number;
  /**
   * The same windows counted over the whole team (this workspace and every member whose counts the
   * last sync brought), when the workspace syncs: a rule is judged on every member's sessions.
   */
  team?: { before: number; after: number; members: number };
  /** False once its fingerprints keep recurring after activation (anywhere in the team). */
  working: boolean;
}

/** Other members' occurrences per day, by fingerprint, as the last team sync left them. */
export type TeamDaily = ReadonlyMap<string, readonly { member: string; daily: Readonly<Record<string, number>> }[]>;

/** A fix counts only when its effect is measured: before/after counts of the rule's fingerprints. */
export function effectiveness(rule: Rule, incidents: Incident[], blocks: { id: string; count: number }[], today: string, days: number, team?: TeamDaily): Effectiveness {
  const fps = new Set(rule.incidents.map((i) => i.fingerprint));
  const mine = incidents.filter((i) => fps.has(i.fingerprint));
  const activated = rule.activated ?? null;
  const own = { before: 0, after: 0 };
  const others = { before: 0, after: 0, members: new Set<string>() };
  if (activated) {
    const from = addDays(activated, -(days - 1));
    const to = addDays(activated, days);
    const count = (daily: Readonly<Record<string, number>>, into: { before: number; after: number }) => {
      for (const [day, n] of Object.entries(daily)) {
        if (day >= from && day <= activated) into.before += n;
        else if (day > activated && day <= to && day <= today) into.after += n;
      }
    };
    for (const i of mine) count(i.daily, own);
    for (const fp of fps) for (const m of team?.get(fp) ?? []) {
      const was = others.before + others.after;
      count(m.daily, others);
      if (others.before + others.after > was) others.members.add(m.member);
    }
  }
  const teamCounts = team ? { before: own.before + others.before, after: own.after + others.after, members: others.members.size + 1 } : undefined;
  // One slip after activation can be chance; two or more means the rule is not stopping it.
  const working = !activated || (teamCounts ?? own).after < 2;
  return { rule: rule.id, activated, days, before: own.before, after: own.after, ...(teamCounts ? { team: teamCounts } : {}), blocks: blocks.find((b) => b.id === rule.id)?.count ?? 0, working };
}
