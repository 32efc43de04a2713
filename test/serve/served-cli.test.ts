// The agent's `nevo-tui memory search` while the daemon or the TUI is open: the real binary, real
// processes, a real terminal. A copy of the executable without dist/search.cjs can only answer
// through the open process, so an answer from it shows the search was served there.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, type CliResult } from '../helpers/cli.js';
import { closeAfterTest } from '../helpers/cleanup.js';
import { CLI, REPO } from '../helpers/scripts.js';
import { quitAndCheckRestored, Terminal, terminalEnv } from '../helpers/tmux.js';
import { freshWorkspace, scratch } from '../helpers/workspace.js';

/** The executable and what it asks an open process with, but no bundle to run a command itself. */
function clientOnly(): string {
  const dir = scratch('nevo-client-');
  for (const f of ['bin.cjs', 'client.cjs', 'build-id']) copyFileSync(join(REPO, 'dist', f), join(dir, f));
  return dir;
}

/** Runs `bin` with this process's environment and `env` over it, or with `env` alone when `whole`. */
function run(bin: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, whole = false): CliResult {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: whole ? env : { ...process.env, NEVO_WORKSPACE: '', ...env } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

async function until(what: () => boolean): Promise<void> {
  const end = Date.now() + 30_000;
  while (!what()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A workspace that remembers two facts, and a runtime folder of the test's own for the socket. */
async function remembering() {
  const ws = await freshWorkspace();
  // A process busy with its catch-up jobs takes a request late: a slow machine must not make the
  // client search itself, which the copy without a search cannot.
  const env = { XDG_RUNTIME_DIR: scratch('nevo-run-'), NEVO_SERVE_WAIT_MS: '60000' };
  for (const fact of ['The project uses pnpm, not npm', 'Run the tests with vitest run']) expect(cli(['memory', 'add', '--category', 'preference', fact], { cwd: ws.project, env }).code).toBe(0);
  const sockets = () => (existsSync(join(env.XDG_RUNTIME_DIR, 'nevo-tui')) ? readdirSync(join(env.XDG_RUNTIME_DIR, 'nevo-tui')) : []);
  return { ws, env, sockets };
}

describe('memory search served by an open process', () => {
  it('is answered by the daemon while it runs, as the command answers itself, and runs locally once it stopped', async () => {
    const { ws, env, sockets } = await remembering();
    const local = run(CLI, ['memory', 'search', 'pnpm'], ws.project, { ...env, NEVO_SERVE: '0' });
    expect(local.code, local.stderr).toBe(0);
    expect(local.stdout).toContain('The project uses pnpm, not npm');
    const bin = join(clientOnly(), 'bin.cjs');
    // Nobody serves yet: the copy has no search of its own and fails.
    expect(run(bin, ['memory', 'search', 'pnpm'], ws.project, env).code).not.toBe(0);

    const child = spawn(process.execPath, [CLI, 'daemon'], { cwd: ws.project, env: { ...process.env, NEVO_WORKSPACE: '', ...env } });
    closeAfterTest(() => void child.kill('SIGKILL'));
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const exited = new Promise((r) => child.on('exit', r));
    await until(() => out.includes('answering memory search for this workspace'));
    expect(sockets()).toHaveLength(1);

    expect(run(bin, ['memory', 'search', 'pnpm'], ws.project, env)).toEqual(local);
    const json = run(bin, ['memory', 'search', 'vitest', '--json', '--workspace', ws.root], '/', env);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout).hits.map((h: { item: { title: string } }) => h.item.title)).toEqual(['Run the tests with vitest run']);
    // A mistake is said as the command says it, with its exit code.
    const bad = run(bin, ['memory', 'search', 'x', '--limit', 'none'], ws.project, env);
    expect(bad).toEqual(run(CLI, ['memory', 'search', 'x', '--limit', 'none'], ws.project, { ...env, NEVO_SERVE: '0' }));
    expect(bad.code).toBe(1);
    // Another environment is not served: the copy cannot run it.
    expect(run(bin, ['memory', 'search', 'pnpm'], ws.project, { ...env, TZ: 'Asia/Tokyo' }).code).not.toBe(0);

    child.kill('SIGTERM');
    await exited;
    expect(sockets()).toEqual([]);
    expect(run(CLI, ['memory', 'search', 'pnpm'], ws.project, env)).toEqual(local);
  });

  it('is answered by the TUI left open as a watch pane, and no longer once it quit', async () => {
    const { ws, env, sockets } = await remembering();
    const term = new Terminal(100, 30, terminalEnv(env)).start(['--workspace', ws.root]);
    await term.waitForText('Watch');
    await until(() => sockets().length === 1);
    const bin = join(clientOnly(), 'bin.cjs');
    // The environment of the terminal the TUI runs in, as an agent started there would have it.
    // Printed by the TUI's process, whose output is a terminal, the answer is the one printed to a
    // pipe: no colour comes with it.
    const r = run(bin, ['memory', 'search', 'pnpm'], ws.project, { ...terminalEnv(env), NO_COLOR: '1' }, true);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('The project uses pnpm, not npm');
    expect(r).toEqual(run(CLI, ['memory', 'search', 'pnpm'], ws.project, { ...terminalEnv(env), NEVO_SERVE: '0' }, true));
    await quitAndCheckRestored(term, 'q');
    expect(sockets()).toEqual([]);
    expect(run(bin, ['memory', 'search', 'pnpm'], ws.project, terminalEnv(env), true).code).not.toBe(0);
  });

  it('leaves no socket, and the terminal as it was (out of the alternate screen), when the TUI is stopped or its terminal closes', async () => {
    for (const [signal, code] of [['SIGTERM', 143], ['SIGHUP', 129]] as const) {
      const { ws, env, sockets } = await remembering();
      const term = new Terminal(100, 30, terminalEnv(env)).start(['--workspace', ws.root]);
      await term.waitForText('Watch');
      await until(() => sockets().length === 1);
      // The pane runs a shell that runs the TUI (test/helpers/tmux.ts).
      const tui = Number(execFileSync('pgrep', ['-P', term.format('#{pane_pid}')], { encoding: 'utf8' }).trim().split('\n')[0]);
      process.kill(tui, signal);
      const after = await term.waitForText(/\[nevo-tui exited \d+\]/);
      expect(after, signal).toContain(`[nevo-tui exited ${code}]`);
      expect(after, signal).toContain('[tty modes restored]');
      // Out of the alternate screen: the person's scrollback is back (before, it was left on).
      expect(term.format('#{alternate_on}'), signal).toBe('0');
      expect(sockets(), signal).toEqual([]);
    }
  });
});
