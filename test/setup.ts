// The TUI drops the CI variables before it loads Ink (src/tui/load.ts): Ink reads them once, at
// import, and in "CI mode" draws only the last frame. Tests render Ink the way a person's terminal
// gets it, so they drop them too, before any test file imports Ink.
delete process.env.CI;
delete process.env.CONTINUOUS_INTEGRATION;
