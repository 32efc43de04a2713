import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { freshWorkspace, scratch } from '../helpers/workspace.js';

/** nevo-tui run from two checkouts and a third place, none with "nevo-tui" in its path. */
const FROM_A = '"/usr/bin/node" "/src/checkout-a/dist/bin.cjs" hook';
const FROM_B = '"/usr/bin/node" "/src/checkout-b/dist/bin.cjs" hook';
const FROM_C = '"/usr/local/bin/node" "/opt/elsewhere/dist/bin.cjs" hook';

/**
 * What the file may hold before install; null: no file. The edit itself is held to the original
 * bytes over many more texts in-process (hooks-settings.test.ts); here the binary's own reading and
 * writing of each scope's file is: none there, a blank one, and one with hooks and other keys.
 */
const BEFORE: (string | null)[] = [null, '  \n', '{\n  "hooks": {\n    "Stop": []\n  },\n  "model": "opus"\n}\n'];

/** Where a scope's file is, and how to run the CLI for it (the user scope under a scratch home). */
async function scopeSetup(scope: 'project' | 'local' | 'user') {
  if (scope === 'user') {
    const home = scratch();
    const env = { HOME: home, USERPROFILE: home };
    return { file: join(home, '.claude', 'settings.json'), run: (args: string[]) => cli([...args, '--scope', 'user'], { cwd: home, env }) };
  }
  const ws = await freshWorkspace();
  const file = join(ws.project, '.claude', scope === 'project' ? 'settings.json' : 'settings.local.json');
  return { file, run: (args: string[]) => cli([...args, '--scope', scope], { cwd: ws.project }) };
}

const existing = `{
    "permissions": { "allow": ["Bash(npm test)"] },
    "hooks": {
        "PostToolUse": [
            { "matcher": "Edit|Write", "hooks": [ { "type": "command", "command": "prettier --write \\"$CLAUDE_FILE\\"" } ] }
        ],
        "Stop": [ { "hooks": [ { "type": "command", "command": "say done", "async": true } ] } ]
    }
}
`;

describe('nevo-tui hooks', () => {
  it('installs into a settings file with other hooks, keeping them byte for byte, and uninstalls cleanly', async () => {
    const ws = await freshWorkspace();
    const file = join(ws.project, '.claude', 'settings.local.json');
    mkdirSync(join(ws.project, '.claude'), { recursive: true });
    writeFileSync(file, existing);
    const r = cli(['hooks', 'install', '--json', '--command', 'nevo-tui hook'], { cwd: ws.project });
    expect(r.code, r.stderr).toBe(0);
    const after = readFileSync(file, 'utf8');
    // Every entry that was there keeps its exact text (an array written on one line gains the new
    // group on that same line, so whole lines may differ; the entries themselves may not).
    for (const entry of [
      '"permissions": { "allow": ["Bash(npm test)"] },',
      '{ "matcher": "Edit|Write", "hooks": [ { "type": "command", "command": "prettier --write \\"$CLAUDE_FILE\\"" } ] }',
      '{ "hooks": [ { "type": "command", "command": "say done", "async": true } ] }',
    ])
      expect(after).toContain(entry);
    const parsed = JSON.parse(after);
    expect(Object.keys(parsed.hooks).sort()).toEqual(['PostToolUse', 'PostToolUseFailure', 'PreToolUse', 'SessionEnd', 'SessionStart', 'Stop', 'SubagentStop', 'TaskCompleted', 'UserPromptSubmit']);
    expect(parsed.hooks.Stop).toHaveLength(2);
    expect(parsed.hooks.PostToolUse[0].matcher).toBe('Edit|Write');

    const again = cli(['hooks', 'install', '--command', 'nevo-tui hook'], { cwd: ws.project });
    expect(again.stdout).toMatch(/nothing changed/);
    expect(readFileSync(file, 'utf8')).toBe(after);

    const status = JSON.parse(cli(['hooks', 'status', '--json', '--command', 'nevo-tui hook'], { cwd: ws.project }).stdout);
    expect(JSON.stringify(status)).toContain('PostToolUseFailure');

    expect(cli(['hooks', 'uninstall', '--command', 'nevo-tui hook'], { cwd: ws.project }).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(existing);
  });

  it('prints the result with --dry-run and writes nothing', async () => {
    const ws = await freshWorkspace();
    const r = cli(['hooks', 'install', '--dry-run', '--scope', 'project', '--command', 'nevo-tui hook'], { cwd: ws.project });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).hooks.SessionStart[0].hooks[0]).toEqual({ type: 'command', command: 'nevo-tui hook # nevo-tui-hook created=file', timeout: 10 });
    expect(existsSync(join(ws.project, '.claude', 'settings.json'))).toBe(false);
  });

  it('refuses a settings file that is not valid JSON and leaves it untouched', async () => {
    const ws = await freshWorkspace();
    mkdirSync(join(ws.project, '.claude'), { recursive: true });
    const file = join(ws.project, '.claude', 'settings.local.json');
    writeFileSync(file, '{ "hooks": { "Stop": [ }');
    const r = cli(['hooks', 'install'], { cwd: ws.project });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/settings\.local\.json.*not valid JSON.*line 1/);
    expect(readFileSync(file, 'utf8')).toBe('{ "hooks": { "Stop": [ }');
  });

  it.each(['project', 'local', 'user'] as const)('gives back the original bytes after install and uninstall (%s scope)', async (scope) => {
    const { file, run } = await scopeSetup(scope);
    for (const before of BEFORE) {
      const label = JSON.stringify(before);
      rmSync(file, { force: true });
      if (before !== null) {
        mkdirSync(join(file, '..'), { recursive: true });
        writeFileSync(file, before);
      }
      const install = run(['hooks', 'install', '--command', FROM_A]);
      expect(install.code, `${label}: ${install.stderr}`).toBe(0);
      expect(JSON.parse(run(['hooks', 'status', '--json', '--command', FROM_A]).stdout).installed, label).toBe(9);
      const uninstall = run(['hooks', 'uninstall', '--command', FROM_A]);
      expect(uninstall.code, `${label}: ${uninstall.stderr}`).toBe(0);
      if (before === null) {
        expect(existsSync(file), label).toBe(false);
        expect(uninstall.stdout).toMatch(/and the file, which install had created/);
      } else expect(readFileSync(file, 'utf8'), label).toBe(before);
    }
  });

  it('installed from a second path, updates its handlers instead of adding more, and status counts them', async () => {
    const { file, run } = await scopeSetup('local');
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, existing);
    expect(run(['hooks', 'install', '--command', FROM_A]).code).toBe(0);
    const second = run(['hooks', 'install', '--command', FROM_B]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/Updated the command/);
    const text = readFileSync(file, 'utf8');
    const handlers = Object.values(JSON.parse(text).hooks as Record<string, { hooks: { command: string }[] }[]>).flatMap((groups) =>
      groups.flatMap((g) => g.hooks.map((h) => h.command)),
    );
    const nevo = handlers.filter((c) => c.includes('# nevo-tui-hook'));
    expect(nevo).toHaveLength(9);
    expect(nevo.every((c) => c.startsWith(`${FROM_B} #`))).toBe(true);
    const status = JSON.parse(run(['hooks', 'status', '--json', '--command', FROM_C]).stdout);
    expect(status.installed).toBe(9);
    expect(run(['hooks', 'install', '--command', FROM_B]).stdout).toMatch(/nothing changed/);
    expect(run(['hooks', 'uninstall', '--command', FROM_C]).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(existing);
  });

  it('leaves handlers that only look like nevo-tui’s', async () => {
    const { file, run } = await scopeSetup('project');
    const text = `{
  "hooks": {
    "Stop": [
      { "hooks": [ { "type": "command", "command": "notify-nevo-tui-channel.sh hook" } ] },
      { "hooks": [ { "type": "command", "command": "NEVO_WORKSPACE=/other nevo-tui hook" } ] }
    ]
  }
}
`;
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, text);
    const r = run(['hooks', 'uninstall']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/No nevo-tui hooks/);
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect(JSON.parse(run(['hooks', 'status', '--json']).stdout).installed).toBe(0);
  });

  it('with --dry-run, says uninstall would delete the file install created, and keeps it', async () => {
    const { file, run } = await scopeSetup('project');
    expect(run(['hooks', 'install', '--command', FROM_A]).code).toBe(0);
    const installed = readFileSync(file, 'utf8');
    const r = run(['hooks', 'uninstall', '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/would delete .*settings\.json/);
    expect(r.stdout).toBe('');
    expect(readFileSync(file, 'utf8')).toBe(installed);
  });
});
