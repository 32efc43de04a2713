import { chmodSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exitCodeOf, validateSkillsAt } from '../../src/skills/load.js';
import { REPO } from '../helpers/scripts.js';
import { scratch } from '../helpers/workspace.js';
import { skillMd, writeTree } from './helpers.js';

const messages = (r: { errors: { message: string }[] }) => r.errors.map((e) => e.message);

describe('finding and reading skills', () => {
  it('the shipped skills (nevo-tui, nevo-analyst, nevo-memory) all validate', async () => {
    const r = await validateSkillsAt(join(REPO, 'skills'), { cwd: REPO });
    expect(r.layout).toBe('many');
    expect(r.skills.map((s) => [s.name, s.path, s.valid, s.errors])).toEqual([
      ['nevo-analyst', 'skills/nevo-analyst', true, []],
      ['nevo-memory', 'skills/nevo-memory', true, []],
      ['nevo-tui', 'skills/nevo-tui', true, []],
    ]);
    expect(r.skills.flatMap((s) => s.warnings)).toEqual([]);
  });

  it('PATH as one skill: the folder holds SKILL.md (its subfolders are not skills)', async () => {
    const root = scratch();
    writeTree(join(root, 'one'), { 'SKILL.md': skillMd('one'), 'references/REFERENCE.md': '# ref\n', 'assets/inner/SKILL.md': 'not a skill of its own\n' });
    const r = await validateSkillsAt('one', { cwd: root });
    expect(r.layout).toBe('one');
    expect(r.skills).toEqual([{ name: 'one', path: 'one', valid: true, errors: [], warnings: [], scripts: [] }]);
    // A path to the SKILL.md itself names its folder.
    const byFile = await validateSkillsAt('one/SKILL.md', { cwd: root });
    expect(byFile.skills.map((s) => [s.path, s.valid])).toEqual([['one', true]]);
  });

  it('PATH as a folder of skills: every folder in it, hidden ones and plain files left out', async () => {
    const root = scratch();
    writeTree(join(root, 'skills'), {
      'alpha/SKILL.md': skillMd('alpha'),
      'beta/SKILL.md': skillMd('other-name'),
      'gamma/notes.md': 'forgot SKILL.md\n',
      '.git/HEAD': 'ref: x\n',
      'README.md': '# my skills\n',
    });
    const r = await validateSkillsAt('skills', { cwd: root });
    expect(r.layout).toBe('many');
    expect(r.skills.map((s) => [s.name, s.path, s.valid, messages(s)])).toEqual([
      ['alpha', 'skills/alpha', true, []],
      ['other-name', 'skills/beta', false, ["Directory name 'beta' must match skill name 'other-name'"]],
      ['gamma', 'skills/gamma', false, ['Missing required file: SKILL.md']],
    ]);
    expect(r.skills[2]!.errors[0]!.file).toBe('skills/gamma/SKILL.md');
  });

  it('a folder with no skills is a missing SKILL.md, as for the official validator, unless empty folders are allowed', async () => {
    const root = scratch();
    mkdirSync(join(root, 'empty'));
    writeTree(join(root, 'docs'), { 'README.md': '# nothing here\n', 'sub/notes.md': 'x\n' });
    expect(await validateSkillsAt('empty', { cwd: root, allowEmpty: true })).toEqual({ layout: 'none', path: 'empty', skills: [] });
    expect((await validateSkillsAt('docs', { cwd: root, allowEmpty: true })).skills).toEqual([]);
    const empty = await validateSkillsAt('empty', { cwd: root });
    expect(empty.layout).toBe('none');
    expect(empty.skills.map((s) => [s.path, s.valid, messages(s)])).toEqual([['empty', false, ['Missing required file: SKILL.md']]]);
    expect(empty.skills[0]!.errors[0]!.fix).toMatch(/--allow-empty/);
    expect(exitCodeOf(empty)).toBe(1);
  });

  it('a folder named or laid out like a skill is a skill without SKILL.md, even when empty folders are allowed', async () => {
    const root = scratch();
    mkdirSync(join(root, 'my-skill'));
    const named = await validateSkillsAt('my-skill', { cwd: root, allowEmpty: true });
    expect(named.skills.map((s) => [s.path, messages(s)])).toEqual([['my-skill', ['Missing required file: SKILL.md']]]);
    writeTree(join(root, 'skills'), { 'good/SKILL.md': skillMd('good'), 'broken/references/x.md': '# x\n' });
    const many = await validateSkillsAt('skills', { cwd: root, allowEmpty: true });
    expect(many.skills.map((s) => [s.path, messages(s)])).toEqual([['skills/broken', ['Missing required file: SKILL.md']], ['skills/good', []]]);
    writeTree(join(root, 'half'), { 'scripts/run.sh': 'echo hi\n' });
    const half = await validateSkillsAt('half', { cwd: root });
    expect(half.layout).toBe('one');
    expect(half.skills.map((s) => [s.path, messages(s)])).toEqual([['half', ['Missing required file: SKILL.md']]]);
    writeTree(join(root, 'cased'), { 'Skill.md': skillMd('cased') });
    const cased = await validateSkillsAt('cased', { cwd: root });
    expect(cased.skills[0]!.errors[0]).toMatchObject({ message: 'Missing required file: SKILL.md', fix: 'rename Skill.md to SKILL.md' });
  });

  it('a path that does not exist, or is a file', async () => {
    const root = scratch();
    writeTree(root, { 'notes.txt': 'x\n' });
    const missing = await validateSkillsAt('nowhere', { cwd: root });
    expect(missing.skills).toEqual([expect.objectContaining({ name: 'nowhere', path: 'nowhere', valid: false, errors: [expect.objectContaining({ rule: 'path-missing', message: 'Path does not exist: nowhere' })] })]);
    const file = await validateSkillsAt('notes.txt', { cwd: root });
    expect(messages(file.skills[0]!)).toEqual(['Not a directory: notes.txt']);
  });

  it('bad input never crashes: a symbolic link loop, SKILL.md a folder or a broken link, a binary SKILL.md (read as text, as skills-ref does)', async () => {
    const root = scratch();
    writeTree(join(root, 'skills'), {
      'good/SKILL.md': skillMd('good'),
      'binary/SKILL.md': Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0]),
    });
    symlinkSync('loop', join(root, 'skills', 'loop'));
    mkdirSync(join(root, 'skills', 'folder', 'SKILL.md'), { recursive: true });
    mkdirSync(join(root, 'skills', 'dangling'));
    symlinkSync('nowhere.md', join(root, 'skills', 'dangling', 'SKILL.md'));
    const r = await validateSkillsAt('skills', { cwd: root });
    expect(Object.fromEntries(r.skills.map((s) => [s.path, messages(s)]))).toEqual({
      'skills/binary': ['SKILL.md must start with YAML frontmatter (---)'],
      'skills/dangling': ['Cannot read SKILL.md: it does not exist (a broken symbolic link?)'],
      'skills/folder': ['Cannot read SKILL.md: it is a folder, not a file'],
      'skills/good': [],
      'skills/loop': ['Path does not exist: skills/loop'],
    });
    expect(r.skills.find((s) => s.path === 'skills/loop')!.errors[0]!.fix).toMatch(/symbolic link loop/);
  });

  it('a skill folder may be a symbolic link: its name is the link name', async () => {
    const root = scratch();
    writeTree(join(root, 'store', 'linked'), { 'SKILL.md': skillMd('linked') });
    mkdirSync(join(root, 'skills'));
    symlinkSync(join(root, 'store', 'linked'), join(root, 'skills', 'linked'));
    const r = await validateSkillsAt('skills', { cwd: root });
    expect(r.skills.map((s) => [s.path, s.valid])).toEqual([['skills/linked', true]]);
  });

  it.skipIf(process.getuid?.() === 0)('an unreadable SKILL.md is an error naming why', async () => {
    const root = scratch();
    writeTree(join(root, 'locked'), { 'SKILL.md': skillMd('locked') });
    chmodSync(join(root, 'locked', 'SKILL.md'), 0o000);
    try {
      const r = await validateSkillsAt('locked', { cwd: root });
      expect(messages(r.skills[0]!)).toEqual(['Cannot read SKILL.md: permission denied']);
    } finally {
      chmodSync(join(root, 'locked', 'SKILL.md'), 0o644);
    }
  });

  it('paths outside the current folder are shown absolute', async () => {
    const root = scratch();
    writeTree(join(root, 'far'), { 'SKILL.md': skillMd('far') });
    const r = await validateSkillsAt(join(root, 'far'), { cwd: scratch() });
    expect(r.skills[0]!.path).toBe(join(root, 'far').split('\\').join('/'));
  });
});
