import { UserError } from '../errors.js';
import type { Fact } from '../store/schemas.js';
import type { Workspace } from '../workspace/workspace.js';
import { provenanceOf } from './facts.js';
import { refreshMemoryIndex } from './index-file.js';
import { parseItemId } from './items.js';

/**
 * Preferences and lessons nobody gave in person (the agent's `memory add`, an external extractor)
 * wait here: never recalled, never in the agent's context, until a person approves or rejects
 * them, like a proposed rule.
 */
export async function pendingFacts(ws: Workspace): Promise<Fact[]> {
  return (await ws.store.read('facts')).records.filter((f) => f.pending);
}

export async function decidePendingFact(ws: Workspace, id: string, decision: 'approve' | 'reject', reason = ''): Promise<Fact> {
  const split = parseItemId(id.startsWith('fact:') ? id : `fact:${id}`);
  const fact = await ws.store.transact(
    async (tx) => {
      const doc = await tx.doc('facts');
      const f = doc.records.find((r) => r.id === split.record);
      if (!f) throw new UserError(`no fact ${id}: \`nevo-tui memory pending\` lists the facts waiting for review.`);
      if (!f.pending) throw new UserError(`fact:${f.id} is not waiting for review (it came from ${provenanceOf(f)}); \`nevo-tui memory pending\` lists those that are.`);
      if (decision === 'approve') {
        delete f.pending;
        // A person took it as theirs: from now on it is recalled as their word.
        f.provenance = 'person';
      } else {
        doc.records.splice(doc.records.indexOf(f), 1);
        const tombstones = await tx.doc('forgotten');
        if (!tombstones.records.some((t) => t.id === `fact:${f.id}`)) tombstones.records.push({ id: `fact:${f.id}`, at: ws.clock().toISOString() });
        tx.touch('forgotten');
      }
      tx.touch('facts');
      tx.forceCommit = true;
      tx.message('memory', `${decision} proposed ${f.category} fact:${f.id}`, reason ? [reason] : undefined);
      return f;
    },
    { purpose: `memory ${decision}` },
  );
  await refreshMemoryIndex(ws);
  return fact;
}
