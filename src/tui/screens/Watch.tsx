import { Box, Text } from 'ink';
import { useMemo, useState } from 'react';
import { describeFate } from '../../detect/present.js';
import { waitingForEvents } from '../../detect/hooks-state.js';
import type { EventRecord } from '../../store/schemas.js';
import { dayAndMinute } from '../../util/day.js';
import { WindowedList } from '../components/WindowedList.js';
import { Paragraph } from '../components/Lines.js';
import { isMove, move } from '../components/list-window.js';
import { openEscalations } from '../../gate/escalations.js';
import { useNow } from '../hooks/use-now.js';
import { lastRunsLine } from './job-format.js';
import { fit, type ScreenProps } from './types.js';
import { useTheme, type Theme } from '../theme.js';
import { countsOf } from '../services.js';

const BARS = '▁▂▃▄▅▆▇█';

/** Pure: one bar per day, scaled to the busiest day; a flat line when nothing failed. */
export function sparkline(values: number[], mono = false): string {
  const max = Math.max(...values, 0);
  if (mono) return values.map((v) => (max === 0 ? '_' : String(Math.min(9, Math.round((v / max) * 9))))).join('');
  return values.map((v) => (max === 0 ? BARS[0] : BARS[Math.min(7, Math.round((v / max) * 7))])).join('');
}

/** Pure: when an event happened, in the workspace's zone: the time today, the day and minute before. */
export function feedTime(iso: string, timeZone: string, today: string | undefined): string {
  const { day, hm, hms } = dayAndMinute(iso, timeZone);
  return (day === today ? hms : `${day.slice(5)} ${hm}`).padEnd(11);
}

/**
 * The feed, newest first by time (a transcript imported today can hold older events). A call the
 * hook saw before it ran (PreToolUse) shows again when it ended: only a blocked one is its own row.
 */
export function feedEvents(events: readonly EventRecord[]): EventRecord[] {
  return events.filter((e) => e.kind !== 'PreToolUse' || e.fate.kind === 'blocked').reverse().sort((a, b) => (a.time < b.time ? 1 : a.time > b.time ? -1 : 0));
}

const SHORT_KINDS: Record<string, string> = {
  PostToolUse: 'done',
  PostToolUseFailure: 'failed',
  PreToolUse: 'before',
  UserPromptSubmit: 'prompt',
  SessionStart: 'start',
  SessionEnd: 'end',
  SubagentStart: 'sub+',
  SubagentStop: 'sub stop',
  TaskCompleted: 'task',
  Stop: 'stop',
};

/** An event's name in 8 cells, for narrow terminals. */
export function shortKind(kind: string): string {
  return SHORT_KINDS[kind] ?? kind.slice(0, 8);
}

interface Counts {
  escalations: number;
  proposals: number;
  open: number;
  waiting: number;
  active: number;
}

/** The counts under the day's figures, in words that fit the width: whole, then shorter, never cut. */
export function countsLine(c: Counts, width: number): { reviews: string; rest: string } {
  const forms = [
    {
      reviews: c.escalations ? `${c.escalations} gate escalation(s), ${c.proposals} proposal(s) to review` : `${c.proposals} proposal(s) to review`,
      rest: ` · ${c.open} new incident(s) · ${c.waiting} trigger(s) waiting · ${c.active} active rule(s)`,
    },
    {
      reviews: c.escalations ? `${c.escalations} escalation(s), ${c.proposals} proposal(s) to review` : `${c.proposals} to review`,
      rest: ` · ${c.open} new incident(s) · ${c.waiting} waiting · ${c.active} active rule(s)`,
    },
    { reviews: c.escalations ? `${c.escalations}+${c.proposals} to review` : `${c.proposals} to review`, rest: ` · ${c.open} new · ${c.waiting} waiting · ${c.active} rules` },
  ];
  return forms.find((f) => f.reviews.length + f.rest.length <= width) ?? forms.at(-1)!;
}

function fateMark(e: EventRecord, theme: Theme): string {
  return e.fate.kind === 'opened' ? theme.mark.new : e.fate.kind === 'counted' ? theme.mark.warn : e.fate.kind === 'blocked' ? theme.mark.blocked : e.fate.kind === 'rejected' ? theme.mark.error : ' ';
}

export function Watch({ snapshot, width, height, keys, ui }: ScreenProps) {
  const theme = useTheme();
  const [selected, setSelected] = useState(0);
  const now = useNow();
  const today = snapshot.stats.days.at(-1);
  const proposals = snapshot.rules.filter((r) => r.status === 'proposed').length;
  const escalations = openEscalations(snapshot.incidentRows).length;
  const pending = proposals + escalations;
  const open = countsOf(snapshot).byStatus.new ?? 0;
  const counts = countsLine({ escalations, proposals, open, waiting: snapshot.triggersWaiting, active: snapshot.rules.filter((r) => r.status === 'active').length }, width);
  const feed = useMemo(() => feedEvents(snapshot.events), [snapshot.events]);
  const listHeight = Math.max(1, height - 5 - (snapshot.lost ? 1 : 0));
  keys.current = (action) => {
    if (!action) return false;
    if (action === 'open') {
      const e = feed[Math.min(selected, feed.length - 1)];
      if (e?.fate.kind === 'opened' || e?.fate.kind === 'counted') ui.show('incidents', e.fate.incident);
      else if (e?.fate.kind === 'blocked') ui.show('rules', e.fate.rule);
      else if (e) ui.notify(`Nothing to open: this event was ${describeFate(e, { short: true })}.`);
      return true;
    }
    const next = move(selected, action, feed.length, listHeight);
    if (next === selected && !isMove(action)) return false;
    setSelected(next);
    return true;
  };
  // Under 100 columns the event names are shortened, so the fate (what became of the call) fits.
  const wide = width >= 100;
  const kindWidth = wide ? 19 : 8;
  const rate = today ? `${(today.failureRate * 100).toFixed(1)}%` : '0.0%';
  return (
    <Box flexDirection="column" height={height} width={width}>
      <Text wrap="truncate">
        Today <Text bold>{today?.calls ?? 0}</Text> tool calls, <Text bold color={today?.failures ? theme.status.error : undefined}>{today?.failures ?? 0}</Text> failed ({rate})
        {'  '}7 days <Text color={theme.status.warn}>{sparkline(snapshot.stats.days.map((d) => d.failures), theme.mono)}</Text>
      </Text>
      <Text wrap="truncate">
        <Text color={escalations ? theme.status.error : pending ? theme.status.warn : undefined}>{counts.reviews}</Text>{counts.rest}
      </Text>
      <Text wrap="truncate" color={snapshot.jobs.role === 'off' || snapshot.jobs.jobs.some((j) => j.outcome === 'failed') ? theme.status.warn : theme.text.secondary}>
        {fit(lastRunsLine(snapshot.jobs, theme, now), width)}
      </Text>
      {snapshot.lost ? (
        <Text wrap="truncate" color={theme.status.error}>
          {fit(`Lost: ${snapshot.lost} (doctor --clear-lost once seen)`, width)}
        </Text>
      ) : null}
      <Text bold color={theme.text.secondary}>
        {fit(`${' '.repeat(4)}time        ${'event'.padEnd(kindWidth)} tool       fate`, width)}
      </Text>
      <WindowedList
        items={feed}
        selected={selected}
        height={listHeight}
        width={width}
       
        empty={
          <Box flexDirection="column">
            {waitingForEvents(snapshot.hooks, snapshot.project).map((line, n) => (
              <Paragraph key={n} text={line} width={width} color={n === 0 && !snapshot.hooks.files.length ? theme.status.warn : theme.text.secondary} />
            ))}
          </Box>
        }
        render={(e) => fit(`${fateMark(e, theme)} ${feedTime(e.time, snapshot.timeZone, today?.day)} ${(wide ? e.kind : shortKind(e.kind)).padEnd(kindWidth)} ${(e.tool ?? '').padEnd(10)} ${describeFate(e, { short: true })}${e.target ? ` · ${e.target}` : ''}`, width - 2)}
      />
    </Box>
  );
}
