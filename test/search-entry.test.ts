// `nevo-tui memory search` runs from its own CommonJS bundle (dist/search.cjs) through V8's code
// cache (src/bin.cjs). Whatever the cache holds, the command must answer as the ES module CLI does;
// the cache is a file of the user's cache folder that can be missing, damaged or unwritable.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, initProject, type CliResult } from './helpers/cli.js';
import { cacheFiles } from './helpers/code-cache.js';
import { REPO } from './helpers/scripts.js';
import { scratch } from './helpers/workspace.js';

let project: string;
let workspace: string;
beforeAll(() => {
  ({ project, workspace } = initProject());
  for (const [statement, category] of [
    ['Use pnpm, not npm, in this repository', 'preference'],
    ['Tests run with `pnpm vitest run`', 'config'],
    ['We decided to keep the cache in .cache/', 'decision'],
  ]) expect(cli(['memory', 'add', statement!, '--category', category!, '--workspace', workspace]).code).toBe(0);
});
afterAll(() => rmSync(project, { recursive: true, force: true }));

const search = (args: string[], cacheHome: string, bin = join(REPO, 'dist', 'bin.cjs')): CliResult => {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, NEVO_WORKSPACE: '', XDG_CACHE_HOME: cacheHome } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
};
/** What a person or script reads of a run, less what moves with the clock (an item's age, its score). */
const seen = (r: CliResult) => {
  let out: unknown = r.stdout.replace(/^\d\.\d\d  /gm, '');
  try {
    const json = JSON.parse(r.stdout) as { hits?: { item: unknown }[] };
    out = json.hits ? { ...json, hits: json.hits.map((h) => h.item) } : json;
  } catch {
    // text
  }
  return { code: r.code, out, stderr: r.stderr };
};
/** The same command through the ES module CLI, which has no code cache. */
const viaModules = (args: string[]): CliResult => {
  const r = spawnSync(process.execPath, [join(REPO, 'dist', 'cli.js'), ...args], { encoding: 'utf8', env: { ...process.env, NEVO_WORKSPACE: '' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
};

describe('memory search through its own bundle', () => {
  it('answers as the ES module CLI does, with or without its code cache, the workspace flag before or after', () => {
    const home = scratch('nevo-cache-');
    const args = ['memory', 'search', 'pnpm', '--json', '--workspace', workspace];
    const want = viaModules(args);
    expect(want.code).toBe(0);
    expect(JSON.parse(want.stdout).hits.length).toBe(2);
    expect(seen(search(args, home))).toEqual(seen(want));
    expect(cacheFiles(home)).toHaveLength(1);
    expect(seen(search(args, home))).toEqual(seen(want));
    expect(seen(search(['--workspace', workspace, 'memory', 'search', 'pnpm', '--json'], home))).toEqual(seen(want));
    const text = ['memory', 'search', 'cache', '--workspace', workspace];
    expect(seen(search(text, home))).toEqual(seen(viaModules(text)));
    expect(search(text, home).stdout).toContain('We decided to keep the cache in .cache/');
  });

  it('says a mistake as the ES module CLI does', () => {
    const home = scratch('nevo-cache-');
    for (const args of [
      ['memory', 'search', 'x', '--limit', '0', '--json', '--workspace', workspace],
      ['memory', 'search', 'x', '--limit', '0', '--workspace', workspace],
      ['memory', 'search', 'x', '--no-such-option', '--workspace', workspace],
      ['memory', 'search', 'x', '--workspace', join(workspace, 'missing')],
    ]) {
      const got = search(args, home);
      expect(got.code, args.join(' ')).toBe(1);
      expect(seen(got), args.join(' ')).toEqual(seen(viaModules(args)));
    }
  });

  it('ignores a damaged code cache and writes it again', () => {
    const home = scratch('nevo-cache-');
    const args = ['memory', 'search', 'pnpm', '--json', '--workspace', workspace];
    const want = search(args, home);
    const [name] = cacheFiles(home);
    const file = join(home, 'nevo-tui', 'code-cache', name!);
    for (const damage of [Buffer.from('not a cache'), Buffer.alloc(0), readFileSync(file).subarray(0, 1000)]) {
      writeFileSync(file, damage);
      expect(seen(search(args, home))).toEqual(seen(want));
      expect(readFileSync(file).length).toBeGreaterThan(damage.length + 10_000);
    }
  });

  it('still searches when the cache folder cannot be written', () => {
    const home = scratch('nevo-cache-');
    writeFileSync(join(home, 'nevo-tui'), 'a file where the folder would be');
    const args = ['memory', 'search', 'pnpm', '--json', '--workspace', workspace];
    expect(seen(search(args, home))).toEqual(seen(viaModules(args)));
  });

  it('never reads the cache of another build: a changed bundle gets a cache of its own', () => {
    // A copy of the package whose bundle differs from the built one.
    const pkg = scratch('nevo-pkg-');
    writeFileSync(join(pkg, 'package.json'), readFileSync(join(REPO, 'package.json')));
    cpSync(join(REPO, 'dist'), join(pkg, 'dist'), { recursive: true });
    const home = scratch('nevo-cache-');
    const args = ['memory', 'search', 'pnpm', '--json', '--workspace', workspace];
    const bin = join(pkg, 'dist', 'bin.cjs');
    const want = search(args, home, bin);
    expect(want.code, want.stderr + want.stdout).toBe(0);
    const before = cacheFiles(home);
    expect(before).toHaveLength(1);

    const bundle = join(pkg, 'dist', 'search.cjs');
    const text = readFileSync(bundle, 'utf8');
    // The same code with one answer changed, and the key the build would give it.
    const changed = text.replace(/\/\/ nevo-tui code cache key: [0-9a-f]+\n$/, '').replace('Nothing in memory matches', 'No memory matches');
    expect(changed).not.toBe(text);
    writeFileSync(bundle, `${changed}// nevo-tui code cache key: 0123456789abcdef01234567\n`);
    const nothing = ['memory', 'search', 'zzqqxxy', '--workspace', workspace];
    expect(search(nothing, home, bin).stdout).toBe('No memory matches "zzqqxxy".\n');
    expect(cacheFiles(home).filter((f) => !before.includes(f))).toHaveLength(1);
    // Without a key, the bundle is hashed: again a cache of its own.
    writeFileSync(bundle, changed.replace('No memory matches', 'Memory has nothing for'));
    expect(search(nothing, home, bin).stdout).toBe('Memory has nothing for "zzqqxxy".\n');
    expect(cacheFiles(home)).toHaveLength(3);
  });
});

describe('the saved search index, between processes', () => {
  it('a search sees a fact another process wrote a moment ago, and a damaged or missing index is built again', () => {
    const home = scratch('nevo-cache-');
    const args = (q: string) => ['memory', 'search', q, '--json', '--workspace', workspace];
    const none = search(args('kubectl'), home);
    expect(JSON.parse(none.stdout).hits, none.stdout + none.stderr).toEqual([]);
    expect(cli(['memory', 'add', 'Deploy with kubectl rollout restart', '--category', 'config', '--workspace', workspace]).code).toBe(0);
    expect(JSON.parse(search(args('kubectl'), home).stdout).hits.map((h: { item: { title: string } }) => h.item.title)).toEqual(['Deploy with kubectl rollout restart']);

    const index = join(workspace, '.cache', 'memory-index.bin');
    writeFileSync(index, 'damaged');
    const after = search(args('kubectl'), home);
    expect(after.code).toBe(0);
    expect(JSON.parse(after.stdout).hits).toHaveLength(1);
    renameSync(index, `${index}.gone`);
    mkdirSync(join(workspace, '.cache'), { recursive: true });
    expect(JSON.parse(search(args('kubectl'), home).stdout).hits).toHaveLength(1);
  });
});
