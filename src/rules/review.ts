import { setIncidentStatus } from '../detect/covered.js';
import { UserError } from '../errors.js';
import type { Transaction } from '../store/store.js';
import { linkedIncidents } from '../store/repositories.js';
import { dayOf } from '../util/day.js';
import { describeIssues } from '../util/zod-issues.js';
import type { Workspace } from '../workspace/workspace.js';
import { exportRules, type ExportResult } from './export.js';
import { loadRules } from './load.js';
import { writeRule } from './repository.js';
import { ruleFrontMatter, sentences, type Rule, type RuleStatus } from './rule.js';

export type ReviewAction = 'approve' | 'reject' | 'edit' | 'deprecate' | 'restore';

export interface ReviewResult {
  rule: Rule;
  action: ReviewAction;
  from: RuleStatus;
  export: ExportResult;
  commit: string | null;
}

/** Which statuses each action accepts, and what it leaves. */
const MOVES: Record<Exclude<ReviewAction, 'edit'>, { from: RuleStatus[]; to: (r: Rule) => RuleStatus }> = {
  approve: { from: ['proposed'], to: () => 'active' },
  reject: { from: ['proposed'], to: () => 'rejected' },
  deprecate: { from: ['active', 'proposed'], to: () => 'deprecated' },
  // Back to active only what a person once approved (`activated`); a proposal deprecated before
  // review goes back to review.
  restore: { from: ['deprecated', 'rejected'], to: (r) => (r.status === 'rejected' || !r.activated ? 'proposed' : 'active') },
};

/** Why `action` cannot apply to the rule now (null: it can), and the status it would leave. */
export function ruleMove(rule: Pick<Rule, 'id' | 'status' | 'activated'>, action: Exclude<ReviewAction, 'edit'>): { refused: string | null; to: RuleStatus } {
  const m = MOVES[action];
  const refused = m.from.includes(rule.status) ? null : `${rule.id} is ${rule.status}; ${action} applies to ${m.from.join(' or ')} rules.`;
  return { refused, to: m.to(rule as Rule) };
}

export interface RuleEdit {
  title?: string;
  body?: string;
  trigger?: string;
  enforcement?: string;
  verification?: string;
  paths?: string[];
  guard?: Rule['guard'] | null;
}

/** Checks a rule the way a save would; returns the problems, empty when it may be saved. */
export function validateRule(rule: Rule): string[] {
  const { body, file: _file, ...meta } = rule;
  const problems: string[] = [];
  const parsed = ruleFrontMatter.safeParse(meta);
  if (!parsed.success) problems.push(...describeIssues(parsed.error.issues, meta, 'field').map((d) => d.text));
  if (!body.trim()) problems.push('body is empty; a rule is 1 to 3 sentences');
  const n = sentences(body).length;
  if (n > 3) problems.push(`body has ${n} sentences; at most 3`);
  if (body.length > 400) problems.push(`body has ${body.length} characters; at most 400`);
  return problems;
}

async function change(ws: Workspace, id: string, action: ReviewAction, mutate: (rule: Rule, tx: Transaction, today: string) => Promise<string[] | void> | string[] | void): Promise<ReviewResult> {
  const before = await ws.history.head();
  const result = await ws.store.transact(
    async (tx) => {
      const { rules } = loadRules(ws.root);
      const rule = rules.find((r) => r.id === id.toUpperCase());
      if (!rule) throw new UserError(`No rule ${id}; \`nevo-tui rules list\` shows them.`);
      const from = rule.status;
      const today = dayOf(ws.clock(), ws.config.timeZone);
      const refs = (await mutate(rule, tx, today)) ?? [];
      rule.updated = today;
      const problems = validateRule(rule);
      if (problems.length) throw new UserError(`${rule.file}: not saved:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
      writeRule(tx, rule);
      const incidents = await linkedIncidents(tx.incidents, rule.incidents);
      const now = ws.clock().toISOString();
      for (const incident of incidents) {
        if (rule.status === 'active') setIncidentStatus(incident, 'ruled', now);
        else if (rule.status === 'proposed') incident.status = 'proposed';
        else if (incident.status === 'ruled' || incident.status === 'proposed') incident.status = 'analyzed';
        if (!incident.rules.includes(rule.id)) incident.rules.push(rule.id);
      }
      await tx.incidents.upsert(incidents);
      const exported = exportRules(ws, rules, tx);
      tx.message('rules', `${action} ${rule.id}`, [...rule.incidents.map((i) => i.id), ...refs]);
      tx.forceCommit = true;
      return { rule, action, from, export: exported };
    },
    { purpose: `nevo-tui rules ${action}` },
  );
  const head = await ws.history.head();
  return { ...result, commit: head !== before ? head : null };
}

function move(ws: Workspace, id: string, action: Exclude<ReviewAction, 'edit'>, reason?: string): Promise<ReviewResult> {
  return change(ws, id, action, (rule, _tx, today) => {
    const m = ruleMove(rule, action);
    if (m.refused) throw new UserError(m.refused);
    if (action === 'reject' && !reason?.trim()) throw new UserError(`Say why ${rule.id} is rejected: --reason "..." (it stops the same proposal coming back).`);
    rule.status = m.to;
    // A decision made here: who made it is said when it is shared (`nevo-tui sync`), not another member's any more.
    delete rule.decidedBy;
    if (rule.status === 'active' && !rule.activated) rule.activated = today;
    if (reason) rule.reason = reason;
    else if (action === 'restore' || action === 'approve') delete rule.reason;
    return reason ? [reason] : [];
  });
}

export const approveRule = (ws: Workspace, id: string) => move(ws, id, 'approve');
export const rejectRule = (ws: Workspace, id: string, reason: string) => move(ws, id, 'reject', reason);
export const deprecateRule = (ws: Workspace, id: string, reason?: string) => move(ws, id, 'deprecate', reason);
export const restoreRule = (ws: Workspace, id: string) => move(ws, id, 'restore');

export function editRule(ws: Workspace, id: string, edit: RuleEdit): Promise<ReviewResult> {
  return change(ws, id, 'edit', (rule) => {
    for (const key of ['title', 'body', 'trigger', 'enforcement', 'verification'] as const) {
      const v = edit[key];
      if (v !== undefined) rule[key] = v.trim();
    }
    if (edit.paths !== undefined) {
      if (edit.paths.length) rule.paths = edit.paths;
      else delete rule.paths;
    }
    if (edit.guard === null) delete rule.guard;
    else if (edit.guard !== undefined) rule.guard = edit.guard;
  });
}

/** Re-writes the agent's copy of the active rules (after a hand edit of rules/, say). */
export async function reexport(ws: Workspace): Promise<ExportResult> {
  return ws.store.transact((tx) => {
    const result = exportRules(ws, loadRules(ws.root).rules, tx);
    tx.message('rules', 'export active rules');
    return result;
  });
}
