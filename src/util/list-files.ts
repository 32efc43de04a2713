import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Every file under `root/sub`, as paths relative to root. */
export function listFiles(root: string, sub: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    const abs = join(root, rel);
    if (!existsSync(abs)) return;
    for (const entry of readdirSync(abs, { withFileTypes: true })) {
      const child = `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile()) out.push(child);
    }
  };
  walk(sub);
  return out.sort();
}
