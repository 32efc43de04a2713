import { redactString } from '../redact/redact.js';
import { UserError } from '../errors.js';
import type { Fact } from '../store/schemas.js';
import type { FactCategory } from '../store/vocabulary.js';
import type { Workspace } from '../workspace/workspace.js';
import { factId, recordFacts } from './facts.js';
import { refreshMemoryIndex } from './index-file.js';

/**
 * `nevo-tui memory add`: a fact a person (or the agent) states outright; a commit of its own. A
 * preference or lesson the agent adds waits for a person's review (`fact.pending`).
 */
export async function addFact(ws: Workspace, statement: string, category: FactCategory, by: 'person' | 'agent' = 'person'): Promise<{ added: boolean; fact: Fact }> {
  const text = redactString(statement.replace(/\s+/g, ' ').trim());
  if (text.length < 3) throw new UserError('memory add needs the statement to remember, e.g. `nevo-tui memory add "Use pnpm, not npm" --category preference`.');
  if (text.length > 500) throw new UserError(`a fact is one statement of at most 500 characters; this one has ${text.length}. Split it.`);
  const r = await ws.store.transact(
    async (tx) => {
      // What a person forgot or rejected is not taken up again from the agent; a person may restate it.
      const forgotten = by === 'agent' ? await tx.forgotten.ids() : new Set<string>();
      const { added } = await recordFacts(tx, [{ statement: text, category, confidence: 1, time: ws.clock().toISOString(), source: { by: by === 'agent' ? 'agent' : 'manual' }, provenance: by === 'agent' ? 'assistant' : 'person' }], ws.config.memory.ttlDays, forgotten);
      tx.forceCommit = true;
      tx.message('memory', `add ${category} fact: ${text.slice(0, 60)}`);
      const fact = await tx.facts.get(factId(text));
      if (!fact) throw new UserError(`fact:${factId(text)} was rejected or forgotten by a person; it is not taken up again from the agent.`);
      return { added: added.length > 0, fact };
    },
    { purpose: 'memory add' },
  );
  await refreshMemoryIndex(ws);
  return r;
}
