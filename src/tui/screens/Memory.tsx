import { Box, Text } from 'ink';
import { useEffect, useRef, useState } from 'react';
import { describeSource } from '../../memory/facts.js';
import type { MemoryItem } from '../../memory/item.js';
import { localMinute } from '../../util/day.js';
import type { SearchHit } from '../../memory/search/rank.js';
import { FACT_CATEGORIES } from '../../store/vocabulary.js';
import { cellWidth, fitCells, padCells } from '../components/cells.js';
import { WindowedList } from '../components/WindowedList.js';
import { TextField } from '../components/TextField.js';
import { clamp } from '../components/list-window.js';
import { LineRows, paragraph, type Line } from '../components/Lines.js';
import { useListDetail } from '../hooks/use-list-detail.js';
import { useDetailKeys } from '../hooks/use-detail-keys.js';
import { MEMORY_RESULTS, type MemoryDetail, type MemoryFilter, type MemoryResults } from '../services.js';
import type { ScreenProps } from './types.js';
import { useTheme } from '../theme.js';
import { useKeys } from '../hooks/use-keys.js';

/** What `c` steps through (C steps back): every kind and every category, one filter at a time. */
export const MEMORY_FILTERS: { label: string; filter: MemoryFilter }[] = [
  { label: 'all', filter: {} },
  { label: 'fact', filter: { kind: 'fact' } },
  ...FACT_CATEGORIES.map((c) => ({ label: c, filter: { category: c } })),
  { label: 'narrative', filter: { kind: 'narrative' } },
  { label: 'digest', filter: { kind: 'digest' } },
  { label: 'weekly', filter: { category: 'weekly' } },
  { label: 'monthly', filter: { category: 'monthly' } },
];

/** Age in the list: minutes, hours, days, years. */
export function age(days: number): string {
  if (!Number.isFinite(days)) return '?';
  if (days < 1 / 24) return `${Math.max(0, Math.round(days * 1440))}m`;
  if (days < 1) return `${Math.round(days * 24)}h`;
  if (days < 365) return `${Math.floor(days)}d`;
  return `${Math.floor(days / 365)}y`;
}

const marks = (item: Pick<MemoryItem, 'pinned' | 'hidden'>) => `${item.pinned ? 'P' : ' '}${item.hidden ? 'H' : ' '}`;

// A bare day stays a day; an instant is shown in the workspace's zone.
const when = (iso: string | null | undefined, timeZone: string) => (!iso ? 'never' : iso.length <= 10 ? iso : localMinute(iso, timeZone));

/** Pure: the scrollable body of the detail view. */
export function detailLines(hit: SearchHit, detail: MemoryDetail | null | undefined, query: string, width: number, timeZone = 'UTC'): Line[] {
  const lines: Line[] = [];
  const day = (iso: string | null | undefined) => when(iso, timeZone);
  const para = (text: string, tone?: Line['tone'], indent = '', bold = false) => lines.push(...paragraph(text, width, { tone, indent, bold }));
  const item = hit.item;
  if (detail === undefined) lines.push({ text: 'loading…', tone: 'secondary' });
  else if (detail === null) lines.push({ text: 'This item is no longer in memory (forgotten or consolidated).', tone: 'warn' });
  else if (detail.kind === 'fact') {
    const f = detail.record;
    para(f.statement, undefined, '', true);
    lines.push({ text: '' });
    lines.push({ text: `fact · ${f.category} · confidence ${f.confidence.toFixed(2)} · seen in ${f.seen} session(s)` });
    para(`source: ${describeSource(f.source)}`);
    // What the self-review attached: the error type, how often, the rule proposed or covering it.
    if (f.meta && Object.keys(f.meta).length) para(`metadata: ${Object.entries(f.meta).map(([k, v]) => `${k} ${v}`).join(' · ')}`);
    lines.push({ text: `created ${day(f.created)} · last confirmed ${day(f.lastConfirmed)}` });
    lines.push({ text: `expires ${f.pinned ? 'never (pinned)' : day(f.expires)}` });
  } else if (detail.kind === 'narrative') {
    const n = detail.record;
    para(n.title, undefined, '', true);
    lines.push({ text: '' });
    lines.push({ text: `narrative of session ${n.id}` });
    lines.push({ text: `${day(n.start)} → ${day(n.end)} · ${n.calls} call(s), ${n.failures} failure(s) · by ${n.by}` });
    lines.push({ text: `source: ${n.file}` });
  } else {
    const d = detail.record;
    para(d.title, undefined, '', true);
    lines.push({ text: '' });
    lines.push({ text: `${d.period} digest ${d.id.split(':')[1]} · ${d.from} to ${d.to}` });
    lines.push({ text: `${d.sessions.length} session(s) · ${d.calls} call(s), ${d.failures} failure(s)` });
    lines.push({ text: `source: ${d.file}` });
  }
  lines.push({ text: '' });
  lines.push({ text: query.trim() ? `Why it ranks here for "${query.trim()}"` : 'Why it ranks here (no query: the most relevant first)', bold: true });
  for (const p of hit.why.parts) para(p, 'secondary', '  ');
  if (detail && detail.kind !== 'fact') {
    lines.push({ text: '' });
    if (detail.markdown !== null) for (const l of detail.markdown.replace(/\s+$/, '').split('\n')) para(l, l.startsWith('#') ? 'accent' : undefined);
    else {
      lines.push({ text: `(${detail.record.file} is missing; the summary:)`, tone: 'warn' });
      para(detail.record.summary || item.text);
    }
  }
  return lines;
}

/** The `/` query line: always shown; while it has the keys, typing searches at once. */
function QueryLine({ query, typing, onChange, onDone, onMove, width }: { query: string; typing: boolean; onChange: (v: string) => void; onDone: (keep: boolean) => void; onMove: (by: number) => void; width: number }) {
  const theme = useTheme();
  useKeys(
    (_input, key) => {
      if (key.escape) onDone(false);
      else if (key.return) onDone(true);
      else if (key.upArrow) onMove(-1);
      else if (key.downArrow) onMove(1);
    },
    { isActive: typing },
  );
  const hint = typing ? ' (enter keeps, esc clears, ↑↓ move)' : query ? ' (/ to change, esc to clear)' : '';
  // The field is as wide as the query and its cursor, so the hint follows it; at most the line.
  const field = Math.max(2, Math.min(width - 2, cellWidth(query) + 1));
  return (
    <Box height={1} width={width} overflow="hidden">
      <Text color={theme.text.accent}>/ </Text>
      {typing ? (
        <Box width={field}>
          <TextField value={query} onChange={onChange} onDone={() => onDone(true)} width={field} rows={1} />
        </Box>
      ) : query ? <Text wrap="truncate">{fitCells(query, width - 4)}</Text> : <Text color={theme.text.secondary} wrap="truncate">{fitCells('type / to search memory: facts, narratives, digests (typos are fine)', width - 3)}</Text>}
      {hint && cellWidth(query) + hint.length + 3 < width && <Text color={theme.text.secondary}>{hint}</Text>}
    </Box>
  );
}

/**
 * Memory: search as you type over facts, session narratives and digests (the index is opened once
 * by the services); c filters, enter shows an item in full with why it ranks where it does, p pins,
 * n keeps it from the agent, x forgets it. Each is a `nevo-tui memory` command too.
 */
export function Memory({ snapshot, services, width, height, keys, ui }: ScreenProps) {
  const theme = useTheme();
  const [query, setQuery] = useState('');
  const [typing, setTyping] = useState(false);
  const [filterAt, setFilterAt] = useState(0);
  const [showHidden, setShowHidden] = useState(false);
  const [results, setResults] = useState<MemoryResults | null>(null);
  const [error, setError] = useState<string | null>(null);
  const hits = results?.hits ?? [];
  const cursor = useListDetail<SearchHit>(hits.length);
  const { selected: sel, open, scroll } = cursor;
  const [detail, setDetail] = useState<{ id: string; data: MemoryDetail | null } | null>(null);
  const [version, setVersion] = useState(0);
  const asked = useRef(0);
  /** The item an action was on: selected again when the new results come, wherever it went. */
  const follow = useRef<string | null>(null);
  const { label, filter } = MEMORY_FILTERS[filterAt]!;

  // Every keystroke searches (a few ms on an open index); only the newest answer is shown.
  useEffect(() => {
    const n = ++asked.current;
    services.memorySearch(query, { ...filter, all: showHidden }).then(
      (r) => {
        if (n !== asked.current) return;
        setResults(r);
        setError(null);
        const id = follow.current;
        follow.current = null;
        const at = id ? r.hits.findIndex((h) => h.item.id === id) : -1;
        if (at >= 0) cursor.select(at);
      },
      (err: Error) => n === asked.current && setError(err.message.split('\n')[0]!),
    );
  }, [services, query, filterAt, showHidden, snapshot, version]);

  const openId = open?.item.id ?? null;
  useEffect(() => {
    if (!openId) return;
    let live = true;
    services.memoryDetail(openId).then(
      (d) => live && setDetail({ id: openId, data: d }),
      () => live && setDetail({ id: openId, data: null }),
    );
    return () => {
      live = false;
    };
  }, [openId, services, results]);

  const current = hits[sel];
  const listHeight = Math.max(1, height - 4);

  const startTyping = () => {
    setTyping(true);
  };
  const edit = (v: string) => {
    setQuery(v);
    cursor.select(0);
  };
  const stopTyping = (keep: boolean) => {
    if (!keep) edit('');
    setTyping(false);
  };
  const cycle = (by: number) => {
    setFilterAt((f) => (f + by + MEMORY_FILTERS.length) % MEMORY_FILTERS.length);
    cursor.select(0);
  };
  const refreshed = () => setVersion((v) => v + 1);
  const name = (item: MemoryItem) => `${item.kind} "${fitCells(item.title, 40)}"`;

  /** The item as it is now: in the detail view, its record has the newest marks. */
  const state = (hit: SearchHit) => (open?.item.id === hit.item.id && detail?.id === hit.item.id && detail.data ? { pinned: detail.data.record.pinned, hidden: detail.data.record.hidden } : { pinned: hit.item.pinned, hidden: hit.item.hidden });

  const pin = (hit: SearchHit) => {
    const mark = state(hit).pinned ? 'unpin' : 'pin';
    follow.current = hit.item.id;
    ui.act(`${mark} ${hit.item.id}`, async () => {
      const r = await services.memoryMark(hit.item.id, mark);
      refreshed();
      return r.pinned ? `pinned ${name(hit.item)}: it ranks first and never expires` : `unpinned ${name(hit.item)}`;
    });
  };
  const neverRecall = (hit: SearchHit) => {
    const mark = state(hit).hidden ? 'unhide' : 'hide';
    follow.current = hit.item.id;
    ui.act(`${mark} ${hit.item.id}`, async () => {
      const r = await services.memoryMark(hit.item.id, mark);
      refreshed();
      return r.hidden ? `never recalled: ${name(hit.item)}${showHidden ? '' : ' (H shows such items)'}` : `recalled again: ${name(hit.item)}`;
    });
  };
  const forget = (hit: SearchHit) =>
    ui.confirm(`Forget ${name(hit.item)}? One commit; revert brings it back.`, () =>
      ui.act(`forget ${hit.item.id}`, async () => {
        const r = await services.memoryForget(hit.item.id);
        cursor.close((o) => o.item.id === hit.item.id);
        setDetail((d) => (d?.id === hit.item.id ? null : d));
        refreshed();
        return r.commit ? `undo with: nevo-tui revert ${r.commit.slice(0, 7)} (forgot ${hit.item.id})` : `${hit.item.id} was already gone; nothing changed`;
      }),
    );

  const shown = open ? (hits.find((h) => h.item.id === open.item.id) ?? open) : null;
  const lines = shown ? detailLines(shown, detail?.id === shown.item.id ? detail.data : undefined, query, width, snapshot.timeZone) : [];
  const view = Math.max(1, height - 1);

  useDetailKeys(ui, !!shown);

  keys.current = (action, e) => {
    if (typing) return false;
    if (shown) {
      if (cursor.scrollBy(action, lines.length, view)) return true;
      if (action === 'back') {
        cursor.close();
        setDetail(null);
      } else if (action === 'pin') pin(shown);
      else if (action === 'neverRecall') neverRecall(shown);
      else if (action === 'forget') forget(shown);
      else return false;
      return true;
    }
    if (cursor.move(action, listHeight)) return true;
    switch (action) {
      case 'search':
        startTyping();
        return true;
      case 'back':
        if (query) edit('');
        else if (filterAt) cycle(-filterAt);
        else if (showHidden) setShowHidden(false);
        else return false;
        return true;
      case 'cycleFilter':
        cycle(e.input === 'C' ? -1 : 1);
        return true;
      case 'showHidden':
        setShowHidden((h) => !h);
        return true;
      case 'open':
        if (current) cursor.show(current);
        return true;
      case 'pin':
        if (current) pin(current);
        return true;
      case 'neverRecall':
        if (current) neverRecall(current);
        return true;
      case 'forget':
        if (current) forget(current);
        return true;
      default:
        return false;
    }
  };

  if (shown) {
    const now = state(shown);
    const flags = [now.pinned && 'pinned', now.hidden && 'never recalled'].filter(Boolean).join(', ');
    return (
      <Box flexDirection="column" height={height} width={width}>
        <Text bold wrap="truncate">
          {shown.item.id}
          {flags ? <Text color={theme.status.warn}> [{flags}]</Text> : ''} <Text color={theme.text.secondary}>(j/k scroll, p pin, n never recall, x forget, esc back)</Text>
        </Text>
        <LineRows lines={lines} scroll={scroll} rows={view} width={width} />
      </Box>
    );
  }

  const titleWidth = Math.max(10, width - 39);
  const count = results ? `${hits.length}${hits.length >= MEMORY_RESULTS ? '+' : ''} result(s) of ${results.total}` : 'searching…';
  const empty = error ? (
    <Text color={theme.status.error} wrap="truncate">
      {fitCells(`Cannot search memory: ${error}`, width)}
    </Text>
  ) : !results ? (
    <Text color={theme.text.secondary}>Opening the memory index…</Text>
  ) : results.total === 0 ? (
    <Text color={theme.text.secondary} wrap="truncate">
      {fitCells('Memory is empty: `nevo-tui import` or `nevo-tui memory add` fills it.', width)}
    </Text>
  ) : (
    <Text color={theme.text.secondary} wrap="truncate">
      {fitCells(`Nothing matches${query.trim() ? ` "${query.trim()}"` : ''}${filterAt ? ` as ${label}` : ''}${showHidden ? '' : '; H shows never-recalled items'}.`, width)}
    </Text>
  );
  return (
    <Box flexDirection="column" height={height} width={width}>
      <QueryLine query={query} typing={typing} onChange={edit} onDone={stopTyping} onMove={(by) => cursor.select(clamp(sel + by, hits.length))} width={width} />
      <Text color={theme.text.secondary} wrap="truncate">
        {fitCells(`${count} · filter ${label} (c) · never-recalled ${showHidden ? 'shown' : 'left out'} (H)`, width)}
      </Text>
      <Text bold color={theme.text.secondary}>
        {fitCells(`  ${'kind'.padEnd(9)} ${'category'.padEnd(10)} ${'age'.padStart(4)} PH ${'title'.padEnd(titleWidth)} ${'score'.padStart(5)}`, width)}
      </Text>
      <WindowedList
        items={hits}
        selected={sel}
        height={listHeight}
        width={width}
       
        empty={empty}
        render={(h) => `${h.item.kind.padEnd(9)} ${padCells(h.item.category, 10)} ${age(h.why.ageDays).padStart(4)} ${marks(h.item)} ${padCells(h.item.title, titleWidth)} ${h.score.toFixed(2).padStart(5)}`}
      />
      <Text color={theme.text.secondary} wrap="truncate">
        {current ? fitCells(`${current.item.id} · enter shows it in full, with why it ranks here`, width) : ' '}
      </Text>
    </Box>
  );
}
