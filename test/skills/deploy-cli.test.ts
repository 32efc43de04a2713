import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { freshWorkspace } from '../helpers/workspace.js';
import { skillMd, writeTree } from './helpers.js';

describe('nevo-tui skills list|show|approve|deploy|deactivate|reactivate', () => {
  it('approves a draft into .claude/skills, shows drift with its diff, redeploys, deactivates and reactivates', async () => {
    const ws = await freshWorkspace();
    writeTree(join(ws.root, 'skills'), { 'tree-free/SKILL.md': skillMd('tree-free') });
    const run = (...args: string[]) => cli(['skills', ...args], { cwd: ws.project });

    let r = run('list', '--json');
    expect(r.code).toBe(0);
    const listed = JSON.parse(r.stdout) as { skills: Array<{ name: string; status: string; tracked: boolean; valid: boolean; drift: string }> };
    expect(listed.skills.find((s) => s.name === 'tree-free')).toMatchObject({ status: 'draft', tracked: false, valid: true, drift: '-' });

    r = run('approve', 'tree-free', '--reason', 'tree is not installed', '--fingerprint', 'fa11');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Approved and deployed tree-free to \.claude\/skills\/tree-free: draft → active \(commit [0-9a-f]{7}\)\.\n$/);
    const deployed = join(ws.project, '.claude/skills/tree-free/SKILL.md');
    expect(readFileSync(deployed, 'utf8')).toBe(skillMd('tree-free'));
    expect(cli(['log', '-n', '1'], { cwd: ws.project }).stdout).toContain('skills: approve tree-free');

    r = run('list');
    expect(r.stdout).toMatch(/^NAME +STATUS +VALID +DRIFT +RECURRENCES$/m);
    expect(r.stdout).toMatch(/^tree-free +active +yes +none +0 since \d{4}-\d{2}-\d{2}$/m);
    expect(r.stdout).toMatch(/^nevo-tui +draft \(untracked\) +yes +- +-$/m);

    writeFileSync(join(ws.root, 'skills/tree-free/SKILL.md'), skillMd('tree-free').replace('Steps.', 'Better steps.'));
    r = run('show', 'tree-free');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('drift: workspace');
    expect(r.stdout).toContain('-Steps.\n+Better steps.');

    r = run('deploy', 'tree-free', '--json');
    expect(JSON.parse(r.stdout)).toMatchObject({ name: 'tree-free', action: 'deploy', record: { status: 'active' } });
    expect(readFileSync(deployed, 'utf8')).toContain('Better steps.');
    expect(JSON.parse(run('show', 'tree-free', '--json').stdout)).toMatchObject({ driftLabel: 'none', diff: '' });

    r = run('deactivate', 'tree-free', '--reason', 'not needed');
    expect(r.stdout).toContain('Deactivated (removed from .claude/skills/, kept in skills/) tree-free: active → inactive');
    expect(existsSync(join(ws.project, '.claude/skills/tree-free'))).toBe(false);
    expect(existsSync(join(ws.root, 'skills/tree-free/SKILL.md'))).toBe(true);

    r = run('reactivate', 'tree-free');
    expect(r.code).toBe(0);
    expect(existsSync(deployed)).toBe(true);
  });

  it('refuses to approve an invalid skill with its errors, exit code 1, nothing deployed', async () => {
    const ws = await freshWorkspace();
    writeTree(join(ws.root, 'skills'), { 'broken/SKILL.md': '# no front matter\n' });
    const r = cli(['skills', 'approve', 'broken'], { cwd: ws.project });
    expect(r.stderr).toMatch(/^nevo-tui: broken is not valid/);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('broken is not valid; nothing was deployed:');
    expect(r.stderr).toContain('SKILL.md must start with YAML frontmatter (---)');
    expect(existsSync(join(ws.project, '.claude/skills/broken'))).toBe(false);
  });
});
