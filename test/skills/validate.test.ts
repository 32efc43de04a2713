import { describe, expect, it } from 'vitest';
import { countLines, estimateTokens, parseFrontmatter, validateSkill, type SkillMdSource } from '../../src/skills/validate.js';

const SKILL = 'my-skill';
const DESCRIPTION = 'Does one thing well. Use when a test needs a skill.';
const utf8 = (text: string): SkillMdSource => ({ kind: 'read', fileName: 'SKILL.md', bytes: new TextEncoder().encode(text) });
const fm = (lines: string, body = '# My skill\n\nSteps.\n') => `---\n${lines}\n---\n${body}`;
const okFields = `name: ${SKILL}\ndescription: ${DESCRIPTION}`;

function check(text: string, dirName = SKILL, fileName = 'SKILL.md') {
  return validateSkill({ path: `skills/${dirName}`, dirName, entries: [fileName], skillMd: { ...(utf8(text) as { kind: 'read'; bytes: Uint8Array }), fileName } });
}
const messages = (r: { errors: { message: string }[] }) => r.errors.map((e) => e.message);
const rules = (ps: { rule: string }[]) => ps.map((p) => p.rule);

describe('skill validation: the reference validator rules, with its wording', () => {
  it('accepts a well-formed skill with every spec field', () => {
    const r = check(fm(`${okFields}\nlicense: MIT\ncompatibility: Needs git\nallowed-tools: Bash Read\nmetadata:\n  author: me\n  version: 1`));
    expect(r).toEqual({ name: SKILL, errors: [], warnings: [] });
  });

  it('missing SKILL.md', () => {
    const r = validateSkill({ path: 'skills/my-skill', dirName: SKILL, entries: ['README.md'], skillMd: { kind: 'missing' } });
    expect(r.errors).toEqual([expect.objectContaining({ rule: 'skill-md-missing', file: 'skills/my-skill/SKILL.md', message: 'Missing required file: SKILL.md' })]);
    expect(r.errors[0]!.fix).toContain('name: my-skill');
  });

  it('a SKILL.md spelt another way is named in the fix', () => {
    const r = validateSkill({ path: 'skills/my-skill', dirName: SKILL, entries: ['Skill.md'], skillMd: { kind: 'missing' } });
    expect(messages(r)).toEqual(['Missing required file: SKILL.md']);
    expect(r.errors[0]!.fix).toBe('rename Skill.md to SKILL.md');
  });

  it('lowercase skill.md is accepted, with a portability warning', () => {
    const r = check(fm(okFields), SKILL, 'skill.md');
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([expect.objectContaining({ rule: 'skill-md-lowercase', file: 'skills/my-skill/skill.md', message: 'The file is named skill.md, not SKILL.md' })]);
  });

  it('front matter not first', () => {
    for (const text of ['# Title\n---\nname: x\n---\n', '', '\n---\nname: x\n---\n', '\uFEFF---\nname: x\n---\n']) {
      const r = check(text);
      expect(r.errors).toEqual([expect.objectContaining({ rule: 'frontmatter-start', line: 1, message: 'SKILL.md must start with YAML frontmatter (---)' })]);
    }
    expect(check('\uFEFF' + fm(okFields)).errors[0]!.fix).toMatch(/byte-order mark/);
    expect(check('  \n' + fm(okFields)).errors[0]!.fix).toMatch(/blank lines/);
  });

  it('front matter not closed', () => {
    const r = check(`---\n${okFields}\n# Body without a closing line\n`);
    expect(r.errors).toEqual([expect.objectContaining({ rule: 'frontmatter-closed', message: 'SKILL.md frontmatter not properly closed with ---' })]);
  });

  it('invalid YAML: a parse error, with its line in SKILL.md', () => {
    const r = check(fm(`name: ${SKILL}\ndescription: "unbalanced`));
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ rule: 'frontmatter-yaml', file: 'skills/my-skill/SKILL.md' });
    expect(r.errors[0]).toMatchObject({ line: 3, message: 'Invalid YAML in frontmatter: while scanning a quoted scalar found unexpected end of stream (line 3, column 14)' });
  });

  it('invalid YAML: a duplicate key (strict YAML, as the reference parser)', () => {
    const r = check(fm(`name: ${SKILL}\nname: other\ndescription: ${DESCRIPTION}`));
    expect(messages(r)).toEqual(["Invalid YAML in frontmatter: While parsing Duplicate key 'name' found (line 3, column 1)"]);
    expect(r.errors[0]!.line).toBe(3);
  });

  it('invalid YAML: flow style, anchors and aliases, explicit tags (strict YAML refuses them)', () => {
    const flow = "Found ugly disallowed JSONesque flow mapping (surround with ' and ' to make text appear literally)";
    expect(messages(check(fm(`${okFields}\nmetadata: {a: b}`)))).toEqual([`Invalid YAML in frontmatter: ${flow} (line 4, column 11)`]);
    expect(messages(check(fm(`${okFields}\nallowed-tools: [Bash, Read]`)))).toEqual([`Invalid YAML in frontmatter: ${flow} (line 4, column 16)`]);
    expect(messages(check(fm(`name: &n ${SKILL}\ndescription: *n`)))).toEqual(["Invalid YAML in frontmatter: Found confusing disallowed anchor token (surround with ' and ' to make text appear literally) (line 2, column 7)"]);
    expect(messages(check(fm(`name: !!str ${SKILL}\ndescription: ${DESCRIPTION}`)))).toEqual(['Invalid YAML in frontmatter: Found disallowed tag tokens (do not specify types in markup) (line 2, column 7)']);
  });

  it('front matter not a mapping', () => {
    for (const lines of ['- name\n- description', 'just a sentence', '']) {
      expect(messages(check(fm(lines)))).toEqual(['SKILL.md frontmatter must be a YAML mapping']);
    }
  });

  it('unexpected fields, sorted, and the allowed ones listed as the reference does', () => {
    const r = check(fm(`${okFields}\nwhen_to_use: later\nargument-hint: FILE`));
    expect(r.errors).toEqual([
      expect.objectContaining({
        rule: 'fields-unexpected',
        field: 'argument-hint, when_to_use',
        line: 5,
        message: "Unexpected fields in frontmatter: argument-hint, when_to_use. Only ['allowed-tools', 'compatibility', 'description', 'license', 'metadata', 'name'] are allowed.",
      }),
    ]);
    expect(r.errors[0]!.fix).toMatch(/metadata/);
  });

  it('name missing', () => {
    const r = check(fm(`description: ${DESCRIPTION}`));
    expect(r.errors).toEqual([expect.objectContaining({ rule: 'name-missing', field: 'name', message: 'Missing required field in frontmatter: name' })]);
    expect(r.errors[0]!.fix).toBe('add `name: my-skill` (the folder\'s name)');
  });

  it('name empty, blank or not a string', () => {
    for (const name of ['name:', 'name: "   "', 'name:\n  - a']) {
      const r = check(fm(`${name}\ndescription: ${DESCRIPTION}`));
      expect(r.errors).toEqual([expect.objectContaining({ rule: 'name-empty', field: 'name', line: 2, message: "Field 'name' must be a non-empty string" })]);
    }
  });

  it('name over 64 characters', () => {
    const long = 'a'.repeat(65);
    expect(messages(check(fm(`name: ${long}\ndescription: ${DESCRIPTION}`), long))).toEqual([`Skill name '${long}' exceeds 64 character limit (65 chars)`]);
    const max = 'a'.repeat(64);
    expect(check(fm(`name: ${max}\ndescription: ${DESCRIPTION}`), max).errors).toEqual([]);
  });

  it('name not lowercase', () => {
    const r = check(fm(`name: My-Skill\ndescription: ${DESCRIPTION}`), 'My-Skill');
    expect(r.errors).toEqual([expect.objectContaining({ rule: 'name-lowercase', message: "Skill name 'My-Skill' must be lowercase" })]);
    expect(r.errors[0]!.fix).toBe('write it in lowercase, such as `name: my-skill`, and rename the folder to match');
  });

  it('name with a leading or trailing hyphen', () => {
    for (const name of ['-my-skill', 'my-skill-']) {
      const r = check(fm(`name: ${name}\ndescription: ${DESCRIPTION}`), name);
      expect(r.errors).toEqual([expect.objectContaining({ rule: 'name-hyphen-edge', message: 'Skill name cannot start or end with a hyphen' })]);
    }
  });

  it('name with consecutive hyphens', () => {
    const r = check(fm(`name: my--skill\ndescription: ${DESCRIPTION}`), 'my--skill');
    expect(r.errors).toEqual([expect.objectContaining({ rule: 'name-consecutive-hyphens', message: 'Skill name cannot contain consecutive hyphens' })]);
  });

  it('name with invalid characters', () => {
    for (const name of ['my_skill', 'my.skill', 'my skill']) {
      const r = check(fm(`name: ${name}\ndescription: ${DESCRIPTION}`), name);
      expect(messages(r)).toEqual([`Skill name '${name}' contains invalid characters. Only letters, digits, and hyphens are allowed.`]);
      expect(r.errors[0]!.fix).toContain('`name: my-skill`');
    }
  });

  it('name stripped and NFKC-normalised before the checks', () => {
    // Full-width letters normalise to ASCII: valid, and no portability warning either.
    expect(check(fm(`name: "  ｍｙ-ｓｋｉｌｌ "\ndescription: ${DESCRIPTION}`))).toMatchObject({ errors: [], warnings: [] });
    expect(messages(check(fm(`name: Ｍｙ-skill\ndescription: ${DESCRIPTION}`)))).toEqual(["Skill name 'My-skill' must be lowercase", "Directory name 'my-skill' must match skill name 'My-skill'"]);
    // A decomposed é (e + combining accent) in the name equals the folder's composed é.
    expect(check(fm(`name: cafe\u0301\ndescription: ${DESCRIPTION}`), 'caf\u00e9').errors).toEqual([]);
  });

  it('name must equal the folder name', () => {
    const r = check(fm(`name: other-skill\ndescription: ${DESCRIPTION}`));
    expect(r.errors).toEqual([expect.objectContaining({ rule: 'name-directory', field: 'name', line: 2, message: "Directory name 'my-skill' must match skill name 'other-skill'" })]);
    expect(r.errors[0]!.fix).toBe('rename the folder to `other-skill`, or set `name: my-skill`');
  });

  it('a name that is a number in YAML is text, as in strict YAML', () => {
    expect(check(fm(`name: 123\ndescription: 42`), '123').errors).toEqual([]);
  });

  it('description missing', () => {
    const r = check(fm(`name: ${SKILL}`));
    expect(r.errors).toEqual([expect.objectContaining({ rule: 'description-missing', field: 'description', message: 'Missing required field in frontmatter: description' })]);
  });

  it('description empty or blank', () => {
    for (const d of ['description:', "description: ''", 'description: "  "']) {
      expect(messages(check(fm(`name: ${SKILL}\n${d}`)))).toEqual(["Field 'description' must be a non-empty string"]);
    }
  });

  it('description over 1,024 characters (code points, unstripped)', () => {
    expect(check(fm(`name: ${SKILL}\ndescription: ${'d'.repeat(1024)}`)).errors).toEqual([]);
    expect(messages(check(fm(`name: ${SKILL}\ndescription: ${'d'.repeat(1025)}`)))).toEqual(['Description exceeds 1024 character limit (1025 chars)']);
    expect(check(fm(`name: ${SKILL}\ndescription: ${'d'.repeat(1025)}`)).errors[0]!.fix).toBe('cut 1 character; move detail into the body');
    // 1,024 emoji are 2,048 UTF-16 units but 1,024 characters for Python's len().
    expect(check(fm(`name: ${SKILL}\ndescription: ${'🙂'.repeat(1024)}`)).errors).toEqual([]);
  });

  it('compatibility over 500 characters, or not a string', () => {
    expect(check(fm(`${okFields}\ncompatibility: ${'c'.repeat(500)}`)).errors).toEqual([]);
    const r = check(fm(`${okFields}\ncompatibility: ${'c'.repeat(501)}`));
    expect(r.errors).toEqual([expect.objectContaining({ rule: 'compatibility-length', field: 'compatibility', line: 4, message: 'Compatibility exceeds 500 character limit (501 chars)', fix: 'cut 1 character' })]);
    expect(messages(check(fm(`${okFields}\ncompatibility:\n  node: 20`)))).toEqual(["Field 'compatibility' must be a string"]);
  });

  it('reports every field error at once, in the reference order', () => {
    const r = check(fm(`name: Bad--Name\nextra: 1\ndescription: ""\ncompatibility: ${'c'.repeat(600)}`));
    expect(rules(r.errors)).toEqual(['fields-unexpected', 'name-lowercase', 'name-consecutive-hyphens', 'name-directory', 'description-empty', 'compatibility-length']);
    expect(r.name).toBe('Bad--Name');
  });

  it('a non-UTF-8 SKILL.md is an error, not a crash; a NUL byte is text, as for skills-ref', () => {
    const bin = validateSkill({ path: 'skills/my-skill', dirName: SKILL, entries: ['SKILL.md'], skillMd: { kind: 'read', fileName: 'SKILL.md', bytes: Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]) } });
    expect(messages(bin)).toEqual(['Cannot read SKILL.md: it is not UTF-8 text']);
    expect(check(fm(okFields, 'Body \0 text\n')).errors).toEqual([]);
    const latin1 = validateSkill({ path: 'skills/my-skill', dirName: SKILL, entries: ['SKILL.md'], skillMd: { kind: 'read', fileName: 'SKILL.md', bytes: Uint8Array.from([0x2d, 0x2d, 0x2d, 0x0a, 0xe9, 0x0a]) } });
    expect(messages(latin1)).toEqual(['Cannot read SKILL.md: it is not UTF-8 text']);
    expect(bin.name).toBe(SKILL);
  });
});

describe('skill validation: portability warnings', () => {
  it('a name that is not ASCII (valid for the reference validator)', () => {
    const r = check(fm(`name: café\ndescription: ${DESCRIPTION}`), 'café');
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([expect.objectContaining({ rule: 'name-not-ascii', field: 'name', line: 2, message: "Skill name 'café' is not ASCII" })]);
    expect(r.warnings[0]!.fix).toContain('`name: cafe`');
  });

  it('< or > in the description', () => {
    const r = check(fm(`name: ${SKILL}\ndescription: Turns <div> into text`));
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([expect.objectContaining({ rule: 'description-angle-brackets', field: 'description', message: "Description contains '<' or '>'" })]);
  });

  it('a SKILL.md of 500 lines or more, front matter included (the spec: "under 500 lines")', () => {
    // The front matter (4 lines) and 495 body lines: 499 lines in all.
    expect(check(fm(okFields, 'line\n'.repeat(495))).warnings).toEqual([]);
    const r = check(fm(okFields, 'line\n'.repeat(496)));
    expect(r.warnings).toEqual([expect.objectContaining({ rule: 'skill-md-lines', message: 'SKILL.md is 500 lines (the spec advises under 500)' })]);
    expect(r.errors).toEqual([]);
    expect(countLines('a\nb')).toBe(2);
    expect(countLines('a\nb\n')).toBe(2);
    expect(countLines('')).toBe(0);
  });

  it('a SKILL.md over 5 MB is validated in full, with a warning (skills-ref has no limit)', () => {
    const r = check(fm(okFields, `${'x'.repeat(999)}\n`.repeat(5300)));
    expect(r.errors).toEqual([]);
    expect(r.warnings.map((w) => w.rule)).toEqual(['skill-md-lines', 'skill-md-large', 'body-tokens']);
    expect(r.warnings[1]!.message).toBe('SKILL.md is 5.1 MB');
  });

  it('a body of about 5,000 tokens or more', () => {
    expect(estimateTokens('abcd'.repeat(10))).toBe(10);
    const body = `${'word '.repeat(4000)}\n`.repeat(2); // 40,001 characters on 2 lines
    const r = check(fm(okFields, body));
    expect(r.warnings).toEqual([expect.objectContaining({ rule: 'body-tokens', message: 'SKILL.md body is about 10000 tokens (the spec advises under 5,000)' })]);
    expect(check(fm(okFields, 'x'.repeat(20_000))).warnings).toEqual([]);
  });

  it('a `---` inside a front matter line cuts it there, as in the reference parser, and says so', () => {
    const r = check(`---\nname: ${SKILL}\ndescription: Before---after\n---\nBody\n`);
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([expect.objectContaining({ rule: 'frontmatter-dashes', line: 3 })]);
    const parsed = parseFrontmatter(`---\nname: ${SKILL}\ndescription: Before---after\n---\n`);
    expect(parsed.ok && parsed.frontmatter.data.description).toBe('Before');
  });
});
