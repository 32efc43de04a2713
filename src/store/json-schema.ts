import * as z from 'zod';
import { documentSchemas, type DocName } from './schemas.js';
import { DOC_NAMES, DOCUMENTS } from './documents.js';

/** JSON Schema of each store document, generated from the same zod schemas that validate reads. */
export function storeJsonSchemas(): Record<DocName, object> {
  const out = {} as Record<DocName, object>;
  for (const name of DOC_NAMES) {
    out[name] = {
      $id: `https://nevo-tui.local/store/${name}.schema.json`,
      title: `store/${name}.json`,
      description: DOCUMENTS[name].description,
      ...z.toJSONSchema(documentSchemas[name], { io: 'input' }),
    };
  }
  return out;
}

export function schemaFileName(name: DocName): string {
  return `${name}.schema.json`;
}
