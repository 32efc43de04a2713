// Validates one skill (a folder holding SKILL.md) from data: the folder's name, the names in it and
// SKILL.md's bytes. No file system here; src/skills/load.ts reads the folder and calls this.
//
// The errors are the official validator's (skills-ref `validator.py` + `parser.py`), in its order
// and with its wording, so that a skill passes here exactly when it passes there
// (test/skills/parity.test.ts holds the cases):
//   1-3. the path exists, is a folder, holds SKILL.md (or skill.md);
//   4.   SKILL.md is read as Python's read_text() reads it (UTF-8; CRLF and CR become LF), starts
//        with `---`, the front matter is closed by a second `---` (the first one anywhere, even
//        inside a line), it is strict YAML as strictyaml reads it (strict-yaml.ts: every scalar a
//        string; no tabs between tokens, control characters, flow style, anchors, aliases or tags,
//        duplicate keys, or sibling mappings in different columns) and a mapping; each of these
//        stops the checks;
//   5-8. only the six spec fields; name (non-empty, stripped as Python strips and NFKC-normalised,
//        at most 64 characters, lowercase, no leading, trailing or double hyphen, letters, digits
//        and hyphens only, equal to the folder's name); description (non-empty, at most 1,024
//        characters); compatibility (a string of at most 500 characters).
// Lengths count code points, as Python's len() does. The warnings are ours: what keeps a skill
// portable beyond the official validator (Anthropic's packager, the spec's size advice).
import { loadStrictYaml, pyStrip, StrictYamlError, toRecord, type YamlValue } from './strict-yaml.js';
import { plural } from '../util/format.js';

export const MAX_NAME_LENGTH = 64;
export const MAX_DESCRIPTION_LENGTH = 1024;
export const MAX_COMPATIBILITY_LENGTH = 500;
/** The spec: "Keep your main SKILL.md under 500 lines" (the whole file, front matter included). */
export const MAX_SKILL_MD_LINES = 500;
/** Above this size SKILL.md is still validated in full, with a warning (skills-ref has no limit). */
export const LARGE_SKILL_MD_BYTES = 5 * 1024 * 1024;
export const MAX_BODY_TOKENS = 5000;
/** The spec's fields: the only ones the reference validator and claude.ai uploads accept. */
export const ALLOWED_FIELDS = ['allowed-tools', 'compatibility', 'description', 'license', 'metadata', 'name'] as const;

/** One error or warning about a skill. */
export interface Problem {
  /** A stable id of the check, such as `name-lowercase`. */
  rule: string;
  /** The file it is about (the skill's SKILL.md, a script, or the folder itself). */
  file: string;
  /** The line in that file, when known. */
  line?: number;
  /** The front matter field it is about, when there is one. */
  field?: string;
  /** For the reference validator's checks, its exact wording. */
  message: string;
  /** How to fix it. */
  fix?: string;
}

/** What load.ts found where SKILL.md should be. */
export type SkillMdSource =
  | { kind: 'missing' }
  | { kind: 'unreadable'; fileName: string; reason: string }
  | { kind: 'read'; fileName: string; bytes: Uint8Array };

export interface SkillInput {
  /** The skill folder as shown to the user (joined with file names in messages). */
  path: string;
  /** The folder's own name, which `name` must equal. */
  dirName: string;
  /** The names directly inside the folder (to suggest a fix for a misnamed SKILL.md). */
  entries: readonly string[];
  skillMd: SkillMdSource;
}

export interface SkillCheck {
  /** The front matter's name when it is a non-empty string, else the folder's name. */
  name: string;
  errors: Problem[];
  warnings: Problem[];
}

/** SKILL.md is preferred; the reference validator also accepts lowercase skill.md. */
export function pickSkillMd(entries: readonly string[]): string | null {
  for (const name of ['SKILL.md', 'skill.md']) if (entries.includes(name)) return name;
  return null;
}

/** A name that is SKILL.md in another case or spelling (Skill.md, SKILL.MD, SKILL.markdown). */
export function lookalikeSkillMd(entries: readonly string[]): string | null {
  return entries.find((e) => /^skill\.(md|markdown)$/i.test(e) && e !== 'SKILL.md' && e !== 'skill.md') ?? null;
}

const codePoints = (s: string) => [...s].length;
/** Python's string order (by code point; JavaScript's < compares UTF-16 units). */
const byCodePoint = (a: string, b: string): number => {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d) return d;
  }
  return x.length - y.length;
};
const joinPath = (dir: string, file: string) => (dir === '' || dir === '.' ? file : `${dir.replace(/[\\/]+$/, '')}/${file}`);

/** Decodes a file for display: UTF-8 text, or why it is not text (a NUL byte makes it binary). */
export function decodeText(bytes: Uint8Array): { text: string } | { error: string } {
  const nul = bytes.indexOf(0);
  if (nul !== -1) return { error: `it is a binary file (a zero byte at offset ${nul}), not text` };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes) };
  } catch {
    return { error: 'it is not UTF-8 text' };
  }
}

/**
 * SKILL.md's text as skills-ref reads it (Python's Path.read_text()): strict UTF-8, a byte-order
 * mark kept, and universal newlines (CRLF and a lone CR become LF). A NUL byte is text there too.
 */
export function readSkillText(bytes: Uint8Array): { text: string } | { error: string } {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return { error: 'it is not UTF-8 text' };
  }
  return { text: text.replace(/\r\n?/g, '\n') };
}

export interface Frontmatter {
  data: Record<string, YamlValue>;
  body: string;
  /** The 1-based line of each top-level key in SKILL.md. */
  lines: Record<string, number>;
  /** The line of the `---` that closed the front matter, and whether it stood inside a line. */
  close: { line: number; inLine: boolean };
}

export type ParseOutcome = { ok: true; frontmatter: Frontmatter } | { ok: false; rule: string; message: string; line?: number; fix: string };

const lineOf = (text: string, offset: number) => text.slice(0, offset).split('\n').length;

/**
 * Splits SKILL.md into front matter and body as the official parser does (`content.split("---", 2)`):
 * the content must start with `---`, and the front matter runs to the next `---` wherever it is
 * (even inside a line). The front matter is read by strict-yaml.ts, as strictyaml reads it.
 */
export function parseFrontmatter(content: string): ParseOutcome {
  if (!content.startsWith('---')) {
    const fix = content.startsWith('\uFEFF')
      ? 'remove the byte-order mark before the first `---` (save the file as UTF-8 without BOM)'
      : /^\s+---/.test(content)
        ? 'remove the blank lines or spaces before the first `---`'
        : 'begin the file with a front matter block: a line `---`, then `name:` and `description:` lines, then a line `---`';
    return { ok: false, rule: 'frontmatter-start', message: 'SKILL.md must start with YAML frontmatter (---)', line: 1, fix };
  }
  const close = content.indexOf('---', 3);
  if (close === -1) {
    return { ok: false, rule: 'frontmatter-closed', message: 'SKILL.md frontmatter not properly closed with ---', fix: 'add a line `---` after the last front matter field' };
  }
  const yamlText = content.slice(3, close);
  const closeLine = lineOf(content, close);
  const closeInLine = !(content[close - 1] === '\n' || content[close - 1] === undefined);
  const splitHint = closeInLine
    ? ` The front matter ends at the first \`---\` after the opening one, here inside line ${closeLine}: avoid \`---\` in front matter values.`
    : '';
  let doc: ReturnType<typeof loadStrictYaml>;
  try {
    doc = loadStrictYaml(yamlText);
  } catch (err) {
    if (!(err instanceof StrictYamlError)) throw err;
    // Line numbers of the YAML text are SKILL.md's: it starts on the opening `---` line.
    const line = err.mark ? err.mark.line + 1 : undefined;
    const where = err.mark ? ` (line ${err.mark.line + 1}, column ${err.mark.column + 1})` : '';
    const tabs = /found character "\\t"/.test(err.message) ? ' Use spaces, not tabs, around and between YAML tokens.' : '';
    return {
      ok: false,
      rule: 'frontmatter-yaml',
      message: `Invalid YAML in frontmatter: ${err.message}${where}`,
      ...(line !== undefined ? { line } : {}),
      fix: `write plain block-style \`key: value\` lines; quote a value that holds \`: \` or starts with a special character.${tabs}${splitHint}`,
    };
  }
  if (!(doc.data instanceof Map)) {
    return {
      ok: false,
      rule: 'frontmatter-mapping',
      message: 'SKILL.md frontmatter must be a YAML mapping',
      fix: `write the front matter as \`key: value\` lines, such as \`name: my-skill\` and \`description: ...\`.${splitHint}`,
    };
  }
  const lines: Record<string, number> = {};
  for (const [key, line] of doc.keyLines) lines[key] = line + 1;
  return { ok: true, frontmatter: { data: toRecord(doc.data), body: pyStrip(content.slice(close + 3)), lines, close: { line: closeLine, inLine: closeInLine } } };
}

const isBlankString = (v: unknown): boolean => typeof v !== 'string' || pyStrip(v) === '';

/** Python's str.isalnum(), closely enough: letters and numbers of any script. */
const isAlnum = (c: string) => /^[\p{L}\p{N}]$/u.test(c);

/** A name that would pass: lowercase ASCII letters and digits, single hyphens inside. */
export function suggestName(raw: string): string {
  return raw
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_NAME_LENGTH)
    .replace(/-+$/, '');
}

function checkName(raw: unknown, dirName: string, at: Omit<Problem, 'rule' | 'message'>): Problem[] {
  const out: Problem[] = [];
  const add = (rule: string, message: string, fix: string) => out.push({ rule, ...at, field: 'name', message, fix });
  if (isBlankString(raw)) {
    add('name-empty', "Field 'name' must be a non-empty string", `set \`name: ${suggestName(dirName) || 'my-skill'}\` (the folder's name, in lowercase letters, digits and hyphens)`);
    return out;
  }
  const name = pyStrip(raw as string).normalize('NFKC');
  const good = suggestName(name);
  const fixName = (what: string) => `${what}${good ? `, such as \`name: ${good}\`` : ''}, and rename the folder to match`;
  const length = codePoints(name);
  if (length > MAX_NAME_LENGTH) add('name-length', `Skill name '${name}' exceeds ${MAX_NAME_LENGTH} character limit (${length} chars)`, fixName(`shorten it to ${MAX_NAME_LENGTH} characters at most`));
  if (name !== name.toLowerCase()) add('name-lowercase', `Skill name '${name}' must be lowercase`, fixName('write it in lowercase'));
  if (name.startsWith('-') || name.endsWith('-')) add('name-hyphen-edge', 'Skill name cannot start or end with a hyphen', fixName('remove the leading or trailing hyphen'));
  if (name.includes('--')) add('name-consecutive-hyphens', 'Skill name cannot contain consecutive hyphens', fixName('use single hyphens'));
  if (![...name].every((c) => c === '-' || isAlnum(c))) {
    add('name-characters', `Skill name '${name}' contains invalid characters. Only letters, digits, and hyphens are allowed.`, fixName('use only letters, digits and hyphens'));
  }
  if (dirName.normalize('NFKC') !== name) {
    const dirIsName = suggestName(dirName) === dirName;
    add('name-directory', `Directory name '${dirName}' must match skill name '${name}'`, `rename the folder to \`${name}\`${dirIsName ? `, or set \`name: ${dirName}\`` : ''}`);
  }
  return out;
}

function checkDescription(raw: unknown, at: Omit<Problem, 'rule' | 'message'>): Problem[] {
  const at2 = { ...at, field: 'description' };
  if (isBlankString(raw)) {
    return [{ rule: 'description-empty', ...at2, message: "Field 'description' must be a non-empty string", fix: 'say in one or two sentences what the skill does and when to use it' }];
  }
  const length = codePoints(raw as string);
  if (length > MAX_DESCRIPTION_LENGTH) {
    return [{ rule: 'description-length', ...at2, message: `Description exceeds ${MAX_DESCRIPTION_LENGTH} character limit (${length} chars)`, fix: `cut ${plural(length - MAX_DESCRIPTION_LENGTH, 'character')}; move detail into the body` }];
  }
  return [];
}

function checkCompatibility(raw: unknown, at: Omit<Problem, 'rule' | 'message'>): Problem[] {
  const at2 = { ...at, field: 'compatibility' };
  if (typeof raw !== 'string') return [{ rule: 'compatibility-type', ...at2, message: "Field 'compatibility' must be a string", fix: 'write it as one line of text, such as `compatibility: Needs git and Node 20`' }];
  const length = codePoints(raw);
  if (length > MAX_COMPATIBILITY_LENGTH) {
    return [{ rule: 'compatibility-length', ...at2, message: `Compatibility exceeds ${MAX_COMPATIBILITY_LENGTH} character limit (${length} chars)`, fix: `cut ${plural(length - MAX_COMPATIBILITY_LENGTH, 'character')}` }];
  }
  return [];
}

/** About how many tokens a text is: a quarter of its characters, the usual rule of thumb. */
export const estimateTokens = (text: string) => Math.ceil(codePoints(text) / 4);

/** The lines of a text as an editor counts them: a final line break ends the last line. */
export const countLines = (text: string): number => (text === '' ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0));

function portabilityWarnings(fm: Frontmatter, file: string, fileName: string, text: string, bytes: number): Problem[] {
  const out: Problem[] = [];
  const { data, lines, body } = fm;
  if (fileName !== 'SKILL.md') {
    out.push({ rule: 'skill-md-lowercase', file, message: `The file is named ${fileName}, not SKILL.md`, fix: `rename it to SKILL.md: Claude Code and claude.ai uploads look for SKILL.md only` });
  }
  const at = (field: string) => ({ file, field, ...(lines[field] !== undefined ? { line: lines[field] } : {}) });
  if (fm.close.inLine) {
    out.push({
      rule: 'frontmatter-dashes',
      file,
      line: fm.close.line,
      message: `The front matter ends at the \`---\` inside line ${fm.close.line}, not at a line of its own`,
      fix: 'the reference validator cuts the front matter at the first `---`: avoid `---` in front matter values',
    });
  }
  if (typeof data.name === 'string' && pyStrip(data.name) !== '') {
    const name = pyStrip(data.name).normalize('NFKC');
    if (/[^\x00-\x7F]/.test(name)) {
      out.push({
        rule: 'name-not-ascii',
        ...at('name'),
        message: `Skill name '${name}' is not ASCII`,
        fix: `the spec allows only a-z, 0-9 and hyphens, and Anthropic's packager rejects other characters${suggestName(name) ? `: use \`name: ${suggestName(name)}\` and rename the folder to match` : ''}`,
      });
    }
  }
  if (typeof data.description === 'string' && /[<>]/.test(data.description)) {
    out.push({ rule: 'description-angle-brackets', ...at('description'), message: "Description contains '<' or '>'", fix: "reword it without angle brackets: Anthropic's packager (and so claude.ai uploads) rejects them" });
  }
  const lineCount = countLines(text);
  if (lineCount >= MAX_SKILL_MD_LINES) {
    out.push({ rule: 'skill-md-lines', file, message: `${fileName} is ${lineCount} lines (the spec advises under ${MAX_SKILL_MD_LINES})`, fix: 'move detailed material into files under references/ and say in the body when to read each' });
  }
  if (bytes > LARGE_SKILL_MD_BYTES) {
    out.push({ rule: 'skill-md-large', file, message: `${fileName} is ${(bytes / 1024 / 1024).toFixed(1)} MB`, fix: 'an agent loads SKILL.md whole when the skill triggers: keep it small and move material into files under references/' });
  }
  const tokens = estimateTokens(body);
  if (tokens > MAX_BODY_TOKENS) {
    out.push({ rule: 'body-tokens', file, message: `SKILL.md body is about ${tokens} tokens (the spec advises under ${MAX_BODY_TOKENS.toLocaleString('en-US')})`, fix: 'move detailed material into files under references/ and say in the body when to read each' });
  }
  return out;
}

/** Validates SKILL.md's front matter and body. The script checks are separate (script-check.ts). */
export function validateSkill(input: SkillInput): SkillCheck {
  const { path, dirName, skillMd } = input;
  const fail = (problem: Problem): SkillCheck => ({ name: dirName, errors: [problem], warnings: [] });
  if (skillMd.kind === 'missing') {
    const lookalike = lookalikeSkillMd(input.entries);
    return fail({
      rule: 'skill-md-missing',
      file: joinPath(path, 'SKILL.md'),
      message: 'Missing required file: SKILL.md',
      fix: lookalike
        ? `rename ${lookalike} to SKILL.md`
        : `create ${joinPath(path, 'SKILL.md')}: a line \`---\`, \`name: ${suggestName(dirName) || dirName}\`, \`description: ...\`, a line \`---\`, then the instructions`,
    });
  }
  const file = joinPath(path, skillMd.fileName);
  if (skillMd.kind === 'unreadable') {
    return fail({ rule: 'skill-md-unreadable', file, message: `Cannot read ${skillMd.fileName}: ${skillMd.reason}`, fix: `make ${file} a readable UTF-8 text file` });
  }
  const decoded = readSkillText(skillMd.bytes);
  if ('error' in decoded) {
    return fail({ rule: 'skill-md-unreadable', file, message: `Cannot read ${skillMd.fileName}: ${decoded.error}`, fix: `${skillMd.fileName} must be Markdown text in UTF-8` });
  }
  const parsed = parseFrontmatter(decoded.text);
  if (!parsed.ok) return fail({ rule: parsed.rule, file, ...(parsed.line !== undefined ? { line: parsed.line } : {}), message: parsed.message, fix: parsed.fix });

  const { data, lines } = parsed.frontmatter;
  const at = (field: string) => ({ file, ...(lines[field] !== undefined ? { line: lines[field] } : {}) });
  const errors: Problem[] = [];
  const extra = Object.keys(data)
    .filter((k) => !(ALLOWED_FIELDS as readonly string[]).includes(k))
    .sort(byCodePoint);
  if (extra.length) {
    errors.push({
      rule: 'fields-unexpected',
      ...at(extra[0]!),
      field: extra.join(', '),
      message: `Unexpected fields in frontmatter: ${extra.join(', ')}. Only [${ALLOWED_FIELDS.map((f) => `'${f}'`).join(', ')}] are allowed.`,
      fix: 'remove them, or move them under `metadata:`; Claude Code reads some others (when_to_use, argument-hint, ...), but the spec, the reference validator and claude.ai uploads reject them',
    });
  }
  if (!('name' in data)) {
    errors.push({ rule: 'name-missing', file, field: 'name', message: 'Missing required field in frontmatter: name', fix: `add \`name: ${suggestName(dirName) || dirName}\` (the folder's name)` });
  } else {
    errors.push(...checkName(data.name, dirName, at('name')));
  }
  if (!('description' in data)) {
    errors.push({ rule: 'description-missing', file, field: 'description', message: 'Missing required field in frontmatter: description', fix: 'add `description:` saying what the skill does and when to use it' });
  } else {
    errors.push(...checkDescription(data.description, at('description')));
  }
  if ('compatibility' in data) errors.push(...checkCompatibility(data.compatibility, at('compatibility')));

  const name = typeof data.name === 'string' && pyStrip(data.name) !== '' ? pyStrip(data.name) : dirName;
  return { name, errors, warnings: portabilityWarnings(parsed.frontmatter, file, skillMd.fileName, decoded.text, skillMd.bytes.length) };
}
