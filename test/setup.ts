import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

// The TUI drops the CI variables before it loads Ink (src/tui/load.ts): Ink reads them once, at
// import, and in "CI mode" draws only the last frame. Tests render Ink the way a person's terminal
// gets it, so they drop them too, before any test file imports Ink.
delete process.env.CI;
delete process.env.CONTINUOUS_INTEGRATION;

// The built CLI keeps V8's code cache of `memory search` in the user's cache folder (src/bin.cjs):
// tests that run it write theirs to a folder of their own, not to the home of whoever runs them.
const cacheHome = mkdtempSync(join(tmpdir(), 'nevo-test-cache-'));
process.env.XDG_CACHE_HOME = cacheHome;
afterAll(() => rmSync(cacheHome, { recursive: true, force: true }));
