import { mkdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { buildSync } from 'esbuild';

const repo = resolve(import.meta.dirname, '..', '..');
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
