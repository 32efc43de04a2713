import { readdirSync, readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

const TESTS = /\.test\.tsx?$/;
const ALL = ['test/**/*.test.ts', 'test/**/*.test.tsx'];

// A file that mocks a module needs modules of its own: in a worker that other files already ran in,
// the module it mocks may be loaded and cached unmocked.
const mocking = readdirSync('test', { recursive: true, encoding: 'utf8' })
  .filter((f) => TESTS.test(f))
  .map((f) => `test/${f.replace(/\\/g, '/')}`)
  .filter((f) => /\bvi\.(?:do)?mock\(/.test(readFileSync(f, 'utf8')));

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
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
