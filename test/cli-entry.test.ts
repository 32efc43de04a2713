// Every command but the TUI's runs from one CommonJS bundle (dist/cli.cjs) through V8's code
// cache (src/bin.cjs), one cache per command. Whatever the cache holds, a command must answer as
// the ES module CLI does. The TUI's commands start from a bundle of their own (dist/tui.cjs), with
// a cache of its own written once the first screen is drawn.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, initProject, type CliResult } from './helpers/cli.js';
import { buildProgram } from '../src/main.js';
import { cacheFiles } from './helpers/code-cache.js';
import { REPO } from './helpers/scripts.js';
import { quitAndCheckRestored, Terminal, terminalEnv } from './helpers/tmux.js';
import { scratch } from './helpers/workspace.js';

let project: string;
let workspace: string;
beforeAll(() => {
  ({ project, workspace } = initProject());
});
afterAll(() => rmSync(project, { recursive: true, force: true }));

const env = (extra: Record<string, string> = {}) => ({ ...process.env, NODE_ENV: 'production', NEVO_WORKSPACE: '', NEVO_CLAUDE_VERSION: '', ...extra });
const run = (file: string, args: string[], extra: Record<string, string> = {}): CliResult => {
  const r = spawnSync(process.execPath, [join(REPO, 'dist', file), ...args], { encoding: 'utf8', env: env(extra) });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
};
const viaBin = (args: string[], cacheHome: string) => run('bin.cjs', args, { XDG_CACHE_HOME: cacheHome });
/** The same command through the ES module CLI, which has no code cache. */
const viaModules = (args: string[]) => run('cli.js', args);
/** What moves between two runs of one command: commit hashes and times. */
const seen = (r: CliResult) => ({ code: r.code, out: r.stdout.replace(/\b[0-9a-f]{7,40}\b/g, 'H').replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, 'T'), err: r.stderr });

describe('commands through their CommonJS bundle', () => {
  it('answer as the ES module CLI does, cached or not, with one cache per command and subcommand', () => {
    const home = scratch('nevo-cache-');
    const commands = [
      ['rules', 'list', '--json', '--workspace', workspace],
      ['rules', '--workspace', workspace],
      ['--workspace', workspace, 'status', '--json'],
      ['incidents', 'list', '--workspace', workspace],
      ['skills', 'list', '--json', '--workspace', workspace],
      ['--version'],
      ['rules', '--help'],
    ];
    for (const args of commands) {
      const want = viaModules(args);
      expect(want.code, args.join(' ') + want.stderr).toBe(0);
      expect(seen(viaBin(args, home)), args.join(' ')).toEqual(seen(want));
      expect(seen(viaBin(args, home)), `${args.join(' ')}, cached`).toEqual(seen(want));
    }
    expect(cacheFiles(home).map((f) => f.replace(/-[0-9a-f]{24}-.*$/, ''))).toEqual(['cli.cjs-incidents-list', 'cli.cjs-other', 'cli.cjs-rules', 'cli.cjs-rules-list', 'cli.cjs-skills-list', 'cli.cjs-status']);
  });

  it('say a mistake as the ES module CLI does, as text and as JSON', () => {
    const home = scratch('nevo-cache-');
    for (const args of [
      ['rules', 'show', 'PROJ-999', '--json', '--workspace', workspace],
      ['rules', 'show', 'PROJ-999', '--workspace', workspace],
      ['rules', 'approve', 'PROJ-999', '--workspace', workspace],
      ['status', '--no-such-option', '--workspace', workspace],
      ['no-such-command'],
      ['status', '--workspace', join(workspace, 'missing')],
    ]) {
      const want = viaModules(args);
      expect(want.code, args.join(' ')).not.toBe(0);
      expect(seen(viaBin(args, home)), args.join(' ')).toEqual(seen(want));
    }
  });

  it('approve a rule from the bundle: the rule, its commit and the agent copy are written', () => {
    const home = scratch('nevo-cache-');
    const rule = join(workspace, 'rules', 'PROJ-501.md');
    writeFileSync(rule, ['---', 'id: PROJ-501', 'title: Use pnpm in this repository', 'scope: project', 'status: proposed', 'trigger: Before installing packages', 'enforcement: Run pnpm install', 'verification: No npm lockfile appears', 'incidents: []', 'novelty: "checked: no overlap"', 'created: 2026-12-01', 'updated: 2026-12-01', 'hits: 0', '---', 'Install packages with pnpm, not npm.', ''].join('\n'));
    const r = viaBin(['rules', 'approve', 'PROJ-501', '--json', '--workspace', workspace], home);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ rule: { id: 'PROJ-501', status: 'active' }, commit: expect.stringMatching(/^[0-9a-f]{40}$/) });
    expect(readFileSync(rule, 'utf8')).toContain('status: active');
    expect(readFileSync(join(project, '.claude', 'rules', 'nevo', 'PROJ-501.md'), 'utf8')).toContain('Install packages with pnpm');
    const log = viaBin(['log', '--json', '--workspace', workspace], home);
    expect(log.stdout).toContain('approve PROJ-501');
  });

  it('searches memory without loading what only a change or a spawn needs: no child_process, crypto or zlib, and no zod translation but English', () => {
    // Node compiles each of these built-ins at the start that first requires it (5 to 8 ms each on
    // this project's machines), and the search never uses them; the translations were 370 KB of the bundle.
    const home = scratch('nevo-cache-');
    const probe = join(home, 'loaded.cjs');
    writeFileSync(probe, "process.on('exit', () => process.stderr.write('\\nLOADED ' + process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13)).join(' ')));");
    const r = spawnSync(process.execPath, ['--require', probe, join(REPO, 'dist', 'bin.cjs'), 'memory', 'search', 'pnpm', '--json', '--workspace', workspace], { encoding: 'utf8', env: env({ XDG_CACHE_HOME: home }) });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ query: 'pnpm', hits: expect.any(Array) });
    const loaded = /LOADED (.*)$/.exec(r.stderr)?.[1]?.split(' ') ?? [];
    expect(loaded).toContain('fs');
    expect(loaded.filter((m) => ['child_process', 'crypto', 'zlib'].includes(m))).toEqual([]);
    for (const bundle of ['search.cjs', 'cli.cjs', 'tui.cjs']) {
      const sources: string[] = JSON.parse(readFileSync(join(REPO, 'dist', `${bundle}.map`), 'utf8')).sources;
      expect(sources.filter((s) => s.includes('zod/v4/locales/')).map((s) => s.replace(/^.*\//, '')).filter((f) => f !== 'index.js'), bundle).toEqual(['en.js']);
    }
  });

  it('starts the real TUI from its own bundle: one code cache written at its first frame with data, read by the next start', async () => {
    const home = scratch('nevo-cache-');
    const tuiCache = () => cacheFiles(home).filter((f) => f.startsWith('tui.cjs-'));
    const first = new Terminal(80, 24, terminalEnv({ XDG_CACHE_HOME: home })).start(['--workspace', workspace]);
    // Quit as soon as the data is on screen: a session that short leaves the cache too.
    await first.waitForText(/Today \d+ tool calls/);
    await quitAndCheckRestored(first, 'q');
    expect(tuiCache()).toHaveLength(1);
    const [file] = tuiCache();
    const written = statSync(join(home, 'nevo-tui', 'code-cache', file!)).mtimeMs;
    const second = new Terminal(80, 24, terminalEnv({ XDG_CACHE_HOME: home })).start(['--workspace', workspace]);
    await second.waitForText(/1 Watch/);
    // Longer than the wait before a save: a cache V8 took is not written again.
    await new Promise((r) => setTimeout(r, 4_000));
    await quitAndCheckRestored(second, 'q');
    expect(tuiCache()).toEqual([file]);
    expect(statSync(join(home, 'nevo-tui', 'code-cache', file!)).mtimeMs).toBe(written);
  });

  it('sends the TUI to its own bundle: `tui` and no command still say they need a terminal, and write no cache', () => {
    const home = scratch('nevo-cache-');
    // The workspace flag in every spelling commander takes, and a `--` before the command.
    for (const args of [['tui', '--workspace', workspace], ['--workspace', workspace], [`-w${workspace}`, 'tui'], ['-w', workspace, '--', 'tui'], [`--workspace=${workspace}`, 'tui']]) {
      const r = viaBin(args, home);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toContain('the TUI needs an interactive terminal');
    }
    expect(cacheFiles(home)).toEqual([]);
  });

  it('keeps a cache for each command and subcommand of the program, and one for every other word', () => {
    const bin = readFileSync(join(REPO, 'src', 'bin.cjs'), 'utf8');
    const literal = /const COMMANDS = (\{[\s\S]*?\n\});/.exec(bin)![1]!.replace(/'/g, '"').replace(/([a-z]+):/g, '"$1":').replace(/,(\s*[\]}])/g, '$1');
    const listed = JSON.parse(literal) as Record<string, string[]>;
    const program = Object.fromEntries([...buildProgram().commands.map((c) => [c.name(), c.commands.map((s) => s.name())] as const), ['help', []]]);
    expect(listed).toEqual(program);
    const home = scratch('nevo-cache-');
    for (const typo of ['staus', 'rulez', 'foo']) expect(viaBin([typo, '--workspace', workspace], home).code).toBe(1);
    expect(viaBin(['rules', 'lsit', '--workspace', workspace], home).code).toBe(1);
    expect(viaBin(['rules', 'list', '--workspace', workspace], home).code).toBe(0);
    expect(viaBin(['rules', 'show', 'AGENT-001', '--workspace', workspace], home).code).toBe(0);
    expect(cacheFiles(home).map((f) => f.replace(/-[0-9a-f]{24}-.*$/, ''))).toEqual(['cli.cjs-other', 'cli.cjs-rules', 'cli.cjs-rules-list', 'cli.cjs-rules-show']);
  });

  it('prunes by build: the files of the three newest other builds stay whatever their command, the rest go, and a temporary file is no build', () => {
    const home = scratch('nevo-cache-');
    const dir = join(home, 'nevo-tui', 'code-cache');
    mkdirSync(dir, { recursive: true });
    // Five older builds of the `rules` group's cache (from before its subcommands had their own) and of `rules list`'s.
    const old = (name: string, i: number) => `${name}-${String(i).repeat(24)}-${process.version}-${process.arch}`;
    const stale = (file: string, at: number) => {
      writeFileSync(join(dir, file), 'stale');
      utimesSync(join(dir, file), at, at);
    };
    for (let i = 1; i <= 5; i++) for (const name of ['cli.cjs-rules', 'cli.cjs-rules-list']) stale(old(name, i), i * 1000);
    // A write another run left half done, the newest file of all: not a build, and not this run's to remove.
    stale(`${old('cli.cjs-rules-show', 9)}.4242.tmp`, 9000);
    expect(viaBin(['rules', 'list', '--workspace', workspace], home).code).toBe(0);
    const left = cacheFiles(home);
    for (const name of ['cli.cjs-rules', 'cli.cjs-rules-list']) {
      for (const i of [3, 4, 5]) expect(left).toContain(old(name, i));
      for (const i of [1, 2]) expect(left).not.toContain(old(name, i));
    }
    expect(left).toContain(`${old('cli.cjs-rules-show', 9)}.4242.tmp`);
    // And this run's own cache, of the build under test.
    expect(left.filter((f) => f.startsWith('cli.cjs-rules-list-') && !/^cli\.cjs-rules-list-(\d)\1{23}-/.test(f))).toHaveLength(1);
  });


});
