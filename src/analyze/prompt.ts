import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import type { AnalystContext } from './schema.js';

/** Where the analyst's instructions live, in a workspace and in the package alike. */
export const ANALYST_SKILL = join('skills', 'nevo-analyst', 'SKILL.md');

/** A Markdown file without its leading `---` YAML front matter, if it has one. */
export function stripFrontMatter(markdown: string): string {
  const text = markdown.replace(/\r\n/g, '\n');
  if (!text.startsWith('---\n')) return text.trim();
  const end = text.indexOf('\n---', 3);
  if (end < 0) return text.trim();
  const after = text.indexOf('\n', end + 4);
  return after < 0 ? '' : text.slice(after + 1).trim();
}

/** A fence longer than any run of backticks in `text`, so the block cannot be closed early. */
function fenceFor(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  return '`'.repeat(Math.max(3, longest + 1));
}

/** The analyst's prompt: the skill's instructions, then the incident, the rules and the events as JSON. */
export function buildPrompt(skillMarkdown: string, ctx: AnalystContext): string {
  const json = JSON.stringify(ctx, null, 2);
  const fence = fenceFor(json);
  return `${stripFrontMatter(skillMarkdown)}\n\n# The incident, the rules and the recent events\n\n${fence}json\n${json}\n${fence}\n`;
}

/** The analyst skill: the workspace's own copy (which the user may edit) first, else the package's. */
export function loadAnalystSkill(workspaceRoot: string, packageRoot: string): string {
  for (const file of [join(workspaceRoot, ANALYST_SKILL), join(packageRoot, ANALYST_SKILL)]) {
    if (existsSync(file)) return readFileSync(file, 'utf8');
  }
  throw new UserError(`cannot find the analyst's instructions (${ANALYST_SKILL}) in the workspace or in the nevo-tui package; reinstall nevo-tui or restore the file from the package.`);
}
