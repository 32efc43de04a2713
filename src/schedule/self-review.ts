import { computeStats } from '../detect/stats.js';
import type { FactCandidate } from '../memory/facts.js';
import { effectiveness } from '../rules/effectiveness.js';
import type { Rule } from '../rules/rule.js';
import type { Incident, TelemetryDay } from '../store/schemas.js';
import { addDays, dayOf } from '../util/day.js';
import { plural } from '../util/format.js';

/**
 * The nightly self-review, as pure functions: what failed, what keeps failing, which repeated
 * errors no rule answers yet, and whether the rules in effect made their errors rarer.
 */

export interface SelfReviewInput {
  now: Date;
  /** '' = the system's zone. */
  timeZone: string;
  telemetry: TelemetryDay[];
  incidents: Incident[];
  rules: Rule[];
  /** Days of failure rate in the table. */
  days: number;
  /** At most this many uncovered errors go to the analyst. */
  proposals: number;
  /** Days before and after activation compared for each active rule. */
  effectivenessDays: number;
}

export interface DayRate {
  day: string;
  calls: number;
  failures: number;
  /** Failed calls / calls, 0..1 (0 when there were no calls). */
  rate: number;
}

export interface DaySummary extends DayRate {
  /** The tools that failed most, with their failures and calls. */
  tools: { tool: string; failures: number; calls: number }[];
}

/** One repeated error: every incident sharing a fingerprint, counted together. */
export interface RepeatedGroup {
  fingerprint: string;
  /** The first line of the normalised error that says what went wrong. */
  signature: string;
  tool: string;
  /** The error type. */
  category: string;
  /** Occurrences in the 7 days ending on the review's day. */
  occurrences: number;
  /** Sessions the error was ever seen in (incidents keep sessions, not per-day sessions). */
  sessions: number;
  incidents: string[];
  /** The incident seen most recently: the one the analyst is shown. */
  latest: string;
  lastSeen: string;
  /** A proposed or active rule that already answers it. */
  coveredBy: string | null;
  /** Every incident of the group was dismissed: a person (or the analyst) decided it is no mistake. */
  dismissed: boolean;
}

/** Before and after one active rule, for the errors of one type it answers. */
export interface RuledType {
  rule: string;
  title: string;
  activated: string;
  errorType: string;
  fingerprints: string[];
  before: number;
  after: number;
  callsBefore: number;
  callsAfter: number;
  /** Occurrences per 100 tool calls; null when no calls were recorded in the window. */
  rateBefore: number | null;
  rateAfter: number | null;
  /** Days of the after-window already lived (the days after the activation day, up to today). */
  daysAfter: number;
  /** Days in each window. */
  window: number;
}

export interface SelfReview {
  day: string;
  days: DayRate[];
  /** Today so far: at the nightly 00:17 run only minutes, so the report leads with yesterday. */
  today: DaySummary;
  yesterday: DaySummary;
  dayBefore: DaySummary;
  repeated: RepeatedGroup[];
  uncovered: RepeatedGroup[];
  ruled: RuledType[];
}

/** What the analyst made of one uncovered error. */
export interface ProposalOutcome {
  fingerprint: string;
  incident: string;
  decision?: 'propose' | 'link' | 'skill-gap' | 'dismiss';
  /** The rule proposed or linked to. */
  rule?: string;
  /** The analyst's own words on the decision. */
  detail?: string;
  error?: string;
  /** Set when the incident is a question about noise (a command declined in this many sessions), not a repeated error. */
  declinedSessions?: number;
}

const WEEK = 7;
const TOP_TOOLS = 5;
const EXIT_LINE = /^Exit code \S+$/;

/** The line of a signature that names the error: a shell's `Exit code N` alone says nothing. */
function headline(signature: string): string {
  const lines = signature.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.find((l) => !EXIT_LINE.test(l)) ?? lines[0] ?? '';
}

function daySpan(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T12:00:00Z`) - Date.parse(`${from}T12:00:00Z`)) / 86_400_000);
}

function callsIn(byDay: Map<string, TelemetryDay>, from: string, to: string): number {
  let calls = 0;
  for (let d = from; d <= to; d = addDays(d, 1)) for (const n of Object.values(byDay.get(d)?.calls ?? {})) calls += n;
  return calls;
}

const per100 = (n: number, calls: number) => (calls ? Math.round((n / calls) * 10000) / 100 : null);

function coverage(fingerprint: string, incidents: Incident[], rules: Rule[]): string | null {
  const live = rules.filter((r) => r.status === 'proposed' || r.status === 'active');
  const byFp = live.find((r) => r.incidents.some((i) => i.fingerprint === fingerprint));
  if (byFp) return byFp.id;
  const linked = new Set(incidents.flatMap((i) => i.rules));
  return live.find((r) => linked.has(r.id))?.id ?? null;
}

function repeatedGroups(incidents: Incident[], rules: Rule[], today: string): RepeatedGroup[] {
  const from = addDays(today, -(WEEK - 1));
  const byFp = new Map<string, Incident[]>();
  for (const i of incidents) byFp.set(i.fingerprint, [...(byFp.get(i.fingerprint) ?? []), i]);
  const groups: RepeatedGroup[] = [];
  for (const [fingerprint, mine] of byFp) {
    let occurrences = 0;
    for (const i of mine) for (const [d, n] of Object.entries(i.daily)) if (d >= from && d <= today) occurrences += n;
    if (occurrences < 2) continue;
    const latest = [...mine].sort((a, b) => b.lastSeen.localeCompare(a.lastSeen) || b.id.localeCompare(a.id))[0]!;
    groups.push({
      fingerprint,
      signature: headline(latest.signature),
      tool: latest.tool,
      category: latest.category,
      occurrences,
      sessions: new Set(mine.flatMap((i) => i.sessions)).size,
      incidents: mine.map((i) => i.id).sort(),
      latest: latest.id,
      lastSeen: latest.lastSeen,
      coveredBy: coverage(fingerprint, mine, rules),
      dismissed: mine.every((i) => i.status === 'dismissed'),
    });
  }
  return groups.sort((a, b) => b.occurrences - a.occurrences || b.lastSeen.localeCompare(a.lastSeen) || a.fingerprint.localeCompare(b.fingerprint));
}

function ruledTypes(rules: Rule[], incidents: Incident[], telemetry: TelemetryDay[], today: string, window: number): RuledType[] {
  const byDay = new Map(telemetry.map((t) => [t.id, t]));
  const out: RuledType[] = [];
  for (const rule of rules) {
    if (rule.status !== 'active' || !rule.activated) continue;
    const activated = rule.activated.slice(0, 10);
    const fps = [...new Set(rule.incidents.map((i) => i.fingerprint))];
    // A rule's fingerprints grouped by the type of error they are; a fingerprint whose incidents are gone is 'unknown'.
    const types = new Map<string, string[]>();
    for (const fp of fps) {
      const type = incidents.find((i) => i.fingerprint === fp)?.category ?? 'unknown';
      types.set(type, [...(types.get(type) ?? []), fp]);
    }
    // The activation day counts as before (see effectiveness): after means the days after it.
    const lastAfter = addDays(activated, window) < today ? addDays(activated, window) : today;
    const daysAfter = Math.max(0, Math.min(window, daySpan(activated, today)));
    const callsBefore = callsIn(byDay, addDays(activated, -(window - 1)), activated);
    const callsAfter = daysAfter ? callsIn(byDay, addDays(activated, 1), lastAfter) : 0;
    for (const [errorType, fingerprints] of [...types].sort(([a], [b]) => a.localeCompare(b))) {
      const only = { ...rule, activated, incidents: rule.incidents.filter((i) => fingerprints.includes(i.fingerprint)) };
      const e = effectiveness(only, incidents, [], today, window);
      out.push({
        rule: rule.id,
        title: rule.title,
        activated,
        errorType,
        fingerprints,
        before: e.before,
        after: e.after,
        callsBefore,
        callsAfter,
        rateBefore: per100(e.before, callsBefore),
        rateAfter: per100(e.after, callsAfter),
        daysAfter,
        window,
      });
    }
  }
  return out.sort((a, b) => a.rule.localeCompare(b.rule) || a.errorType.localeCompare(b.errorType));
}

/** Everything the nightly review decides, from the store's documents and the rules. */
export function planSelfReview(input: SelfReviewInput): SelfReview {
  const day = dayOf(input.now, input.timeZone);
  const n = Math.max(3, input.days);
  const stats = computeStats(input.telemetry, [], day, n).days;
  const summary = (d: (typeof stats)[number]): DaySummary => ({
    day: d.day,
    calls: d.calls,
    failures: d.failures,
    rate: d.failureRate,
    tools: d.perTool.filter((t) => t.failures > 0).slice(0, TOP_TOOLS).map((t) => ({ tool: t.tool, failures: t.failures, calls: t.calls })),
  });
  const repeated = repeatedGroups(input.incidents, input.rules, day);
  return {
    day,
    days: stats.slice(-Math.max(1, input.days)).map((d) => ({ day: d.day, calls: d.calls, failures: d.failures, rate: d.failureRate })),
    today: summary(stats[stats.length - 1]!),
    yesterday: summary(stats[stats.length - 2]!),
    dayBefore: summary(stats[stats.length - 3]!),
    repeated,
    uncovered: repeated.filter((g) => g.coveredBy === null && !g.dismissed).slice(0, Math.max(0, input.proposals)),
    ruled: ruledTypes(input.rules, input.incidents, input.telemetry, day, input.effectivenessDays),
  };
}

/** Text for one table cell: a pipe or a line break would cut the row. */
function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|').trim();
}

/** A signature as inline code, so `<q>` and `*` read as written. */
const code = (text: string) => `\`${cell(text).replace(/`/g, "'")}\``;
const percent = (rate: number) => `${(Math.round(rate * 1000) / 10).toFixed(1)}%`;
const per100Text = (rate: number | null) => (rate === null ? 'no calls' : `${rate.toFixed(2)} / 100 calls`);

function outcomeText(p: ProposalOutcome): string {
  if (p.error) return `analyst failed: ${p.error}`;
  if (p.decision === 'propose' && p.rule) return `proposed ${p.rule}`;
  if (p.decision === 'link' && p.rule) return `linked to ${p.rule}`;
  if (p.detail) return p.detail;
  return p.decision ?? 'no decision';
}

function toolsText(d: DaySummary): string {
  return d.tools.length ? d.tools.map((t) => `${t.tool} ${t.failures}/${t.calls}`).join(', ') : '—';
}

/** The report of `journal/reports/<day>.md`. Deterministic: the same review gives the same bytes. */
export function renderReport(review: SelfReview, proposals: ProposalOutcome[]): string {
  const byFp = new Map(proposals.map((p) => [p.fingerprint, p]));
  const proposed = proposals.filter((p) => !p.error && p.decision === 'propose' && p.rule);
  const lines: string[] = [];
  lines.push(`# Self-review ${review.day}`, '');
  const { today: t, yesterday: y } = review;
  // Yesterday first: the nightly run comes minutes after midnight, when today has barely begun.
  lines.push(
    `Yesterday ${plural(y.calls, 'tool call')}, ${plural(y.failures, 'failure')} (${percent(y.rate)}), against ${percent(review.dayBefore.rate)} the day before; ` +
      `today so far ${plural(t.calls, 'tool call')}, ${plural(t.failures, 'failure')} (${percent(t.rate)}). ` +
      `${plural(review.repeated.length, 'repeated error')} in 7 days, ${review.uncovered.length} sent to the analyst, ${plural(proposed.length, 'rule')} proposed.`,
    '',
  );

  lines.push('## Failure rate per day', '', '| Day | Calls | Failures | Rate |', '|---|---:|---:|---:|');
  for (const d of review.days) lines.push(`| ${d.day} | ${d.calls} | ${d.failures} | ${percent(d.rate)} |`);
  lines.push('');

  lines.push('## Today, yesterday and the day before', '', '| | Calls | Failures | Rate | Failing tools (failures/calls) |', '|---|---:|---:|---:|---|');
  for (const [label, d] of [['Today so far', review.today], ['Yesterday', review.yesterday], ['The day before', review.dayBefore]] as const) {
    lines.push(`| ${label} (${d.day}) | ${d.calls} | ${d.failures} | ${percent(d.rate)} | ${cell(toolsText(d))} |`);
  }
  lines.push('');

  lines.push('## Repeated errors (7 days)', '');
  if (!review.repeated.length) lines.push('No error happened twice in the last 7 days.');
  else {
    lines.push('| Error | Tool | Type | Occurrences | Sessions | Covered by |', '|---|---|---|---:|---:|---|');
    for (const g of review.repeated) {
      const tonight = byFp.get(g.fingerprint);
      const covered = g.coveredBy ?? (tonight?.rule && !tonight.error ? `${tonight.rule} (${tonight.decision === 'link' ? 'linked' : 'proposed'} tonight)` : g.dismissed ? 'dismissed' : '—');
      lines.push(`| ${code(g.signature)} | ${cell(g.tool)} | ${cell(g.category)} | ${g.occurrences} | ${g.sessions} | ${cell(covered)} |`);
    }
  }
  lines.push('');

  lines.push('## Proposals', '');
  if (!proposals.length) lines.push(review.repeated.length ? 'No uncovered repeated error was sent to the analyst.' : 'Nothing to propose.');
  for (const p of proposals) {
    const g = review.repeated.find((r) => r.fingerprint === p.fingerprint);
    const what = p.declinedSessions ? `asked once: declined in ${p.declinedSessions} sessions` : g ? code(g.signature) : p.fingerprint;
    lines.push(`- ${what} (incident ${p.incident}): ${cell(outcomeText(p))}`);
  }
  lines.push('');

  lines.push('## Rules in effect: before and after', '');
  if (!review.ruled.length) lines.push('No active rule has an activation day yet.');
  else {
    lines.push('| Rule | Error type | Activated | Before | After | Rate before | Rate after |', '|---|---|---|---:|---:|---|---|');
    for (const r of review.ruled) {
      lines.push(
        `| ${r.rule}: ${cell(r.title)} | ${cell(r.errorType)} | ${r.activated} | ${r.before} in ${r.window} days | ${r.after} in ${r.daysAfter} ${r.daysAfter === 1 ? 'day' : 'days'} | ${per100Text(r.rateBefore)} | ${per100Text(r.rateAfter)} |`,
      );
    }
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/** The statement of a finding names the error, never its counts: the same error next night refreshes it. */
function findingStatement(g: RepeatedGroup): string {
  return `Repeated error in ${g.tool} (${g.category}): ${g.signature}`;
}

/** Facts the review leaves in memory: one per repeated error, more certain the more it repeats. */
export function findingFacts(review: SelfReview, proposals: ProposalOutcome[], nowIso: string): FactCandidate[] {
  const byFp = new Map(proposals.map((p) => [p.fingerprint, p]));
  return review.repeated.map((g) => {
    const p = byFp.get(g.fingerprint);
    const proposal = p && !p.error ? p.rule : undefined;
    const confidence = Math.min(0.95, Math.max(0.5, 0.5 + 0.05 * (g.occurrences - 2) + 0.05 * (g.sessions - 1)));
    return {
      statement: findingStatement(g),
      category: 'event' as const,
      confidence: Math.round(confidence * 100) / 100,
      time: nowIso,
      source: { by: 'self-review' },
      meta: {
        errorType: g.category,
        fingerprint: g.fingerprint,
        occurrences: g.occurrences,
        sessions: g.sessions,
        ...(proposal ? { proposal } : {}),
        ...(g.coveredBy ? { rule: g.coveredBy } : {}),
      },
    };
  });
}
