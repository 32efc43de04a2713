import { redactString } from '../detect/redact.js';
import { UserError } from '../errors.js';
import type { Fact, FactCategory } from '../store/schemas.js';
import type { Workspace } from '../workspace/workspace.js';
import { factId, upsertFacts } from './facts.js';
import { refreshMemoryIndex } from './index-file.js';

/** `nevo-tui memory add`: a fact a person (or the agent) states outright; a commit of its own. */
export async function addFact(ws: Workspace, statement: string, category: FactCategory): Promise<{ added: boolean; fact: Fact }> {
  const text = redactString(statement.replace(/\s+/g, ' ').trim());
  if (text.length < 3) throw new UserError('memory add needs the statement to remember, e.g. `nevo-tui memory add "Use pnpm, not npm" --category preference`.');
  if (text.length > 500) throw new UserError(`a fact is one statement of at most 500 characters; this one has ${text.length}. Split it.`);
  const r = await ws.store.transact(
    async (tx) => {
      const doc = await tx.doc('facts');
      const { added } = upsertFacts(doc, [{ statement: text, category, confidence: 1, time: ws.clock().toISOString(), source: { by: 'manual' } }], ws.config.memory.ttlDays);
      tx.touch('facts');
      tx.forceCommit = true;
      tx.message('memory', `add ${category} fact: ${text.slice(0, 60)}`);
      return { added: added.length > 0, fact: doc.records.find((f) => f.id === factId(text))! };
    },
    { purpose: 'memory add' },
  );
  await refreshMemoryIndex(ws);
  return r;
}
