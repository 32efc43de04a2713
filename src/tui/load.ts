/**
 * Loads the TUI. Ink draws only the last frame when it believes it runs in CI (the `CI` variable,
 * read when Ink loads), which leaves a person's real terminal blank; the TUI only ever starts on a
 * TTY, so those variables are dropped for this process before Ink is imported.
 */
export async function loadTui(): Promise<typeof import('./run.js')> {
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
  return import('./run.js');
}
