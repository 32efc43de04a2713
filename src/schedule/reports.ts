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

/** The newest report by day, or null when the self-review never ran. */
export function latestReport(root: string): Report | null {
  const dir = join(root, REPORTS_DIR);
  if (!existsSync(dir)) return null;
  const days = readdirSync(dir)
    .filter((n) => /^\d{4}-\d{2}-\d{2}\.md$/.test(n))
    .sort();
  const name = days.at(-1);
  if (!name) return null;
  return { file: `${REPORTS_DIR}/${name}`, day: name.slice(0, 10), markdown: readFileSync(join(dir, name), 'utf8') };
}
