import { Box, Text } from 'ink';
import { useEffect, useMemo, useState } from 'react';
import { describeFate, INCIDENT_SORTS, sortIncidents, type IncidentSort } from '../../detect/present.js';
import type { Incident } from '../../store/schemas.js';
import { FilterBar, matches } from '../components/FilterBar.js';
import { WindowedList } from '../components/WindowedList.js';
import { fitCells, wrap } from '../components/cells.js';
import { useFilter } from '../hooks/use-filter.js';
import { useListDetail } from '../hooks/use-list-detail.js';
import { useDetailKeys } from '../hooks/use-detail-keys.js';
import { ago, fit, type ScreenProps } from './types.js';
import { localMinute } from '../../util/day.js';
import { useTheme } from '../theme.js';
import { countsOf } from '../services.js';

const HINT = '(esc back, x dismiss)';
/** The analysis's why takes at most this many rows of the detail; the rest is in `incidents show`. */
const WHY_LINES = 4;

/** The first `max` lines, the last of them ending in … when some were left out. */
function clipLines(lines: string[], max: number, width: number): string[] {
  if (lines.length <= max) return lines;
  return [...lines.slice(0, max - 1), fitCells(`${lines[max - 1]!}…`, width)];
}

/** Parts joined with " · ", a new line where the next part would not fit. */
export function packParts(parts: string[], width: number): string[] {
  const lines: string[] = [];
  for (const part of parts) {
    const last = lines.at(-1);
    if (last !== undefined && `${last} · ${part}`.length <= width) lines[lines.length - 1] = `${last} · ${part}`;
    else lines.push(part);
  }
  return lines;
}

const SORTS = Object.keys(INCIDENT_SORTS) as IncidentSort[];

export function Incidents({ snapshot, services, width, height, keys, ui, focus }: ScreenProps) {
  const theme = useTheme();
  const [sort, setSort] = useState<IncidentSort>('count');
  const { filter, filtering, handle: filterKey, bar } = useFilter(() => cursor.select(0));
  // A year holds thousands of incidents: sorted again only when they, the filter or the order change, not at every key.
  const list = useMemo(() => sortIncidents(filter ? snapshot.incidentRows.filter((i) => matches(`${i.id} ${i.status} ${i.category} ${i.tool} ${i.signature}`, filter)) : snapshot.incidentRows, sort), [snapshot.incidentRows, filter, sort]);
  const cursor = useListDetail<string>(list.length, { open: focus ?? null });
  const sel = cursor.selected;
  const detail = cursor.open;
  const { incident, loading, error } = useIncident(services, snapshot, detail);
  const listHeight = Math.max(1, height - 2 - (filter || filtering ? 1 : 0));

  // An incident open: read, being read, or failing to be read (one gone from the store lists again).
  const showing = !!detail && !!(incident || loading || error);
  useDetailKeys(ui, showing);

  keys.current = (action) => {
    if (filtering) return false;
    if (showing) {
      if (action === 'back') cursor.close();
      else if (action === 'dismiss') dismiss(detail);
      else return false;
      return true;
    }
    if (filterKey(action)) return true;
    if (cursor.move(action, listHeight)) return true;
    switch (action) {
      case 'sort':
        setSort((s) => SORTS[(SORTS.indexOf(s) + 1) % SORTS.length]!);
        return true;
      case 'open':
        if (list[sel]) cursor.show(list[sel]!.id);
        return true;
      case 'dismiss':
        if (list[sel]) dismiss(list[sel]!.id);
        return true;
      default:
        return false;
    }
  };

  function dismiss(id: string) {
    ui.ask(`Why is ${id} noise?`, (reason) => (reason.trim() ? ui.act(`dismiss ${id}`, async () => `${(await services.dismiss(id, reason)).incident.id} dismissed`) : ui.notify('Not dismissed: a reason is needed.', 'warn')));
  }

  if (detail && !incident && error) {
    return (
      <Box flexDirection="column" height={height} width={width}>
        <Text bold wrap="truncate">
          {detail} <Text color={theme.text.secondary}>{HINT}</Text>
        </Text>
        <Text color={theme.status.error} wrap="wrap">
          {fit(`Cannot read it: ${error}`, width * 3)}
        </Text>
      </Box>
    );
  }

  if (detail && !incident && loading) {
    return (
      <Box flexDirection="column" height={height} width={width}>
        <Text bold wrap="truncate">
          {detail} <Text color={theme.text.secondary}>reading… {HINT}</Text>
        </Text>
      </Box>
    );
  }

  if (incident) {
    // Broken between its parts only: a time is never split from its day.
    const facts = packParts([incident.category, incident.tool, `${incident.count}x in ${incident.sessions.length} session(s)`, `first ${localMinute(incident.firstSeen, snapshot.timeZone)}`, `last ${localMinute(incident.lastSeen, snapshot.timeZone)}`], width);
    // The keys go after the title when they fit there; the footer names them anyway.
    const titleFits = `${incident.id} ${incident.status}${incident.recurring ? ' · recurring' : ''} ${HINT}`.length <= width;
    // Why it was judged as it was is what a person opens an incident for: wrapped, not cut at one line.
    const why = incident.analysis ? clipLines(wrap(`Why: ${incident.analysis.why}`, width), WHY_LINES, width) : [];
    const events = snapshot.events.filter((e) => e.fingerprint === incident.fingerprint).slice(-Math.max(1, height - 12 - (facts.length - 1) - Math.max(0, why.length - 1))).reverse();
    const rules = snapshot.rules.filter((r) => incident.rules.includes(r.id));
    return (
      <Box flexDirection="column" height={height} width={width}>
        <Text bold wrap="truncate">
          {incident.id} <Text color={theme.status.warn}>{incident.status}</Text>
          {incident.recurring ? ' · recurring' : ''}
          {titleFits ? <Text color={theme.text.secondary}> {HINT}</Text> : null}
        </Text>
        {facts.map((line, n) => (
          <Text key={n} wrap="truncate">
            {line}
          </Text>
        ))}
        <Text wrap="truncate" color={theme.text.secondary}>
          {fit(`signature: ${incident.signature}`, width)}
        </Text>
        <Text bold>Sample</Text>
        {incident.sample.error
          .split('\n')
          .filter(Boolean)
          .slice(0, 3)
          .map((l, n) => (
            <Text key={n} color={theme.status.error} wrap="truncate">
              {fit(l, width)}
            </Text>
          ))}
        {incident.sample.target && <Text wrap="truncate">{fit(`target: ${incident.sample.target}`, width)}</Text>}
        <Text wrap="truncate">
          <Text bold>Rules </Text>
          {rules.length ? rules.map((r) => `${r.id} (${r.status})`).join(', ') : 'none yet'}
          <Text bold> Skills </Text>
          {incident.skills.length ? incident.skills.join(', ') : 'none'}
        </Text>
        {why.map((line, n) => (
          <Text key={n} wrap="truncate">
            {line}
          </Text>
        ))}
        <Text bold>Recent events</Text>
        {events.map((e) => (
          <Text key={e.id} wrap="truncate">
            {fit(`${e.time.slice(0, 19).replace('T', ' ')} ${e.session ?? ''} ${describeFate(e, { short: true })}`, width)}
          </Text>
        ))}
      </Box>
    );
  }

  // The error column only when a useful part of it fits (the columns before it take 79).
  const showError = width >= 92;
  return (
    <Box flexDirection="column" height={height} width={width}>
      <Text color={theme.text.secondary} wrap="truncate">
        {filter ? list.length : countsOf(snapshot).total} incident(s) · sorted by {INCIDENT_SORTS[sort]} (o to change)
        {snapshot.rowsLater ? ' · reading the rest…' : ''}
      </Text>
      <FilterBar {...bar} width={width} />
      <Text bold color={theme.text.secondary}>
        {fit(`  id               status      count sess last  category            tool${showError ? '       error' : ''}`, width)}
      </Text>
      <WindowedList
        items={list}
        selected={sel}
        height={listHeight - 1}
        width={width}
       
        empty={<Text color={theme.text.secondary}>{filter ? 'No incident matches the filter.' : 'No incidents: nothing has failed yet.'}</Text>}
        render={(i) => `${i.id.padEnd(16)} ${i.status.padEnd(10)} ${String(i.count).padStart(5)} ${String(i.sessions).padStart(4)} ${ago(i.lastSeen).padStart(4)}  ${i.category.padEnd(19)} ${i.tool.padEnd(10)}${showError ? ` ${i.signature.split('\n').find((l) => !/^Exit code/.test(l)) ?? i.signature}` : ''}`}
      />
    </Box>
  );
}

/**
 * The incident `id` in full: the snapshot holds only those rules link to and open escalations, so
 * any other is read from its month when it is opened, and again after each reload.
 */
function useIncident(services: ScreenProps['services'], snapshot: ScreenProps['snapshot'], id: string | null): { incident: Incident | undefined; loading: boolean; error?: string } {
  const [read, setRead] = useState<{ id: string; snapshot: ScreenProps['snapshot']; incident: Incident | null; error?: string } | null>(null);
  useEffect(() => {
    if (!id) return;
    let live = true;
    services.incident(id).then(
      (incident) => live && setRead({ id, snapshot, incident }),
      (err: Error) => live && setRead({ id, snapshot, incident: null, error: err.message.split('\n')[0] }),
    );
    return () => {
      live = false;
    };
  }, [services, snapshot, id]);
  if (!id) return { incident: undefined, loading: false };
  const held = snapshot.incidents.find((i) => i.id === id);
  if (read?.id === id && read.snapshot === snapshot) return { incident: read.incident ?? held, loading: false, ...(read.error ? { error: read.error } : {}) };
  // Until the answer comes: the record the snapshot holds, or the one read before this reload.
  const before = read?.id === id ? (read.incident ?? undefined) : undefined;
  return { incident: held ?? before, loading: true };
}
