import { docOfPath, strayRecord } from './documents.js';
import { documentSchemas } from './schemas.js';

export { documentSchemas };

// The checks that need the schemas, apart from documents.ts: the store loads this module only when
// a file it did not write itself has to be checked, so a command that only reads its own files
// starts without building zod's schemas.

/**
 * What is wrong with a store document's text, or null when it parses and matches its schema;
 * also null for any file that is not a store document (nothing to check it against).
 */
export function documentProblem(rel: string, text: string): string | null {
  const doc = docOfPath(rel);
  if (!doc) return null;
  const { name } = doc;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return text.trim() === '' ? 'the file is empty' : `not valid JSON (${(err as Error).message})`;
  }
  const parsed = documentSchemas[name].safeParse(data);
  if (!parsed.success) return `does not match its schema (${parsed.error.issues[0]?.path.join('.') || 'root'}: ${parsed.error.issues[0]?.message ?? 'invalid'})`;
  return doc.shard === undefined ? null : strayRecord(name, doc.shard, parsed.data.records);
}
