// Everything a reviewer approves, as lines: the whole body and every field, wrapped, never cut.
// Review shows them a screen at a time and marks what is below; nothing is left out to fit. What
// decides most (the evidence) comes right after the body, so 80x24 shows it without scrolling.
import { describeGuard } from '../../rules/backtest.js';
import { backtestText, type ProposalEvidence } from '../../rules/evidence.js';
import type { Rule } from '../../rules/rule.js';
import { localMinute } from '../../util/day.js';
import { paragraph, sideBySide, type Line } from '../components/Lines.js';
import { wrap } from '../components/cells.js';

const LABEL = 13;

/** `label` then `value` wrapped beside it, later lines under the value. */
function field(label: string, value: string, width: number, tone?: Line['tone']): Line[] {
  const room = Math.max(10, width - LABEL);
  return wrap(value || '(missing)', room).map((text, i) => ({ text: `${i === 0 ? label.padEnd(LABEL) : ' '.repeat(LABEL)}${text}`, ...(tone ? { tone } : {}) }));
}

export interface ProposalView {
  rule: Rule;
  evidence: ProposalEvidence;
  timeZone: string;
}

/**
 * The body, the evidence, the rule's other fields, the sample error, then the closest rule in
 * full; from 100 columns the evidence and the closest rule stand side by side.
 */
export function proposalLines(view: ProposalView, width: number): Line[] {
  const wide = width >= 100;
  const col = wide ? Math.floor((width - 1) / 2) : width;
  const body = paragraph(view.rule.body, width);
  const evidence = evidenceLines(view, col);
  const closest = closestLines(view.evidence, col);
  const rest = [...fieldLines(view.rule, width), ...sampleLines(view.evidence, width)];
  return wide ? [...body, { text: '' }, ...sideBySide(evidence, closest, col), { text: '' }, ...rest] : [...body, { text: '' }, ...evidence, { text: '' }, ...rest, { text: '' }, ...closest];
}

function evidenceLines({ evidence: e, timeZone }: ProposalView, width: number): Line[] {
  const out: Line[] = [{ text: 'Evidence', bold: true, tone: 'accent' }];
  if (!e.incidents.length) out.push({ text: '(no incident linked)', tone: 'secondary' });
  else {
    out.push(...field('count', `${e.count} in ${e.sessions} session(s)`, width));
    if (e.firstSeen && e.lastSeen) out.push(...field('first / last', `${localMinute(e.firstSeen, timeZone)} / ${localMinute(e.lastSeen, timeZone)}`, width));
    const first = e.incidents[0]!;
    out.push(...field('incident', `${e.incidents.map((x) => x.id).join(', ')} (${first.category}, ${first.tool})`, width));
  }
  out.push(...field('guard', e.guard ? describeGuard(e.guard) : 'none: the rule reaches the agent as text only', width));
  const backtest = backtestText(e);
  if (backtest) out.push(...field('backtest', backtest, width, e.backtest?.dropped ? 'warn' : undefined));
  if (e.closest) out.push(...field('closest', `${e.closest.id} (${e.closest.status}): ${e.closest.why}`, width, e.closest.sameMistake ? 'warn' : undefined));
  else out.push(...field('closest', 'no rule shares a word with it', width));
  if (e.preferences.length) out.push(...field('MEMORY SAYS', `${e.preferences.map((c) => `"${c}"`).join('; ')}: the person said so, and it goes against this rule`, width, 'warn'));
  for (const c of e.contradicts) out.push(...field('CONTRADICTS', `${c.id} (${c.status}): ${c.reason}`, width, 'error'));
  return out;
}

function fieldLines(rule: Rule, width: number): Line[] {
  const out: Line[] = [];
  out.push(...field('trigger', rule.trigger, width));
  out.push(...field('enforcement', rule.enforcement, width));
  out.push(...field('verification', rule.verification, width));
  if (rule.paths?.length) out.push(...field('paths', rule.paths.join(', '), width));
  out.push(...field('novelty', rule.novelty, width, rule.contradicts?.length ? 'error' : undefined));
  return out;
}

/** Lines of the sample error shown; the rest is named with where to read it. */
const SAMPLE_LINES = 8;

function sampleLines({ sample }: ProposalEvidence, width: number): Line[] {
  if (!sample) return [];
  const out: Line[] = [];
  if (sample.target) out.push(...field('target', sample.target, width));
  const all = sample.error.split('\n').map((l) => l.trimEnd()).filter(Boolean);
  const error = all.slice(0, SAMPLE_LINES);
  out.push(...field('sample error', error[0] ?? '', width, 'error'));
  for (const l of error.slice(1)) out.push(...field('', l, width, 'error'));
  if (all.length > error.length) out.push(...field('', `… ${all.length - error.length} more line(s) of the error: nevo-tui incidents show ${sample.incident}`, width, 'secondary'));
  return out;
}

function closestLines({ closest }: ProposalEvidence, width: number): Line[] {
  const out: Line[] = [{ text: 'Closest existing rule', bold: true, tone: 'accent' }];
  if (!closest) out.push({ text: '(no rule is close)', tone: 'secondary' });
  else {
    out.push(...field(closest.id, `${closest.status} · similarity ${closest.similarity.toFixed(2)}${closest.sameMistake ? ' · the same mistake' : ''}`, width));
    out.push(...paragraph(closest.title, width, { bold: true }));
    out.push(...paragraph(closest.body, width, { tone: 'secondary' }));
    if (closest.reason) out.push(...field('reason', closest.reason, width, 'secondary'));
  }
  return out;
}
