import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverWorkspace } from '../../src/workspace/discover.js';
import { initWorkspace } from '../../src/app/init.js';
import { scratch } from '../helpers/workspace.js';

describe('workspace discovery', () => {
  it('finds the nearest .nevo/ walking up from a nested folder', async () => {
    const project = scratch();
    await initWorkspace({ project, cwd: project });
    const deep = join(project, 'src', 'a', 'b');
    mkdirSync(deep, { recursive: true });
    expect(discoverWorkspace({ cwd: deep })).toBe(join(project, '.nevo'));
  });

  it('prefers --workspace over NEVO_WORKSPACE over the walk', async () => {
    const [a, b, c] = [scratch(), scratch(), scratch()];
    for (const p of [a, b, c]) await initWorkspace({ project: p, cwd: p });
    expect(discoverWorkspace({ flag: join(a, '.nevo'), env: join(b, '.nevo'), cwd: c })).toBe(join(a, '.nevo'));
    expect(discoverWorkspace({ env: join(b, '.nevo'), cwd: c })).toBe(join(b, '.nevo'));
    expect(discoverWorkspace({ cwd: c })).toBe(join(c, '.nevo'));
  });

  it('accepts a project folder for --workspace and finds its .nevo/', async () => {
    const p = scratch();
    await initWorkspace({ project: p, cwd: p });
    expect(discoverWorkspace({ flag: p, cwd: '/' })).toBe(join(p, '.nevo'));
  });

  it('says how to create a workspace when none is found', () => {
    const empty = scratch();
    expect(() => discoverWorkspace({ cwd: empty })).toThrow(/No nevo workspace found.*\n.*nevo-tui init/);
    expect(() => discoverWorkspace({ flag: empty, cwd: empty })).toThrow(/--workspace names .* not a nevo workspace[\s\S]*nevo-tui init/);
  });
});
