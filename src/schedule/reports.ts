import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the self-review writes its report of each night, named for the day it ran. */
export const REPORTS_DIR = 'journal/reports';

export interface Report {
  /** Workspace-relative, e.g. `journal/reports/2026-11-21.md`. */
  file: string;
  day: string;
  markdown: string;
}

/** The report of `day`, relative to the workspace: `journal/reports/<day>.md`. */
export const reportPath = (day: string): string => `${REPORTS_DIR}/${day}.md`;

/** The day of the newest report, or null when the self-review never ran; reads no report. */
export function latestReportDay(root: string): string | null {
  const dir = join(root, REPORTS_DIR);
  if (!existsSync(dir)) return null;
  const days = readdirSync(dir)
    .filter((n) => /^\d{4}-\d{2}-\d{2}\.md$/.test(n))
    .sort();
  return days.at(-1)?.slice(0, 10) ?? null;
}

/** The newest report by day, or null when the self-review never ran. */
export function latestReport(root: string): Report | null {
  const day = latestReportDay(root);
  if (!day) return null;
  const file = reportPath(day);
  return { file, day, markdown: readFileSync(join(root, file), 'utf8') };
}
