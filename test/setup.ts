import { afterEach } from 'vitest';
import { cleanUpAfterTest } from './helpers/cleanup.js';

// The TUI drops the CI variables before it loads Ink (src/tui/load.ts): Ink reads them once, at
// import, and in "CI mode" draws only the last frame. Tests render Ink the way a person's terminal
// gets it, so they drop them too, before any test file imports Ink.
delete process.env.CI;
delete process.env.CONTINUOUS_INTEGRATION;

// Every test's scratch folders and tmux servers go when it ends (test/helpers/cleanup.ts says why here).
afterEach(cleanUpAfterTest);
