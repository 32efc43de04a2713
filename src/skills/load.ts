// Finds the skills at a path and reads what validate.ts and script-check.ts judge. Reading never
// throws on bad input: a missing path, a file where a folder should be, a symbolic link loop, a
// file that cannot be read, a binary SKILL.md all end up as problems of the skill they belong to.
import { readdirSync, readFileSync, realpathSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { checkScripts, MAX_SCRIPT_BYTES, type Runner, type ScriptFile, type ScriptReport } from './script-check.js';
import { lookalikeSkillMd, pickSkillMd, validateSkill, type Problem, type SkillMdSource } from './validate.js';

/** One skill's verdict, as `nevo-tui skills validate --json` prints it. */
export interface SkillResult {
  name: string;
  /** The skill folder, relative to the current folder when it is inside it. */
  path: string;
  valid: boolean;
  errors: Problem[];
  warnings: Problem[];
  /** Every file under scripts/ and what its syntax check found. */
  scripts: ScriptReport[];
}

export interface SkillsAtPath {
  /** `one`: PATH is a skill; `many`: a folder of skills; `none`: a folder with no skill in it. */
  layout: 'one' | 'many' | 'none';
  /** PATH as shown in messages. */
  path: string;
  skills: SkillResult[];
}

export interface LoadOptions {
  /** Paths in messages are relative to this folder (default: the current one). */
  cwd?: string;
  /** A folder with no skill in it (and not laid out like one) is no skills, not an error. */
  allowEmpty?: boolean;
  runner?: Runner;
  timeoutMs?: number;
}

/**
 * SKILL.md files larger than this are not read (an error; skills-ref reads any size): a string of
 * the whole file must fit in Node's string limit (about 512 M characters). Above 5 MB a SKILL.md is
 * still validated in full, with a warning (LARGE_SKILL_MD_BYTES).
 */
export const MAX_SKILL_MD_BYTES = 256 * 1024 * 1024;
/** At most this many files under scripts/ are looked at, at most this deep. */
export const MAX_SCRIPT_FILES = 500;
const MAX_SCRIPT_DEPTH = 10;
/** Folders of a skill layout: a folder holding one of these is a skill, even without SKILL.md. */
const SKILL_SUBFOLDERS = ['scripts', 'references', 'assets'];
/** A folder named like a skill (lowercase words joined by hyphens, such as `my-skill`) is taken for one. */
const SKILL_LIKE_NAME = /^[a-z0-9]+(?:-[a-z0-9]+)+$/;

/** `path` relative to `cwd` when inside it, else absolute; `/` between names. */
export function displayPath(abs: string, cwd: string): string {
  const rel = relative(cwd, abs);
  const shown = rel === '' ? '.' : !rel.startsWith('..') && !isAbsolute(rel) ? rel : abs;
  return shown.split('\\').join('/');
}

/** `dir/name`, or `name` alone when dir is `.`. */
const under = (dir: string, name: string) => (dir === '.' || dir === '' ? name : `${dir}/${name}`);

/** Why a file could not be read, in words. */
function reasonOf(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ENOENT':
      return 'it does not exist (a broken symbolic link?)';
    case 'ELOOP':
      return 'it is a symbolic link loop';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a folder, not a file';
    default:
      return code ?? (err instanceof Error ? err.message : String(err));
  }
}

const statOrError = (p: string): Stats | { error: unknown } => {
  try {
    return statSync(p);
  } catch (error) {
    return { error };
  }
};

const listOrError = (p: string): string[] | { error: unknown } => {
  try {
    return readdirSync(p).sort();
  } catch (error) {
    return { error };
  }
};

function readSkillMd(dir: string, entries: string[]): SkillMdSource {
  const fileName = pickSkillMd(entries);
  if (!fileName) return { kind: 'missing' };
  const p = join(dir, fileName);
  const st = statOrError(p);
  if ('error' in st) return { kind: 'unreadable', fileName, reason: reasonOf(st.error) };
  if (st.isDirectory()) return { kind: 'unreadable', fileName, reason: 'it is a folder, not a file' };
  if (!st.isFile()) return { kind: 'unreadable', fileName, reason: 'it is not a regular file' };
  if (st.size > MAX_SKILL_MD_BYTES) return { kind: 'unreadable', fileName, reason: `it is larger than ${MAX_SKILL_MD_BYTES / 1024 / 1024} MB` };
  try {
    return { kind: 'read', fileName, bytes: readFileSync(p) };
  } catch (err) {
    return { kind: 'unreadable', fileName, reason: reasonOf(err) };
  }
}

/** Every file under `scripts/`, read; hidden files, node_modules and __pycache__ left out. */
function readScripts(dir: string, shown: string): { files: ScriptFile[]; warnings: Problem[] } {
  const files: ScriptFile[] = [];
  const warnings: Problem[] = [];
  const seen = new Set<string>();
  let truncated = false;
  const walk = (abs: string, rel: string, depth: number) => {
    let real: string;
    try {
      real = realpathSync(abs);
    } catch {
      return;
    }
    if (seen.has(real)) return; // a symbolic link back up the tree
    seen.add(real);
    const entries = listOrError(abs);
    if ('error' in entries) {
      warnings.push({ rule: 'script-not-checked', file: under(shown, rel), message: `Not checked: cannot read the folder: ${reasonOf(entries.error)}` });
      return;
    }
    for (const name of entries) {
      if (name.startsWith('.') || name === 'node_modules' || name === '__pycache__') continue;
      if (files.length >= MAX_SCRIPT_FILES) {
        truncated = true;
        return;
      }
      const childAbs = join(abs, name);
      const childRel = `${rel}/${name}`;
      const file = under(shown, childRel);
      const st = statOrError(childAbs);
      if ('error' in st) {
        files.push({ file, name, source: { unread: reasonOf(st.error) } });
      } else if (st.isDirectory()) {
        if (depth < MAX_SCRIPT_DEPTH) walk(childAbs, childRel, depth + 1);
      } else if (st.isFile()) {
        if (st.size > MAX_SCRIPT_BYTES) {
          files.push({ file, name, source: { unread: `larger than ${MAX_SCRIPT_BYTES / 1024 / 1024} MB` } });
          continue;
        }
        try {
          files.push({ file, name, source: { bytes: readFileSync(childAbs) } });
        } catch (err) {
          files.push({ file, name, source: { unread: reasonOf(err) } });
        }
      }
    }
  };
  walk(join(dir, 'scripts'), 'scripts', 0);
  if (truncated) warnings.push({ rule: 'scripts-truncated', file: under(shown, 'scripts'), message: `Only the first ${MAX_SCRIPT_FILES} files under scripts/ were checked` });
  return { files, warnings };
}

/** Validates the skill in folder `abs`: SKILL.md, then the scripts. */
export async function validateSkillFolder(abs: string, opts: LoadOptions = {}): Promise<SkillResult> {
  const cwd = opts.cwd ?? process.cwd();
  const shown = displayPath(abs, cwd);
  const dirName = basename(abs);
  const fail = (problem: Omit<Problem, 'file'>): SkillResult => ({ name: dirName, path: shown, valid: false, errors: [{ ...problem, file: shown } as Problem], warnings: [], scripts: [] });
  const st = statOrError(abs);
  if ('error' in st) {
    const code = (st.error as NodeJS.ErrnoException)?.code;
    if (code === 'ENOENT' || code === 'ELOOP' || code === 'ENOTDIR') {
      return fail({ rule: 'path-missing', message: `Path does not exist: ${shown}`, ...(code === 'ELOOP' ? { fix: 'it is a symbolic link loop: point the link at the skill folder' } : {}) });
    }
    return fail({ rule: 'path-unreadable', message: `Cannot read ${shown}: ${reasonOf(st.error)}` });
  }
  if (!st.isDirectory()) return fail({ rule: 'path-not-directory', message: `Not a directory: ${shown}`, fix: 'name the skill folder, or a folder of skill folders' });
  const entries = listOrError(abs);
  if ('error' in entries) return fail({ rule: 'path-unreadable', message: `Cannot read ${shown}: ${reasonOf(entries.error)}` });

  const check = validateSkill({ path: shown, dirName, entries, skillMd: readSkillMd(abs, entries) });
  const scripts = readScripts(abs, shown);
  const checked = await checkScripts(scripts.files, under(shown, 'scripts'), opts.runner, opts.timeoutMs);
  const errors = [...check.errors, ...checked.errors];
  return { name: check.name, path: shown, valid: errors.length === 0, errors, warnings: [...check.warnings, ...scripts.warnings, ...checked.warnings], scripts: checked.scripts };
}

const isDir = (p: string) => {
  const st = statOrError(p);
  return !('error' in st) && st.isDirectory();
};

const holdsSkillMd = (dir: string) => {
  const entries = listOrError(dir);
  return !('error' in entries) && (pickSkillMd(entries) !== null || lookalikeSkillMd(entries) !== null);
};

/** A folder laid out like a skill: a misnamed SKILL.md, or scripts/, references/ or assets/ in it. */
const laidOutLikeSkill = (dir: string, entries: readonly string[]) => lookalikeSkillMd(entries) !== null || SKILL_SUBFOLDERS.some((s) => entries.includes(s) && isDir(join(dir, s)));

const looksLikeSkill = (dir: string) => {
  const entries = listOrError(dir);
  return !('error' in entries) && (pickSkillMd(entries) !== null || laidOutLikeSkill(dir, entries));
};

/**
 * The skill folders at `target`: the folder itself when it holds SKILL.md; else every folder
 * directly inside it (but hidden ones) when any of them holds a SKILL.md or is laid out like a
 * skill; else the folder itself when it looks like a skill (laid out like one, or named like one),
 * so that its missing SKILL.md is reported; else none. A path to a SKILL.md names its folder. A
 * path that does not exist or is not a folder is one skill with that error.
 */
export function findSkillFolders(targetAbs: string): { layout: SkillsAtPath['layout']; folders: string[] } {
  const st = statOrError(targetAbs);
  if ('error' in st) return { layout: 'one', folders: [targetAbs] };
  if (!st.isDirectory()) return { layout: 'one', folders: [/^skill\.md$/i.test(basename(targetAbs)) ? dirname(targetAbs) : targetAbs] };
  const entries = listOrError(targetAbs);
  if ('error' in entries) return { layout: 'one', folders: [targetAbs] };
  if (pickSkillMd(entries)) return { layout: 'one', folders: [targetAbs] };
  const children = entries.filter((e) => !e.startsWith('.')).map((e) => join(targetAbs, e));
  // A child that is a broken link or a loop is listed too: it is reported, not skipped.
  const folders = children.filter((c) => {
    const child = statOrError(c);
    return 'error' in child ? (child.error as NodeJS.ErrnoException)?.code === 'ELOOP' : child.isDirectory();
  });
  if (folders.some(looksLikeSkill)) return { layout: 'many', folders };
  if (laidOutLikeSkill(targetAbs, entries) || SKILL_LIKE_NAME.test(basename(targetAbs))) return { layout: 'one', folders: [targetAbs] };
  return { layout: 'none', folders: [] };
}

/** The exit code of `skills validate`: 1 when any skill is invalid, else 0. */
export function exitCodeOf(r: SkillsAtPath): 0 | 1 {
  return r.skills.some((s) => !s.valid) ? 1 : 0;
}

/**
 * Validates the skill, or every skill in the folder of skills, at `target`. A folder with no skill
 * in it is an error (the official validator's `Missing required file: SKILL.md`), unless
 * `allowEmpty`: then it is no skills.
 */
export async function validateSkillsAt(target: string, opts: LoadOptions = {}): Promise<SkillsAtPath> {
  const cwd = opts.cwd ?? process.cwd();
  const abs = resolve(cwd, target);
  const found = findSkillFolders(abs);
  const skills: SkillResult[] = [];
  for (const folder of found.folders) skills.push(await validateSkillFolder(folder, { ...opts, cwd }));
  const shown = displayPath(abs, cwd);
  if (found.layout === 'none' && !opts.allowEmpty) {
    const self = await validateSkillFolder(abs, { ...opts, cwd });
    const missing = self.errors.find((e) => e.rule === 'skill-md-missing');
    if (missing) missing.fix = `no folder directly inside ${shown} holds one either: create ${missing.file} if ${shown} is a skill, or pass --allow-empty to accept a folder with no skills`;
    skills.push(self);
  }
  return { layout: found.layout, path: shown, skills };
}
