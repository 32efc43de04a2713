import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../src/main.js';
import { cli } from './helpers/cli.js';
import { freshWorkspace, scratch } from './helpers/workspace.js';

describe('the nevo-tui command line', () => {
  it('prints its version', () => {
    const r = cli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('has --help on every command', () => {
    const names = buildProgram().commands.map((c) => c.name());
    expect(names.length).toBeGreaterThan(5);
    for (const name of names) {
      const r = cli([name, '--help']);
      expect(r.code, name).toBe(0);
      expect(r.stdout, name).toContain(`Usage: nevo-tui ${name}`);
    }
  });

  it('lists every declaration, and a declaration loads nothing of its command until it runs', () => {
    // What `nevo-tui --help` (and every start) pays for: commander and the declarations, not the store or git.
    const staticImports = (file: string) => [...readFileSync(file, 'utf8').matchAll(/^import (?!type )[^;]*? from '([^']+)';/gm)].map((m) => m[1]!);
    const declarations = readdirSync('src/commands').filter((f) => f.endsWith('.cmd.ts'));
    for (const f of declarations) expect(staticImports(join('src/commands', f)).filter((i) => i !== 'commander' && i !== './declare.js'), f).toEqual([]);
    expect(staticImports('src/commands/declare.ts').filter((i) => i !== 'commander' && i !== '../errors.js')).toEqual([]);
    expect(staticImports('src/main.ts').filter((i) => i.startsWith('./commands/') && !i.endsWith('.cmd.js') && i !== './commands/program.js')).toEqual([]);
    // The program every entry shares: commander, and how errors are said and where (output.ts: a served search keeps them).
    expect(staticImports('src/commands/program.ts').filter((i) => i !== 'commander' && i !== '../errors.js' && i !== '../output.js' && !i.startsWith('../util/'))).toEqual([]);
    expect(buildProgram().commands).toHaveLength(declarations.length);
  });

  it('exits 1 with a message and no stack trace on a user error', () => {
    const r = cli(['status'], { cwd: scratch() });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^nevo-tui: No nevo workspace found/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const unknown = cli(['frobnicate']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/unknown command 'frobnicate'/);
  });

  it('exits 2 on an internal error, with the stack only under NEVO_DEBUG=1', async () => {
    const ws = await freshWorkspace();
    await ws.store.transact((tx) => tx.writeFile('rules/PROJ-001.md', 'x\n'));
    const { rmSync, mkdirSync } = await import('node:fs');
    // A document replaced by a folder is damage no user-level check anticipates.
    rmSync(`${ws.root}/rules/PROJ-001.md`);
    mkdirSync(`${ws.root}/rules/PROJ-001.md`);
    const plain = cli(['rules', 'list'], { cwd: ws.project });
    expect(plain.code).toBe(2);
    expect(plain.stderr).toMatch(/^nevo-tui: internal error: .*EISDIR/);
    expect(plain.stderr).toContain('NEVO_DEBUG=1');
    expect(plain.stderr).not.toMatch(/\n\s+at /);
    const debug = cli(['rules', 'list'], { cwd: ws.project, env: { NEVO_DEBUG: '1' } });
    expect(debug.code).toBe(2);
    expect(debug.stderr).toMatch(/\n\s+at /);
  });

  it('prints JSON that parses for status and log', async () => {
    const ws = await freshWorkspace();
    const status = JSON.parse(cli(['status', '--json'], { cwd: ws.project }).stdout);
    expect(status).toMatchObject({ workspace: ws.root, rules: 3, skills: 3, documents: { events: 0, incidents: 0 } });
    expect(status.lastCommit.subject).toMatch(/^workspace: init/);
    const log = JSON.parse(cli(['log', '--json'], { cwd: ws.project }).stdout);
    expect(log.commits).toHaveLength(1);
  });
});

describe('errors and help a script or a person can read', () => {
  it('with --json, a failure is JSON on stdout with a non-zero exit', () => {
    const r = cli(['status', '--json', '--workspace', '/nonexistent-nevo-workspace']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { kind: 'user', message: expect.stringContaining('not a nevo workspace') } });
  });
  it('words a refused edit with a number that agrees: non-empty text, not "at least 1 characters"', async () => {
    const ws = await freshWorkspace();
    const r = cli(['rules', 'edit', 'AGENT-001', '--title', '', '--json'], { cwd: ws.project });
    expect(r.code).toBe(1);
    const { message } = JSON.parse(r.stdout).error;
    expect(message).toContain('title is ""; expected non-empty text');
    expect(message).not.toContain('1 characters');
  });
  it('with --json, a mistake on the command line is JSON on stdout too, whatever command and whatever mistake', () => {
    for (const [args, said] of [
      [['rules', 'list', '--bogus', '--json'], "unknown option '--bogus'"],
      [['frobnicate', '--json'], "unknown command 'frobnicate'"],
      [['memory', 'add', 'Use pnpm', '--json'], "required option '--category <c>' not specified"],
      [['hooks', '--json'], "missing required argument 'action'"],
      [['events', '--json', '--limit'], "option '-n, --limit <n>' argument missing"],
      [['review', '--json', 'extra', 'words'], 'too many arguments'],
    ] as const) {
      const r = cli([...args]);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr, args.join(' ')).toBe('');
      expect(JSON.parse(r.stdout), args.join(' ')).toEqual({ error: { kind: 'user', message: expect.stringContaining(said) } });
      expect(JSON.parse(r.stdout).error.message, args.join(' ')).not.toMatch(/^(error|nevo-tui):/);
    }
    // without --json, the same mistake is text on stderr with nevo-tui's prefix
    const plain = cli(['rules', 'list', '--bogus']);
    expect(plain.code).toBe(1);
    expect(plain.stdout).toBe('');
    expect(plain.stderr).toMatch(/^nevo-tui: unknown option '--bogus'\n/);
  });
  it('says a value outside its choices the same way for every option and action', () => {
    expect(cli(['hooks', 'install', '--scope', 'nope']).stderr).toBe('nevo-tui: --scope must be one of project, local, user, not "nope".\n');
    expect(cli(['tui', '--screen', 'nope']).stderr).toBe('nevo-tui: --screen must be one of watch, review, rules, incidents, history, memory, skills, jobs, not "nope".\n');
    expect(cli(['hooks', 'frob']).stderr).toBe('nevo-tui: Unknown action "frob"; use install, uninstall or status.\n');
  });
  it('reads the action words of rules, incidents and hooks as subcommands: options before the word, no word, an unknown word', async () => {
    const ws = await freshWorkspace();
    const run = (...args: string[]) => cli(args, { cwd: ws.project });
    expect(JSON.parse(run('rules', '--json', 'show', 'AGENT-001').stdout).rule.id).toBe('AGENT-001');
    expect(JSON.parse(run('rules', 'show', 'AGENT-001', '--json').stdout).rule.id).toBe('AGENT-001');
    expect(JSON.parse(run('rules', '--status', 'active', '--json').stdout).rules.map((r: { status: string }) => r.status)).toEqual(['active', 'active', 'active']);
    expect(JSON.parse(run('incidents', '--json').stdout)).toEqual({ incidents: [] });
    expect(run('incidents', '--sort', 'nope').stderr).toBe('nevo-tui: --sort must be one of count, last, category, not "nope".\n');
    expect(run('rules', 'frob').stderr).toBe('nevo-tui: Unknown action "frob"; use list, show, approve, reject, edit, deprecate, restore, promote, lint or export.\n');
    expect(run('incidents', 'frob', 'x').stderr).toBe('nevo-tui: Unknown action "frob"; use list, show ID or dismiss ID.\n');
    expect(run('rules', 'show').stderr).toBe('nevo-tui: Which rule? `nevo-tui rules show ID`.\n');
    const missing = run('hooks');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^nevo-tui: missing required argument 'action'\n/);
    expect(run('rules', 'show', '--help').stdout).toContain('Usage: nevo-tui rules show [options] [id]');
  });
  it("gives commander's own errors nevo-tui's prefix, and describes the hook on hook --help", () => {
    expect(cli(['status', '--bogus']).stderr).toMatch(/^nevo-tui: unknown option '--bogus'/);
    const help = cli(['hook', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: nevo-tui hook');
  });
});
