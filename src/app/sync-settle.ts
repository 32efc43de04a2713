// A sync conflict settled by a person, here and without the network: keep this workspace's version
// of the rule (or skill), or take the other member's rule. It is one commit (Review's undo reverts it); the team
// takes the outcome at the next sync, because the kept version's lineage now names the other one
// as replaced.
import { UserError } from '../errors.js';
import { exportRules } from '../rules/export.js';
import { loadRules } from '../rules/load.js';
import { writeRule } from '../rules/repository.js';
import { ruleFileName, type Rule } from '../rules/rule.js';
import { stableJson } from '../util/json.js';
import type { Workspace } from '../workspace/workspace.js';
import { decisionHash, textHash, type SharedRuleBody, type SyncConflict, type SyncState } from './sync-merge.js';
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
function conflictsFor(state: SyncState, ruleId: string, member?: string): RuleConflict[] {
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

/** A skill's conflicts settled the one way they can be: this workspace's files stay, theirs count as replaced. */
function keepOwnSkill(state: SyncState, settled: readonly SyncConflict[]): SyncState {
  const next = structuredClone(state);
  for (const c of settled) {
    const lineage = next.skills?.[c.rule];
    if (lineage) lineage.seen = sorted([...lineage.seen, c.theirs]);
  }
  next.conflicts = state.conflicts.filter((c) => !settled.includes(c)).map((c) => structuredClone(c));
  return next;
}

/**
 * What a person named settled, pure: a skill's conflicts (by its name) or a rule's (by its id).
 * `nevo-tui sync --resolve` and Review both come here; `rule` is the rule to write, null for a skill.
 */
export function settleNamed<R extends SharedRuleBody>(state: SyncState, rules: readonly R[], name: string, keep: Keep, member?: string): { state: SyncState; rule: R | null; settled: SyncConflict[] } {
  const skill = state.conflicts.filter((c) => c.part === 'skill' && c.rule === name.toLowerCase() && (!member || c.member === member));
  if (skill.length) {
    if (keep === 'theirs') throw new UserError(`${name}: a skill's conflict is settled by keeping this workspace's files (edit skills/${name.toLowerCase()}/ to the version you want first; theirs is in \`nevo-tui sync --json\`).`);
    return { state: keepOwnSkill(state, skill), rule: null, settled: skill };
  }
  const id = name.toUpperCase();
  const mine = rules.find((r) => r.id === id);
  if (!mine) throw new UserError(conflictsFor(state, id).length ? `No rule ${id} in rules/ to settle its conflict on: restore the file (\`git checkout\`), then settle it.` : `No sync conflict on ${name}; \`nevo-tui sync --json\` lists the conflicts.`);
  return settle(state, mine, keep, member);
}

/** Settles the conflicts on a rule in one commit, and writes the rules out to the agent again. */
export async function settleConflict(ws: Workspace, ruleId: string, keep: Keep, member?: string): Promise<Settlement> {
  return ws.store.transact(
    async (tx) => {
      const state = readState(tx.readText(STATE_FILE));
      const rules = loadRules(ws.root).rules;
      const done = settleNamed(state, rules, ruleId, keep, member);
      const updated = done.rule;
      if (updated && keep === 'theirs') {
        writeRule(tx, updated);
        exportRules(
          ws,
          rules.map((r) => (r.id === updated.id ? { ...updated, file: ruleFileName(updated.id) } : r)),
          tx,
        );
      }
      tx.writeFile(STATE_FILE, stableJson(done.state));
      const who = sorted(done.settled.map((c) => c.member)).join(', ');
      const part = updated ? sorted(done.settled.map((c) => c.part)).join(' and ') : `skill ${ruleId.toLowerCase()}`;
      tx.message('sync', keep === 'mine' ? `keep this workspace's ${part} over ${who}'s` : `take ${who}'s ${part}`, updated ? [updated.id] : undefined);
      return { rule: updated, keep, settled: done.settled };
    },
    { purpose: `nevo-tui sync --resolve ${ruleId}` },
  );
}
