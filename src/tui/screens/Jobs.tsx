import { Box, Text } from 'ink';
import { useState } from 'react';
import type { JobStatus } from '../../schedule/jobs.js';
import type { Report } from '../../schedule/reports.js';
import type { JobResult } from '../../schedule/run-job.js';
import type { JobRun } from '../../store/schemas.js';
import type { JobName } from '../../store/vocabulary.js';
import { fitCells, wrap } from '../components/cells.js';
import { useNow } from '../hooks/use-now.js';
import { WindowedList } from '../components/WindowedList.js';
import { LineRows, paragraph, type Line } from '../components/Lines.js';
import { useListDetail } from '../hooks/use-list-detail.js';
import { useDetailKeys } from '../hooks/use-detail-keys.js';
import type { JobsView } from '../services.js';
import { duration } from '../../util/format.js';
import { agoLabel, isRunning, localTime, nextLabel, outcomeLabel, runMark, runnerLine, scheduleLabel } from './job-format.js';
import type { Outcome, ScreenProps } from './types.js';
import { useTheme, type Theme } from '../theme.js';

const NO_REPORT = 'No report yet: the self-review writes one to journal/reports/ each night (r on self-review runs it now)';

const NAME = 15;
const SCHEDULE = 11;
const NEXT = 11;
const LAST = 8;
const TOOK = 6;

const HEAD = `${'job'.padEnd(NAME)} ${'schedule'.padEnd(SCHEDULE)} ${'next'.padEnd(NEXT)} ${'last run'.padEnd(LAST)} ${'took'.padEnd(TOOK)} result`;

// The outcome mark leads the summary: on 80 columns the summary keeps what room is left.
function jobRow(j: JobStatus, view: JobsView, theme: Theme, width: number, now: number): string {
  const text = j.outcome === 'failed' ? (j.error ?? j.summary) : j.summary;
  const result = isRunning(j, view) ? 'running' : `${outcomeLabel(j, view, theme)} ${text}`;
  return fitCells(`${j.name.padEnd(NAME)} ${scheduleLabel(j).padEnd(SCHEDULE)} ${nextLabel(j, view.timeZone).padEnd(NEXT)} ${agoLabel(j.lastRun, now).padEnd(LAST)} ${duration(j.durationMs).padEnd(TOOK)} ${result}`, width);
}

const runLine = (r: JobRun, theme: Theme, timeZone: string): string => `${localTime(r.at, timeZone)}  ${r.reason.padEnd(9)} ${runMark(r, theme)} ${duration(r.durationMs).padEnd(7)} ${r.summary}`;

/** Pure: one job in full, as the detail view scrolls it. */
function jobLines(j: JobStatus, view: JobsView, theme: Theme, width: number, now = Date.now()): Line[] {
  const lines: Line[] = [];
  const para = (text: string, tone?: Line['tone']) => lines.push(...paragraph(text, width, { tone }));
  para(j.description, 'secondary');
  para(`schedule: ${j.enabled ? (j.cron === null ? j.schedule : `${j.schedule} (cron ${j.cron}, time zone ${view.timeZone || 'of the system'})`) : 'off (disabled in config.json)'}`);
  para(`next run: ${nextLabel(j, view.timeZone)}`);
  para(j.lastRun ? `last run: ${localTime(j.lastRun, view.timeZone)} (${agoLabel(j.lastRun, now)}), took ${duration(j.durationMs)}; ${j.runs} run(s) in all` : 'last run: never');
  if (j.running) para(`running in ${j.running.by} since ${localTime(j.running.since, view.timeZone)}`, 'accent');
  else if (view.current === j.name) para('running now in this TUI', 'accent');
  if (j.outcome === 'failed') {
    lines.push({ text: '' });
    lines.push({ text: `${theme.mark.error} the last run failed:`, bold: true, tone: 'error' });
    para(j.error ?? j.summary, 'error');
  } else if (j.summary) {
    lines.push({ text: '' });
    para(`${theme.mark.ok} ${j.summary}`, 'ok');
  }
  lines.push({ text: '' });
  if (!j.recent.length) lines.push({ text: 'Never ran: r runs it now.', tone: 'secondary' });
  else {
    lines.push({ text: `last ${j.recent.length} run(s), newest first`, bold: true });
    for (const r of j.recent) lines.push({ text: runLine(r, theme, view.timeZone), ...(r.outcome === 'failed' ? { tone: 'error' as const } : {}) });
  }
  return lines;
}

/** Pure: the report's Markdown as scrollable lines, headings marked. */
function reportLines(markdown: string, width: number): Line[] {
  return markdown
    .replace(/\s+$/, '')
    .split('\n')
    .flatMap((raw) => paragraph(raw, width, /^#{1,6} /.test(raw) ? { bold: true, tone: 'accent' } : {}));
}

/** What the status line says once `jobs run NAME` returned. */
function resultText(r: JobResult): Outcome {
  if (!r.ran) return { text: `not run: ${r.reason}`, tone: 'warn' };
  const took = duration(r.run.durationMs);
  return r.run.outcome === 'ok' ? { text: `${r.name} (${took}): ${r.run.summary}`, tone: 'ok' } : { text: `${r.name} failed (${took}): ${r.run.summary}`, tone: 'error' };
}

type ReportState = { kind: 'loading' } | { kind: 'shown'; report: Report | null } | { kind: 'error'; message: string };

function LinesView({ title, lines, scroll, height, width }: { title: string; lines: Line[]; scroll: number; height: number; width: number }) {
  const theme = useTheme();
  const view = Math.max(1, height - 1);
  return (
    <Box flexDirection="column" height={height} width={width}>
      <Text bold wrap="truncate">
        {fitCells(title, width)}
      </Text>
      <LineRows lines={lines} scroll={scroll} rows={view} width={width} />
    </Box>
  );
}

/**
 * Jobs: who runs the scheduled jobs of this workspace, each job's schedule, next and last run;
 * r runs the selected one now (as `nevo-tui jobs run NAME`), enter shows its recent runs and its
 * error in full, o opens the latest self-review report.
 */
export function Jobs({ snapshot, services, width, height, keys, ui }: ScreenProps) {
  const theme = useTheme();
  const view = snapshot.jobs;
  const jobs = view.jobs;
  const cursor = useListDetail<JobName>(jobs.length);
  const { selected: sel, open, scroll } = cursor;
  const [report, setReport] = useState<ReportState | null>(null);
  const now = useNow();
  const current = jobs[sel];
  const shown = open ? (jobs.find((j) => j.name === open) ?? null) : null;
  const page = Math.max(1, height - 1);

  const reportView = report?.kind === 'shown' && report.report ? reportLines(report.report.markdown, width) : [];
  const detailView = shown ? jobLines(shown, view, theme, width, now) : [];
  const scrolled = report ? reportView : detailView;

  const run = (j: JobStatus | null | undefined) => {
    if (!j) return;
    ui.act(`Running ${j.name}`, async () => resultText(await services.jobRun(j.name)));
  };
  /** Reads the latest report into the report view, if it is still open when the answer comes. */
  const readReport = () =>
    services.latestReport().then(
      (r) => setReport((s) => (s ? { kind: 'shown', report: r } : s)),
      (err: Error) => setReport((s) => (s ? { kind: 'error', message: err.message.split('\n')[0]! } : s)),
    );
  const openReport = () => {
    setReport({ kind: 'loading' });
    cursor.scrollTop();
    void readReport();
  };

  useDetailKeys(ui, !!(report || open));

  keys.current = (action) => {
    if (report || open) {
      // The report and the job's detail share the scroll: either opens at its top.
      if (cursor.scrollBy(action, scrolled.length, page)) return true;
      if (action === 'back') {
        if (report) setReport(null);
        else cursor.close();
        cursor.scrollTop();
      } else if (action === 'runJob') {
        if (!report) run(shown);
        // The report's own job, run again: its new report shows when it is done, unless the report was left.
        else ui.act('Running self-review', async () => {
          const text = resultText(await services.jobRun('self-review'));
          void readReport();
          return text;
        });
      } else if (action === 'openReport') openReport();
      else return action === 'open';
      return true;
    }
    if (cursor.move(action, jobs.length)) return true;
    if (action === 'open') {
      if (current) cursor.show(current.name);
      return true;
    }
    if (action === 'runJob') {
      run(current);
      return true;
    }
    if (action === 'openReport') {
      openReport();
      return true;
    }
    return false;
  };

  if (report) {
    if (report.kind === 'shown' && report.report) {
      const r = report.report;
      const end = Math.min(reportView.length, scroll + page);
      return <LinesView title={`${r.file} · lines ${scroll + 1}-${end} of ${reportView.length} (j/k scroll, esc back)`} lines={reportView} scroll={scroll} height={height} width={width} />;
    }
    const text = report.kind === 'loading' ? 'Reading the latest report…' : report.kind === 'error' ? `Cannot read the report: ${report.message}` : NO_REPORT;
    return (
      <Box flexDirection="column" height={height} width={width}>
        <Text bold wrap="truncate">
          {fitCells('Self-review report (esc back)', width)}
        </Text>
        {wrap(text, width).map((t, i) => (
          <Text key={i} color={report.kind === 'error' ? theme.status.error : theme.text.secondary} wrap="truncate">
            {t}
          </Text>
        ))}
      </Box>
    );
  }

  if (shown) {
    return <LinesView title={`${shown.name} [${outcomeLabel(shown, view, theme)}${shown.outcome && !isRunning(shown, view) ? ` ${shown.outcome}` : ''}] (j/k scroll, r run, o report, esc back)`} lines={detailView} scroll={scroll} height={height} width={width} />;
  }

  const who = runnerLine(view);
  const whoLines = wrap(who.text, width).slice(0, who.tone === 'error' ? 4 : 2);
  const listHeight = Math.max(1, Math.min(jobs.length, height - whoLines.length - 3));
  const below = Math.max(0, height - whoLines.length - 3 - listHeight);
  const zone = `time zone ${view.timeZone || 'of the system'} · latest report ${view.latestReport ?? 'none yet'}`;
  const tone = who.tone === 'ok' ? theme.status.ok : who.tone === 'warn' ? theme.status.warn : who.tone === 'error' ? theme.status.error : undefined;
  return (
    <Box flexDirection="column" height={height} width={width}>
      {whoLines.map((t, i) => (
        <Text key={i} bold color={tone} wrap="truncate">
          {t}
        </Text>
      ))}
      <Text color={theme.text.secondary} wrap="truncate">
        {fitCells(zone, width)}
      </Text>
      <Text bold color={theme.text.secondary} wrap="truncate">
        {fitCells(`  ${HEAD}`, width)}
      </Text>
      <WindowedList
        items={jobs}
        selected={sel}
        height={listHeight}
        width={width}
       
        empty={<Text color={theme.text.secondary}>No jobs are configured.</Text>}
        render={(j) => jobRow(j, view, theme, width - 2, now)}
      />
      {current && below > 1 && <Selected job={current} view={view} width={width} height={below} />}
    </Box>
  );
}

/** Under the list: the selected job's error and its latest runs, as many as fit. */
function Selected({ job, view, width, height }: { job: JobStatus; view: JobsView; width: number; height: number }) {
  const theme = useTheme();
  const lines: Line[] = [{ text: '' }, { text: `${job.name} · ${job.description}`, tone: 'secondary' }];
  if (job.outcome === 'failed') lines.push(...wrap(`${theme.mark.error} ${job.error ?? job.summary}`, width).slice(0, 3).map((text) => ({ text, tone: 'error' as const })));
  if (job.recent.length) {
    lines.push({ text: `last runs (enter: all ${job.recent.length}${job.outcome === 'failed' ? ' and the full error' : ''})`, bold: true });
    for (const r of job.recent) lines.push({ text: runLine(r, theme, view.timeZone), ...(r.outcome === 'failed' ? { tone: 'error' as const } : {}) });
  } else lines.push({ text: 'Never ran: r runs it now.', tone: 'secondary' });
  return (
    <Box flexDirection="column" height={height} width={width}>
      <LineRows lines={lines} rows={height} width={width} />
    </Box>
  );
}
