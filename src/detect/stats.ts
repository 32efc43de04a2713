import type { IncidentRow } from '../store/incident-rows.js';
import type { TelemetryDay } from '../store/schemas.js';
import { addDays } from '../util/day.js';

export interface DayStats {
  day: string;
  calls: number;
  failures: number;
  failureRate: number;
  noisy: number;
  perTool: { tool: string; calls: number; failures: number }[];
}

export interface RepeatedError {
  incident: string;
  count: number;
  sessions: number;
  tool: string;
  category: string;
  signature: string;
  status: string;
}

export interface Stats {
  days: DayStats[];
  total: { calls: number; failures: number; failureRate: number };
  topRepeated: RepeatedError[];
}

const sum = (m: Record<string, number>) => Object.values(m).reduce((a, b) => a + b, 0);
const rate = (f: number, c: number) => (c ? Math.round((f / c) * 10000) / 10000 : 0);

/** Pure: per-day tool calls and failures for the `n` days ending `today`, and the top repeated errors of the last 7. */
export function computeStats(telemetry: TelemetryDay[], incidents: readonly IncidentRow[], today: string, n: number): Stats {
  const byDay = new Map(telemetry.map((d) => [d.id, d]));
  const days: DayStats[] = [];
  for (let i = n - 1; i >= 0; i--) {
    const day = addDays(today, -i);
    const t = byDay.get(day);
    const calls = t ? sum(t.calls) : 0;
    const failures = t ? sum(t.failures) : 0;
    const tools = t ? [...new Set([...Object.keys(t.calls), ...Object.keys(t.failures)])] : [];
    days.push({
      day,
      calls,
      failures,
      failureRate: rate(failures, calls),
      noisy: t ? sum(t.noisy) : 0,
      perTool: tools.map((tool) => ({ tool, calls: t!.calls[tool] ?? 0, failures: t!.failures[tool] ?? 0 })).sort((a, b) => b.failures - a.failures || b.calls - a.calls),
    });
  }
  const calls = days.reduce((a, d) => a + d.calls, 0);
  const failures = days.reduce((a, d) => a + d.failures, 0);
  const weekStart = addDays(today, -6);
  const topRepeated = incidents
    .map((i) => ({ i, count: Object.entries(i.daily).filter(([d]) => d >= weekStart && d <= today).reduce((a, [, c]) => a + c, 0) }))
    .filter((x) => x.count > 1)
    .sort((a, b) => b.count - a.count || b.i.lastSeen.localeCompare(a.i.lastSeen))
    .slice(0, 10)
    .map(({ i, count }) => ({ incident: i.id, count, sessions: i.sessions, tool: i.tool, category: i.category, signature: i.signature.split('\n').slice(0, 2).join(' | '), status: i.status }));
  return { days, total: { calls, failures, failureRate: rate(failures, calls) }, topRepeated };
}
