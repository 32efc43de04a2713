import type { Transaction } from '../store/store.js';
import type { Workspace } from '../workspace/workspace.js';
import { loadRules } from './load.js';
import { serialiseRule, ruleFileName, RULE_ID, type Rule } from './rule.js';

export type RulePrefix = 'PROJ' | 'AGENT';

export function prefixFor(scope: string): RulePrefix {
  return scope === 'project' ? 'PROJ' : 'AGENT';
}

/**
 * Hands out the next id for a prefix inside a transaction (so two processes never get the same
 * one), above every rule file and above every id ever handed out (so ids are never reused, even
 * after a rule file is deleted).
 */
export async function allocateRuleId(tx: Transaction, ws: Workspace, prefix: RulePrefix): Promise<string> {
  const seq = (await tx.sequences.get(prefix)) ?? { id: prefix, last: 0 };
  const { rules } = loadRules(ws.root);
  for (const r of rules) {
    const m = RULE_ID.exec(r.id);
    if (m && m[1] === prefix) seq.last = Math.max(seq.last, Number(m[2]));
  }
  seq.last++;
  await tx.sequences.upsert([seq]);
  return `${prefix}-${String(seq.last).padStart(3, '0')}`;
}

export function writeRule(tx: Transaction, rule: Rule | (Omit<Rule, 'file'> & { file?: string })): void {
  tx.writeFile(ruleFileName(rule.id), serialiseRule(rule));
}

export function findRule(ws: Workspace, id: string): Rule | undefined {
  const { rules } = loadRules(ws.root);
  const upper = id.toUpperCase();
  return rules.find((r) => r.id === upper);
}
