import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The built CLI keeps V8's code cache of each command in the user's cache folder (src/bin.cjs):
// the suite's runs of it share one folder of their own, made for the run and removed after it, so
// neither the home of whoever runs the tests is written nor each file compiles the bundles again.
export default function setup(): () => void {
  const cacheHome = mkdtempSync(join(tmpdir(), 'nevo-test-cache-'));
  process.env.XDG_CACHE_HOME = cacheHome;
  return () => rmSync(cacheHome, { recursive: true, force: true });
}
