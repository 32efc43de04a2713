import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { REPO } from '../helpers/scripts.js';
import { freshWorkspace, scratch } from '../helpers/workspace.js';
import { HAS_PYTHON3, skillMd, snapshot, writeTree } from './helpers.js';

describe('nevo-tui skills validate', () => {
  it('passes the shipped skills with exit code 0 and a ✓ for each', () => {
    const r = cli(['skills', 'validate', 'skills'], { cwd: REPO });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('✓ nevo-analyst  skills/nevo-analyst\n✓ nevo-memory  skills/nevo-memory\n✓ nevo-tui  skills/nevo-tui\n\n3 skill(s): 3 valid, 0 invalid.\n');
  });

  it('defaults to the workspace skills/', async () => {
    const ws = await freshWorkspace();
    const r = cli(['skills', 'validate', '--json'], { cwd: ws.project });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { skills: Array<{ name: string; path: string; valid: boolean }> };
    const seeded = readdirSync(join(ws.root, 'skills')).sort();
    expect(seeded).toEqual(['nevo-analyst', 'nevo-memory', 'nevo-tui']);
    expect(out.skills.map((s) => [s.name, s.path, s.valid])).toEqual(seeded.map((n) => [n, `.nevo/skills/${n}`, true]));
  });

  it('without a workspace or PATH, says how to name one', () => {
    const r = cli(['skills', 'validate'], { cwd: scratch() });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^nevo-tui: No nevo workspace found/);
    expect(r.stderr).toContain('nevo-tui skills validate PATH');
  });

  it('exits 1 when any skill is invalid; --json gives {skills: [{name, path, valid, errors, warnings}]}', () => {
    const root = scratch();
    writeTree(join(root, 'skills'), {
      'good/SKILL.md': skillMd('good'),
      'Bad_Name/SKILL.md': `---\nname: Bad_Name\ndescription: Uses <tags>\nwhen_to_use: always\n---\nBody\n`,
      'broken/SKILL.md': '# no front matter\n',
      'broken/scripts/run.js': 'const = 1;\n',
    });
    const r = cli(['skills', 'validate', 'skills', '--json'], { cwd: root });
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { skills: Array<Record<string, unknown>> };
    expect(Object.keys(out)).toEqual(['skills']);
    expect(out.skills.map((s) => [s.name, s.path, s.valid])).toEqual([
      ['Bad_Name', 'skills/Bad_Name', false],
      ['broken', 'skills/broken', false],
      ['good', 'skills/good', true],
    ]);
    const bad = out.skills[0] as { errors: Array<{ message: string; file: string; field?: string; line?: number }>; warnings: Array<{ rule: string }> };
    expect(bad.errors.map((e) => e.message)).toEqual([
      "Unexpected fields in frontmatter: when_to_use. Only ['allowed-tools', 'compatibility', 'description', 'license', 'metadata', 'name'] are allowed.",
      "Skill name 'Bad_Name' must be lowercase",
      "Skill name 'Bad_Name' contains invalid characters. Only letters, digits, and hyphens are allowed.",
    ]);
    expect(bad.errors[1]).toMatchObject({ file: 'skills/Bad_Name/SKILL.md', field: 'name', line: 2 });
    expect(bad.warnings.map((w) => w.rule)).toEqual(['description-angle-brackets']);
    const broken = out.skills[1] as { errors: Array<{ message: string; file: string }> };
    expect(broken.errors.map((e) => [e.file, e.message])).toEqual([
      ['skills/broken/SKILL.md', 'SKILL.md must start with YAML frontmatter (---)'],
      ['skills/broken/scripts/run.js', 'JavaScript syntax error at line 1, column 7: Unexpected token'],
    ]);
  });

  it('prints each skill with ✓ or ✗, its errors with their fixes, and its warnings', () => {
    const root = scratch();
    writeTree(join(root, 'skills'), { 'good/SKILL.md': skillMd('good'), 'other/SKILL.md': skillMd('renamed') });
    const r = cli(['skills', 'validate', 'skills'], { cwd: root });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      [
        '✓ good  skills/good',
        '✗ renamed  skills/other',
        "    ✗ error: skills/other/SKILL.md:2: Directory name 'other' must match skill name 'renamed'",
        '      fix: rename the folder to `renamed`, or set `name: other`',
        '',
        '2 skill(s): 1 valid, 1 invalid.',
        '',
      ].join('\n'),
    );
  });

  it('takes PATH as one skill; a folder without skills is exit 1, or exit 0 with --allow-empty', () => {
    const root = scratch();
    writeTree(join(root, 'solo'), { 'SKILL.md': skillMd('solo', 'compatibility: Needs bash\n') });
    const one = cli(['skills', 'validate', 'solo', '--json'], { cwd: root });
    expect(one.code).toBe(0);
    expect(JSON.parse(one.stdout)).toEqual({ skills: [{ name: 'solo', path: 'solo', valid: true, errors: [], warnings: [], scripts: [] }] });
    mkdirSync(join(root, 'empty'));
    const none = cli(['skills', 'validate', 'empty'], { cwd: root });
    expect(none.code).toBe(1);
    expect(none.stdout).toContain('✗ error: empty/SKILL.md: Missing required file: SKILL.md');
    expect(none.stdout).toContain('pass --allow-empty to accept a folder with no skills');
    const allowed = cli(['skills', 'validate', 'empty', '--allow-empty'], { cwd: root });
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toBe('No skills in empty: neither it nor any folder directly inside it holds a SKILL.md.\n');
    expect(JSON.parse(cli(['skills', 'validate', 'empty', '--json', '--allow-empty'], { cwd: root }).stdout)).toEqual({ skills: [] });
    const missing = cli(['skills', 'validate', 'nowhere'], { cwd: root });
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain('Path does not exist: nowhere');
  });

  it('runs no script of the skill it checks', () => {
    const root = scratch();
    const markers = scratch('nevo-markers-');
    const at = (n: string) => JSON.stringify(join(markers, n));
    writeTree(join(root, 'writer'), {
      'SKILL.md': skillMd('writer'),
      'scripts/a.py': `open(${at('py')}, "w").write("ran")\n`,
      'scripts/b.sh': `touch ${at('sh')}\n`,
      'scripts/c.js': `require("node:fs").writeFileSync(${at('js')}, "ran");\n`,
      'scripts/d.ts': `import { writeFileSync } from "node:fs";\nwriteFileSync(${at('ts')} as string, "ran");\n`,
    });
    const before = snapshot(root);
    const r = cli(['skills', 'validate', 'writer', '--json'], { cwd: root });
    expect(r.code).toBe(0);
    expect(readdirSync(markers)).toEqual([]);
    expect(snapshot(root)).toEqual(before);
    const scripts = (JSON.parse(r.stdout) as { skills: Array<{ scripts: Array<{ file: string; status: string }> }> }).skills[0]!.scripts;
    expect(scripts.find((s) => s.file === 'writer/scripts/c.js')!.status).toBe('ok');
    if (HAS_PYTHON3) expect(scripts.find((s) => s.file === 'writer/scripts/a.py')!.status).toBe('ok');
  });

  it('has help for the command and its subcommand', () => {
    const r = cli(['skills', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('validate [options] [path]');
    expect(cli(['skills', 'validate', '--help']).stdout).toContain('Usage: nevo-tui skills validate [options] [path]');
  });
});
