import { consolidateMemory, countSkills } from '../memory/consolidate.js';
import { fitnessSnapshot } from '../memory/fitness.js';
import { loadRules } from '../rules/load.js';
import { runJobOnce, type JobActions, type JobResult, type RunJobOptions } from '../schedule/run-job.js';
import { Scheduler, type RunnerOptions } from '../schedule/runner.js';
import { runSelfReview } from '../schedule/self-review-run.js';
import { flagIneffectiveSkills, inventory } from '../skills/deploy.js';
import type { JobName } from '../store/vocabulary.js';
import { plural } from '../util/format.js';
import type { Workspace } from '../workspace/workspace.js';
import { ingestAndLearn, openSessionsOf } from './loop.js';
import { UserError } from '../errors.js';
import { transcriptGrowth } from '../detect/open-transcripts.js';

async function ingest(ws: Workspace): Promise<string> {
  const r = await ingestAndLearn(ws);
  const parts = [`${plural(r.events, 'event')} from ${plural(r.files, 'trigger')}`];
  if (r.opened.length) parts.push(`${plural(r.opened.length, 'incident')} opened`);
  if (r.analyzed.length) parts.push(`${r.analyzed.length} analyzed`);
  if (r.remembered.length) parts.push(`${plural(r.remembered.length, 'narrative')}`);
  return parts.join(', ');
}

async function consolidate(ws: Workspace): Promise<string> {
  const r = await consolidateMemory(ws);
  // A weekly digest made and folded into a monthly one in the same run is not worth naming.
  const weekly = r.weekly.filter((id) => !r.foldedWeeklies.includes(id)).length;
  const folded = [r.foldedNarratives.length ? plural(r.foldedNarratives.length, 'narrative') : '', r.foldedWeeklies.length ? plural(r.foldedWeeklies.length, 'weekly digest') : ''].filter(Boolean);
  const wrote = [weekly ? plural(weekly, 'weekly digest') : '', r.monthly.length ? plural(r.monthly.length, 'monthly digest') : ''].filter(Boolean);
  const parts = [
    r.narrated.length ? `${plural(r.narrated.length, 'session')} narrated` : '',
    folded.length ? `folded ${folded.join(' and ')}` : '',
    wrote.length ? `wrote ${wrote.join(' and ')}` : '',
    r.expiredFacts.length ? `${plural(r.expiredFacts.length, 'expired fact')} out` : '',
  ].filter(Boolean);
  return parts.length ? parts.join('; ') : 'nothing to fold';
}

/**
 * Validates every skill of skills/, checks the deployed copies against what was deployed, and
 * flags the skills whose errors keep coming back. An invalid skill fails the job (naming it and its
 * first problem); drift is reported, not a failure: a person may have edited a copy on purpose.
 */
async function validateSkills(ws: Workspace): Promise<string> {
  const flagged = await flagIneffectiveSkills(ws);
  const views = await inventory(ws, { cwd: ws.root });
  const invalid = views.filter((v) => !v.valid);
  const drifted = views.filter((v) => v.driftLabel !== '-' && v.driftLabel !== 'none');
  const ineffective = views.filter((v) => v.status === 'ineffective');
  if (invalid.length) {
    const detail = invalid.map((v) => {
      const p = v.validation?.errors[0];
      return p ? `${v.name}: ${p.file}${p.field ? ` ${p.field}` : ''}: ${p.message}${p.fix ? ` (${p.fix})` : ''}` : `${v.name}: missing from skills/`;
    });
    throw new Error(`${plural(invalid.length, 'invalid skill')}: ${detail.join('; ')}. \`nevo-tui skills validate\` shows every problem.`);
  }
  const parts = [`${plural(views.length, 'skill')} valid`];
  if (drifted.length) parts.push(`drift: ${drifted.map((v) => `${v.name} (${v.driftLabel})`).join(', ')}`);
  if (flagged.length) parts.push(`flagged ineffective now: ${flagged.join(', ')} (their errors keep coming back; deactivate or improve them)`);
  const still = ineffective.filter((v) => !flagged.includes(v.name));
  if (still.length) parts.push(`ineffective: ${still.map((v) => v.name).join(', ')}`);
  return parts.join('; ');
}

/** The day's fitness snapshot, replaced by a later run the same day: the trend has one point a day. */
async function fitness(ws: Workspace): Promise<string> {
  const snap = await ws.store.transact(
    async (tx) => {
      const [incidents, telemetry, facts, narratives, digests] = [await tx.incidents.list(), await tx.telemetry.list(), await tx.facts.count(), await tx.narratives.count(), await tx.digests.count()];
      const s = fitnessSnapshot({
        now: ws.clock(),
        timeZone: ws.config.timeZone,
        incidents,
        rules: loadRules(ws.root).rules,
        skills: countSkills(ws.root),
        facts,
        narratives,
        digests,
        telemetry,
      });
      await tx.fitness.upsert([s]);
      tx.forceCommit = true;
      tx.message('fitness', `snapshot ${s.id}`);
      return s;
    },
    { purpose: 'fitness snapshot' },
  );
  return `${snap.id}: failure rate ${(snap.failureRate * 100).toFixed(1)}% over 7 days, ${plural(snap.incidents.open, 'open incident')}, ${plural(snap.rules.active, 'active rule')}`;
}

/** A sync on the clock: what came in, in one line; a conflict fails the run, so Watch and Jobs show it with its fix. */
async function teamSync(ws: Workspace): Promise<string> {
  // Loaded when the job runs: the git HTTP client it needs is no part of starting the TUI or a command.
  const { sync } = await import('./sync.js');
  const r = await sync(ws);
  if (r.conflicts.length) throw new UserError(`${r.conflicts.map((c) => `${c.part === 'skill' ? `skill ${c.rule}` : c.rule} was changed by ${c.member} too`).join('; ')}: settle it in Review (m keeps yours, t takes theirs) or with \`nevo-tui sync --resolve ID\` (see \`nevo-tui sync\`).`);
  const came = [...r.added, ...r.updated, ...r.skills.added, ...r.skills.updated];
  return `${r.members.length} other member(s); ${came.length ? `in: ${came.join(', ')}` : 'nothing new came in'}${r.pushed ? '; pushed' : ''}${r.renamed.length ? `; renumbered ${r.renamed.map((x) => `${x.from}→${x.to}`).join(', ')}` : ''}${r.merged.length ? `; merged ${r.merged.map((x) => `${x.id}→${x.into}`).join(', ')}` : ''}${r.facts.length ? `; ${r.facts.length} fact(s) from the team to review` : ''}`;
}

async function selfReview(ws: Workspace): Promise<string> {
  return (await runSelfReview(ws)).summary;
}

/** What each of the application's jobs does; their names and schedules are in store/schemas.ts and workspace/config.ts. */
export const ACTIONS: JobActions = {
  ingest,
  consolidate,
  'validate-skills': validateSkills,
  'self-review': selfReview,
  fitness,
  sync: teamSync,
};

type WithActions<T extends { actions: JobActions }> = Omit<T, 'actions'> & { actions?: JobActions };

/** Runs one of the application's jobs once (`nevo-tui jobs run`, the Jobs screen); see schedule/run-job.ts. */
export function runJob(ws: Workspace, name: JobName, opts: WithActions<RunJobOptions>): Promise<JobResult> {
  return runJobOnce(ws, name, { ...opts, actions: opts.actions ?? ACTIONS });
}

/** The scheduler (schedule/runner.ts) with the application's jobs: what the TUI and the daemon run. */
export class JobRunner extends Scheduler {
  constructor(ws: Workspace, opts: WithActions<RunnerOptions>) {
    super(ws, { grown: growthOf(ws), grownPollMs: ws.config.hooks.transcriptPollSeconds * 1000, ...opts, actions: opts.actions ?? ACTIONS });
  }
}

/** By turn, ingest also runs when a transcript of an open session grew: a call that works reaches Watch within a poll. */
function growthOf(ws: Workspace): (() => Promise<boolean>) | undefined {
  if (ws.config.hooks.capture !== 'turn' || ws.config.hooks.openSessionHours <= 0) return undefined;
  return transcriptGrowth({
    sessions: () => openSessionsOf(ws),
    imported: (file) => ws.store.shared.imports.get(file),
    now: ws.clock,
    hours: ws.config.hooks.openSessionHours,
  });
}
