// Parity with the official Agent Skills validator (skills-ref, with strictyaml): every case of
// test/fixtures/skills-parity/cases.json is written to a scratch folder and validated here; the
// verdict (valid or not) and the kinds of the errors must be the official validator's, recorded in
// the case by test/fixtures/skills-parity/record.py. A case marked `extra` differs on purpose and is
// listed in the README (skills validate, "Where it differs from skills-ref").
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exitCodeOf, validateSkillsAt } from '../../src/skills/load.js';
import { scratch } from '../helpers/workspace.js';

type FileSpec = string | { base64: string } | { dir: true } | { text: string; repeat: string; times: number };
interface Official {
  exit: number;
  errors: string[];
  /** The exception's type when the official tool crashed (a traceback, exit 1). */
  crash?: string;
  /** The command line's own error (exit 2), such as a path that does not exist. */
  usage?: string;
}
interface Case {
  id: string;
  source: string;
  note: string;
  target: string;
  files: Record<string, FileSpec>;
  extra?: string;
  official: Official;
}

const fixture = JSON.parse(readFileSync(new URL('../fixtures/skills-parity/cases.json', import.meta.url), 'utf8')) as { recorded: string; cases: Case[] };

/** The kind (our rule id) of each of the official validator's messages. */
const MESSAGE_KINDS: Array<[RegExp, string]> = [
  [/^Path does not exist: /, 'path-missing'],
  [/^Not a directory: /, 'path-not-directory'],
  [/^Missing required file: SKILL\.md$/, 'skill-md-missing'],
  [/^SKILL\.md must start with YAML frontmatter/, 'frontmatter-start'],
  [/^SKILL\.md frontmatter not properly closed/, 'frontmatter-closed'],
  [/^Invalid YAML in frontmatter: /, 'frontmatter-yaml'],
  [/^SKILL\.md frontmatter must be a YAML mapping$/, 'frontmatter-mapping'],
  [/^Unexpected fields in frontmatter: /, 'fields-unexpected'],
  [/^Missing required field in frontmatter: name$/, 'name-missing'],
  [/^Missing required field in frontmatter: description$/, 'description-missing'],
  [/^Field 'name' must be a non-empty string$/, 'name-empty'],
  [/^Skill name '.*' exceeds \d+ character limit/s, 'name-length'],
  [/^Skill name '.*' must be lowercase$/s, 'name-lowercase'],
  [/^Skill name cannot start or end with a hyphen$/, 'name-hyphen-edge'],
  [/^Skill name cannot contain consecutive hyphens$/, 'name-consecutive-hyphens'],
  [/^Skill name '.*' contains invalid characters/s, 'name-characters'],
  [/^Directory name '.*' must match skill name/s, 'name-directory'],
  [/^Field 'description' must be a non-empty string$/, 'description-empty'],
  [/^Description exceeds \d+ character limit/, 'description-length'],
  [/^Field 'compatibility' must be a string$/, 'compatibility-type'],
  [/^Compatibility exceeds \d+ character limit/, 'compatibility-length'],
];

/**
 * Where the official tool crashes (a Python traceback, exit 1), the kind of error we report for the
 * same input: a SKILL.md that is not UTF-8 or is a folder cannot be read; strictyaml fails on its
 * own error for a control character (it reads a `context_mark` that ruamel's ReaderError lacks), on
 * a sequence used as a key (an assertion; a TypeError when the sequence holds a list), on comments
 * its round-trip parser cannot place, and on a second `<<` key: all invalid YAML here.
 */
const CRASH_KINDS: Record<string, string> = {
  UnicodeDecodeError: 'skill-md-unreadable',
  IsADirectoryError: 'skill-md-unreadable',
  AttributeError: 'frontmatter-yaml',
  AssertionError: 'frontmatter-yaml',
  TypeError: 'frontmatter-yaml',
  NotImplementedError: 'frontmatter-yaml',
  DuplicateKeyError: 'frontmatter-yaml',
};

function officialKinds(o: Official): string[] {
  if (o.usage !== undefined) return /does not exist/.test(o.usage) ? ['path-missing'] : [`usage: ${o.usage}`];
  if (o.crash !== undefined) return [CRASH_KINDS[o.crash] ?? `crash: ${o.crash}`];
  return o.errors.map((m) => MESSAGE_KINDS.find(([re]) => re.test(m))?.[1] ?? `unknown: ${m}`);
}

/** Messages that hold no path: ours must be the official ones, word for word. */
const SAME_WORDING = /^(fields-unexpected|name-|description-|compatibility-|frontmatter-(start|closed|mapping)$)/;

function write(root: string, files: Record<string, FileSpec>): void {
  for (const [rel, spec] of Object.entries(files)) {
    const p = join(root, ...rel.split('/'));
    if (typeof spec === 'object' && 'dir' in spec) {
      mkdirSync(p, { recursive: true });
      continue;
    }
    mkdirSync(dirname(p), { recursive: true });
    const bytes = typeof spec === 'string' ? Buffer.from(spec, 'utf8') : 'base64' in spec ? Buffer.from(spec.base64, 'base64') : Buffer.from(spec.text + spec.repeat.repeat(spec.times), 'utf8');
    writeFileSync(p, bytes);
  }
}

interface Outcome {
  exit: number;
  kinds: string[];
  messages: Array<{ rule: string; message: string }>;
}

async function ours(c: Case): Promise<Outcome> {
  const root = scratch('nevo-parity-');
  write(root, c.files);
  const r = await validateSkillsAt(c.target, { cwd: root });
  // Script syntax is our own check (README: where it differs); none of these cases has a script error.
  const errors = r.skills.flatMap((s) => s.errors).filter((e) => !e.rule.startsWith('script-'));
  return { exit: exitCodeOf(r), kinds: errors.map((e) => e.rule), messages: errors.map((e) => ({ rule: e.rule, message: e.message })) };
}

/** Why a case disagrees, or null when it agrees. */
function disagreement(c: Case, o: Outcome): string | null {
  const officialExit = c.official.exit === 0 ? 0 : 1;
  if (o.exit !== officialExit) return `exit ${o.exit}, official ${c.official.exit}`;
  const kinds = officialKinds(c.official);
  if (JSON.stringify(o.kinds) !== JSON.stringify(kinds)) return `kinds ${JSON.stringify(o.kinds)}, official ${JSON.stringify(kinds)}`;
  if (c.official.crash === undefined) {
    const mine = o.messages.filter((m) => SAME_WORDING.test(m.rule)).map((m) => m.message);
    const theirs = c.official.errors.filter((_, i) => SAME_WORDING.test(kinds[i]!));
    if (JSON.stringify(mine) !== JSON.stringify(theirs)) return `messages ${JSON.stringify(mine)}, official ${JSON.stringify(theirs)}`;
  }
  return null;
}

/** Cases known to disagree, each to be fixed; a case that starts agreeing must leave this list. None now. */
const KNOWN: string[] = [];

describe('skills validate: parity with the official validator (skills-ref)', () => {
  it('the fixture says how its verdicts were recorded', () => {
    expect(fixture.recorded).toMatch(/^Verdicts recorded by running the official validator: skills-ref at agentskills commit \w+, strictyaml [\d.]+/);
    expect(fixture.cases.length).toBeGreaterThan(200);
    expect(new Set(fixture.cases.map((c) => c.id)).size).toBe(fixture.cases.length);
  });

  it('every case gets the official verdict and error kinds, but the documented extras', async () => {
    const differ: string[] = [];
    const extras: string[] = [];
    for (const c of fixture.cases) {
      const why = disagreement(c, await ours(c));
      if (c.extra) {
        if (why) extras.push(c.id);
        continue;
      }
      if (why) differ.push(`${c.id}: ${why}`);
    }
    const ids = differ.map((d) => d.split(':')[0]!);
    expect(differ.filter((d) => !KNOWN.includes(d.split(':')[0]!))).toEqual([]);
    expect(KNOWN.filter((k) => !ids.includes(k))).toEqual([]);
    // An extra that agrees would not be an extra.
    expect(extras).toEqual(fixture.cases.filter((c) => c.extra).map((c) => c.id));
  });
});
