import { mkdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { buildSync } from 'esbuild';

/** The checkout: the folder above this file whose package.json is nevo-tui's (this file is also bundled into benches under node_modules/.cache). */
function findRepo(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    try {
      if ((JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string }).name === 'nevo-tui') return dir;
    } catch {
      // not here
    }
    if (dirname(dir) === dir) return resolve(start, '..', '..');
  }
}

const repo = findRepo(import.meta.dirname);
const outDir = join(repo, 'node_modules', '.cache', 'nevo-test-scripts');

/**
 * Bundles a TypeScript helper (a writer process, say) into a runnable .mjs next to node_modules,
 * so tests can spawn real, separate processes that use the same store code as the CLI.
 */
export function bundleScript(tsFile: string): string {
  mkdirSync(outDir, { recursive: true });
  const out = join(outDir, `${basename(tsFile, '.ts')}.mjs`);
  buildSync({
    entryPoints: [resolve(repo, tsFile)],
    outfile: out,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    logLevel: 'error',
  });
  return out;
}

export const REPO = repo;
export const CLI = join(repo, 'dist', 'bin.cjs');
