import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { schemaFileName, storeJsonSchemas } from '../store/json-schema.js';
import type { DocName } from '../store/schemas.js';
import { stableJson } from '../util/json.js';

export async function run(opts: { write?: string }): Promise<void> {
  const schemas = storeJsonSchemas();
  if (!opts.write) {
    process.stdout.write(stableJson(schemas));
    return;
  }
  const dir = resolve(opts.write);
  mkdirSync(dir, { recursive: true });
  for (const [name, schema] of Object.entries(schemas)) writeFileSync(join(dir, schemaFileName(name as DocName)), stableJson(schema));
  process.stdout.write(`Wrote ${Object.keys(schemas).length} schemas to ${dir}\n`);
}
