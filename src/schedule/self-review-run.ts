import { analyzeIncident } from '../analyze/analyze.js';
import { redactString } from '../redact/redact.js';
import { UserError } from '../errors.js';
import { recordFacts } from '../memory/facts.js';
import { refreshMemoryIndex } from '../memory/index-file.js';
import { loadRules } from '../rules/load.js';
import type { Workspace } from '../workspace/workspace.js';
import { incidentId, MAX_SESSIONS_LISTED, newIncident } from '../detect/apply.js';
import { dayOf } from '../util/day.js';
import type { Incident } from '../store/schemas.js';
import { recurringDeclines } from './recurring-noise.js';
import { reportPath } from './reports.js';
import { findingFacts, planSelfReview, renderReport, type ProposalOutcome } from './self-review.js';

export interface SelfReviewResult {
  day: string;
  /** The report, relative to the workspace: journal/reports/<day>.md. */
  file: string;
  /** Errors that happened at least twice in the last 7 days. */
  repeated: number;
  /** What the analyst made of each uncovered repeated error. */
  proposals: ProposalOutcome[];
  factsAdded: number;
  factsRefreshed: number;
  /** The review's own commit (the analyst's proposals are committed before it, one each). */
  commit?: string;
  summary: string;
}

/**
 * The nightly self-review: measures the day, sends the top repeated errors no rule covers to the
 * analyst, and writes the report and one finding fact per repeated error in one commit. Run twice
 * the same day, it rewrites the same report and refreshes its facts; errors it proposed rules
 * for on the first run are covered on the second, so nothing is proposed twice.
 */
export async function runSelfReview(ws: Workspace): Promise<SelfReviewResult> {
  const [telemetry, incidents] = [await ws.store.telemetry.list(), await ws.store.incidents.list()];
  const settings = ws.config.schedule.selfReview;
  const review = planSelfReview({
    now: ws.clock(),
    timeZone: ws.config.timeZone,
    telemetry,
    incidents,
    rules: loadRules(ws.root).rules,
    days: settings.days,
    proposals: settings.proposals,
    effectivenessDays: ws.config.rules.effectivenessDays,
  });

  // Each analysis is its own commit (a proposed rule is reviewed and reverted on its own); one
  // failing analyst call leaves that error unproposed and the others go on.
  const proposals: ProposalOutcome[] = [];
  for (const group of review.uncovered) proposals.push(await outcomeOf(ws, incidents.find((i) => i.id === group.latest)!));
  // Noise asked about once: a command the person declined in several sessions becomes one
  // incident (never a second: its fingerprint is then taken) for the analyst, and so for Review.
  const asked = new Set(incidents.map((i) => i.fingerprint));
  const declined = recurringDeclines(await ws.store.events.list(), settings.askAfterSessions).filter((g) => !asked.has(g.fingerprint)).slice(0, settings.proposals);
  if (declined.length) {
    const opened = await ws.store.transact(async (tx) => {
      const ids = new Set((await tx.incidents.list()).map((i) => i.id));
      const made = declined.map((g) => {
        const { latest } = g;
        const id = incidentId(dayOf(latest.time, ws.config.timeZone), g.fingerprint, (x) => ids.has(x));
        ids.add(id);
        const incident = newIncident({ id, fingerprint: g.fingerprint, signature: g.signature, category: 'permission', key: g.key, signal: 'hook', tool: g.tool, error: latest.error ?? 'declined', event: latest.kind, time: latest.time, ...(latest.target ? { target: latest.target } : {}), ...(latest.session ? { session: latest.session } : {}) });
        return { ...incident, count: g.count, sessions: g.sessions.slice(0, MAX_SESSIONS_LISTED), firstSeen: g.first, recurring: true };
      });
      await tx.incidents.upsert(made);
      tx.message('self-review', `ask about ${made.length} declined command(s)`, made.map((i) => `${i.id} ${i.signature}`));
      return made;
    });
    for (const [n, incident] of opened.entries()) proposals.push({ ...(await outcomeOf(ws, incident)), declinedSessions: declined[n]!.sessions.length });
  }
  if (proposals.length) {
    const analyzed = new Map((await ws.store.incidents.list()).map((i) => [i.id, i.analysis?.detail]));
    for (const p of proposals) {
      const detail = analyzed.get(p.incident);
      if (detail && !p.error) p.detail = detail;
    }
  }

  const file = reportPath(review.day);
  const markdown = renderReport(review, proposals);
  const facts = findingFacts(review, proposals, ws.clock().toISOString());
  const proposed = proposals.filter((p) => p.decision === 'propose' && p.rule && !p.error).length;
  const before = await ws.history.head();
  const { added, refreshed } = await ws.store.transact(
    async (tx) => {
      tx.writeFile(file, markdown);
      const forgotten = await tx.forgotten.ids();
      const changed = await recordFacts(tx, facts, ws.config.memory.ttlDays, forgotten);
      tx.forceCommit = true;
      tx.message('self-review', `${review.day}: ${review.repeated.length} repeated error(s), ${proposed} proposal(s)`);
      return changed;
    },
    { purpose: 'self-review' },
  );
  await refreshMemoryIndex(ws);
  const head = await ws.history.head();
  const n = review.repeated.length;
  return {
    day: review.day,
    file,
    repeated: n,
    proposals,
    factsAdded: added.length,
    factsRefreshed: refreshed.length,
    ...(head && head !== before ? { commit: head } : {}),
    summary: `${review.day}: ${n} repeated error${n === 1 ? '' : 's'}, ${proposed} rule${proposed === 1 ? '' : 's'} proposed, report ${file}`,
  };
}

/** What the analyst made of one incident; one failing analyst call leaves it unproposed and the others go on. */
async function outcomeOf(ws: Workspace, incident: Incident): Promise<ProposalOutcome> {
  try {
    const o = await analyzeIncident(ws, incident);
    return { fingerprint: incident.fingerprint, incident: incident.id, decision: o.decision, ...(o.rule ? { rule: o.rule } : {}) };
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    // The message may end with the analyst's stderr; the report is committed, so tokens go.
    return { fingerprint: incident.fingerprint, incident: incident.id, error: redactString(err.message) };
  }
}
