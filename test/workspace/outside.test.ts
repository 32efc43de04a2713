import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { handleInput } from '../../src/hook.js';
import { approveSkill, deactivateSkill } from '../../src/skills/deploy.js';
import { cli } from '../helpers/cli.js';
import { freshWorkspace, scratch } from '../helpers/workspace.js';
import { skillMd, writeTree } from '../skills/helpers.js';

// Each of these wrote, read or deleted outside the workspace or the project before.
describe('nothing outside the workspace is written, read or removed', () => {
  it('a .claude/skills that links outside the project: deactivate deletes nothing there, deploy writes nothing there', async () => {
    const ws = await freshWorkspace();
    writeTree(join(ws.root, 'skills'), { 'tree-free/SKILL.md': skillMd('tree-free') });
    await approveSkill(ws, 'tree-free');
    const outside = scratch('nevo-outside-');
    writeTree(outside, { 'tree-free/keep.txt': 'precious' });
    rmSync(join(ws.project, '.claude/skills'), { recursive: true, force: true });
    symlinkSync(outside, join(ws.project, '.claude/skills'));
    await expect(deactivateSkill(ws, 'tree-free', 'test')).rejects.toThrow(/symbolic link .*outside the project/);
    expect(readFileSync(join(outside, 'tree-free/keep.txt'), 'utf8')).toBe('precious');
  });

  it('a skill folder that is a link, or holds hidden files or node_modules, is refused by name', async () => {
    const ws = await freshWorkspace();
    const elsewhere = scratch('nevo-elsewhere-');
    writeTree(elsewhere, { 'SKILL.md': skillMd('linked'), 'id_rsa': 'not for the agent' });
    mkdirSync(join(ws.root, 'skills'), { recursive: true });
    symlinkSync(elsewhere, join(ws.root, 'skills/linked'));
    await expect(approveSkill(ws, 'linked')).rejects.toThrow(/skills\/linked: a symbolic link/);
    expect(existsSync(join(ws.project, '.claude/skills/linked'))).toBe(false);
    writeTree(join(ws.root, 'skills'), { 'dotty/SKILL.md': skillMd('dotty'), 'dotty/.env': 'TOKEN=x' });
    await expect(approveSkill(ws, 'dotty')).rejects.toThrow(/dotty\/\.env: a hidden file/);
    writeTree(join(ws.root, 'skills'), { 'npm/SKILL.md': skillMd('npm'), 'npm/node_modules/x/index.js': '' });
    await expect(approveSkill(ws, 'npm')).rejects.toThrow(/npm\/node_modules: installed packages/);
  });

  it('the hook writes no event through a triggers/ that is a link, and still exits cleanly', async () => {
    const ws = await freshWorkspace();
    const outside = scratch('nevo-outside-');
    rmSync(ws.layout.triggers, { recursive: true, force: true });
    symlinkSync(outside, ws.layout.triggers);
    const payload = { session_id: 's', cwd: ws.project, hook_event_name: 'PostToolUse', tool_name: 'Read', tool_input: { file_path: join(ws.project, 'a') }, tool_response: {} };
    expect(handleInput({ head: Buffer.from(JSON.stringify(payload)), bytes: JSON.stringify(payload).length, timedOut: false }, { CLAUDE_PROJECT_DIR: ws.project })).toBeNull();
    expect(readdirSync(outside)).toEqual([]);
  });

  it('ingest skips a FIFO in triggers/ instead of waiting on it forever', async () => {
    const ws = await freshWorkspace();
    mkdirSync(ws.layout.triggers, { recursive: true });
    execFileSync('mkfifo', [join(ws.layout.triggers, '0000-fifo.json')]);
    // In a child process: a read of the FIFO would block this one for good. The limit only ends a
    // hang; a working ingest takes a fraction of it.
    const r = cli(['ingest', '--json'], { cwd: ws.project, env: { CLAUDE_PROJECT_DIR: ws.project }, timeout: 120_000 });
    expect(r.code).toBe(0);
    expect(existsSync(join(ws.layout.triggers, '0000-fifo.json'))).toBe(true);
  });

  it('a planted .tx-journal.json naming ../../x is set aside, not replayed outside', async () => {
    const ws = await freshWorkspace();
    const outsideName = `nevo-planted-${process.pid}-${Date.now()}`;
    writeFileSync(join(ws.root, '.tx-journal.json'), JSON.stringify({ docs: {}, files: { [`../../${outsideName}`]: 'pwned' } }));
    await ws.store.transact(async (tx) => {
      tx.message('test', 'a change after the plant');
    });
    expect(existsSync(join(ws.root, '..', '..', outsideName))).toBe(false);
    expect(existsSync(join(ws.root, '.tx-journal.json'))).toBe(false);
    expect(readdirSync(ws.root).some((f) => f.startsWith('.tx-journal.refused-'))).toBe(true);
  });
});
