import { compareIds } from './novelty.js';
import type { Rule } from './rule.js';

/** How many recent reasons a reviewer is offered: one digit key each. */
export const REASON_KEYS = 9;

const REJECT = /^rules: reject ([A-Z]+-\d+)\b/;

/**
 * Pure: the reasons of the rules rejected most recently, newest first, each once (compared without
 * case or spacing), so a reviewer can reject again for the same reason with one key. Recency comes
 * from the history, newest commit first (`commits`); a rejection older than the commits given
 * falls back to the day the rule last changed.
 */
export function recentRejectReasons(rules: readonly Rule[], commits: readonly { subject: string }[], limit = REASON_KEYS): string[] {
  const order = new Map<string, number>();
  commits.forEach((c, i) => {
    const id = REJECT.exec(c.subject)?.[1];
    if (id && !order.has(id)) order.set(id, i);
  });
  const rejected = rules
    .filter((r) => r.status === 'rejected' && r.reason?.trim())
    .sort((a, b) => (order.get(a.id) ?? Infinity) - (order.get(b.id) ?? Infinity) || (a.updated < b.updated ? 1 : a.updated > b.updated ? -1 : 0) || compareIds(b.id, a.id));
  const seen = new Set<string>();
  const out: string[] = [];
  for (const r of rejected) {
    const reason = r.reason!.trim().replace(/\s+/g, ' ');
    const key = reason.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(reason);
    if (out.length === limit) break;
  }
  return out;
}
