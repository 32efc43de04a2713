import type { Command } from 'commander';
import { computeStats } from '../detect/stats.js';
import { UserError } from '../errors.js';
import { emit } from '../output.js';
import { dayOf } from '../util/day.js';
import { workspaceOf } from './context.js';

const pct = (r: number) => `${(r * 100).toFixed(1)}%`;

export async function run(opts: { json?: boolean; days: string }, cmd: Command): Promise<void> {
  const n = Number(opts.days);
  if (!Number.isInteger(n) || n < 1 || n > 3660) throw new UserError(`--days must be a whole number from 1 to 3660, not "${opts.days}".`);
  const ws = workspaceOf(cmd);
  const stats = computeStats(await ws.store.telemetry.list(), await ws.store.incidentRows(), dayOf(ws.clock(), ws.config.timeZone), n);
  emit(opts.json, stats, () =>
    [
      'day          calls  failures  rate',
      ...stats.days.map((d) => `${d.day}  ${String(d.calls).padStart(5)}  ${String(d.failures).padStart(8)}  ${pct(d.failureRate).padStart(6)}${d.perTool.length ? `   ${d.perTool.slice(0, 4).map((t) => `${t.tool} ${t.failures}/${t.calls}`).join(', ')}` : ''}`),
      `total        ${String(stats.total.calls).padStart(5)}  ${String(stats.total.failures).padStart(8)}  ${pct(stats.total.failureRate).padStart(6)}`,
      '',
      'Top repeated errors, last 7 days:',
      ...(stats.topRepeated.length ? stats.topRepeated.map((r) => `  ${String(r.count).padStart(4)}x  ${r.incident}  ${r.category}  ${r.tool}: ${r.signature.slice(0, 70)}`) : ['  (none repeated)']),
    ].join('\n'),
  );
}
