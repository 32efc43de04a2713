// Named points where a process can be held still for a test to kill it there, so a test of a
// crash lands exactly between two steps instead of at a guessed number of milliseconds. Inert
// unless NEVO_TEST_PAUSE_AT names the point: nothing sets it outside the tests.

/** Holds the process forever at `point` when NEVO_TEST_PAUSE_AT names it, after saying so on stderr. */
export async function pausePoint(point: string): Promise<void> {
  if (process.env.NEVO_TEST_PAUSE_AT !== point) return;
  process.stderr.write(`paused at ${point}\n`);
  await new Promise<never>(() => {
    setInterval(() => {}, 1 << 30);
  });
}
