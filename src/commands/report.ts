import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { UserError } from '../errors.js';
import { emit } from '../output.js';
import { analyzeOpened } from '../analyze/auto.js';
import { parseReportLines, recordReports, validateReport, type Report } from '../detect/report.js';
import { outcomeText } from './analyze.js';
import { workspaceOf } from './context.js';

interface Opts {
  json?: boolean;
  signal?: string;
  name?: string;
  error?: string;
  session?: string;
  target?: string;
  stdin?: boolean;
}

export async function run(opts: Opts, cmd: Command): Promise<void> {
  const ws = workspaceOf(cmd);
  let reports: Report[];
  let errors: string[] = [];
  if (opts.stdin) {
    ({ reports, errors } = parseReportLines(readFileSync(0, 'utf8')));
  } else {
    if (!opts.signal || !opts.error) throw new UserError('Give --signal and --error for one event, or --stdin to read JSON lines (see `nevo-tui report --help`).');
    const raw: Record<string, unknown> = { signal: opts.signal, error: opts.error };
    for (const k of ['name', 'session', 'target'] as const) if (opts[k]) raw[k] = opts[k];
    reports = [validateReport(raw)];
  }
  const summary = reports.length ? await recordReports(ws, reports) : null;
  const analyzed = await analyzeOpened(ws, summary?.opened ?? []);
  emit(opts.json, { recorded: reports.length, opened: summary?.opened ?? [], counted: summary?.counted ?? 0, errors, analyzed }, () =>
    [
      `Recorded ${reports.length} event(s)${summary ? `: opened ${summary.opened.length} incident(s), counted ${summary.counted} into known ones` : ''}.`,
      ...errors.map((e) => `skipped ${e}`),
      ...analyzed.map(outcomeText),
    ].join('\n'),
  );
  if (errors.length) process.exitCode = 1;
}
