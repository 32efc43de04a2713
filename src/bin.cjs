#!/usr/bin/env node
// The `nevo-tui` executable. `nevo-tui hook` runs on every tool call of the agent, so it starts
// through CommonJS (no ES module loader to boot) with one bundled file; `nevo-tui memory search`,
// which the agent runs often, asks an open TUI or daemon of its workspace first (dist/client.cjs),
// and it and every other command but the TUI's start from bundles of their own
// through V8's code cache; the TUI (`tui`, `demo`, no command) starts from one of its own, also through
// the code cache (dist/tui.cjs; with DEV=true, for React's devtools, from the ES module CLI).
'use strict';
// The bundles are minified: a stack trace asked for is mapped back to the sources.
if (process.env.NEVO_DEBUG) process.setSourceMapsEnabled(true);
const args = process.argv.slice(2);
const help = args.some((a) => a === '--help' || a === '-h');
// The words of the command line, without the global `--workspace DIR` in any of its spellings
// (`-w DIR`, `-wDIR`, `--workspace=DIR`) and without a `--`, after which commander still finds the command.
const words = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '-w' || a === '--workspace') i++;
  else if (!(a === '--' || a.startsWith('--workspace=') || /^-w./.test(a))) words.push(a);
}
// The commands of the program and the subcommands of each (src/main.ts; test/cli-entry.test.ts
// keeps this list the same as the program's): each keeps a code cache of its own, and any other
// word shares one, so typing mistakes add none. A cache holds the functions its first run
// compiled: had `rules list` written the one `rules approve` reads, every approve would compile
// the third of its code that list never runs.
const COMMANDS = {
  hook: [], tui: [], init: [], status: [], ingest: [], events: [], stats: [], report: [], gate: [], import: [], analyze: [], review: [],
  daemon: [], log: [], revert: [], show: [], commit: [], sync: [], doctor: [], demo: [], schemas: [], help: [],
  incidents: ['list', 'show', 'dismiss'],
  hooks: ['install', 'uninstall', 'status'],
  rules: ['list', 'show', 'approve', 'reject', 'edit', 'deprecate', 'restore', 'promote', 'lint', 'export'],
  memory: ['search', 'show', 'consolidate', 'forget', 'pin', 'unpin', 'hide', 'unhide', 'narrate', 'add', 'pending', 'approve', 'reject'],
  skills: ['validate', 'list', 'forge', 'show', 'approve', 'deploy', 'deactivate', 'reactivate'],
  jobs: ['list', 'run'],
};

/**
 * Requires a CommonJS bundle of this folder through V8's code cache: compiling the bundle's code is
 * most of what starting it costs, and Node 20 keeps no cache of its own. The cache is a file of the
 * user's cache folder, named by a hash of the bundle's text and by Node's version, so a changed
 * bundle or Node never reads an old one; V8 refuses a cache that does not fit, and a missing,
 * unreadable or refused one is only written again. `save()`, once the command ran, writes the
 * functions it compiled.
 */
function requireCached(name, cacheName = name) {
  const fs = require('node:fs');
  const path = require('node:path');
  const vm = require('node:vm');
  const Module = require('node:module');
  const file = path.join(__dirname, name);
  const source = fs.readFileSync(file, 'utf8');
  let cacheFile = null;
  let key = null;
  let cachedData;
  try {
    const base = process.env.XDG_CACHE_HOME || path.join(require('node:os').homedir(), '.cache');
    // The build appends the key, a hash of the bundle; a bundle built otherwise is hashed here.
    key = /\/\/ nevo-tui code cache key: ([0-9a-f]+)\n$/.exec(source.slice(-80))?.[1] ?? require('node:crypto').createHash('sha256').update(source).digest('hex').slice(0, 24);
    cacheFile = path.join(base, 'nevo-tui', 'code-cache', `${cacheName}-${key}-${process.version}-${process.arch}`);
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  // The build turns the bundle's dynamic imports into requires; should one remain, it resolves as
  // in any module (Node 20.12 and later).
  const importModuleDynamically = vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER;
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData, ...(importModuleDynamically ? { importModuleDynamically } : {}) });
  const mod = new Module(file, module);
  mod.filename = file;
  mod.paths = Module._nodeModulePaths(__dirname);
  script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(file), mod, file, __dirname);
  mod.loaded = true;
  let saved = false;
  return {
    exports: mod.exports,
    /** Writes the cache once; a later call does nothing. */
    save() {
      if (saved || !cacheFile || (cachedData && !script.cachedDataRejected)) return;
      saved = true;
      try {
        const dir = path.dirname(cacheFile);
        fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
        // The caches of this bundle's other builds, whatever their command: the files of the newest
        // three stay (two installs used in turn keep theirs), the rest go. By build, not by name:
        // `rules` must not take `rules-approve`'s files for builds of its own, and a command no
        // longer run (a group's cache from before its subcommands had their own) goes with its build.
        const builds = new Map();
        const files = fs
          .readdirSync(dir)
          .filter((f) => f.startsWith(`${name}-`) && !f.endsWith('.tmp'))
          .flatMap((f) => {
            const build = /-([0-9a-f]{24})-v[^/]*$/.exec(f)?.[1];
            if (!build || build === key) return [];
            const at = fs.statSync(path.join(dir, f), { throwIfNoEntry: false })?.mtimeMs ?? 0;
            builds.set(build, Math.max(at, builds.get(build) ?? 0));
            return [{ f, build }];
          });
        const kept = new Set([...builds].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([build]) => build));
        for (const { f, build } of files) if (!kept.has(build)) fs.rmSync(path.join(dir, f), { force: true });
        const tmp = `${cacheFile}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
        fs.renameSync(tmp, cacheFile);
      } catch {
        // A cache: without it the next start only compiles again.
      }
    },
  };
}

// `nevo-tui hook --help` is for a person: it goes to the CLI, which describes the hook.
if (args[0] === 'hook' && !help) {
  // The hook exits 2 only when it chose to (a rule's guard blocks the call); anything that goes
  // wrong, a throw or a rejection, ends in 0 so the agent's tool call never fails because of us.
  try {
    require('./hook.cjs')
      .main()
      .then(
        (code) => {
          process.exitCode = code === 2 ? 2 : 0;
        },
        () => {
          process.exitCode = 0;
        },
      );
  } catch {
    process.exitCode = 0;
  }
} else if (words[0] === 'memory' && words[1] === 'search' && !help) {
  // An open TUI or daemon of the workspace answers first (src/serve/); without one, the search runs here.
  let asking;
  try {
    asking = require('./client.cjs').served(args, __dirname);
  } catch {
    asking = Promise.resolve(null);
  }
  asking.then((answer) => {
    if (answer) {
      process.stdout.write(answer.stdout);
      process.stderr.write(answer.stderr);
      process.exitCode = answer.code;
      return;
    }
    const search = requireCached('search.cjs');
    return search.exports.main(args).then((code) => {
      search.save();
      process.exitCode = code;
    });
  });
} else if (words.length > 0 && words[0] !== 'tui' && words[0] !== 'demo') {
  // One cache per command (a group's subcommands each their own): a cache holds the functions its
  // first run compiled, and `status` runs little of what `rules approve` does.
  const subs = Object.hasOwn(COMMANDS, words[0]) ? COMMANDS[words[0]] : null;
  const command = subs === null ? 'other' : subs.includes(words[1]) ? `${words[0]}-${words[1]}` : words[0];
  const cli = requireCached('cli.cjs', `cli.cjs-${command}`);
  cli.exports.main(args).then((code) => {
    cli.save();
    process.exitCode = code;
  });
} else if (process.env.DEV === 'true') {
  // Ink connects to React's devtools when DEV=true, which only its ES module build can (scripts/build.mjs).
  import('./cli.js');
} else {
  // `demo` first builds its workspace for seconds: a cache of its own, so the TUI's holds a start.
  const tui = requireCached('tui.cjs', words[0] === 'demo' ? 'tui.cjs-demo' : 'tui.cjs');
  // The cache is written once the first frame with data is drawn (src/tui/run.ts says when), or
  // 3 s after the start, not at quit: a terminal closed on it would otherwise never leave one. A
  // process gone sooner (no terminal, --help) writes none.
  process.once('nevo-tui:drawn', () => tui.save());
  setTimeout(() => tui.save(), 3000).unref();
  tui.exports.main(args).then((code) => {
    process.exitCode = code;
  });
}
