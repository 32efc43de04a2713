// Everything a reviewer approves, as lines: the whole body and every field, wrapped, never cut.
// Review shows them a screen at a time and marks what is below; nothing is left out to fit.
import { guardLine } from '../../rules/backtest.js';
import type { Rule } from '../../rules/rule.js';
import type { Incident } from '../../store/schemas.js';
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
  incidents: Incident[];
  closest: { rule: Rule; score: number } | null;
  timeZone: string;
}

/** The rule, then its evidence and the closest rule: side by side from 100 columns, else one after the other. */
export function proposalLines(view: ProposalView, width: number): Line[] {
  const wide = width >= 100;
  const col = wide ? Math.floor((width - 1) / 2) : width;
  const top = ruleLines(view.rule, width);
  const evidence = evidenceLines(view, col);
  const closest = closestLines(view, col);
  return wide ? [...top, { text: '' }, ...sideBySide(evidence, closest, col)] : [...top, { text: '' }, ...evidence, { text: '' }, ...closest];
}

function ruleLines(rule: Rule, width: number): Line[] {
  const out: Line[] = [...paragraph(rule.body, width)];
  out.push(...field('trigger', rule.trigger, width));
  out.push(...field('enforcement', rule.enforcement, width));
  out.push(...field('verification', rule.verification, width));
  if (rule.guard || rule.backtest) out.push(...field('guard', guardLine(rule), width, rule.backtest?.dropped ? 'warn' : undefined));
  if (rule.paths?.length) out.push(...field('paths', rule.paths.join(', '), width));
  if (rule.conflicts?.length) out.push(...field('MEMORY SAYS', rule.conflicts.map((c) => `"${c}"`).join('; '), width, 'warn'));
  out.push(...field('novelty', rule.novelty, width, rule.contradicts?.length ? 'error' : undefined));
  if (rule.contradicts?.length) out.push(...field('CONTRADICTS', rule.contradicts.join(', '), width, 'error'));

  return out;
}

function evidenceLines({ incidents, timeZone }: ProposalView, width: number): Line[] {
  const out: Line[] = [{ text: 'Evidence', bold: true, tone: 'accent' }];
  const sample = incidents[0];
  if (!sample) out.push({ text: '(no incident linked)', tone: 'secondary' });
  else {
    const sessions = new Set(incidents.flatMap((x) => x.sessions)).size;
    out.push(...field('incident', `${incidents.map((x) => x.id).join(', ')} (${sample.category}, ${sample.tool})`, width));
    out.push(...field('count', `${incidents.reduce((n, x) => n + x.count, 0)} in ${sessions} session(s)`, width));
    out.push(...field('first / last', `${localMinute(sample.firstSeen, timeZone)} / ${localMinute(sample.lastSeen, timeZone)}`, width));
    if (sample.sample.target) out.push(...field('target', sample.sample.target, width));
    const error = sample.sample.error.split('\n').map((l) => l.trimEnd()).filter(Boolean).slice(0, 8);
    out.push(...field('sample error', error[0] ?? '', width, 'error'));
    for (const l of error.slice(1)) out.push(...field('', l, width, 'error'));
  }

  return out;
}

function closestLines({ closest }: ProposalView, width: number): Line[] {
  const out: Line[] = [{ text: 'Closest existing rule', bold: true, tone: 'accent' }];
  if (!closest) out.push({ text: '(no rule is close)', tone: 'secondary' });
  else {
    out.push(...field(closest.rule.id, `${closest.rule.status} · similarity ${closest.score.toFixed(2)}`, width));
    out.push(...paragraph(closest.rule.title, width, { bold: true }));
    out.push(...paragraph(closest.rule.body, width, { tone: 'secondary' }));
  }
  return out;
}
