// `skills validate` is called once per skill by CI scripts, so its start-up counts. Its time is
// measured by `npm run bench -- startup`; this test checks, without timing anything, what makes it
// fast: the built command loads the validator's own code and no package (no store, git, schemas,
// scheduler or YAML package, which the other skills commands need).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/scripts.js';

const CHUNKS = join(REPO, 'dist', 'chunks');

/** The built files that loading `file` loads at once (its static imports, transitively). */
function staticGraph(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const code = readFileSync(join(CHUNKS, file), 'utf8');
  for (const m of code.matchAll(/^import\s+(?:[^'"]*?\s+from\s+)?["']\.\/([^"']+\.js)["'];?$/gm)) staticGraph(m[1]!, seen);
  return seen;
}

describe('skills validate start-up', () => {
  it('loads the validator and no package: the other skills commands (store, git, zod, YAML) stay unloaded', () => {
    const entry = readdirSync(CHUNKS).find((f) => /^skills-validate-[A-Z0-9]+\.js$/.test(f));
    expect(entry, 'the skills validate command is a chunk of its own').toBeDefined();
    const files = [...staticGraph(entry!)];
    const sources = files.flatMap((f) => [...readFileSync(join(CHUNKS, f), 'utf8').matchAll(/^\/\/ ((?:src|node_modules)\/\S+)$/gm)].map((m) => m[1]!));
    expect(sources.filter((s) => s.startsWith('node_modules/'))).toEqual([]);
    expect(sources).toContain('src/skills/strict-yaml.ts');
    expect(sources.filter((s) => /^src\/(store|analyze|memory|schedule|detect|tui)\//.test(s) || /^src\/skills\/(deploy|forge|inventory)/.test(s))).toEqual([]);
  });
});
