// The lists of incidents (the TUI's Incidents screen, its counts, `stats`) read a row per incident
// from a derived index (.cache/incident-rows/), kept per monthly shard by the shard's stamp: a
// year of incidents is listed without parsing the records of months nothing changed, and a month
// anything changed (the store, or a person by hand) is read again, so a row is never stale.
import { promises as fsp, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { incidentRow } from '../../src/store/incident-rows.js';
import { openWorkspace } from '../../src/workspace/workspace.js';
import { incidentRecord } from '../helpers/records.js';
import { freshWorkspace } from '../helpers/workspace.js';

const october = Array.from({ length: 12 }, (_, i) => incidentRecord(`2026-10-${String(i + 1).padStart(2, '0')}-${(0xa000 + i).toString(16)}`));
const november = Array.from({ length: 5 }, (_, i) => incidentRecord(`2026-11-0${i + 1}-${(0xb000 + i).toString(16)}`));

/** The incident shards a process reads while `fn` runs. */
async function shardsRead(fn: () => Promise<unknown>): Promise<string[]> {
  const spy = vi.spyOn(fsp, 'readFile');
  try {
    await fn();
    return spy.mock.calls.map((c) => String(c[0])).filter((f) => f.includes(join('store', 'incidents'))).map((f) => f.split(/[\\/]/).pop()!);
  } finally {
    spy.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

describe('incident rows', () => {
  it('list every incident in order, and a later process reads only the months changed since', async () => {
    const ws = await freshWorkspace();
    await ws.store.transact(async (tx) => tx.incidents.upsert([...october, ...november]), { purpose: 'test' });
    const rows = await ws.store.incidentRows();
    expect(rows).toEqual([...october, ...november].map(incidentRow));
    expect(readdirSync(join(ws.root, '.cache', 'incident-rows')).sort()).toEqual(['store__incidents__2026-10.json', 'store__incidents__2026-11.json']);

    // Another process (the TUI started later) lists them without parsing a record.
    expect(await shardsRead(async () => expect(await openWorkspace(ws.root).store.incidentRows()).toEqual(rows))).toEqual([]);

    // The hook counts one November incident again: only November is read to list them.
    await openWorkspace(ws.root).store.transact(async (tx) => tx.incidents.update(november[0]!.id, (i) => void (i.count = 7)), { purpose: 'test' });
    const later = openWorkspace(ws.root).store;
    expect(await shardsRead(async () => expect((await later.incidentRows()).find((r) => r.id === november[0]!.id)?.count).toBe(7))).toEqual(['2026-11.json']);
  });

  it('follow a month edited by hand, and rebuild a damaged index; a broken month is named', async () => {
    const ws = await freshWorkspace();
    await ws.store.transact(async (tx) => tx.incidents.upsert([...october, ...november]), { purpose: 'test' });
    await ws.store.incidentRows();
    const file = join(ws.root, 'store', 'incidents', '2026-10.json');
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { version: 1; records: { status: string }[] };
    doc.records[0]!.status = 'dismissed';
    writeFileSync(file, JSON.stringify(doc, null, 2));
    expect((await openWorkspace(ws.root).store.incidentRows())[0]).toMatchObject({ id: october[0]!.id, status: 'dismissed' });

    writeFileSync(join(ws.root, '.cache', 'incident-rows', 'store__incidents__2026-11.json'), '{"stamp": 1, "rows": [nope');
    expect((await openWorkspace(ws.root).store.incidentRows()).map((r) => r.id)).toEqual([...october, ...november].map((i) => i.id));

    // Rows saved by another version of nevo, under the shard's very stamp, are not served: they are
    // rebuilt from the shard.
    const rowsFile = join(ws.root, '.cache', 'incident-rows', 'store__incidents__2026-11.json');
    const saved = JSON.parse(readFileSync(rowsFile, 'utf8')) as { stamp: string; rows: { status: string }[] };
    writeFileSync(rowsFile, JSON.stringify({ stamp: saved.stamp, rows: saved.rows.map((r) => ({ ...r, status: 'skilled' })) }));
    expect((await openWorkspace(ws.root).store.incidentRows()).filter((r) => r.status === 'skilled')).toEqual([]);

    writeFileSync(file, '{"version": 1, "records": [');
    await expect(openWorkspace(ws.root).store.incidentRows()).rejects.toThrow(/store\/incidents\/2026-10\.json/);
  });
});
