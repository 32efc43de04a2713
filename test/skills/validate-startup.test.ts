// `skills validate` is called once per skill by CI scripts, so its start-up counts. Its time is
// measured by `npm run bench -- startup`; this test checks, without timing anything, what makes it
// fast: the built command loads the validator's own code and no package (no store, git, schemas,
// scheduler or YAML package, which the other skills commands need).
import { describe, expect, it } from 'vitest';
import { chunkOf, sourcesOf } from '../helpers/chunks.js';

describe('skills validate start-up', () => {
  it('loads the validator and no package: the other skills commands (store, git, zod, YAML) stay unloaded', () => {
    const entry = chunkOf(/^skills-validate-[A-Z0-9]+\.js$/);
    expect(entry, 'the skills validate command is a chunk of its own').toBeDefined();
    const sources = sourcesOf(entry!);
    expect(sources.filter((s) => s.startsWith('node_modules/'))).toEqual([]);
    expect(sources).toContain('src/skills/strict-yaml.ts');
    expect(sources.filter((s) => /^src\/(store|analyze|memory|schedule|detect|tui)\//.test(s) || /^src\/skills\/(deploy|forge|inventory)/.test(s))).toEqual([]);
  });
});
