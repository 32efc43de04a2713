// A store document is written with a record a line: a change of one record is one line of
// `git diff`, and the files (and each version git keeps of them) are smaller than indented JSON.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { documentText } from '../../src/store/document-text.js';
import { incidentRecord } from '../helpers/records.js';
import { freshWorkspace } from '../helpers/workspace.js';

describe('a store document as text', () => {
  it('is JSON that parses back to the same document, each record on its own line', () => {
    const doc = { version: 1, records: [incidentRecord('2026-11-02-aaaa'), { id: 'x', text: 'a "quoted"\nline, with [brackets] and {braces}' }] };
    const text = documentText(doc);
    expect(JSON.parse(text)).toEqual(doc);
    const lines = text.split('\n');
    expect(lines).toHaveLength(7);
    expect(lines.slice(0, 3)).toEqual(['{', '  "version": 1,', '  "records": [']);
    expect(JSON.parse(lines[3]!.trim().replace(/,$/, ''))).toEqual(doc.records[0]);
    expect(JSON.parse(lines[4]!.trim())).toEqual(doc.records[1]);
    expect(documentText({ version: 1, records: [] })).toBe('{\n  "version": 1,\n  "records": []\n}');
    // What JSON.stringify leaves out or writes as null, so does it.
    const odd = { version: 1, skipped: undefined, records: [1, , undefined, { a: undefined, b: 2 }] };
    expect(JSON.parse(documentText(odd))).toEqual(JSON.parse(JSON.stringify(odd)));
    // Anything else is indented JSON, as before.
    expect(documentText({ a: [1, 2] })).toBe(JSON.stringify({ a: [1, 2] }, null, 2));
  });

  it('makes a change of one record one changed line of the commit, and the file a third smaller than indented JSON', async () => {
    const ws = await freshWorkspace();
    const records = Array.from({ length: 40 }, (_, i) => incidentRecord(`2026-11-${String((i % 28) + 1).padStart(2, '0')}-${String(i).padStart(4, '0')}`));
    await ws.store.transact(async (tx) => tx.incidents.upsert(records), { purpose: 'test' });
    await ws.store.flush();
    await ws.store.transact(async (tx) => {
      const [one] = await tx.incidents.withIds([records[7]!.id]);
      one!.count = 5;
      await tx.incidents.upsert([one!]);
    }, { purpose: 'test' });
    await ws.store.flush();
    const shard = join(ws.root, 'store', 'incidents', '2026-11.json');
    const text = readFileSync(shard, 'utf8');
    expect(JSON.parse(text).records).toHaveLength(40);
    expect(text.length).toBeLessThan(JSON.stringify(JSON.parse(text), null, 2).length * 0.75);
    const diff = execFileSync('git', ['-C', ws.root, 'diff', '--numstat', 'HEAD~1', 'HEAD', '--', 'store/incidents/2026-11.json'], { encoding: 'utf8' });
    expect(diff.trim().split(/\s+/).slice(0, 2)).toEqual(['1', '1']);
  });
});
