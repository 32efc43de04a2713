// A sync conflict settled by a person, here and without the network: keep this workspace's version
// of the rule, or take the other member's. It is one commit (Review's undo reverts it); the team
// takes the outcome at the next sync, because the kept version's lineage now names the other one
// as replaced.
import { UserError } from '../errors.js';
import { exportRules } from '../rules/export.js';
import { loadRules } from '../rules/load.js';
import { writeRule } from '../rules/repository.js';
import { ruleFileName, type Rule } from '../rules/rule.js';
import { stableJson } from '../util/json.js';
import type { Workspace } from '../workspace/workspace.js';
import { decisionHash, resolveConflict, textHash, type SharedRuleBody, type SyncConflict, type SyncState } from './sync-merge.js';
import { readState, STATE_FILE } from './sync-state.js';

export type Keep = 'mine' | 'theirs';

export interface Settlement {
  /** The rule as this workspace has it now (null for a skill's conflict). */
  rule: Rule | null;
  keep: Keep;
  settled: SyncConflict[];
}

const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort();

type RuleConflict = SyncConflict & { part: 'text' | 'decision' };

/** The conflicts a person meant: those of the rule, narrowed to one member when named. */
export function conflictsFor(state: SyncState, ruleId: string, member?: string): RuleConflict[] {
  const id = ruleId.toUpperCase();
  return state.conflicts.filter((c): c is RuleConflict => c.part !== 'skill' && c.rule === id && (!member || c.member === member));
}

/**
 * The settled state and the rule to write: pure. Keeping mine marks their versions replaced by
 * mine; taking theirs copies their fields and records their version as the one now held, so the
 * next sync finds both sides agreeing.
 */
export function settle<R extends SharedRuleBody>(state: SyncState, rule: R, keep: Keep, member?: string): { state: SyncState; rule: R; settled: RuleConflict[] } {
  const settled = conflictsFor(state, rule.id, member);
  if (!settled.length) {
    const others = conflictsFor(state, rule.id);
    throw new UserError(
      others.length
        ? `No sync conflict on ${rule.id} with ${member}: its conflicts are with ${sorted(others.map((c) => c.member)).join(', ')}.`
        : `No sync conflict on ${rule.id}; \`nevo-tui sync --json\` lists the conflicts.`,
    );
  }
  const next = structuredClone(state);
  const lineage = next.rules[rule.id];
  let out: R = rule;
  if (keep === 'theirs') {
    const from = sorted(settled.map((c) => c.member));
    if (from.length > 1) throw new UserError(`${rule.id} conflicts with ${from.join(' and ')}: name whose version to take with --from MEMBER.`);
    out = structuredClone(rule);
    for (const c of settled) {
      if (!c.theirsFields) throw new UserError(`The conflict on ${rule.id} was recorded by an older nevo-tui without ${c.member}'s whole version: run \`nevo-tui sync\` once more, then settle it.`);
      const to = out as unknown as Record<string, unknown>;
      for (const [k, v] of Object.entries(c.theirsFields)) {
        if (v === null || v === undefined) delete to[k];
        else to[k] = structuredClone(v);
      }
    }
  }
  if (lineage) {
    for (const c of settled) {
      const part = lineage[c.part];
      if (keep === 'mine') part.seen = sorted([...part.seen, c.theirs]);
      else {
        // Only when what is written is their version exactly: otherwise the next sync sees an edit.
        const now = c.part === 'text' ? textHash(out) : decisionHash(out);
        if (now === c.theirs) lineage[c.part] = { hash: now, seen: sorted([...part.seen, part.hash].filter((h) => h !== now)) };
      }
    }
  }
  next.conflicts = state.conflicts.filter((c) => !settled.includes(c as RuleConflict)).map((c) => structuredClone(c));
  return { state: next, rule: out, settled };
}

/** Settles the conflicts on a rule in one commit, and writes the rules out to the agent again. */
export async function settleConflict(ws: Workspace, ruleId: string, keep: Keep, member?: string): Promise<Settlement> {
  return ws.store.transact(
    async (tx) => {
      const state = readState(tx.readText(STATE_FILE));
      const skill = state.conflicts.filter((c) => c.part === 'skill' && c.rule === ruleId.toLowerCase() && (!member || c.member === member));
      if (skill.length) {
        // A skill's files stay as this workspace has them (edited first to the version wanted).
        if (keep === 'theirs') throw new UserError(`${ruleId}: a skill's conflict is settled by keeping this workspace's files (edit skills/${ruleId.toLowerCase()}/ to the version you want first; theirs is in \`nevo-tui sync --json\`).`);
        const done = resolveConflict(state, ruleId);
        tx.writeFile(STATE_FILE, stableJson(done.state));
        tx.message('sync', `keep this workspace's skill ${ruleId.toLowerCase()} over ${sorted(skill.map((c) => c.member)).join(', ')}'s`);
        return { rule: null, keep, settled: done.resolved };
      }
      const id = ruleId.toUpperCase();
      const rules = loadRules(ws.root).rules;
      const mine = rules.find((r) => r.id === id);
      if (!mine) throw new UserError(`No rule ${id} in ${ws.root}/rules; \`nevo-tui rules list\` lists them.`);
      const done = settle(state, mine, keep, member);
      if (keep === 'theirs') {
        writeRule(tx, done.rule);
        exportRules(
          ws,
          rules.map((r) => (r.id === id ? { ...done.rule, file: ruleFileName(id) } : r)),
          tx,
        );
      }
      tx.writeFile(STATE_FILE, stableJson(done.state));
      const who = sorted(done.settled.map((c) => c.member)).join(', ');
      const part = sorted(done.settled.map((c) => c.part)).join(' and ');
      tx.message('sync', keep === 'mine' ? `keep this workspace's ${part} over ${who}'s` : `take ${who}'s ${part}`, [id]);
      return { rule: done.rule, keep, settled: done.settled };
    },
    { purpose: `nevo-tui sync --resolve ${ruleId}` },
  );
}
