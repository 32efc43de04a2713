import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { freshWorkspace } from '../helpers/workspace.js';

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
    expect(JSON.parse(r.stdout).hooks.SessionStart[0].hooks[0]).toEqual({ type: 'command', command: 'nevo-tui hook', timeout: 10 });
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
});
