import { UserError } from '../errors.js';

/**
 * The record whose id is `ref`, or the only one whose id starts with it. An empty, unknown or
 * ambiguous reference is a UserError naming what to do (`hint` says where the ids are listed).
 */
export function byIdOrPrefix<T extends { id: string }>(records: readonly T[], ref: string, what: string, hint: string): T {
  const exact = records.find((r) => r.id === ref);
  if (exact) return exact;
  const matches = ref ? records.filter((r) => r.id.startsWith(ref)) : [];
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) {
    const shown = matches.slice(0, 5).map((r) => r.id).join(', ');
    throw new UserError(`"${ref}" matches ${matches.length} ${what}s (${shown}${matches.length > 5 ? ', …' : ''}); give more of the id.`);
  }
  throw new UserError(`No ${what} ${ref}; ${hint} lists them.`);
}
