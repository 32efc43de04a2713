// The skill forge's pure part: what becomes a skill candidate, what each candidate should be (a
// skill, a rule, a hook or an agent change, and why), and the built-in SKILL.md template. No file
// system here; forge-run.ts reads the incidents and the journal, and writes the drafts.
import { createHash } from 'node:crypto';
import type { JournalLine } from '../store/raw-journal.js';
import type { Incident } from '../store/schemas.js';
import { MAX_DESCRIPTION_LENGTH, MAX_NAME_LENGTH, suggestName } from './validate.js';

/** One tool call of a sequence: the tool and its target, normalised so that runs compare. */
export interface Step {
  tool: string;
  target: string;
}

/** The same run of tool calls, seen in several sessions. */
export interface Sequence {
  steps: Step[];
  sessions: string[];
}

export type Choice = 'skill' | 'rule' | 'hook' | 'agent-change';

export interface Candidate {
  /** A valid skill name: lowercase letters, digits and single hyphens, at most 64 characters. */
  name: string;
  kind: 'incident' | 'sequence';
  evidence: {
    /** One line saying what was seen. */
    summary: string;
    incidents: string[];
    sessions: string[];
    tool?: string;
    /** The failing error (first lines), for an incident. */
    error?: string;
    target?: string;
    /** What the analyst said the cause is, and its decision's detail. */
    why?: string;
    detail?: string;
    /** The repeated steps, for a sequence. */
    steps?: Step[];
  };
  /** The incident fingerprints the skill answers (none for a sequence). */
  fingerprints: string[];
  evaluation: { choice: Choice; why: string };
}

/** A sequence is this many steps at least... */
export const MIN_SEQUENCE_STEPS = 5;
/** ...at most this many (longer runs are found as their first part)... */
export const MAX_SEQUENCE_STEPS = 12;
/** ...and seen in at least this many sessions. */
export const MIN_SEQUENCE_SESSIONS = 3;
/** At most this many sequences become candidates in one run. */
export const MAX_SEQUENCES = 5;

const FILE_TOOLS = new Set(['Read', 'Edit', 'Write', 'MultiEdit', 'NotebookEdit', 'NotebookRead']);

/** A target as it compares across sessions: no folders for files, the command's first two words, no numbers or ids. */
export function normaliseTarget(tool: string, target: string | undefined): string {
  if (!target) return '';
  let t = target.trim();
  if (FILE_TOOLS.has(tool)) t = t.split(/[\\/]/).pop() ?? t;
  else if (tool === 'Bash') t = t.split(/\s+/).slice(0, 2).join(' ');
  return t
    .replace(/[0-9a-f]{8,}/gi, '#')
    .replace(/\d+/g, '#')
    .slice(0, 60);
}

/** The tool calls of a session's journal (each call once: the lines with an outcome), as steps. */
export function stepsOf(lines: readonly JournalLine[]): Step[] {
  return lines.filter((l) => l.tool && l.ok !== undefined).map((l) => ({ tool: l.tool!, target: normaliseTarget(l.tool!, l.target) }));
}

const stepKey = (s: Step) => `${s.tool}\u0000${s.target}`;

/**
 * Runs of at least MIN_SEQUENCE_STEPS tool calls that recur, identical, in at least
 * MIN_SEQUENCE_SESSIONS sessions: the longest first, and none that is part of one already found.
 * Runs of one repeated step (five reads in a row) are not workflows and are left out.
 */
export function repeatedSequences(journals: ReadonlyMap<string, readonly JournalLine[]>, opts: { minSteps?: number; minSessions?: number; max?: number } = {}): Sequence[] {
  const minSteps = opts.minSteps ?? MIN_SEQUENCE_STEPS;
  const minSessions = opts.minSessions ?? MIN_SEQUENCE_SESSIONS;
  const max = opts.max ?? MAX_SEQUENCES;
  const bySession = [...journals].map(([session, lines]) => ({ session, keys: stepsOf(lines).map(stepKey) }));
  const found: { keys: string[]; sessions: string[] }[] = [];
  const joined = (keys: string[]) => keys.join('\u0001');
  for (let len = MAX_SEQUENCE_STEPS; len >= minSteps; len--) {
    const seen = new Map<string, { keys: string[]; sessions: Set<string> }>();
    for (const { session, keys } of bySession) {
      for (let i = 0; i + len <= keys.length; i++) {
        const run = keys.slice(i, i + len);
        if (new Set(run).size < 2) continue;
        const k = joined(run);
        const entry = seen.get(k) ?? { keys: run, sessions: new Set<string>() };
        entry.sessions.add(session);
        seen.set(k, entry);
      }
    }
    for (const e of seen.values()) {
      if (e.sessions.size < minSessions) continue;
      const k = joined(e.keys);
      if (found.some((f) => joined(f.keys).includes(k))) continue;
      found.push({ keys: e.keys, sessions: [...e.sessions].sort() });
    }
  }
  found.sort((a, b) => b.sessions.length * b.keys.length - a.sessions.length * a.keys.length || joined(a.keys).localeCompare(joined(b.keys)));
  return found.slice(0, max).map((f) => ({
    steps: f.keys.map((k) => {
      const [tool, target] = k.split('\u0000') as [string, string];
      return { tool, target };
    }),
    sessions: f.sessions,
  }));
}

/** Text as a skill name: lowercase, letters and digits joined by single hyphens, at most 64 characters. */
export function skillName(text: string, fallback = 'skill'): string {
  // Accents are dropped rather than made hyphens: `café` is `cafe`.
  return suggestName(text.normalize('NFKD').replace(/[^\x00-\x7F]/g, '')) || fallback;
}

const firstLine = (s: string) => s.split('\n').find((l) => l.trim())?.trim() ?? '';
const words = (s: string, n: number) => s.split(/\s+/).filter(Boolean).slice(0, n).join(' ');

function incidentName(i: Incident): string {
  const error = firstLine(i.signature || i.sample.error).replace(/[#]/g, ' ');
  return skillName(`handle ${i.tool} ${words(error, 6)}`);
}

function sequenceName(s: Sequence): string {
  const parts = s.steps.map((st) => (st.tool === 'Bash' && st.target ? st.target.split(/\s+/)[0]! : st.tool));
  const unique = parts.filter((p, i) => parts.indexOf(p) === i);
  const hash = createHash('sha256').update(s.steps.map(stepKey).join('\n')).digest('hex').slice(0, 6);
  return `${skillName(`workflow ${unique.join(' ')}`).slice(0, MAX_NAME_LENGTH - 7).replace(/-+$/, '')}-${hash}`;
}

/** Subagent tools: a gap there belongs in the subagent's definition. */
const AGENT_TOOLS = new Set(['Task', 'Agent']);

/** What an analyzed incident should become, and why; null when nothing (dismissed, not analyzed, already answered by a skill). */
export function evaluateIncident(i: Incident): Candidate['evaluation'] | null {
  const a = i.analysis;
  if (!a || i.status === 'dismissed' || i.skills.length > 0) return null;
  switch (a.decision) {
    case 'skill-gap':
      if (AGENT_TOOLS.has(i.tool)) return { choice: 'agent-change', why: `a subagent lacks knowledge or a process (${a.why}); the subagent's definition should carry it` };
      return { choice: 'skill', why: `missing knowledge or a missing process, not a one-line limit: ${a.detail}` };
    case 'propose':
      return { choice: 'rule', why: `a one-line behaviour limit is a rule, not a skill: ${a.detail}` };
    case 'link':
      return { choice: 'rule', why: `already answered by a rule: ${a.detail}` };
    default:
      return null;
  }
}

function uniqueName(name: string, taken: Set<string>): string {
  let n = name;
  for (let k = 2; taken.has(n); k++) n = `${name.slice(0, MAX_NAME_LENGTH - String(k).length - 1).replace(/-+$/, '')}-${k}`;
  taken.add(n);
  return n;
}

/**
 * The skill candidates of analyzed incidents and repeated sequences, each with its evaluation:
 * a skill-gap decision and a multi-step workflow are skills; an incident whose analysis proposed
 * (or linked) a one-line rule is a rule, listed with why and never forged.
 */
export function skillCandidates(incidents: readonly Incident[], sequences: readonly Sequence[]): Candidate[] {
  const taken = new Set<string>();
  const out: Candidate[] = [];
  for (const i of incidents) {
    const evaluation = evaluateIncident(i);
    if (!evaluation) continue;
    const error = i.sample.error.split('\n').slice(0, 3).join('\n').trim();
    out.push({
      name: uniqueName(incidentName(i), taken),
      kind: 'incident',
      evidence: {
        summary: `${i.tool} failed ${i.count} time(s) in ${i.sessions.length} session(s): ${firstLine(i.sample.error).slice(0, 120)}`,
        incidents: [i.id],
        sessions: [...i.sessions],
        tool: i.tool,
        error,
        ...(i.sample.target ? { target: i.sample.target } : {}),
        why: i.analysis!.why,
        detail: i.analysis!.detail,
      },
      fingerprints: [i.fingerprint],
      evaluation,
    });
  }
  for (const s of sequences) {
    out.push({
      name: uniqueName(sequenceName(s), taken),
      kind: 'sequence',
      evidence: {
        summary: `the same ${s.steps.length} tool calls in ${s.sessions.length} sessions: ${s.steps.map((st) => st.tool).join(' → ')}`,
        incidents: [],
        sessions: [...s.sessions],
        steps: s.steps.map((st) => ({ ...st })),
      },
      fingerprints: [],
      evaluation: { choice: 'skill', why: `a reusable multi-step workflow (${s.steps.length} steps repeated in ${s.sessions.length} sessions) is a skill, not a one-line rule` },
    });
  }
  return out;
}

/** A description safe in strict YAML front matter: one line, no `---`, no angle brackets, at most 1,024 characters. */
export function cleanDescription(text: string): string {
  const one = text
    .replace(/\s+/g, ' ')
    .replace(/-{3,}/g, '--')
    .replace(/[<>]/g, "'")
    .trim();
  const cps = [...one];
  return cps.length <= MAX_DESCRIPTION_LENGTH ? one : `${cps.slice(0, MAX_DESCRIPTION_LENGTH - 3).join('')}...`;
}

/** SKILL.md from a name, a description and a body; the description is a double-quoted YAML string. */
export function skillMarkdown(name: string, description: string, body: string): string {
  return `---\nname: ${name}\ndescription: ${JSON.stringify(cleanDescription(description))}\n---\n${body.trimEnd()}\n`;
}

const fence = (text: string) => {
  const ticks = '`'.repeat(Math.max(3, ...[...text.matchAll(/`+/g)].map((m) => m[0].length + 1)));
  return `${ticks}\n${text}\n${ticks}`;
};

/** What the description says: what the skill does and when to use it. */
export function describe(c: Candidate): string {
  const e = c.evidence;
  if (c.kind === 'sequence') {
    const steps = e.steps!.map((s) => `${s.tool}${s.target ? ` ${s.target}` : ''}`).join(', then ');
    return `Runs a recurring ${e.steps!.length}-step workflow the agent repeated in ${e.sessions.length} sessions. Use when starting this work: ${steps}.`;
  }
  return `Knowledge for ${e.tool} failures that recurred in ${e.sessions.length} session(s). Use when ${e.tool} fails with: ${firstLine(e.error ?? '').slice(0, 200)}`;
}

/** The built-in template: SKILL.md whose body holds what the evidence says (the error and what to do instead, or the steps). */
export function renderTemplate(c: Candidate): string {
  const e = c.evidence;
  const lines: string[] = [`# ${c.name}`, '', `Why this skill exists: ${c.evaluation.why}`, ''];
  if (c.kind === 'sequence') {
    lines.push(`This run of tool calls recurred in ${e.sessions.length} sessions. Follow it in order instead of rediscovering it:`, '');
    e.steps!.forEach((s, n) => lines.push(`${n + 1}. \`${s.tool}\`${s.target ? `: ${s.target.replace(/`/g, "'")}` : ''}`));
    lines.push('', 'Check the result of each step before the next one; stop and report when a step fails.');
  } else {
    lines.push('## When it applies', '', `\`${e.tool}\` fails${e.target ? ` on \`${e.target.replace(/`/g, "'").slice(0, 200)}\`` : ''} with:`, '', fence(e.error ?? ''), '');
    if (e.why) lines.push('## What is known', '', e.why, '');
    lines.push(
      '## What to do instead',
      '',
      '1. Do not repeat the failing call as it was: read the error above and find its cause first.',
      '2. Check what the call assumes (the file, the command, the tool, the environment) and fix that assumption.',
      '3. Retry once the cause is fixed; if it fails the same way, stop and report what you found.',
    );
    if (e.detail) lines.push('', `Analyst's note: ${e.detail}`);
  }
  lines.push('', `Evidence: ${e.summary}${e.incidents.length ? ` (incident${e.incidents.length === 1 ? '' : 's'} ${e.incidents.join(', ')})` : ''}.`);
  return skillMarkdown(c.name, describe(c), lines.join('\n'));
}
