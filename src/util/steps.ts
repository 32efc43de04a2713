/**
 * Long pure computations written as generators that pause now and then (`yield`), run either to
 * completion at once or in slices that leave the event loop free in between.
 */

/** Runs the steps to the end and returns their result. */
export function finish<T>(steps: Generator<unknown, T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/**
 * Runs the steps in slices of about `sliceMs`, handing the event loop back between slices (keys,
 * frames and signals are handled there), and resolves with their result.
 */
export async function finishInSlices<T>(steps: Generator<unknown, T>, sliceMs = 8, now: () => number = () => performance.now()): Promise<T> {
  for (;;) {
    const until = now() + sliceMs;
    for (;;) {
      const r = steps.next();
      if (r.done) return r.value;
      if (now() >= until) break;
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
