// Watches a lock folder and its owner file once per turn of the event loop, for the tests that a
// lock is never seen without its owner: a holder can only be killed between two turns, or inside
// one synchronous step, so a turn that sees the folder alone is a moment a kill would leave it.
import { existsSync } from 'node:fs';

/** Starts watching; `stop()` ends it and gives how many turns saw the folder with no owner file. */
export function watchOwnerless(lock: string, owner: string): { stop(): number } {
  let ownerless = 0;
  let watching = true;
  const look = () => {
    if (existsSync(lock) && !existsSync(owner)) ownerless++;
    if (watching) setImmediate(look);
  };
  look();
  return {
    stop() {
      watching = false;
      return ownerless;
    },
  };
}
