// The TUI's first frame lists incidents from each month's head (.cache/incident-heads/): the counts
// by status and the rows a first screen can show, a tenth of a heavy year's rows. What it shows
// from them must be what every row would show: the first pages in either order, the week's
// repeated errors, the open escalations, the counts. The rest of the rows come after the frame.
import fs, { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sortIncidents } from '../../src/detect/present.js';
import { computeStats } from '../../src/detect/stats.js';
import { countRows, HEAD_ROWS, incidentHead, joinHeads } from '../../src/store/incident-heads.js';
import { incidentRow, type IncidentRow } from '../../src/store/incident-rows.js';
import type { Incident } from '../../src/store/schemas.js';
import { addDays } from '../../src/util/day.js';
import { openWorkspace } from '../../src/workspace/workspace.js';
import { incidentRecord } from '../helpers/records.js';
import { freshWorkspace } from '../helpers/workspace.js';

/** A small, seeded generator: the same rows at every run. */
function random(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
}

const STATUSES: Incident['status'][] = ['new', 'analyzed', 'proposed', 'ruled', 'dismissed'];
const NOW = new Date('2026-12-20T12:00:00.000Z');

/** Rows of a month as a heavy year makes them: most seen once, some again and again until lately. */
function monthRows(month: string, n: number, rnd: () => number): IncidentRow[] {
  return Array.from({ length: n }, (_, i) => {
    const first = `${month}-${String(1 + Math.floor(rnd() * 28)).padStart(2, '0')}`;
    const again = rnd() < 0.4;
    const last = again ? addDays('2026-12-20', -Math.floor(rnd() * 40)) : first;
    const daily: Record<string, number> = {};
    if (again) for (let d = 0; d < 10; d++) if (rnd() < 0.5) daily[addDays(last, -d)] = 1 + Math.floor(rnd() * 5);
    const row = incidentRow({ ...incidentRecord(`${first}-${(0x1000 + i).toString(16)}`), count: again ? 2 + Math.floor(rnd() * 300) : 1, firstSeen: `${first}T08:00:00.000Z`, lastSeen: `${last >= first ? last : first}T0${Math.floor(rnd() * 9)}:00:00.000Z`, status: STATUSES[Math.floor(rnd() * STATUSES.length)]!, daily });
    return rnd() < 0.01 ? { ...row, signal: 'breaker' as const } : row;
  });
}

afterEach(() => vi.restoreAllMocks());

describe('incident heads', () => {
  const rnd = random(7);
  const months = ['2026-09', '2026-10', '2026-11', '2026-12'].map((m) => monthRows(m, 600, rnd));
  const all = months.flat();
  const head = joinHeads(months.map((rows) => incidentHead(rows, NOW)));

  it('hold a fraction of the rows and count all of them by status', () => {
    expect(head.rows.length).toBeLessThan(all.length / 2);
    expect(head.total).toBe(all.length);
    expect(head.byStatus).toEqual(countRows(all).byStatus);
  });

  it('show the same first pages as every row, by count and by last seen', () => {
    for (const order of ['count', 'last'] as const) expect(sortIncidents(head.rows, order).slice(0, HEAD_ROWS).map((r) => r.id)).toEqual(sortIncidents(all, order).slice(0, HEAD_ROWS).map((r) => r.id));
  });

  it("count the week's repeated errors and the open escalations as every row does, on the day they were made and later", () => {
    for (const today of ['2026-12-20', '2026-12-24', '2027-01-10']) expect(computeStats([], head.rows, today, 7)).toEqual(computeStats([], all, today, 7));
    expect(computeStats([], all, '2026-12-20', 7).topRepeated.length).toBeGreaterThan(0);
    expect(head.rows.filter((r) => r.signal === 'breaker').map((r) => r.id)).toEqual(all.filter((r) => r.signal === 'breaker').map((r) => r.id));
  });
});

describe('incident heads in the store', () => {
  const october = Array.from({ length: 12 }, (_, i) => incidentRecord(`2026-10-${String(i + 1).padStart(2, '0')}-${(0xa000 + i).toString(16)}`));
  const november = Array.from({ length: 5 }, (_, i) => incidentRecord(`2026-11-0${i + 1}-${(0xb000 + i).toString(16)}`));
  const clock = () => new Date('2026-11-20T10:00:00.000Z');

  /** The incident shards a process reads while `fn` runs. */
  async function shardsRead(fn: () => Promise<unknown>): Promise<string[]> {
    const spy = vi.spyOn(fs.promises, 'readFile');
    try {
      await fn();
      return spy.mock.calls.map((c) => String(c[0])).filter((f) => f.includes(join('store', 'incidents'))).map((f) => f.split(/[\\/]/).pop()!);
    } finally {
      spy.mockRestore();
    }
  }
  /** The row files, gone: a process that needs rows has to make them again from the months. */
  const rowsDir = (root: string) => join(root, '.cache', 'incident-rows');
  const dropRows = (root: string) => rmSync(rowsDir(root), { recursive: true, force: true });

  it('are made with the rows, and a later process counts and lists from them without reading a row file or a month', async () => {
    const ws = await freshWorkspace({ clock });
    await ws.store.transact(async (tx) => tx.incidents.upsert([...october, ...november]), { purpose: 'test' });
    await ws.store.incidentRows();
    dropRows(ws.root);
    const later = openWorkspace(ws.root, { clock }).store;
    let head: Awaited<ReturnType<typeof later.incidentHeads>> | undefined;
    expect(await shardsRead(async () => (head = await later.incidentHeads()))).toEqual([]);
    expect(existsSync(rowsDir(ws.root))).toBe(false);
    expect(head!.total).toBe(17);
    expect(head!.byStatus).toEqual({ new: 17 });

    // One November incident dismissed: November alone is read again, October's head stands.
    await openWorkspace(ws.root, { clock }).store.transact(async (tx) => tx.incidents.update(november[0]!.id, (i) => void (i.status = 'dismissed')), { purpose: 'test' });
    const third = openWorkspace(ws.root, { clock }).store;
    expect(await shardsRead(async () => (head = await third.incidentHeads()))).toEqual(['2026-11.json']);
    expect(head!.byStatus).toEqual({ new: 16, dismissed: 1 });
  });

  it('made by a clock ahead of this one, or damaged, are made again', async () => {
    const ws = await freshWorkspace({ clock });
    await ws.store.transact(async (tx) => tx.incidents.upsert([...october, ...november]), { purpose: 'test' });
    await ws.store.incidentRows();
    const earlier = () => new Date('2026-11-10T10:00:00.000Z');
    dropRows(ws.root);
    expect(await shardsRead(() => openWorkspace(ws.root, { clock: earlier }).store.incidentHeads())).toEqual(['2026-10.json', '2026-11.json']);

    const file = join(ws.root, '.cache', 'incident-heads', 'store__incidents__2026-10.json');
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { rows: unknown[] };
    writeFileSync(file, JSON.stringify({ ...saved, rows: [{ id: 'not a row' }] }));
    const again = await openWorkspace(ws.root, { clock }).store.incidentHeads();
    expect(again.rows.map((r) => r.id)).toEqual([...october, ...november].map((i) => i.id));
  });
});
