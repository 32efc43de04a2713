// Builds dist/ with esbuild (see README, "Build"):
// - dist/cli.js + chunks/: the CLI as ES modules, split so each command loads only its own code;
// - dist/hook.cjs: `nevo-tui hook` as one CommonJS file, the fastest way for Node to start it;
// - dist/search.cjs: `nevo-tui memory search` as one CommonJS file, started through V8's code cache;
// - dist/cli.cjs: every other command but the TUI's, as one CommonJS file, through the code cache too;
// - dist/tui.cjs: the TUI's commands (and every other), as one CommonJS file, through the code cache;
// - dist/client.cjs: what `memory search` asks an open TUI or daemon first (src/serve/);
// - dist/bin.cjs: the executable, choosing between them.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { appendFileSync, chmodSync, copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

// Packages are bundled into the chunks too: loaded from node_modules, each is dozens of small
// modules (zod alone loads 90 files, most of them locales nobody uses), and the TUI reached its
// first frame with data in 1,351 ms against 908 ms bundled (10,000 incidents; `status` 520 against
// 430 ms). A few stay external: @babel/parser, large and loaded only by `skills validate`;
// jsonc-parser, whose UMD build requires its own files by computed names esbuild cannot follow; and
// re2js and cron-parser, each one large file (with luxon) that is required on first use
// (src/util/re2-lazy.cjs, cron-lazy.cjs): bundled, their code sat in the chunk of every command that
// opens a workspace and was parsed at every start (`memory search` parsed 560 KB of them for nothing).
// Bundled CommonJS code needs a `require`.
const EXTERNAL = ['@babel/parser', 'jsonc-parser', 'react-devtools-core', 're2js', 'cron-parser'];
const requireShim = "import { createRequire as __nevoCreateRequire } from 'node:module'; const require = __nevoCreateRequire(import.meta.url);";

// Ink's layout engine (yoga) loads its WebAssembly with `fetch` of a data: URL when fetch exists,
// which makes Node load its whole HTTP client (undici) at start-up; without fetch it decodes the
// same bytes directly. Nothing else of ours or of the bundled packages calls the global fetch.
const define = { fetch: 'undefined' };

/** dist/cli.cjs holds no TUI: dist/bin.cjs sends the TUI's commands to the ES module build. */
const noTui = {
  name: 'no-tui',
  setup(b) {
    b.onResolve({ filter: /^\.\/run\.js$/ }, (args) => (args.importer.endsWith('/tui/load.ts') ? { path: 'no-tui', namespace: 'no-tui' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'no-tui' }, () => ({
      contents: "export async function runTui() { throw new Error('the TUI starts from dist/cli.js: run it through dist/bin.cjs'); }",
      loader: 'js',
    }));
  },
};

/**
 * Commander requires child_process at the top of its Command, for executable subcommands (a
 * program that spawns `prog-sub`), which nevo has none of: Node then compiles child_process, net
 * and stream at every start, 8 ms of a `memory search` (CPU profile, day-365 workspace). The
 * require is deferred to the first spawn. A commander that no longer fits fails the build.
 */
const lazyChildProcess = {
  name: 'commander-lazy-child-process',
  setup(b) {
    b.onLoad({ filter: /[\\/]commander[\\/]lib[\\/]command\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      const line = "const childProcess = require('node:child_process');";
      if (!text.includes(line) || (text.match(/childProcess\./g) ?? []).length !== (text.match(/childProcess\.spawn\(/g) ?? []).length) {
        throw new Error(`${args.path}: commander no longer requires child_process as lazyChildProcess in scripts/build.mjs expects`);
      }
      return { contents: text.replace(line, "const childProcess = { spawn: (...a) => require('node:child_process').spawn(...a) };"), loader: 'js' };
    });
  },
};

/**
 * Ink in CommonJS (dist/tui.cjs). Ink's modules hold two top-level awaits, which CommonJS cannot:
 * its layout engine (yoga) is loaded with one, so Ink's import of it is served by the engine
 * src/tui-main.ts loaded before Ink; the other two load React's devtools when DEV=true, which
 * dist/bin.cjs sends to the ES module build instead. A change of Ink that this no longer fits
 * fails the build rather than the TUI.
 */
const inkInCommonJs = {
  name: 'ink-in-commonjs',
  setup(b) {
    b.onResolve({ filter: /^yoga-layout$/ }, () => ({ path: 'yoga-layout', namespace: 'nevo-yoga' }));
    b.onLoad({ filter: /.*/, namespace: 'nevo-yoga' }, () => ({
      contents: "export * from 'yoga-layout/load'; export default new Proxy({}, { get: (_, key) => globalThis.__nevoYoga[key] });",
      loader: 'js',
      resolveDir: process.cwd(),
    }));
    b.onLoad({ filter: /[\\/]ink[\\/]build[\\/]reconciler\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      const out = text
        .replace(/\nif \(isDev\(\)\) \{\n    try \{\n        await import\('\.\/devtools\.js'\);[\s\S]*?\n\}\n/, '\n')
        .replace(/isDev\(\)\n    \? await loadPackageJson\(\)\n    : /, '');
      if (/^\S.*\bawait\b|^    \? await/m.test(out)) throw new Error(`${args.path}: a top-level await is left that dist/tui.cjs cannot hold; see inkInCommonJs in scripts/build.mjs`);
      return { contents: out, loader: 'js' };
    });
  },
};

// Minified: a start reads and deserialises every byte of its bundle, code cache or not, and the
// bundles are about half their size minified (dist/cli.cjs 3.4 MB to 1.8 MB; `nevo-tui --version`
// started 50 to 75 ms sooner, medians of 5 side by side). Names are kept, as errors and stack frames show
// them; NEVO_DEBUG=1 maps a stack trace back to the sources through the source maps (src/bin.cjs), and
// NEVO_NO_MINIFY=1 builds them as they were, for a CPU profile that names every function.
const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: 'linked', logLevel: 'warning', jsx: 'automatic', minify: !process.env.NEVO_NO_MINIFY, keepNames: true };
rmSync('dist', { recursive: true, force: true });
await Promise.all([
  build({ ...common, entryPoints: ['src/cli.ts'], outdir: 'dist', splitting: true, format: 'esm', plugins: [lazyChildProcess], external: EXTERNAL, banner: { js: requireShim }, chunkNames: 'chunks/[name]-[hash]', define: { ...define, 'process.env.NODE_ENV': '"production"' } }),
  // re2js (260 KB) is required from node_modules when a payload first needs it, not parsed on every hook start.
  build({ ...common, entryPoints: ['src/hook-main.ts'], outfile: 'dist/hook.cjs', format: 'cjs', external: ['re2js'] }),
  // `memory search` alone, as one CommonJS file: V8's code cache (src/bin.cjs) serves CommonJS on
  // Node 20, not ES modules. Git, the diff and the lock, which a search never reaches but a change
  // would, are required from node_modules if ever needed (dynamic imports become requires), so
  // their 600 KB are not read at every start. Its code reads its own location through import.meta.url.
  build({
    ...common,
    entryPoints: ['src/search-main.ts'],
    outfile: 'dist/search.cjs',
    format: 'cjs',
    plugins: [lazyChildProcess],
    external: [...EXTERNAL, 'isomorphic-git', 'diff', 'proper-lockfile'],
    supported: { 'dynamic-import': false },
    define: { ...define, 'import.meta.url': '__nevoModuleUrl' },
    banner: { js: "const __nevoModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
  }),
  // What `memory search` asks the process serving its workspace first (src/serve/client.ts): small,
  // and started without a code cache, so a search nobody serves loses next to nothing.
  build({ ...common, entryPoints: ['src/serve/client.ts'], outfile: 'dist/client.cjs', format: 'cjs', supported: { 'dynamic-import': false } }),
  // Every command but the TUI (`tui`, `demo`, no command), as one CommonJS file: through V8's code
  // cache a command starts without compiling its code again. Git, the diff and the lock are bundled
  // here, most of these commands write: compiled from node_modules at each start they cost
  // `rules approve` 60 ms (medians of 9 on copies of a day-1 workspace: 183 ms bundled, 240 with them
  // in node_modules, 270 through the ES modules; `rules list` 152 against 215). Ink and React stay
  // with the ES module build: Ink loads its layout engine with a top-level await, which CommonJS
  // cannot hold, so the TUI is left out (noTui).
  build({
    ...common,
    entryPoints: ['src/main.ts'],
    outfile: 'dist/cli.cjs',
    format: 'cjs',
    external: EXTERNAL,
    plugins: [noTui, lazyChildProcess],
    supported: { 'dynamic-import': false },
    define: { ...define, 'import.meta.url': '__nevoModuleUrl' },
    banner: { js: "const __nevoModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
  }),
  // The TUI's commands as one CommonJS file: through the code cache its first frame comes without
  // compiling Ink, React and the screens again (Node 20 keeps no cache of ES modules).
  build({
    ...common,
    entryPoints: ['src/tui-main.ts'],
    outfile: 'dist/tui.cjs',
    format: 'cjs',
    external: EXTERNAL,
    plugins: [inkInCommonJs, lazyChildProcess],
    supported: { 'dynamic-import': false },
    define: { ...define, 'import.meta.url': '__nevoModuleUrl', 'process.env.NODE_ENV': '"production"' },
    banner: { js: "const __nevoModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
  }),
]);
// The build's identity, of all the code a served search could run (src/serve/): a client and a
// server of different builds do not answer for each other.
const buildId = createHash('sha256');
for (const file of ['dist/search.cjs', 'dist/cli.cjs', 'dist/tui.cjs', 'dist/cli.js', 'dist/client.cjs']) buildId.update(readFileSync(file));
writeFileSync('dist/build-id', `${buildId.digest('hex').slice(0, 24)}\n`);
// The key of each bundle's code cache (src/bin.cjs), so a start need not hash megabytes of code:
// appended, so the source map's lines still match.
for (const file of ['dist/search.cjs', 'dist/cli.cjs', 'dist/tui.cjs']) {
  const key = createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 24);
  appendFileSync(file, `// nevo-tui code cache key: ${key}\n`);
}
copyFileSync('src/bin.cjs', 'dist/bin.cjs');
chmodSync('dist/bin.cjs', 0o755);
