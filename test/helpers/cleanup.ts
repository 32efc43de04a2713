// What a test leaves behind for its afterEach to remove: scratch folders, tmux servers, Ink apps. The
// hook is registered by test/setup.ts, which runs before every test file; a helper module's own
// top-level afterEach would run for the first file of a worker only, since the shared project
// (vitest.config.ts) imports each helper once per worker.
import { rmSync } from 'node:fs';

const folders: string[] = [];
const closers: (() => void)[] = [];
const always: (() => void)[] = [];

/** A step for after every test from now on (a helper module's own afterEach, made once at its import). */
export function afterEveryTest(step: () => void): void {
  always.push(step);
}

/** A folder to remove after the current test. */
export function removeAfterTest(dir: string): void {
  folders.push(dir);
}

/** Something to stop after the current test (a tmux server). */
export function closeAfterTest(close: () => void): void {
  closers.push(close);
}

/** Stops and removes what the test that just ended left behind. */
export function cleanUpAfterTest(): void {
  // Each step whatever the others do: one that throws still leaves the rest cleaned, and fails the test after.
  const failures: unknown[] = [];
  const run = (step: () => void) => {
    try {
      step();
    } catch (err) {
      failures.push(err);
    }
  };
  for (const step of always) run(step);
  for (const close of closers.splice(0)) run(close);
  for (const dir of folders.splice(0)) run(() => rmSync(dir, { recursive: true, force: true }));
  if (failures.length) throw failures[0];
}
