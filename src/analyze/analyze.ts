import { UserError } from '../errors.js';
import { checkNovelty } from '../rules/novelty.js';
import { loadRules } from '../rules/load.js';
import { allocateRuleId, prefixFor, writeRule } from '../rules/repository.js';
import { validateRule } from '../rules/review.js';
import type { Guard, Rule } from '../rules/rule.js';
import type { Incident } from '../store/schemas.js';
import type { Transaction } from '../store/store.js';
import { dayOf } from '../util/day.js';
import type { Workspace } from '../workspace/workspace.js';
import { backtestGuard, type Backtest, type PastCall } from '../rules/backtest.js';
import { projectEnvironment } from '../rules/environment.js';
import { absentNames } from '../rules/lint.js';
import { keyInWords, keySubject } from '../rules/mistake-key.js';
import { preferenceConflicts } from '../rules/preferences.js';
import { builtinAnalyst, incidentCause, incidentKey } from './builtin.js';
import { pastCallsOnce, readPastCalls } from './past-calls.js';
import { readProjectFacts } from './project-facts.js';
import { runExternalAnalyst } from './external.js';
import type { Analysis, AnalystContext } from './schema.js';
import { setIncidentStatus } from '../detect/covered.js';

export interface AnalyzeOutcome {
  incident: string;
  analyst: 'builtin' | 'external';
  decision: Analysis['decision']['action'];
  /** The rule proposed or linked to. */
  rule?: string;
  novelty?: string;
  contradicts?: string[];
  error?: string;
}

export async function contextFor(ws: Workspace, incident: Incident): Promise<AnalystContext> {
  const { rules } = loadRules(ws.root);
  const events = await ws.store.events.withFingerprint(incident.fingerprint, 10);
  // Through the shared snapshot: analysing many incidents, or in a long-running process, parses the facts once.
  const preferences = (await ws.store.shared.facts.list((f) => f.category === 'preference')).map((f) => f.statement);
  return {
    incident,
    cause: incidentCause(incident),
    rules: rules.map((r) => ({ id: r.id, title: r.title, status: r.status, body: r.body, trigger: r.trigger, ...(r.reason ? { reason: r.reason } : {}), incidents: r.incidents })),
    recentEvents: events.map((e) => ({ time: e.time, ...(e.session ? { session: e.session } : {}), ...(e.target ? { target: e.target } : {}), ...(e.error ? { error: e.error } : {}) })),
    project: readProjectFacts(ws.projectRoot),
    ...(preferences.length ? { preferences } : {}),
  };
}

/** Keys of incidents by id, worked out only for the incidents rules name (old ones have none stored). */
function memoKeys(byId: Map<string, Incident>): (id: string) => string | undefined {
  const memo = new Map<string, string | undefined>();
  return (id) => {
    if (!memo.has(id)) {
      const incident = byId.get(id);
      memo.set(id, incident ? incidentKey(incident) : undefined);
    }
    return memo.get(id);
  };
}

/**
 * The mistakes a rule answers: its `keys`, else (rules written before keys) the keys of its
 * incidents; undefined for a hand-written rule that names none.
 */
function ruleKeys(rule: Rule, keyOf: (id: string) => string | undefined): string[] | undefined {
  if (rule.keys) return rule.keys;
  const keys = rule.incidents.map((i) => keyOf(i.id)).filter((k): k is string => !!k);
  return keys.length ? [...new Set(keys)] : undefined;
}

/** Links an incident to an existing rule: the rule's hit count grows instead of a duplicate appearing. */
function linkToRule(tx: Transaction, rule: Rule, incident: Incident, today: string, now: Date): void {
  if (!rule.incidents.some((i) => i.fingerprint === incident.fingerprint)) rule.incidents.push({ id: incident.id, fingerprint: incident.fingerprint });
  rule.hits++;
  rule.updated = today;
  writeRule(tx, rule);
  if (!incident.rules.includes(rule.id)) incident.rules.push(rule.id);
  setIncidentStatus(incident, rule.status === 'active' ? 'ruled' : 'proposed', now.toISOString());
}

/**
 * A proposed guard, backtested on the workspace's past calls: kept only when it would have blocked
 * no call that worked. The backtest is stored on the rule either way, for the reviewer.
 */
function backtestProposal(ws: Workspace, guard: Guard | undefined, incident: Incident, pastCalls: (tool: string) => PastCall[]): { guard?: Guard; backtest?: Backtest } {
  if (!guard) return {};
  const backtest = backtestGuard(guard, pastCalls(guard.tool), [incident.id], ws.projectRoot);
  return backtest.dropped ? { backtest } : { guard, backtest };
}

/** A rule's text without the sentence that says its guard blocks calls, for a rule that has none. */
const withoutBlockClause = (text: string) => text.replace(/;? ?(commands|calls) (that run|starting with) `[^`]+` are blocked/, '');

/**
 * Stores one analysis: a proposal is checked against every rule first; one of the same mistake
 * (or, for rules that name none, of overlapping text) links the incident to it instead. One
 * transaction, one commit.
 */
export async function applyAnalysis(ws: Workspace, incidentId: string, analysis: Analysis, analyst: 'builtin' | 'external', ctxPreferences: string[] = [], pastCalls = (tool: string) => readPastCalls(ws.root, tool)): Promise<AnalyzeOutcome> {
  return ws.store.transact(
    async (tx) => {
      const incident = await tx.incidents.get(incidentId);
      if (!incident) throw new UserError(`No incident ${incidentId}.`);
      const now = ws.clock();
      const today = dayOf(now, ws.config.timeZone);
      const { rules } = loadRules(ws.root);
      const outcome: AnalyzeOutcome = { incident: incident.id, analyst, decision: analysis.decision.action };
      const d = analysis.decision;
      let detail: string;
      if (d.action === 'propose') {
        const novelty = checkNovelty(d.rule, rules, ws.config.rules.overlapThreshold);
        // Only the incidents of rules that name no mistake themselves (written before keys), from their months.
        const byId = new Map((await tx.incidents.withIds(rules.filter((r) => !r.keys).flatMap((r) => r.incidents.map((i) => i.id)))).map((i) => [i.id, i]));
        const keyOf = memoKeys(byId);
        const key = incidentKey(incident);
        // The same mistake links; similar wording alone does not (template prose made every
        // "X is not installed" rule look alike). Rules that name no mistake are compared by text.
        const sameMistake = rules.filter((r) => r.id !== incident.rules[0] && ruleKeys(r, keyOf)?.includes(key));
        const live = sameMistake.find((r) => r.status === 'active' || r.status === 'proposed');
        const textual = novelty.overlaps.map((o) => rules.find((r) => r.id === o.id)).find((r): r is Rule => !!r && ruleKeys(r, keyOf) === undefined && (r.status === 'active' || r.status === 'proposed'));
        const overlap = live ?? textual;
        const turnedDown = sameMistake.filter((r) => r.status === 'rejected' || r.status === 'deprecated');
        outcome.novelty = live ? `same mistake (${keyInWords(key)}) as ${live.id}` : novelty.summary;
        if (overlap) {
          linkToRule(tx, overlap, incident, today, now);
          outcome.decision = 'link';
          outcome.rule = overlap.id;
          detail = `linked to ${overlap.id}: ${outcome.novelty}`;
          tx.message('rules', `link ${incident.id} to ${overlap.id}`, [outcome.novelty]);
        } else {
          // A proposal nobody could approve or reject as written is refused before it is stored.
          const problems = validateRule({ ...d.rule, id: 'PROJ-000', status: 'proposed', incidents: [], novelty: '', created: today, updated: today, hits: 0, file: '' } as Rule);
          if (problems.length) throw new UserError(`The ${analyst} analyst proposed a rule for ${incident.id} that is not valid (${problems.join('; ')}); nothing was changed.`);
          const id = await allocateRuleId(tx, ws, prefixFor(d.rule.scope));
          const contradicts = novelty.contradictions.map((c) => c.id);
          const similar = turnedDown.map((r) => `similar to ${r.status} ${r.id}${r.reason ? ` (${r.reason})` : ''}`);
          const noveltyText = [...similar, novelty.summary].join('; ');
          outcome.novelty = noveltyText;
          const { guard, backtest } = backtestProposal(ws, d.rule.guard, incident, pastCalls);
          // A stated preference (memory) that names what the rule is about: flagged, and no guard.
          const conflicts = preferenceConflicts(ctxPreferences, [d.rule.guard?.program, keySubject(key)]);
          // No guard against what the person said they prefer: the reviewer decides.
          const armed = conflicts.length ? undefined : guard;
          const proposal: Rule = {
            id,
            title: d.rule.title,
            scope: d.rule.scope,
            status: 'proposed',
            trigger: d.rule.trigger,
            enforcement: armed ? d.rule.enforcement : withoutBlockClause(d.rule.enforcement),
            verification: d.rule.verification,
            incidents: [{ id: incident.id, fingerprint: incident.fingerprint }],
            novelty: noveltyText,
            created: today,
            updated: today,
            hits: 0,
            keys: [key],
            ...(d.rule.paths?.length ? { paths: d.rule.paths } : {}),
            ...(armed ? { guard: armed } : {}),
            ...(backtest ? { backtest } : {}),
            ...(conflicts.length ? { conflicts } : {}),
            ...(contradicts.length ? { contradicts } : {}),
            body: armed ? d.rule.body : withoutBlockClause(d.rule.body),
            file: '',
          };
          // What the project lacks as the rule is written was never there for it: lint must not
          // call the rule stale for it (a file the agent meant to create, a program missing here).
          const absent = absentNames(proposal, projectEnvironment(ws.projectRoot));
          writeRule(tx, absent.length ? { ...proposal, absent } : proposal);
          incident.rules.push(id);
          incident.status = 'proposed';
          outcome.rule = id;
          if (contradicts.length) outcome.contradicts = contradicts;
          detail = `proposed ${id}: ${noveltyText}`;
          tx.message('rules', `propose ${id}`, [incident.id]);
        }
      } else if (d.action === 'link') {
        const rule = rules.find((r) => r.id === d.rule);
        if (!rule) throw new UserError(`The analyst linked ${incident.id} to ${d.rule}, which does not exist; nothing was changed.`);
        linkToRule(tx, rule, incident, today, now);
        outcome.rule = rule.id;
        detail = `linked to ${rule.id}: ${d.reason}`;
        tx.message('rules', `link ${incident.id} to ${rule.id}`);
      } else if (d.action === 'skill-gap') {
        incident.status = 'analyzed';
        detail = `skill gap: ${d.skill} (${d.reason})`;
        tx.message('incidents', `analyze ${incident.id}: skill gap`);
      } else {
        incident.status = 'dismissed';
        incident.dismissedReason = d.reason;
        detail = `dismissed: ${d.reason}`;
        tx.message('incidents', `dismiss ${incident.id}`, [d.reason]);
      }
      incident.analysis = {
        at: now.toISOString(),
        analyst,
        what: analysis.what,
        why: analysis.why,
        seenBefore: analysis.seenBefore,
        decision: outcome.decision,
        detail,
        ...(outcome.rule ? { rule: outcome.rule } : {}),
      };
      // Changed in place above (linked, proposed, analyzed): handed back to be written.
      await tx.incidents.upsert([incident]);
      tx.forceCommit = true;
      return outcome;
    },
    { purpose: 'nevo-tui analyze' },
  );
}

/** Whether an analysis goes to the external analyst: `analyst.command` is set and `--builtin` was not given. */
function usesExternal(ws: Workspace, opts: { builtin?: boolean }): boolean {
  return !opts.builtin && ws.config.analyst.command.trim() !== '';
}

/** Analyzes one incident with the configured analyst (external when `analyst.command` is set). */
export async function analyzeIncident(ws: Workspace, incident: Incident, opts: { builtin?: boolean; pastCalls?: (tool: string) => PastCall[] } = {}): Promise<AnalyzeOutcome> {
  const ctx = await contextFor(ws, incident);
  const external = usesExternal(ws, opts);
  const analysis = external ? (await runExternalAnalyst(ws, ctx)).analysis : builtinAnalyst(ctx, ws.projectRoot);
  return applyAnalysis(ws, incident.id, analysis, external ? 'external' : 'builtin', ctx.preferences ?? [], opts.pastCalls);
}

/**
 * Analyzes the given incidents (default: every new one). A failing external analyst leaves its
 * incident unanalyzed and the others go on; the error is reported in the outcome.
 */
export async function analyzeMany(ws: Workspace, ids?: string[], opts: { builtin?: boolean } = {}): Promise<AnalyzeOutcome[]> {
  const chosen = ids ? await ws.store.incidents.resolve(ids) : await ws.store.incidents.list((i) => i.status === 'new');
  const out: AnalyzeOutcome[] = [];
  // The built-in analyst's batch reads each tool's past calls once: it moves from one incident to
  // the next in moments. An external analyst may take minutes an incident while ingest goes on, so
  // each of its backtests reads the journal as it is then.
  const pastCalls = usesExternal(ws, opts) ? undefined : pastCallsOnce(ws.root);
  for (const incident of chosen) {
    try {
      out.push(await analyzeIncident(ws, incident, { ...opts, pastCalls }));
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      out.push({ incident: incident.id, analyst: usesExternal(ws, opts) ? 'external' : 'builtin', decision: 'propose', error: err.message });
    }
  }
  return out;
}
