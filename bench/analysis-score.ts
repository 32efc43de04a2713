// Scores what the loop learned from a labelled corpus against the labels (see
// bench/corpus/LABELS.md). Pure: the bench gathers what happened to each call and the rules
// that came out, this file turns them into the figures the issue asks for.

export interface Label {
  actionable: boolean;
  noise: string | null;
  class: string;
}

/** One failed call of the corpus, and what nevo did with it. */
export interface ScoredCall {
  source: string;
  label: Label;
  /** The event's fate kind: opened, counted, noise, journal, blocked. */
  fate: string;
  incident?: string;
}

export interface ScoredIncident {
  id: string;
  status: string;
  /** Rules it was proposed for or linked to. */
  rules: string[];
  /** proposed | linked | dismissed | skill-gap | none */
  decision: string;
}

export interface ScoredRule {
  id: string;
  /** The classes of the calls in the incident it was proposed from (starter rules: given). */
  origin: string[];
  status: string;
  body: string;
  title: string;
  /** Shipped with nevo, not proposed from the corpus. */
  starter?: boolean;
  guardProgram?: string;
  /** Guard blocks on the lists of its class: [blocked, total]. */
  legitimate?: [number, number];
  mistaken?: [number, number];
}

export interface Score {
  calls: number;
  noise: number;
  noiseKeptOut: number;
  actionable: number;
  classes: number;
  classesCovered: number;
  links: number;
  wrongLinks: number;
  /** Incidents whose calls belong to more than one actionable class. */
  mixedIncidents: number;
  incidents: number;
  /** Actionable classes whose calls landed in more than one incident not tied to one rule. */
  splitClasses: number;
  proposals: number;
  proposalsNamingFix: number;
  guards: number;
  legitimateBlocked: number;
  legitimateTotal: number;
  mistakenBlocked: number;
  mistakenTotal: number;
  /** Classes not covered, and wrong links, for tuning. */
  uncovered: string[];
  wrong: string[];
}

const majority = (xs: string[]): string => {
  const counts = new Map<string, number>();
  for (const x of xs) counts.set(x, (counts.get(x) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
};

/** Whether a rule's text names what to do instead (a command, a tool, a parameter), not only what went wrong. */
export function namesFix(body: string): boolean {
  const imperative = /\b(instead|use|run|pass|push it with|add it with|read|find|give|include|list|search|pull|write|look|pick|check|copy|ask|set)\b/i.test(body);
  const concrete = /`[^`]+`|\b(Glob|Grep|Read|Edit|Write)\b|\boffset and limit\b|\breplace_all\b|\bold_string\b/.test(body);
  return imperative && concrete && !/find the cause before/i.test(body) && !/read the error and fix its cause/i.test(body);
}

export function score(calls: ScoredCall[], incidents: Map<string, ScoredIncident>, rules: Map<string, ScoredRule>): Score {
  const s: Score = {
    calls: calls.length,
    noise: 0,
    noiseKeptOut: 0,
    actionable: 0,
    classes: 0,
    classesCovered: 0,
    links: 0,
    wrongLinks: 0,
    mixedIncidents: 0,
    incidents: 0,
    splitClasses: 0,
    proposals: 0,
    proposalsNamingFix: 0,
    guards: 0,
    legitimateBlocked: 0,
    legitimateTotal: 0,
    mistakenBlocked: 0,
    mistakenTotal: 0,
    uncovered: [],
    wrong: [],
  };
  const reviewed = (inc: ScoredIncident | undefined) => !!inc && (inc.rules.length > 0 || inc.decision === 'skill-gap');
  const classesOf = new Map<string, string[]>();
  for (const c of calls) {
    if (c.incident) classesOf.set(c.incident, [...(classesOf.get(c.incident) ?? []), c.label.actionable ? c.label.class : `noise`]);
    if (!c.label.actionable) {
      s.noise++;
      if (!reviewed(c.incident ? incidents.get(c.incident) : undefined)) s.noiseKeptOut++;
    } else s.actionable++;
  }
  const incidentClass = new Map([...classesOf].map(([id, cs]) => [id, majority(cs)]));
  s.incidents = classesOf.size;
  for (const cs of classesOf.values()) if (new Set(cs.filter((c) => c !== 'noise')).size > 1) s.mixedIncidents++;

  // Links: an incident tied to a rule it was not proposed from.
  for (const [id, inc] of incidents) {
    if (inc.decision !== 'linked') continue;
    const cls = incidentClass.get(id);
    if (!cls) continue;
    for (const r of inc.rules) {
      const rule = rules.get(r);
      if (!rule) continue;
      s.links++;
      if (!rule.origin.includes(cls)) {
        s.wrongLinks++;
        s.wrong.push(`${id} (${cls}) → ${r} (${rule.origin.join(', ') || 'no class'})`);
      }
    }
  }

  // Coverage and splits, per actionable class.
  const byClass = new Map<string, ScoredCall[]>();
  for (const c of calls) if (c.label.actionable) byClass.set(c.label.class, [...(byClass.get(c.label.class) ?? []), c]);
  s.classes = byClass.size;
  for (const [cls, cs] of byClass) {
    const incs = [...new Set(cs.map((c) => c.incident).filter((x): x is string => !!x))];
    const covered = incs.some((id) => {
      const inc = incidents.get(id);
      return !!inc && inc.rules.some((r) => rules.get(r)?.origin.includes(cls));
    });
    if (covered) s.classesCovered++;
    else s.uncovered.push(`${cls} (${cs.length} call(s); fates ${[...new Set(cs.map((c) => c.fate))].join('/')})`);
    const ruleSets = incs.map((id) => incidents.get(id)?.rules.join(',') ?? '');
    if (incs.length > 1 && new Set(ruleSets).size > 1) s.splitClasses++;
  }

  for (const rule of rules.values()) {
    if (rule.starter) continue;
    s.proposals++;
    if (namesFix(rule.body)) s.proposalsNamingFix++;
    if (rule.guardProgram !== undefined || rule.legitimate) {
      s.guards++;
      if (rule.legitimate) {
        s.legitimateBlocked += rule.legitimate[0];
        s.legitimateTotal += rule.legitimate[1];
      }
      if (rule.mistaken) {
        s.mistakenBlocked += rule.mistaken[0];
        s.mistakenTotal += rule.mistaken[1];
      }
    }
  }
  return s;
}

export function merge(scores: Score[]): Score {
  const out = score([], new Map(), new Map());
  for (const sc of scores) {
    for (const k of Object.keys(out) as (keyof Score)[]) {
      const v = sc[k];
      if (typeof v === 'number') (out[k] as number) += v;
      else (out[k] as string[]).push(...(v as string[]));
    }
  }
  return out;
}

// Rounded down to a tenth, so a figure just under a goal never prints as meeting it (105/117 is 89.7%, not 90%).
export const pct = (a: number, b: number) => (b ? `${Math.floor((1000 * a) / b) / 10}%` : 'n/a');
/** For a figure whose goal is a ceiling (wrong links), rounded up instead. */
const pctUp = (a: number, b: number) => (b ? `${Math.ceil((1000 * a) / b) / 10}%` : 'n/a');

/** One row of the printed table. */
export function row(name: string, s: Score): string[] {
  return [
    name,
    String(s.calls),
    `${s.noiseKeptOut}/${s.noise} ${pct(s.noiseKeptOut, s.noise)}`,
    `${s.classesCovered}/${s.classes} ${pct(s.classesCovered, s.classes)}`,
    `${s.wrongLinks}/${s.links} ${pctUp(s.wrongLinks, s.links)}`,
    String(s.mixedIncidents),
    String(s.splitClasses),
    `${s.legitimateBlocked}/${s.legitimateTotal}`,
    `${s.mistakenBlocked}/${s.mistakenTotal} ${pct(s.mistakenBlocked, s.mistakenTotal)}`,
    `${s.proposalsNamingFix}/${s.proposals} ${pct(s.proposalsNamingFix, s.proposals)}`,
  ];
}

export const HEADER = ['source', 'failed', 'noise kept out', 'classes covered', 'wrong links', 'mixed inc.', 'split cls', 'legit blocked', 'mistakes blocked', 'names the fix'];

export function table(rows: string[][]): string {
  const widths = HEADER.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')).join('\n');
}
