// Builds dist/ with esbuild (see README, "Build"):
// - dist/cli.js + chunks/: the CLI as ES modules, split so each command loads only its own code;
// - dist/hook.cjs: `nevo-tui hook` as one CommonJS file, the fastest way for Node to start it;
// - dist/bin.cjs: the executable, choosing between the two.
import { build } from 'esbuild';
import { chmodSync, copyFileSync, readFileSync, rmSync } from 'node:fs';

// Ink and React are bundled into the TUI's chunks: loaded from node_modules they are a hundred-odd
// small modules, and the TUI's start-up halves without them (554 ms to 234 ms to import the TUI).
// Every other dependency stays external. Bundled CommonJS code needs a `require`.
const BUNDLED = new Set(['ink', 'react', 'ink-text-input']);
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const external = [...Object.keys(pkg.dependencies).filter((d) => !BUNDLED.has(d)), 'react-devtools-core'];
const requireShim = "import { createRequire as __nevoCreateRequire } from 'node:module'; const require = __nevoCreateRequire(import.meta.url);";

const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: 'linked', logLevel: 'warning', jsx: 'automatic' };
rmSync('dist', { recursive: true, force: true });
await Promise.all([
  build({ ...common, entryPoints: ['src/cli.ts'], outdir: 'dist', splitting: true, format: 'esm', external, banner: { js: requireShim }, chunkNames: 'chunks/[name]-[hash]' }),
  build({ ...common, entryPoints: ['src/hook-main.ts'], outfile: 'dist/hook.cjs', format: 'cjs' }),
]);
copyFileSync('src/bin.cjs', 'dist/bin.cjs');
chmodSync('dist/bin.cjs', 0o755);
