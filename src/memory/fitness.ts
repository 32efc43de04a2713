import type { FitnessSnapshot, Incident, TelemetryDay } from '../store/schemas.js';
import { addDays, dayOf } from '../util/day.js';

export interface FitnessInput {
  now: Date;
  timeZone: string;
  /** Their status is all a snapshot counts: the rows (`Store.incidentRows`) do, without a year of records. */
  incidents: Pick<Incident, 'status'>[];
  rules: { status: string }[];
  skills: number;
  facts: number;
  narratives: number;
  digests: number;
  telemetry: TelemetryDay[];
}

const OPEN = new Set(['new', 'analyzed', 'proposed']);
const WINDOW_DAYS = 7;

const sum = (m: Record<string, number>) => Object.values(m).reduce((a, b) => a + b, 0);

/** How the agent is doing today, for the trend: counts, and failed calls over the last 7 days. */
export function fitnessSnapshot(input: FitnessInput): FitnessSnapshot {
  const today = dayOf(input.now, input.timeZone);
  const since = addDays(today, -(WINDOW_DAYS - 1));
  const days = input.telemetry.filter((d) => d.id >= since && d.id <= today);
  const calls = days.reduce((a, d) => a + sum(d.calls), 0);
  const failures = days.reduce((a, d) => a + sum(d.failures), 0);
  const open = input.incidents.filter((i) => OPEN.has(i.status)).length;
  return {
    id: today,
    at: input.now.toISOString(),
    incidents: { open, closed: input.incidents.length - open, total: input.incidents.length },
    rules: { active: input.rules.filter((r) => r.status === 'active').length, proposed: input.rules.filter((r) => r.status === 'proposed').length, total: input.rules.length },
    skills: input.skills,
    facts: input.facts,
    narratives: input.narratives,
    digests: input.digests,
    failureRate: calls ? Math.round((failures / calls) * 10000) / 10000 : 0,
    calls,
    failures,
  };
}
