import type { Digest, Fact, Narrative } from '../store/schemas.js';
import { addDays, dayOf, isoWeek, weekRange } from '../util/day.js';
import { isExpired } from './facts.js';
import { SUMMARY_CHARS } from './narrative.js';

/**
 * Graduated consolidation, as pure planning: narratives older than a week fold into weekly
 * digests, weeklies older than a month into monthly ones, expired facts leave. The caller writes
 * the plan in one store change, so a run cut short leaves the old state and the next run redoes it.
 */
export interface ConsolidationInput {
  now: Date;
  timeZone: string;
  weeklyAfterDays: number;
  monthlyAfterDays: number;
  narratives: { record: Narrative; markdown: string }[];
  digests: Digest[];
  facts: Fact[];
}

export interface ConsolidationPlan {
  /** Digests to write (new, or grown by what was folded in). */
  digests: Digest[];
  /** Narratives folded into a weekly digest: their records and files go. */
  foldedNarratives: Narrative[];
  /** Weekly digests folded into a monthly one. */
  foldedWeeklies: Digest[];
  expiredFacts: Fact[];
}

const KEEP_FILES = 30;
const KEEP_FAILED = 20;
const KEEP_LESSONS = 20;

/** The bullets of one `## Section` of a narrative. */
export function sectionBullets(markdown: string, section: string): string[] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => l.trim().toLowerCase() === `## ${section.toLowerCase()}`);
  if (start < 0) return [];
  const out: string[] = [];
  for (const l of lines.slice(start + 1)) {
    if (l.startsWith('#')) break;
    if (l.startsWith('- ')) out.push(l.slice(2).trim());
  }
  return out;
}

function top(map: Record<string, number>, n: number): Record<string, number> {
  return Object.fromEntries(Object.entries(map).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, n));
}

function add(into: Record<string, number>, key: string, n = 1) {
  into[key] = (into[key] ?? 0) + n;
}

function emptyDigest(period: 'weekly' | 'monthly', key: string, from: string, to: string, now: Date): Digest {
  return { id: `${period}:${key}`, period, file: `journal/digests/${period}/${key}.md`, title: '', summary: '', from, to, sessions: [], weeklies: [], calls: 0, failures: 0, files: {}, failed: {}, lessons: [], lines: [], builtAt: now.toISOString(), pinned: false, hidden: false };
}

/** Strips the incident reference and the repeat count, so the same failure in two sessions adds up. */
const failureKey = (bullet: string) => bullet.replace(/ \(\d{4}-\d{2}-\d{2}-[0-9a-f]+\)$/, '').replace(/ ×\d+:/, ':');

/** A session already in the digest comes back only as a continuation: what it did after the fold. */
function foldNarrative(d: Digest, n: Narrative, markdown: string, timeZone: string): void {
  const continued = d.sessions.includes(n.id);
  if (!continued) d.sessions.push(n.id);
  d.calls += n.calls;
  d.failures += n.failures;
  for (const f of n.files) add(d.files, f);
  for (const b of sectionBullets(markdown, 'Failures')) add(d.failed, failureKey(b), Number(/ ×(\d+):/.exec(b)?.[1] ?? 1));
  for (const l of sectionBullets(markdown, 'Lessons')) if (!d.lessons.includes(l)) d.lessons.push(l);
  const when = `${dayOf(n.start, timeZone)}`;
  d.lines.push(`${when} ${n.id.slice(0, 8)}${continued ? ' (continued)' : ''} · ${n.title} · ${n.calls} calls, ${n.failures} failed${n.files.length ? ` · changed ${n.files.slice(0, 4).join(', ')}${n.files.length > 4 ? ` +${n.files.length - 4}` : ''}` : ''}`);
  d.lines.sort();
}

function foldWeekly(m: Digest, w: Digest): void {
  if (m.weeklies.includes(w.id)) return;
  m.weeklies.push(w.id);
  for (const s of w.sessions) if (!m.sessions.includes(s)) m.sessions.push(s);
  m.calls += w.calls;
  m.failures += w.failures;
  for (const [k, v] of Object.entries(w.files)) add(m.files, k, v);
  for (const [k, v] of Object.entries(w.failed)) add(m.failed, k, v);
  for (const l of w.lessons) if (!m.lessons.includes(l)) m.lessons.push(l);
  m.lines.push(`${w.id.replace('weekly:', '')} · ${w.sessions.length} sessions, ${w.calls} calls, ${w.failures} failed · ${w.title.replace(/^Week \S+ · /, '')}`);
  m.lines.sort();
}

/** The digest's title and search text, from its numbers: what one would grep for later. */
function finishDigest(d: Digest, now: Date): Digest {
  d.files = top(d.files, KEEP_FILES);
  d.failed = top(d.failed, KEEP_FAILED);
  d.lessons = d.lessons.slice(0, KEEP_LESSONS);
  const topFiles = Object.keys(d.files).slice(0, 3);
  const label = d.period === 'weekly' ? `Week ${d.id.slice(7)}` : `Month ${d.id.slice(8)}`;
  d.title = `${label} · ${d.sessions.length} session${d.sessions.length === 1 ? '' : 's'}, ${d.failures} failed call${d.failures === 1 ? '' : 's'}${topFiles.length ? ` · ${topFiles.join(', ')}` : ''}`;
  const parts = [
    d.title,
    Object.keys(d.failed).length ? `Failures: ${Object.keys(d.failed).slice(0, 5).join('; ')}` : '',
    d.lessons.length ? `Lessons: ${d.lessons.slice(0, 3).join('; ')}` : '',
    d.lines.length ? `Sessions: ${d.lines.slice(0, 5).map((l) => l.split(' · ')[1] ?? l).join('; ')}` : '',
  ].filter(Boolean);
  const text = parts.join('. ').replace(/\s+/g, ' ');
  d.summary = text.length > SUMMARY_CHARS ? `${text.slice(0, SUMMARY_CHARS - 1)}…` : text;
  d.builtAt = now.toISOString();
  return d;
}

export function planConsolidation(input: ConsolidationInput): ConsolidationPlan {
  const { now, timeZone } = input;
  const today = dayOf(now, timeZone);
  const weeklyBefore = addDays(today, -input.weeklyAfterDays);
  const monthlyBefore = addDays(today, -input.monthlyAfterDays);
  const digests = new Map(input.digests.map((d) => [d.id, structuredClone(d)]));
  const changed = new Set<string>();
  const plan: ConsolidationPlan = { digests: [], foldedNarratives: [], foldedWeeklies: [], expiredFacts: [] };

  for (const { record: n, markdown } of input.narratives) {
    // Pinned items stay as they are; never-recall ones must not leak into a digest.
    if (n.pinned || n.hidden || dayOf(n.end, timeZone) >= weeklyBefore) continue;
    const week = isoWeek(dayOf(n.start, timeZone));
    const id = `weekly:${week}`;
    // A week already folded into its month takes late narratives straight into the month.
    const monthly = [...digests.values()].find((d) => d.period === 'monthly' && d.weeklies.includes(id));
    let target = monthly ?? digests.get(id);
    if (!target) {
      const { from, to } = weekRange(week);
      target = emptyDigest('weekly', week, from, to, now);
      digests.set(id, target);
    }
    foldNarrative(target, n, markdown, timeZone);
    changed.add(target.id);
    plan.foldedNarratives.push(n);
  }

  for (const w of [...digests.values()].filter((d) => d.period === 'weekly')) {
    if (w.pinned || w.to >= monthlyBefore) continue;
    if (changed.has(w.id)) finishDigest(w, now);
    const { from, to } = weekRange(w.id.slice(7));
    // The month of the week's Thursday, as ISO weeks belong to the year of their Thursday.
    const month = addDays(from, 3).slice(0, 7);
    const id = `monthly:${month}`;
    let m = digests.get(id);
    if (!m) {
      m = emptyDigest('monthly', month, `${month}-01`, addDays(`${addDays(`${month}-28`, 4).slice(0, 7)}-01`, -1), now);
      digests.set(id, m);
    }
    if (from < m.from) m.from = from;
    if (to > m.to) m.to = to;
    foldWeekly(m, w);
    changed.add(id);
    changed.delete(w.id);
    digests.delete(w.id);
    plan.foldedWeeklies.push(w);
  }

  plan.digests = [...changed].map((id) => finishDigest(digests.get(id)!, now));
  plan.expiredFacts = input.facts.filter((f) => isExpired(f, now));
  return plan;
}

export function renderDigest(d: Digest): string {
  const md = [`# ${d.title}`, `${d.from} – ${d.to} · ${d.sessions.length} session${d.sessions.length === 1 ? '' : 's'} · ${d.calls} calls, ${d.failures} failed`, ''];
  md.push(d.period === 'weekly' ? '## Sessions' : '## Weeks', ...d.lines.map((l) => `- ${l}`));
  const files = Object.entries(d.files);
  if (files.length) md.push('', '## Files changed most', ...files.map(([f, n]) => `- ${f}${n > 1 ? ` ×${n}` : ''}`));
  const failed = Object.entries(d.failed);
  if (failed.length) md.push('', '## Failures', ...failed.map(([f, n]) => `- ${f}${n > 1 ? ` (×${n})` : ''}`));
  if (d.lessons.length) md.push('', '## Lessons', ...d.lessons.map((l) => `- ${l}`));
  return `${md.join('\n')}\n`;
}
