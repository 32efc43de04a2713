import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync, promises as fsp, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { gitTime, indexedFiles, patchIndex, stagedAsIs } from '../../src/store/git-index.js';
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

/** A repository with a first commit (isomorphic-git's own staging): later commits are this store's. */
async function started(): Promise<ReturnType<typeof repo>> {
  const r = repo();
  await r.history.init();
  r.write('rules/PROJ-001.md', 'one\n');
  await r.history.commit(['rules/PROJ-001.md'], 'first');
  return r;
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
    const { dir, history, write } = await started();
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

  it('reads again only the files whose stat changed since the index staged them, and still commits one a killed commit left staged', async () => {
    // The files come in the second commit, as this store stages them.
    const { dir, history, write } = await started();
    const paths = Array.from({ length: 60 }, (_, i) => `journal/raw/2026-03-${String(1 + (i % 20)).padStart(2, '0')}/s${i}.jsonl`);
    for (const p of paths) write(p, `{"i":"${p}"}\n`);
    await history.commit(paths, 'the files');
    const reads = vi.spyOn(fsp, 'readFile');
    const workspaceReads = () => reads.mock.calls.map(([f]) => String(f)).filter((f) => f.startsWith(dir) && !f.includes('/.git/'));
    try {
      // Every path offered, none changed (what `nevo-tui commit` and a revert do first): no file read, no commit.
      expect(await history.commit(paths, 'nothing')).toBeNull();
      expect(workspaceReads()).toEqual([]);

      write(paths[7]!, '{"changed":true}\n');
      await history.commit(paths, 'one changed');
      expect(workspaceReads()).toEqual([join(dir, paths[7]!)]);
      expect(git(dir, 'show', '--name-only', '--format=', 'HEAD').trim()).toBe(paths[7]);

      // A commit killed after it wrote the index and before the branch moved: the file is staged, not committed.
      write(paths[30]!, '{"staged":"only"}\n');
      const oid = git(dir, 'hash-object', '-w', paths[30]!).trim();
      const st = lstatSync(join(dir, paths[30]!));
      const staged = patchIndex(readFileSync(join(dir, '.git', 'index')), new Map([[paths[30]!, { path: paths[30]!, oid, mode: 0o100644, stat: st }]]), sha1)!;
      writeFileSync(join(dir, '.git', 'index'), staged);
      reads.mockClear();
      await history.commit(paths, 'after the kill');
      expect(git(dir, 'show', '--name-only', '--format=', 'HEAD').trim()).toBe(paths[30]);
      expect(git(dir, 'show', `HEAD:${paths[30]}`)).toBe('{"staged":"only"}\n');
      expect(git(dir, 'status', '--porcelain', '-uall')).toBe('');
      git(dir, 'fsck', '--strict');
    } finally {
      reads.mockRestore();
    }
  });

  it('reads again a file staged in the instant its index was written, also after a later commit of other files rewrote the index', async () => {
    const { dir, history, write } = await started();
    write('store/a.json', '{"n":2}\n');
    await history.commit(['store/a.json'], 'a');
    // As if git's index had been written in the same tick as a.json: on a file system whose clock
    // ticks coarsely, a.json could be rewritten (same size, same times) after the commit unseen.
    const staged = statSync(join(dir, 'store/a.json'));
    utimesSync(join(dir, '.git', 'index'), staged.atime, new Date(staged.mtimeMs - 1000));
    write('store/b.json', '{}\n');
    // b.json clearly older than the index the next commit writes: file times tick coarsely (a few
    // ms on Linux), and a commit as quick as that would leave b.json racy too and rightly read again.
    const old = new Date(Date.now() - 5000);
    utimesSync(join(dir, 'store/b.json'), old, old);
    await history.commit(['store/b.json'], 'b');
    const entry = indexedFiles(readFileSync(join(dir, '.git', 'index')), ['store/a.json', 'store/b.json']);
    expect(entry.get('store/a.json')!.size).toBe(0);
    expect(entry.get('store/b.json')!.size).toBe(3);
    const reads = vi.spyOn(fsp, 'readFile');
    try {
      expect(await history.commit(['store/a.json', 'store/b.json'], 'nothing new')).toBeNull();
      expect(reads.mock.calls.map(([f]) => String(f)).filter((f) => !f.includes('/.git/'))).toEqual([join(dir, 'store/a.json')]);
    } finally {
      reads.mockRestore();
    }
    expect(git(dir, 'status', '--porcelain', '-uall')).toBe('');
  });

  it('trusts an entry\'s stat only when the index was written after it: an entry as new as the index is hashed again', () => {
    const { dir, write } = repo();
    write('a.txt', 'a\n');
    git(dir, 'init', '-q');
    git(dir, 'add', 'a.txt');
    const st = statSync(join(dir, 'a.txt'));
    const entry = indexedFiles(readFileSync(join(dir, '.git', 'index')), ['a.txt']).get('a.txt')!;
    expect(entry.oid).toBe(git(dir, 'hash-object', 'a.txt').trim());
    // As this store stages it (its own rounding of the times), the stat matches after a later index write.
    const ours = { ...entry, ctime: gitTime(st.ctimeMs), mtime: gitTime(st.mtimeMs) };
    const file = { ctimeMs: st.ctimeMs, mtimeMs: st.mtimeMs, ino: st.ino, size: st.size, mode: 0o100644 };
    expect(stagedAsIs(ours, file, st.mtimeMs + 1000)).toBe(true);
    expect(stagedAsIs(ours, file, st.mtimeMs)).toBe(false);
    expect(stagedAsIs(ours, { ...file, size: file.size + 1 }, st.mtimeMs + 1000)).toBe(false);
    expect(stagedAsIs(ours, { ...file, mtimeMs: file.mtimeMs + 0.001 }, st.mtimeMs + 1000)).toBe(false);
    expect(stagedAsIs(ours, { ...file, mode: 0o100755 }, st.mtimeMs + 1000)).toBe(false);
  });
});

describe('history changes', () => {
  it('lists what a commit changed as git does, without reading the folders it left alone', async () => {
    const { dir, history, write } = repo();
    await history.init();
    const base = Array.from({ length: 40 }, (_, i) => `journal/raw/d${i}/s.jsonl`);
    for (const p of [...base, 'a/b/c.txt', 'a/b/keep.txt', 'x.txt', 'folder-to-file/inner.txt', 'rules/PROJ-001.md']) write(p, `${p}\n`);
    await history.commit([...base, 'a/b/c.txt', 'a/b/keep.txt', 'x.txt', 'folder-to-file/inner.txt', 'rules/PROJ-001.md'], 'first');
    const first = git(dir, 'rev-parse', 'HEAD').trim();
    write('a/b/c.txt', 'changed\n');
    write('journal/raw/d40/s.jsonl', 'new day\n');
    rmSync(join(dir, 'x.txt'));
    rmSync(join(dir, 'folder-to-file'), { recursive: true });
    write('folder-to-file', 'now a file\n');
    const second = (await history.commit(['a/b/c.txt', 'journal/raw/d40/s.jsonl', 'x.txt', 'folder-to-file/inner.txt', 'folder-to-file'], 'second'))!;
    const objects = vi.spyOn(fsp, 'readFile');
    try {
      const changes = await history.changes(first, second);
      const byGit = git(dir, 'diff', '--name-status', '--no-renames', first, second).split('\n').filter(Boolean).map((l) => l.split('\t'));
      const letter = { added: 'A', deleted: 'D', modified: 'M' } as const;
      expect(changes.map((c) => [letter[c.change], c.path]).sort()).toEqual(byGit.sort());
      // The root, journal/, journal/raw/, a/, a/b/ and the replaced folder, on each side: not the 40 days that did not change.
      const treeReads = objects.mock.calls.filter(([f]) => String(f).includes(`${join('.git', 'objects')}`)).length;
      expect(treeReads).toBeLessThan(20);
      expect(await history.changes(null, first)).toHaveLength(base.length + 5);
    } finally {
      objects.mockRestore();
    }
  });
});


describe('history log', () => {
  const byGit = (dir: string, ...args: string[]) =>
    git(dir, 'log', '--format=%H|%s|%an|%ae|%at|%P', ...args)
      .split('\n')
      .filter(Boolean)
      .map((l) => {
        const [oid, subject, author, email, at, parents] = l.split('|');
        return { oid, subject, author, email, time: new Date(Number(at) * 1000).toISOString(), parents: parents ? parents.split(' ') : [] };
      });
  const ours = (commits: Awaited<ReturnType<History['log']>>) => commits.map(({ message: _m, ...c }) => c);

  it('lists commits as git does: loose, packed by git gc, limited, and through a merge git made', async () => {
    const { dir, history, write } = repo();
    await history.init();
    for (let i = 0; i < 6; i++) {
      write('rules/PROJ-001.md', `version ${i}\n`);
      await history.commit(['rules/PROJ-001.md'], `rules: edit ${i}\n\nWhy: the ${i}th reason.`);
    }
    expect(ours(await history.log())).toEqual(byGit(dir));
    expect(ours(await history.log({ depth: 3 }))).toEqual(byGit(dir, '-3'));
    expect((await history.log({ depth: 1 }))[0]!.message).toBe('rules: edit 5\n\nWhy: the 5th reason.');

    git(dir, 'gc', '-q');
    expect(ours(await history.log({ depth: 4 }))).toEqual(byGit(dir, '-4'));

    git(dir, 'checkout', '-qb', 'side', 'HEAD~2');
    write('notes/side.txt', 'side\n');
    git(dir, 'add', 'notes/side.txt');
    git(dir, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'side work');
    git(dir, 'checkout', '-q', 'main');
    git(dir, '-c', 'user.name=t', '-c', 'user.email=t@t', 'merge', '-q', '--no-ff', '-m', 'merge side', 'side');
    const merged = ours(await history.log());
    expect(merged.map((c) => c.oid).sort()).toEqual(byGit(dir).map((c) => c.oid).sort());
    expect(merged[0]).toMatchObject({ subject: 'merge side', parents: byGit(dir, '-1')[0]!.parents });
  });
});
