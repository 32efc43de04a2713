// Builds dist/ with esbuild (see README, "Build"):
// - dist/cli.js + chunks/: the CLI as ES modules, split so each command loads only its own code;
// - dist/hook.cjs: `nevo-tui hook` as one CommonJS file, the fastest way for Node to start it;
// - dist/bin.cjs: the executable, choosing between the two.
import { build } from 'esbuild';
import { chmodSync, copyFileSync, rmSync } from 'node:fs';

const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: 'linked', logLevel: 'warning', jsx: 'automatic' };
rmSync('dist', { recursive: true, force: true });
await Promise.all([
  build({ ...common, entryPoints: ['src/cli.ts'], outdir: 'dist', splitting: true, format: 'esm', packages: 'external', chunkNames: 'chunks/[name]-[hash]' }),
  build({ ...common, entryPoints: ['src/hook-main.ts'], outfile: 'dist/hook.cjs', format: 'cjs' }),
]);
copyFileSync('src/bin.cjs', 'dist/bin.cjs');
chmodSync('dist/bin.cjs', 0o755);
