import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { schemaFileName, storeJsonSchemas } from '../../src/store/json-schema.js';
import { DOC_NAMES, DOCUMENTS } from '../../src/store/documents.js';
import { documentSchemas, type DocName } from '../../src/store/schemas.js';

describe("the package's store/*.schema.json", () => {
  it('match the zod schemas that validate every read (run `npm run schemas` after changing them)', () => {
    const generated = storeJsonSchemas();
    const shipped = readdirSync('store').filter((f) => f.endsWith('.schema.json')).sort();
    expect(shipped).toEqual(Object.keys(generated).map((n) => schemaFileName(n as DocName)).sort());
    for (const [name, schema] of Object.entries(generated)) {
      expect(JSON.parse(readFileSync(`store/${schemaFileName(name as DocName)}`, 'utf8')), name).toEqual(schema);
    }
  });

  it('list every document the schemas know, in their order, and describe each (documents.ts keeps the list without loading zod)', () => {
    expect(DOC_NAMES).toEqual(Object.keys(documentSchemas));
    expect(Object.keys(DOCUMENTS).sort()).toEqual([...DOC_NAMES].sort());
  });
});
