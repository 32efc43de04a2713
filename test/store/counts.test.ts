// `nevo-tui status` counts a document's records from what the store noted when it wrote each file
// (.cache/store-counts.json), so a year of shards is not parsed for a number; a file anything else
// touched is read again, so the count is never stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openWorkspace } from '../../src/workspace/workspace.js';
import { cli } from '../helpers/cli.js';
import { incidentRecord } from '../helpers/records.js';
import { freshWorkspace } from '../helpers/workspace.js';

describe('record counts', () => {
  it('are noted per file as the store writes it, and a file edited since is counted by reading it', async () => {
    const ws = await freshWorkspace();
    const records = [...Array.from({ length: 12 }, (_, i) => incidentRecord(`2026-10-${String(i + 1).padStart(2, '0')}-${(0xa000 + i).toString(16)}`)), ...Array.from({ length: 5 }, (_, i) => incidentRecord(`2026-11-0${i + 1}-${(0xb000 + i).toString(16)}`))];
    await ws.store.transact(async (tx) => tx.incidents.upsert(records), { purpose: 'test' });
    const noted = JSON.parse(readFileSync(join(ws.root, '.cache', 'store-counts.json'), 'utf8')) as Record<string, string>;
    expect(noted['store/incidents/2026-10.json']).toMatch(/\|12$/);
    expect(noted['store/incidents/2026-11.json']).toMatch(/\|5$/);

    expect(await openWorkspace(ws.root).store.count('incidents')).toBe(17);
    const status = JSON.parse(cli(['status', '--json', '--workspace', ws.root]).stdout) as { documents: Record<string, unknown> };
    expect(status.documents.incidents).toBe(17);

    // A person removes a record by hand: the noted count no longer matches the file, which is read.
    const file = join(ws.root, 'store', 'incidents', '2026-11.json');
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { version: 1; records: unknown[] };
    writeFileSync(file, JSON.stringify({ version: 1, records: doc.records.slice(1) }, null, 2));
    expect(await openWorkspace(ws.root).store.count('incidents')).toBe(16);
    expect((JSON.parse(cli(['status', '--json', '--workspace', ws.root]).stdout) as { documents: Record<string, unknown> }).documents.incidents).toBe(16);

    // A damaged or missing index only means reading the files; what the store wrote is noted again
    // (a workspace from before counts were kept gets them at its first count).
    const index = join(ws.root, '.cache', 'store-counts.json');
    writeFileSync(index, '{not json');
    expect(await openWorkspace(ws.root).store.count('incidents')).toBe(16);
    const again = JSON.parse(readFileSync(index, 'utf8')) as Record<string, string>;
    expect(again['store/incidents/2026-10.json']).toMatch(/\|12$/);
    // The file edited by hand is not the store's own: it is never noted, and always read.
    expect(again['store/incidents/2026-11.json']).toBeUndefined();
  });
});
