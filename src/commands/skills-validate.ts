// `nevo-tui skills validate`, apart from the other skills commands: it loads only the validator
// (src/skills/load.ts and what it needs), not the store, git, the schemas or the scheduler that
// deploying and tracking skills need, so that one call per skill in a CI script starts as fast as
// the other light commands.
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { UserError } from '../errors.js';
import { emit } from '../output.js';
import { displayPath, exitCodeOf, validateSkillsAt, type SkillResult, type SkillsAtPath } from '../skills/load.js';
import type { Problem } from '../skills/validate.js';
import { discoverWorkspace } from '../workspace/discover.js';
import { layout } from '../workspace/layout.js';

export function problemLines(kind: 'error' | 'warning', p: Problem): string[] {
  const where = `${p.file}${p.line !== undefined ? `:${p.line}` : ''}`;
  const lines = [`    ${kind === 'error' ? '✗' : '!'} ${kind}: ${where}: ${p.message}`];
  if (p.fix) lines.push(`      fix: ${p.fix}`);
  return lines;
}

export function skillLines(s: SkillResult): string[] {
  const checked = s.scripts.filter((x) => x.status !== 'not-checked').length;
  const lines = [`${s.valid ? '✓' : '✗'} ${s.name}  ${s.path}${s.warnings.length ? `  (${s.warnings.length} warning${s.warnings.length === 1 ? '' : 's'})` : ''}`];
  for (const e of s.errors) lines.push(...problemLines('error', e));
  for (const w of s.warnings) lines.push(...problemLines('warning', w));
  if (s.scripts.length) lines.push(`    scripts: ${checked} of ${s.scripts.length} file(s) checked for syntax, none run`);
  return lines;
}

function text(r: SkillsAtPath): string {
  if (r.skills.length === 0) return `No skills in ${r.path}: neither it nor any folder directly inside it holds a SKILL.md.`;
  const invalid = r.skills.filter((s) => !s.valid).length;
  return [...r.skills.flatMap(skillLines), '', `${r.skills.length} skill(s): ${r.skills.length - invalid} valid, ${invalid} invalid.`].join('\n');
}

/**
 * `nevo-tui skills validate [path] [--allow-empty]`: exit code 1 when any skill is invalid, or when
 * PATH holds no skill and --allow-empty is not given (the workspace's skills/ may be empty).
 */
export async function validate(path: string | undefined, opts: { json?: boolean; allowEmpty?: boolean }, cmd: Command): Promise<void> {
  let target = path;
  if (target === undefined) {
    const global = cmd.optsWithGlobals() as { workspace?: string };
    let root: string;
    try {
      root = discoverWorkspace({ flag: global.workspace, env: process.env.NEVO_WORKSPACE, cwd: process.cwd() });
    } catch (err) {
      if (err instanceof UserError) throw new UserError(`${err.message}\nOr name the skills to check: nevo-tui skills validate PATH`);
      throw err;
    }
    target = layout(root).skills;
    if (!existsSync(target)) {
      const shown = displayPath(target, process.cwd());
      emit(opts.json, { skills: [] }, () => `No skills: the workspace has no skills folder (${shown}).`);
      return;
    }
  }
  const r = await validateSkillsAt(target, { allowEmpty: opts.allowEmpty === true || path === undefined });
  emit(opts.json, { skills: r.skills }, () => text(r));
  if (exitCodeOf(r)) process.exitCode = 1;
}
