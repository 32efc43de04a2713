import type { Fact } from '../store/schemas.js';

/**
 * Stated preferences that name what a rule is about (its guard's program, the subject of a mistake
 * it answers): "The project uses pnpm" against a rule about npm. Pure; at most three.
 */
export function preferenceConflicts(preferences: readonly string[], names: readonly (string | undefined)[]): string[] {
  const named = names.filter((n): n is string => !!n && n.length > 1);
  const escape = (n: string) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return preferences.filter((p) => named.some((n) => new RegExp(`(^|[^\\w-])${escape(n)}([^\\w-]|$)`, 'i').test(p))).slice(0, 3);
}

/** The preferences a person gave: not one waiting for review, not one they asked never to recall. */
export function statedPreferences(facts: readonly Fact[]): string[] {
  return facts.filter((f) => f.category === 'preference' && !f.pending && !f.hidden).map((f) => f.statement);
}
