// Bundles src/ into dist/ with esbuild. Code splitting keeps each command in its own chunk,
// so `nevo-tui hook` loads only the hook's code (see README, "Build").
import { build } from 'esbuild';
import { chmodSync, rmSync } from 'node:fs';

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: ['src/cli.ts'],
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
  jsx: 'automatic',
});
chmodSync('dist/cli.js', 0o755);
