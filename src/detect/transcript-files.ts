import { readdirSync, statSync, type Stats } from 'node:fs';
import { join, resolve } from 'node:path';
import { UserError } from '../errors.js';

/**
 * Where Claude Code keeps transcripts:
 *   <projects>/<project>/<session>.jsonl                       a session
 *   <projects>/<project>/<session>/subagents/agent-<id>.jsonl  its subagents
 *   <projects>/<project>/agent-<id>.jsonl                      subagents of older builds
 */

const WHAT =
  'expected a Claude Code transcript (.jsonl), a project folder holding them, or a folder of project folders such as ~/.claude/projects';

function statOf(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function entries(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

function isFile(path: string): boolean {
  return statOf(path)?.isFile() === true;
}

function isDir(path: string): boolean {
  return statOf(path)?.isDirectory() === true;
}

/** `dir`/*.jsonl that are files; with `agentsOnly`, only agent-*.jsonl. */
function jsonlIn(dir: string, agentsOnly = false): string[] {
  return entries(dir)
    .filter((name) => name.endsWith('.jsonl') && (!agentsOnly || name.startsWith('agent-')))
    .map((name) => join(dir, name))
    .filter(isFile);
}

/** A session folder's subagent transcripts. */
function subagentsOf(sessionDir: string): string[] {
  return jsonlIn(join(sessionDir, 'subagents'), true);
}

/** A project folder's transcripts: its *.jsonl and each <session>/subagents/agent-*.jsonl. */
function projectTranscripts(dir: string): string[] {
  const found = jsonlIn(dir);
  for (const name of entries(dir)) {
    const sub = join(dir, name);
    if (isDir(sub)) found.push(...subagentsOf(sub));
  }
  return found;
}

/**
 * Every transcript under `path`: a .jsonl file itself; a project folder's *.jsonl plus
 * <session>/subagents/agent-*.jsonl (and older sibling agent-*.jsonl files); a session folder's
 * subagents; or a folder of project folders such as ~/.claude/projects. Sorted, absolute.
 * Throws an Error naming the path if it does not exist or holds no transcript.
 */
export function findTranscripts(path: string): string[] {
  const abs = resolve(path);
  const stats = statOf(abs);
  if (!stats) throw new UserError(`${path}: no such file or folder (${WHAT}).`);
  if (stats.isFile()) {
    if (!abs.endsWith('.jsonl')) throw new UserError(`${path}: not a transcript, its name does not end in .jsonl (${WHAT}).`);
    return [abs];
  }
  if (!stats.isDirectory()) throw new UserError(`${path}: neither a file nor a folder (${WHAT}).`);

  const found = new Set<string>();
  const add = (files: string[]): void => {
    for (const f of files) found.add(f);
  };
  // The folder itself as a project folder (or as a session folder, for its subagents).
  add(projectTranscripts(abs));
  add(subagentsOf(abs));
  // Each child as a project folder, for a folder of projects. A child that is a session folder
  // holds no *.jsonl of its own, and its subagents are already counted above.
  for (const name of entries(abs)) {
    const sub = join(abs, name);
    if (name !== 'subagents' && isDir(sub) && !isDir(join(sub, 'subagents'))) add(projectTranscripts(sub));
  }
  if (found.size === 0) {
    throw new UserError(`${path}: holds no Claude Code transcript, no *.jsonl in it or in its project or session folders (${WHAT}).`);
  }
  return [...found].sort();
}

/** $CLAUDE_CONFIG_DIR/projects, or ~/.claude/projects. */
export function defaultProjectsDir(env: NodeJS.ProcessEnv, home: string): string {
  const configDir = env.CLAUDE_CONFIG_DIR?.trim();
  if (configDir) {
    const expanded = configDir === '~' ? home : configDir.startsWith('~/') ? join(home, configDir.slice(2)) : configDir;
    return join(expanded, 'projects');
  }
  return join(home, '.claude', 'projects');
}

/**
 * A session's transcript and its subagents' (`<session>/subagents/agent-*.jsonl` beside it): the
 * regular files among them, nothing when the transcript itself is not one (a FIFO would wait forever).
 */
export function sessionTranscripts(file: string): string[] {
  if (!file.endsWith('.jsonl') || !isFile(file)) return [];
  return [file, ...subagentsOf(file.slice(0, -'.jsonl'.length))];
}
