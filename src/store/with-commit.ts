import type { History } from './history.js';

/**
 * A change and the commit it made (null when it made none): what undoing it reverts. The review
 * actions report theirs the same way (see rules/review.ts).
 */
export async function withCommit<T>(ws: { history: Pick<History, 'head'> }, change: () => Promise<T>): Promise<{ value: T; commit: string | null }> {
  const before = await ws.history.head();
  const value = await change();
  const head = await ws.history.head();
  return { value, commit: head !== before ? head : null };
}
