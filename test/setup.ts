import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The TUI drops the CI variables before it loads Ink (src/tui/load.ts): Ink reads them once, at
// import, and in "CI mode" draws only the last frame. Tests render Ink the way a person's terminal
// gets it, so they drop them too, before any test file imports Ink.
delete process.env.CI;
delete process.env.CONTINUOUS_INTEGRATION;

// The built CLI keeps V8's code cache of `memory search` in the user's cache folder (src/bin.cjs):
// tests that run it write theirs to a folder of their own, not to the home of whoever runs them.
process.env.XDG_CACHE_HOME = mkdtempSync(join(tmpdir(), 'nevo-test-cache-'));
