import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/workspace/config.js';
import { initWorkspace } from '../../src/app/init.js';
import { cli } from '../helpers/cli.js';
import { scratch } from '../helpers/workspace.js';

const git = (dir: string, ...args: string[]) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' });

describe('nevo-tui init', () => {
  it('creates the layout, seeds rules and skills, writes every config default and commits once', async () => {
    const project = scratch();
    const r = await initWorkspace({ project, cwd: project });
    const ws = join(project, '.nevo');
    expect(r).toMatchObject({ workspace: ws, created: true });
    for (const d of ['store', 'rules', 'skills', 'journal', 'triggers']) expect(existsSync(join(ws, d))).toBe(true);
    expect(readdirSync(join(ws, 'rules')).sort()).toEqual(readdirSync('rules').sort());
    expect(existsSync(join(ws, 'skills', 'nevo-tui', 'SKILL.md'))).toBe(true);
    const config = JSON.parse(readFileSync(join(ws, 'config.json'), 'utf8'));
    expect(config).toEqual(configSchema.parse({}));
    expect(config.author).toEqual({ name: 'nevo-tui', email: 'nevo-tui@localhost' });
    expect(readFileSync(join(ws, '.gitignore'), 'utf8')).toMatch(/^triggers\/$/m);

    // The system's git reads what isomorphic-git wrote.
    expect(git(ws, 'log', '--format=%an <%ae>|%s')).toBe('nevo-tui <nevo-tui@localhost>|workspace: init (nevo-tui 0.1.0)\n');
    expect(git(ws, 'show', '--stat', 'HEAD')).toContain('rules/AGENT-001.md');
    expect(git(ws, 'status', '--porcelain')).toBe('');
    execFileSync('git', ['-C', ws, 'fsck', '--strict'], { stdio: 'pipe' });
  });

  it('changes nothing the second time and says so', async () => {
    const project = scratch();
    const first = cli(['init', project]);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Created workspace');
    const ws = join(project, '.nevo');
    const before = git(ws, 'log', '--format=%H');
    const configBefore = readFileSync(join(ws, 'config.json'), 'utf8');
    const again = cli(['init', project]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/already exists; nothing changed/);
    expect(git(ws, 'log', '--format=%H')).toBe(before);
    expect(readFileSync(join(ws, 'config.json'), 'utf8')).toBe(configBefore);
    expect(JSON.parse(cli(['init', project, '--json']).stdout)).toMatchObject({ created: false, commit: null });
  });
});
