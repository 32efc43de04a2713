// Without a terminal the TUI does not start: it says which commands to use instead and exits 1,
// without a stack trace and without Ink's raw-mode error.
import { spawnSync, type StdioOptions } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { NOT_A_TERMINAL } from '../../src/tui/run.js';
import { cli } from '../helpers/cli.js';
import { CLI } from '../helpers/scripts.js';
import { freshWorkspace } from '../helpers/workspace.js';

const fds: number[] = [];
afterEach(() => {
  for (const fd of fds.splice(0)) closeSync(fd);
});

function run(args: string[], stdio: StdioOptions) {
  const r = spawnSync(process.execPath, [CLI, ...args], { stdio, encoding: 'utf8', env: { ...process.env, NEVO_WORKSPACE: '', NEVO_DEBUG: '' }, timeout: 20_000 });
  return { code: r.status, signal: r.signal, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') };
}

function expectClearRefusal(r: ReturnType<typeof run>) {
  expect(r.signal).toBeNull();
  expect(r.code, r.stderr).toBe(1);
  expect(r.stdout).toBe('');
  expect(r.stderr).toContain(NOT_A_TERMINAL);
  expect(r.stderr).toContain('needs an interactive terminal');
  expect(r.stderr).toContain('nevo-tui rules list');
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.stderr).not.toMatch(/raw mode/i);
  expect(r.stderr).not.toContain('internal error');
  // Nothing of the TUI was drawn: no alternate screen, no cursor games.
  expect(r.stderr + r.stdout).not.toContain('\x1b[');
}

describe('the TUI without a terminal', () => {
  it('exits 1 with stdin from /dev/null and names the commands to use instead', async () => {
    const ws = await freshWorkspace();
    expectClearRefusal(run(['--workspace', ws.root], ['ignore', 'pipe', 'pipe']));
  });

  it('refuses the same way for `tui --screen review` with stdin an open /dev/null', async () => {
    const ws = await freshWorkspace();
    const fd = openSync('/dev/null', 'r');
    fds.push(fd);
    expectClearRefusal(run(['tui', '--screen', 'review', '--workspace', ws.root], [fd, 'pipe', 'pipe']));
  });

  it('names commands that exist', () => {
    const help = cli(['--help']).stdout;
    for (const name of ['status', 'events', 'incidents', 'stats', 'rules', 'log', 'show', 'revert', 'memory']) {
      expect(NOT_A_TERMINAL).toMatch(new RegExp(`(nevo-tui|\\|) ${name}\\b`));
      expect(help, name).toMatch(new RegExp(`^  ${name} `, 'm'));
    }
  });
});
