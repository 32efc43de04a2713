// What a built command loads when it starts: the chunks esbuild wrote to dist/chunks, followed
// through their static imports, and the source paths esbuild notes in them.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './scripts.js';

export const CHUNKS = join(REPO, 'dist', 'chunks');

/** The built chunk of a command, by its name's pattern (`memory-search-HASH.js`). */
export function chunkOf(pattern: RegExp): string | undefined {
  return readdirSync(CHUNKS).find((f) => pattern.test(f));
}

/** The built files that loading `file` loads at once (its static imports, transitively). */
export function staticGraph(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const code = readFileSync(join(CHUNKS, file), 'utf8');
  for (const m of code.matchAll(/^import\s+(?:[^'"]*?\s+from\s+)?["']\.\/([^"']+\.js)["'];?$/gm)) staticGraph(m[1]!, seen);
  return seen;
}

/** The source files (src/..., node_modules/...) a chunk and its static imports hold. */
export function sourcesOf(entry: string): string[] {
  return [...staticGraph(entry)].flatMap((f) => [...readFileSync(join(CHUNKS, f), 'utf8').matchAll(/^\/\/ ((?:src|node_modules)\/\S+)$/gm)].map((m) => m[1]!));
}
