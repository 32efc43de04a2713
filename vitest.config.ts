import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest's default leaves one of two CPUs idle; most files wait on child processes, so two workers halve the wall time.
    maxWorkers: 2,
    setupFiles: ['test/setup.ts'],
    // A record of a sharded document changed in place and not handed back fails its change (store.ts).
    env: { NEVO_STORE_CHECK: '1' },
  },
});
