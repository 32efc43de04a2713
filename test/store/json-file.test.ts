import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AtomicJSONFile } from '../../src/store/json-file.js';
import { scratch } from '../helpers/workspace.js';

describe('AtomicJSONFile', () => {
  it('lets writers that do not see each other (a resumed lock holder and its successor) write one document at once', async () => {
    const dir = scratch('nevo-json-file-');
    const file = join(dir, 'telemetry.json');
    // Each writer its own adapter, as two processes are: a fixed temp name makes one rename the other's.
    const writes = Array.from({ length: 40 }, (_, i) => new AtomicJSONFile<{ version: 1; records: number[] }>(file).write({ version: 1, records: Array.from({ length: 2000 }, () => i) }));
    const results = await Promise.allSettled(writes);
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { records: number[] };
    expect(new Set(doc.records).size).toBe(1);
    expect(readdirSync(dir)).toEqual(['telemetry.json']);
    expect(await new AtomicJSONFile(join(dir, 'missing.json')).read()).toBeNull();
  });
});
