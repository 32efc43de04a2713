import type { Command } from 'commander';
import { loadRules } from '../rules/load.js';
import { shownInFull } from '../app/shown-incidents.js';
import { linkedIncidents } from '../store/repositories.js';
import { backtestText, type ProposalEvidence } from '../rules/evidence.js';
import { describeGuard } from '../rules/backtest.js';
import { reviewQueue, type ReviewQueue } from '../app/review-queue.js';
import { readStateAt } from '../app/sync-state.js';
import { describeFinder } from '../memory/facts.js';
import { emit } from '../output.js';
import { localMinute } from '../util/day.js';
import { workspaceOf } from './context.js';

/** How far back the history is read for the order of recent rejections. */
const COMMITS = 200;

/** `nevo-tui review`: what waits for a person, with the evidence the Review screen shows. */
export async function run(opts: { json?: boolean }, cmd: Command): Promise<void> {
  const ws = workspaceOf(cmd);
  const { rules } = loadRules(ws.root);
  // What the Review screen reads, not every incident of the year.
  const linked = await linkedIncidents(ws.store.incidents, rules.flatMap((r) => r.incidents));
  const queue = reviewQueue({
    rules,
    incidents: await shownInFull(ws.store.incidents, linked, (await ws.store.incidentHeads()).rows),
    facts: await ws.store.facts.list(),
    commits: await ws.history.log({ depth: COMMITS }),
    threshold: ws.config.rules.overlapThreshold,
    conflicts: readStateAt(ws.root).conflicts,
  });
  emit(opts.json, queue, () => queueText(queue, ws.config.timeZone));
}

const row = (label: string, value: string) => `  ${label.padEnd(13)}${value}`;

function proposalText(p: ProposalEvidence & { body: string }, timeZone: string): string[] {
  const when = (iso: string | null) => (iso ? localMinute(iso, timeZone) : '-');
  const backtest = backtestText(p);
  return [
    `${p.id}  ${p.title}`,
    `  ${p.body}`,
    row('count', p.incidents.length ? `${p.count} in ${p.sessions} session(s), first ${when(p.firstSeen)}, last ${when(p.lastSeen)}` : '(no incident linked)'),
    ...(p.incidents.length ? [row('incident', p.incidents.map((i) => `${i.id} (${i.category}, ${i.tool})`).join(', '))] : []),
    row('guard', p.guard ? describeGuard(p.guard) : 'none: the rule reaches the agent as text only'),
    ...(backtest ? [row('backtest', backtest)] : []),
    row('closest', p.closest ? `${p.closest.id} (${p.closest.status}, similarity ${p.closest.similarity.toFixed(2)}): ${p.closest.why}` : 'no rule shares a word with it'),
    ...p.preferences.map((c) => row('MEMORY SAYS', `"${c}": the person said so, and it goes against this rule`)),
    ...p.contradicts.map((c) => row('CONTRADICTS', `${c.id} (${c.status}): ${c.reason}`)),
    ...(p.sample ? [row('sample error', sampleLine(p.sample.error))] : []),
  ];
}

/** The first two lines of an error that say something ("Exit code 127" alone does not). */
function sampleLine(error: string): string {
  const lines = error.split('\n').map((l) => l.trim()).filter(Boolean);
  const telling = lines.filter((l) => !/^Exit code \d+$/.test(l));
  return (telling.length ? telling : lines).slice(0, 2).join(' / ');
}

function queueText(q: ReviewQueue, timeZone: string): string {
  const total = q.escalations.length + q.conflicts.length + q.proposals.length + q.facts.length;
  if (!total) return 'Nothing to review.';
  const out = [`To review: ${q.escalations.length} gate escalation(s), ${q.conflicts.length ? `${q.conflicts.length} sync conflict(s), ` : ''}${q.proposals.length} proposed rule(s), ${q.facts.length} proposed fact(s).`];
  for (const e of q.escalations) out.push('', `${e.id}  gate escalation: stage ${e.stage ?? '?'} still failing after ${e.iterations ?? '?'} iteration(s); ${e.count} in ${e.sessions} session(s), last ${localMinute(e.lastSeen, timeZone)}`);
  for (const c of q.conflicts) out.push('', `${c.rule}  sync conflict: ${c.member} changed its ${c.part} too (theirs: ${c.part === 'text' ? JSON.stringify(c.theirsTitle) : c.theirsStatus}); keep yours with \`nevo-tui sync --resolve ${c.rule}\`, take theirs with \`--keep theirs --from ${c.member}\`, or settle it in Review.`);
  for (const p of q.proposals) out.push('', ...proposalText(p, timeZone));
  for (const f of q.facts) out.push('', `${f.id}  proposed ${f.category}, from ${describeFinder(f.by)}: ${f.statement}`);
  if (q.reasons.length) out.push('', 'Recent reject reasons:', ...q.reasons.map((r, i) => `  ${i + 1} ${r}`));
  out.push(
    '',
    'Decide: nevo-tui rules approve ID | rules reject ID --reason TEXT | rules edit ID; incidents dismiss ID --reason TEXT; memory approve|reject ID.',
    'Undo a decision: nevo-tui revert COMMIT (each decision prints its commit; --json gives it as "commit").',
  );
  return out.join('\n');
}

