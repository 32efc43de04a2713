import { readdirSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const TESTS = /\.test\.tsx?$/;
const ALL = ['test/**/*.test.ts', 'test/**/*.test.tsx'];

// A file that mocks a module needs modules of its own: in a worker that other files already ran in,
// the module it mocks may be loaded and cached unmocked.
const mocking = readdirSync('test', { recursive: true, encoding: 'utf8' })
  .filter((f) => TESTS.test(f))
  .map((f) => `test/${f.replace(/\\/g, '/')}`)
  .filter((f) => /\bvi\.(?:do)?mock\(/.test(readFileSync(f, 'utf8')));

/**
 * Longest files first, from test/timings.json (seconds a whole run took, per file), when this
 * checkout has no timings of its own: vitest then starts the largest files first, and a long file
 * that starts last leaves the other worker idle while it runs (a clean clone ran 42 s over half the
 * files' total). With timings of its own (a second run here) vitest's own order is the same idea.
 */
const TIMINGS = JSON.parse(readFileSync('test/timings.json', 'utf8')) as Record<string, number>;
class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const root = this.ctx.config.root;
    const rel = (f: TestSpecification) => relative(root, f.moduleId).replace(/\\/g, '/');
    if (sorted.some((f) => this.ctx.cache.getFileTestResults(`${f.project.name}:${rel(f)}`))) return sorted;
    // vitest's order keeps each project's files together: so does this one.
    const group = new Map(sorted.map((f) => [f, sorted.findIndex((g) => g.project.name === f.project.name)]));
    const at = new Map(sorted.map((f, i) => [f, i]));
    const out = [...sorted].sort((a, b) => group.get(a)! - group.get(b)! || (TIMINGS[rel(b)] ?? 0) - (TIMINGS[rel(a)] ?? 0) || at.get(a)! - at.get(b)!);
    return out;
  }
}

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    sequence: { sequencer: LongestFirst },
    // Vitest's default leaves one of two CPUs idle; most files wait on child processes, so two workers halve the wall time.
    maxWorkers: 2,
    setupFiles: ['test/setup.ts'],
    globalSetup: ['test/global-setup.ts'],
    // A record of a sharded document changed in place and not handed back fails its change (store.ts).
    env: { NEVO_STORE_CHECK: '1' },
    projects: [
      // Every other file shares its worker's modules with the files run before it: loading Ink,
      // React and isomorphic-git once per worker, not once per file, takes a fifth off the suite's
      // time. Such a file leaves the process as it found it (environment, timers, working folder).
      { extends: true, test: { name: 'shared', isolate: false, include: ALL, exclude: mocking } },
      { extends: true, test: { name: 'isolated', include: mocking } },
    ],
  },
});
