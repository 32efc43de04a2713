import { isAbsolute, join, relative } from 'node:path';
import type { Command } from 'commander';
import { initWorkspace } from '../app/init.js';
import { appendIgnoreLines, findRepo, ignoreLine, isIgnored } from '../workspace/gitignore.js';
import { emit } from '../output.js';
import { shortOid } from '../util/format.js';

export interface GitignoreAdvice {
  /** The project's top .gitignore, where the lines belong. */
  file: string;
  /** The lines git needs and does not have yet. */
  lines: string[];
  added: boolean;
}

/**
 * The lines that keep this machine's nevo files out of the project's git: the workspace (a git
 * repository of its own, which `git add .` would take in as an embedded one) and the local
 * Claude Code settings `hooks install` writes by default. Added only with --gitignore.
 */
async function gitignore(project: string, workspace: string, add: boolean): Promise<GitignoreAdvice | null> {
  const repo = findRepo(project);
  if (!repo) return null;
  const wanted: [string, string][] = [];
  const inside = !relative(repo.root, workspace).startsWith('..') && !isAbsolute(relative(repo.root, workspace));
  if (inside && !(await isIgnored(repo, join(workspace, 'config.json')))) wanted.push([ignoreLine(repo, workspace, true), workspace]);
  const local = join(project, '.claude', 'settings.local.json');
  if (!(await isIgnored(repo, local))) wanted.push([ignoreLine(repo, local), local]);
  const file = join(repo.root, '.gitignore');
  const lines = wanted.map(([line]) => line);
  if (add && lines.length) appendIgnoreLines(file, lines, 'nevo-tui: its workspace (a git repository of its own) and this machine\'s Claude Code settings');
  return { file, lines, added: add && lines.length > 0 };
}

export async function run(dir: string | undefined, opts: { json?: boolean; gitignore?: boolean }, cmd: Command): Promise<void> {
  const { workspace } = cmd.optsWithGlobals() as { workspace?: string };
  const result = await initWorkspace({ project: dir, workspace, cwd: process.cwd() });
  const advice = await gitignore(result.project, result.workspace, Boolean(opts.gitignore));
  emit(opts.json, { ...result, gitignore: advice }, () => {
    const lines = result.created
      ? [
          `Created workspace ${result.workspace}`,
          `  rules seeded:  ${result.seeded.rules.join(', ') || '(none)'}`,
          `  skills seeded: ${result.seeded.skills.join(', ') || '(none)'}`,
          `  active rules:  written for Claude Code to ${result.exportDir}`,
          `  first commit:  ${shortOid(result.commit)}`,
          'Next: `nevo-tui status`, then hook up Claude Code (see README).',
        ]
      : [`Workspace ${result.workspace} already exists; nothing changed${advice?.added ? ' in it' : ''}.`];
    if (advice?.added) lines.push(`Added to ${advice.file}: ${advice.lines.join(', ')}`);
    else if (advice?.lines.length)
      lines.push(
        `Keep nevo's files out of this project's git (the workspace is a git repository of its own; the local settings hold this machine's paths): add to ${advice.file}`,
        ...advice.lines.map((l) => `  ${l}`),
        'or run `nevo-tui init --gitignore`, which adds them.',
      );
    return lines.join('\n');
  });
}
