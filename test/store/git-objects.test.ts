// The store reads git's loose trees and commits itself (history.ts); what it reads must be what git
// and isomorphic-git read from the same objects.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import git from 'isomorphic-git';
import * as fs from 'node:fs';
import { expect, it } from 'vitest';
import { parseCommit, parseTree } from '../../src/store/git-objects.js';
import { scratch } from '../helpers/workspace.js';

const run = (dir: string, args: string[], input?: string) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', input });
const content = (dir: string, oid: string) => {
  const raw = inflateSync(readFileSync(join(dir, '.git', 'objects', oid.slice(0, 2), oid.slice(2))));
  return raw.subarray(raw.indexOf(0) + 1);
};

it('reads a tree of files, an executable, a link, a folder and a submodule as git lists it', () => {
  const dir = scratch('nevo-objects-');
  run(dir, ['init', '-q']);
  writeFileSync(join(dir, 'a.txt'), 'a\n');
  writeFileSync(join(dir, 'run.sh'), '#!/bin/sh\n', { mode: 0o755 });
  fs.mkdirSync(join(dir, 'd'));
  writeFileSync(join(dir, 'd', 'é ü.md'), 'x\n');
  fs.symlinkSync('a.txt', join(dir, 'link'));
  run(dir, ['add', '-A']);
  run(dir, ['update-index', '--add', '--cacheinfo', '160000,1111111111111111111111111111111111111111,sub']);
  const tree = run(dir, ['write-tree']).trim();
  const byGit = run(dir, ['-c', 'core.quotePath=false', 'ls-tree', tree]).trim().split('\n').map((l) => {
    const [meta, path] = l.split('\t');
    const [mode, type, oid] = meta!.split(' ');
    return { path, mode: mode === '040000' ? '040000' : mode, oid, type };
  });
  expect(parseTree(content(dir, tree))).toEqual(byGit);
});

it('reads a commit with a signature, a merge, a name with odd characters and a message of many lines as isomorphic-git does', async () => {
  const dir = scratch('nevo-objects-');
  run(dir, ['init', '-q']);
  const tree = run(dir, ['write-tree']).trim();
  const sig = ['-----BEGIN PGP SIGNATURE-----', '', 'iQEzBAABCAAdFiEE', '=abcd', '-----END PGP SIGNATURE-----'].join('\n ');
  const text = [
    `tree ${tree}`,
    `parent ${'a'.repeat(40)}`,
    `parent ${'b'.repeat(40)}`,
    'author Zoë "z" O\'Neil <z@example.com> 1767225600 +0530',
    'committer C <c@example.com> 1767225601 -0800',
    `gpgsig ${sig}`,
    '',
    'rules: approve PROJ-001',
    '',
    'Why: the reason, over',
    'two lines.',
    '',
  ].join('\n');
  const oid = run(dir, ['hash-object', '-t', 'commit', '-w', '--stdin'], text).trim();
  const ours = parseCommit(content(dir, oid))!;
  const { commit } = await git.readCommit({ fs, dir, oid });
  expect(ours).toEqual({ tree: commit.tree, parents: commit.parent, author: { name: commit.author.name, email: commit.author.email, timestamp: commit.author.timestamp }, message: commit.message });
  expect(ours.message).toBe('rules: approve PROJ-001\n\nWhy: the reason, over\ntwo lines.\n');
  expect(parseCommit(Buffer.from('not a commit'))).toBeNull();

  // Made by other tools: carriage returns, blank lines before the subject and after the body.
  const odd = run(dir, ['hash-object', '-t', 'commit', '-w', '--stdin'], `tree ${tree}\nauthor A <a@b> 1767225600 +0000\ncommitter A <a@b> 1767225600 +0000\n\n\n\nSubject\r\nbody\r\n\n\n`).trim();
  const read = await git.readCommit({ fs, dir, oid: odd });
  expect(parseCommit(content(dir, odd))!.message).toBe(read.commit.message);
  expect(read.commit.message).toBe('Subject\nbody\n');
});
