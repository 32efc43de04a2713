// The hook entries of the project's settings follow the guards: a rule change compiles the
// PreToolUse `if` handlers again, under the workspace lock (issue 16, item 8).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { freshWorkspace } from '../helpers/workspace.js';

function handlers(file: string, event: string): { command: string; if?: string; async?: boolean }[] {
  return (JSON.parse(readFileSync(file, 'utf8')).hooks[event] ?? []).flatMap((g: { hooks: unknown[] }) => g.hooks);
}

describe('the settings follow the guards', () => {
  it('a rule change compiles the PreToolUse `if` handlers again, in the files written for a known Claude Code version only', async () => {
    const ws = await freshWorkspace();
    const project = join(ws.project, '.claude', 'settings.json');
    const local = join(ws.project, '.claude', 'settings.local.json');
    expect(cli(['hooks', 'install', '--scope', 'project', '--claude-version', '2.1.332', '--command', 'nevo-tui hook'], { cwd: ws.project }).code).toBe(0);
    expect(cli(['hooks', 'install', '--command', 'nevo-tui hook'], { cwd: ws.project }).code).toBe(0);
    const before = { project: readFileSync(project, 'utf8'), local: readFileSync(local, 'utf8') };
    expect(handlers(project, 'PreToolUse')).toEqual([]);

    const edit = cli(['rules', 'edit', 'AGENT-001', '--guard', '{"tool":"Bash","program":"pnmp"}', '--json'], { cwd: ws.project });
    expect(edit.code, edit.stderr).toBe(0);
    expect(JSON.parse(edit.stdout).export.hooks).toEqual([{ file: '.claude/settings.json', changed: true }]);
    expect(handlers(project, 'PreToolUse').map((h) => h.if)).toEqual(['Bash(*pnmp*)']);
    // Written for no known version: the form every version reads, which has no guard in it.
    expect(readFileSync(local, 'utf8')).toBe(before.local);

    expect(cli(['rules', 'deprecate', 'AGENT-001'], { cwd: ws.project }).code).toBe(0);
    expect(readFileSync(project, 'utf8')).toBe(before.project);
  });

  it('a settings file that is not valid JSON does not stop the rule change, and is named', async () => {
    const ws = await freshWorkspace();
    expect(cli(['hooks', 'install', '--scope', 'project', '--claude-version', '2.1.332'], { cwd: ws.project }).code).toBe(0);
    const file = join(ws.project, '.claude', 'settings.json');
    writeFileSync(file, `${readFileSync(file, 'utf8')},`);
    const r = cli(['rules', 'edit', 'AGENT-001', '--guard', '{"tool":"Bash","program":"pnmp"}'], { cwd: ws.project });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^nevo-tui: warning: the PreToolUse hook entries of \.claude\/settings\.json were not brought in step with the guards \(.*not valid JSON/);
  });
});
