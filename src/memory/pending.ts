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
  return ws.store.facts.list((f) => !!f.pending);
}

export async function decidePendingFact(ws: Workspace, id: string, decision: 'approve' | 'reject', reason = ''): Promise<Fact> {
  const split = parseItemId(id.startsWith('fact:') ? id : `fact:${id}`);
  const fact = await ws.store.transact(
    async (tx) => {
      const f = await tx.facts.get(split.record);
      if (!f) throw new UserError(`no fact ${id}: \`nevo-tui memory pending\` lists the facts waiting for review.`);
      if (!f.pending) throw new UserError(`fact:${f.id} is not waiting for review (it came from ${provenanceOf(f)}); \`nevo-tui memory pending\` lists those that are.`);
      if (decision === 'approve') {
        await tx.facts.update(f.id, (r) => {
          delete r.pending;
          // A person took it as theirs: from now on it is recalled as their word.
          r.provenance = 'person';
        });
      } else {
        await tx.facts.remove([f.id]);
        await tx.forgotten.add([`fact:${f.id}`], ws.clock().toISOString());
      }
      tx.forceCommit = true;
      tx.message('memory', `${decision} proposed ${f.category} fact:${f.id}`, reason ? [reason] : undefined);
      return f;
    },
    { purpose: `memory ${decision}` },
  );
  await refreshMemoryIndex(ws);
  return fact;
}
