// What a built command loads when it starts: the chunks esbuild wrote to dist/chunks, followed
// through their static imports, and the source files their source maps name (the chunks are
// minified, so the code itself names none).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
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
  // `import{a}from"./chunk-X.js";import"./chunk-Y.js"`, minified onto one line; never `import("./z.js")`.
  for (const m of code.matchAll(/(?:^|[;\n])\s*(?:import|export)\s*(?:[^'"();]*?from\s*)?["']\.\/([^"']+\.js)["']/g)) staticGraph(m[1]!, seen);
  return seen;
}

/** The source files (src/..., node_modules/...) of one chunk, relative to the repository, from its source map. */
export function chunkSources(file: string): string[] {
  const map = JSON.parse(readFileSync(join(CHUNKS, `${file}.map`), 'utf8')) as { sources: string[] };
  return map.sources.map((s) => relative(REPO, resolve(CHUNKS, s)));
}

/** The source files (src/..., node_modules/...) a chunk and its static imports hold. */
export function sourcesOf(entry: string): string[] {
  return [...staticGraph(entry)].flatMap(chunkSources);
}
