import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { patchIndex } from '../../src/store/git-index.js';
import { History } from '../../src/store/history.js';
import { scratch } from '../helpers/workspace.js';

const sha1 = (data: Buffer) => createHash('sha1').update(data).digest();

const git = (dir: string, ...args: string[]) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' });

function repo(): { dir: string; history: History; write: (rel: string, text: string) => void } {
  const dir = scratch('nevo-history-');
  let t = Date.parse('2026-03-01T10:00:00Z');
  const history = new History(dir, { name: 'nevo', email: 'nevo@localhost' }, () => new Date((t += 1000)));
  const write = (rel: string, text: string) => {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  };
  return { dir, history, write };
}

describe('history commits', () => {
  it('commits exactly the paths it is given, in nested folders, and leaves git status clean for them', async () => {
    const { dir, history, write } = repo();
    await history.init();
    write('rules/PROJ-001.md', 'one\n');
    write('journal/raw/2026-03-01/s1.jsonl', '{"a":1}\n');
    write('store/incidents/2026-03.json', '{"version":1,"records":[]}\n');
    expect(await history.commit(['rules/PROJ-001.md', 'journal/raw/2026-03-01/s1.jsonl', 'store/incidents/2026-03.json'], 'first')).toMatch(/^[0-9a-f]{40}$/);

    // Changed, added in a new folder, executable, and removed (which empties its folder).
    write('rules/PROJ-001.md', 'one, changed\n');
    write('journal/raw/2026-03-02/s2.jsonl', '{"b":2}\n');
    write('skills/check/run.sh', '#!/bin/sh\necho ok\n');
    chmodSync(join(dir, 'skills/check/run.sh'), 0o755);
    rmSync(join(dir, 'journal/raw/2026-03-01'), { recursive: true });
    const oid = await history.commit(['rules/PROJ-001.md', 'journal/raw/2026-03-02/s2.jsonl', 'skills/check/run.sh', 'journal/raw/2026-03-01/s1.jsonl'], 'rules: second (PROJ-001)');

    expect(git(dir, 'rev-parse', 'HEAD').trim()).toBe(oid);
    expect(git(dir, 'log', '--format=%s|%an <%ae>|%cn', '-1')).toBe('rules: second (PROJ-001)|nevo <nevo@localhost>|nevo\n');
    expect((await history.log({ depth: 1 }))[0]).toMatchObject({ oid, subject: 'rules: second (PROJ-001)', author: 'nevo' });
    expect(git(dir, 'show', '--name-status', '--format=', 'HEAD').split('\n').filter(Boolean).sort()).toEqual(['A\tjournal/raw/2026-03-02/s2.jsonl', 'A\tskills/check/run.sh', 'D\tjournal/raw/2026-03-01/s1.jsonl', 'M\trules/PROJ-001.md']);
    expect(git(dir, 'ls-tree', 'HEAD', 'skills/check/run.sh')).toMatch(/^100755 blob /);
    expect(git(dir, 'ls-tree', '-r', '--name-only', 'HEAD').split('\n').filter(Boolean)).toEqual(['journal/raw/2026-03-02/s2.jsonl', 'rules/PROJ-001.md', 'skills/check/run.sh', 'store/incidents/2026-03.json']);
    expect(git(dir, 'status', '--porcelain', '-uall')).toBe('');
    git(dir, 'fsck', '--strict');
    // Nothing changed: no commit.
    expect(await history.commit(['rules/PROJ-001.md'], 'nothing')).toBeNull();
  });

  it('leaves out of its commit what a person staged by hand, and keeps it staged', async () => {
    const { dir, history, write } = repo();
    await history.init();
    write('rules/PROJ-001.md', 'one\n');
    await history.commit(['rules/PROJ-001.md'], 'first');
    write('notes.txt', 'mine\n');
    git(dir, 'add', 'notes.txt');
    write('rules/PROJ-001.md', 'two\n');
    await history.commit(['rules/PROJ-001.md'], 'rules: edit PROJ-001');
    expect(git(dir, 'show', '--name-only', '--format=', 'HEAD').trim()).toBe('rules/PROJ-001.md');
    expect(git(dir, 'status', '--porcelain')).toBe('A  notes.txt\n');
  });

  it('goes on from an index and objects the system git wrote (cached trees, a pack)', async () => {
    const { dir, history, write } = repo();
    await history.init();
    for (let i = 0; i < 50; i++) write(`journal/raw/2026-03-${String(1 + (i % 28)).padStart(2, '0')}/s${i}.jsonl`, `{"i":${i}}\n`);
    write('rules/PROJ-001.md', 'one\n');
    git(dir, 'add', '-A');
    git(dir, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'by git');
    git(dir, 'gc', '-q');
    write('rules/PROJ-001.md', 'two\n');
    write('journal/raw/2026-03-05/new.jsonl', '{}\n');
    await history.commit(['rules/PROJ-001.md', 'journal/raw/2026-03-05/new.jsonl'], 'after git');
    expect(git(dir, 'show', '--name-only', '--format=', 'HEAD').split('\n').filter(Boolean)).toEqual(['journal/raw/2026-03-05/new.jsonl', 'rules/PROJ-001.md']);
    expect(git(dir, 'status', '--porcelain', '-uall')).toBe('');
    git(dir, 'fsck', '--strict');
  });

  it('rewrites an index git wrote, cached trees and all, and refuses one of another version rather than damage it', async () => {
    const { dir, history, write } = repo();
    await history.init();
    write('a/b.txt', 'b\n');
    write('c.txt', 'c\n');
    git(dir, 'add', '-A');
    git(dir, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'by git');
    const index = readFileSync(join(dir, '.git', 'index'));
    expect(index.includes(Buffer.from('TREE'))).toBe(true);
    const patched = patchIndex(index, new Map([['c.txt', null]]), sha1);
    expect(patched).not.toBeNull();
    writeFileSync(join(dir, '.git', 'index'), patched!);
    expect(git(dir, 'ls-files')).toBe('a/b.txt\n');
    expect(git(dir, 'status', '--porcelain')).toBe('D  c.txt\n?? c.txt\n');

    git(dir, 'update-index', '--index-version', '4');
    expect(patchIndex(readFileSync(join(dir, '.git', 'index')), new Map(), sha1)).toBeNull();
  });

  it('reads each entry by the length its flags hold, a path of 0xFFF bytes or more to its end, and git agrees', async () => {
    const { dir, history, write } = repo();
    await history.init();
    for (const f of ['a.txt', 'b.txt', 'c.txt', 'd/e.txt']) write(f, `${f}\n`);
    git(dir, 'add', '-A');
    const entry = (path: string) => ({ path, oid: 'e69de29bb2d1d6434b8b29ae775ad8c2e48c5391', mode: 0o100644, stat: { ctimeMs: 0, mtimeMs: 0, dev: 0, ino: 0, uid: 0, gid: 0, size: 0 } });
    // Longer than any file this machine could hold: only the index knows it.
    const long = `${'x/'.repeat(2100)}y.txt`;
    const withLong = patchIndex(readFileSync(join(dir, '.git', 'index')), new Map([[long, entry(long)], ['b.txt', null]]), sha1)!;
    const again = patchIndex(withLong, new Map([['c.txt', null], ['d/f.txt', entry('d/f.txt')]]), sha1)!;
    writeFileSync(join(dir, '.git', 'index'), again);
    expect(git(dir, 'ls-files').split('\n').filter(Boolean)).toEqual(['a.txt', 'd/e.txt', 'd/f.txt', long]);
  });
});
