import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The files of nevo's V8 code cache under a cache home (XDG_CACHE_HOME), sorted; none when there is no folder. */
export function cacheFiles(home: string): string[] {
  try {
    return readdirSync(join(home, 'nevo-tui', 'code-cache')).sort();
  } catch {
    return [];
  }
}
