// `memory search` is run as a process by the agent (the memory skill), often, so its start-up
// counts. Its time is measured by the benches (`year`, `startup`); this test checks, without timing
// anything, what makes it fast: the built command loads the workspace, the store's reads and the
// search, and none of git, the lock, YAML rules, RE2, the cron parser, the redaction or the TUI.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHUNKS, chunkOf, chunkSources, sourcesOf } from '../helpers/chunks.js';

describe('memory search start-up', () => {
  it('loads the search, the workspace and the store reads, and no git, lock, rules, RE2, cron parser, redaction or TUI', () => {
    const entry = chunkOf(/^memory-search-[A-Z0-9]+\.js$/);
    expect(entry, 'memory search is a chunk of its own').toBeDefined();
    const sources = sourcesOf(entry!);
    expect(sources).toContain('src/memory/search/rank.ts');
    expect(sources).toContain('src/workspace/workspace.ts');
    const packages = [...new Set(sources.filter((s) => s.startsWith('node_modules/')).map((s) => s.split('/')[1]))].sort();
    for (const heavy of ['isomorphic-git', 'diff', 'proper-lockfile', 'yaml', 're2js', 'cron-parser', 'luxon', 'ink', 'react']) expect(packages, heavy).not.toContain(heavy);
    expect(sources.filter((s) => /^src\/(tui|rules|redact|app|analyze|skills|schedule)\//.test(s) || /^src\/memory\/(consolidate|curate|remember|items|facts)\.ts$/.test(s))).toEqual([]);
  });

  it('leaves RE2 and the cron parser to be required when first used, from the installed packages', () => {
    const all = readdirSync(CHUNKS).filter((f) => f.endsWith('.js')).flatMap(chunkSources);
    expect(all.some((s) => s.startsWith('src/'))).toBe(true);
    expect(all.filter((s) => /^node_modules\/(re2js|cron-parser|luxon)\//.test(s))).toEqual([]);
  });
});
