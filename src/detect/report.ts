import * as z from 'zod';
import { UserError } from '../errors.js';
import { REPORT_SIGNALS } from '../store/vocabulary.js';
import { describeIssues } from '../util/zod-issues.js';
import type { Workspace } from '../workspace/workspace.js';
import { cleanPayload } from './clean.js';
import { applyInTransaction } from './ingest.js';
import { fromReport, type IncomingEvent } from './normalise.js';
import { newTriggerId } from './trigger.js';

export const reportSchema = z.strictObject({
  signal: z.enum(REPORT_SIGNALS),
  error: z.string().min(1),
  name: z.string().min(1).optional(),
  session: z.string().min(1).optional(),
  target: z.string().min(1).optional(),
  time: z.iso.datetime({ offset: true }).optional(),
});

export type Report = z.infer<typeof reportSchema>;

export function parseReportLines(text: string): { reports: Report[]; errors: string[] } {
  const reports: Report[] = [];
  const errors: string[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      errors.push(`line ${i + 1}: not valid JSON`);
      return;
    }
    const r = reportSchema.safeParse(raw);
    if (r.success) reports.push(r.data);
    else errors.push(...describeIssues(r.error.issues, raw, 'field').map((d) => `line ${i + 1}: ${d.text}`));
  });
  return { reports, errors };
}

export function validateReport(raw: unknown): Report {
  const r = reportSchema.safeParse(raw);
  if (r.success) return r.data;
  throw new UserError(`Invalid report:\n${describeIssues(r.error.issues, raw, 'field').map((d) => `  - ${d.text}`).join('\n')}`);
}

/** Records failures from other sources (a gate stage, a circuit breaker, a task) as events. */
export async function recordReports(ws: Workspace, reports: Report[]) {
  const now = ws.clock().toISOString();
  // A gate's or a task's output can hold tokens as well as a hook payload can: same redaction, same caps.
  const events: IncomingEvent[] = reports.map((r) => fromReport(cleanPayload({ ...r }) as Report, { id: `report-${newTriggerId()}`, time: now }));
  return applyInTransaction(ws, events, [], 'nevo-tui report');
}
