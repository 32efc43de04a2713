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
  /** False once its fingerprints keep recurring after activation. */
  working: boolean;
}

/** A fix counts only when its effect is measured: before/after counts of the rule's fingerprints. */
export function effectiveness(rule: Rule, incidents: Incident[], blocks: { id: string; count: number }[], today: string, days: number): Effectiveness {
  const fps = new Set(rule.incidents.map((i) => i.fingerprint));
  const mine = incidents.filter((i) => fps.has(i.fingerprint));
  const activated = rule.activated ?? null;
  let before = 0;
  let after = 0;
  if (activated) {
    const from = addDays(activated, -(days - 1));
    const to = addDays(activated, days);
    for (const i of mine) {
      for (const [day, n] of Object.entries(i.daily)) {
        if (day >= from && day <= activated) before += n;
        else if (day > activated && day <= to && day <= today) after += n;
      }
    }
  }
  // One slip after activation can be chance; two or more means the rule is not stopping it.
  const working = !activated || after < 2;
  return { rule: rule.id, activated, days, before, after, blocks: blocks.find((b) => b.id === rule.id)?.count ?? 0, working };
}
