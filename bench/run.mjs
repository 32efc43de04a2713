// Runs every bench/*.bench.ts (bundled with esbuild so they use the same code as the CLI) and
// prints their figures. `npm run bench -- startup` runs only the benches whose name matches.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';

// Words pick benches by name; options (`--split tune`, `--verbose`) go to the benches themselves.
const argv = process.argv.slice(2);
const passed = [];
const only = [];
for (let i = 0; i < argv.length; i++) {
  if (argv[i].startsWith('--')) {
    passed.push(argv[i]);
    if (argv[i + 1] !== undefined && !argv[i + 1].startsWith('--') && argv[i] === '--split') passed.push(argv[++i]);
  } else only.push(argv[i]);
}
// Lazily required CommonJS (re2js, see src/util/re2-lazy.cjs) needs a `require` in an ES module.
const requireShim = "import { createRequire as __nevoCreateRequire } from 'node:module'; const require = __nevoCreateRequire(import.meta.url);";
const outDir = join('node_modules', '.cache', 'nevo-bench');
mkdirSync(outDir, { recursive: true });
const benches = readdirSync('bench').filter((f) => f.endsWith('.bench.ts')).filter((f) => !only.length || only.some((o) => f.includes(o)));
let failed = 0;
for (const file of benches.sort()) {
  const out = join(outDir, file.replace(/\.ts$/, '.mjs'));
  buildSync({ entryPoints: [join('bench', file)], outfile: out, bundle: true, format: 'esm', platform: 'node', target: 'node20', packages: 'external', logLevel: 'error', banner: { js: requireShim } });
  console.log(`\n== ${file.replace('.bench.ts', '')} ==`);
  const r = spawnSync(process.execPath, [out, ...passed], { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
