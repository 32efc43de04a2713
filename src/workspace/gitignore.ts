// Keeping this machine's files out of the project's git: `.nevo/` (nevo's own repository, which a
// `git add .` would pick up as an embedded one) and `.claude/settings.local.json` (absolute paths
// of this machine). Asks git itself when it is installed (global excludes included), else reads
// .gitignore and .git/info/exclude with isomorphic-git's rules.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { appendFileSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import git from 'isomorphic-git';

export interface Repo {
  /** The work tree's top folder. */
  root: string;
  /** Where info/exclude lives: the repository's own folder (the common one for a worktree). */
  commonDir: string;
}

/** The git repository `start` is in, walking up to a `.git` folder or file; null when none. */
export function findRepo(start: string): Repo | null {
  let dir = resolve(start);
  for (;;) {
    const dotGit = join(dir, '.git');
    try {
      const st = statSync(dotGit);
      if (st.isDirectory()) return { root: dir, commonDir: dotGit };
      // A worktree or submodule: `gitdir: <path>`, and for a worktree a `commondir` file there.
      const gitdir = resolve(dir, /^gitdir:\s*(.+)$/m.exec(readFileSync(dotGit, 'utf8'))?.[1]?.trim() ?? '');
      let common = gitdir;
      try {
        common = resolve(gitdir, readFileSync(join(gitdir, 'commondir'), 'utf8').trim());
      } catch {
        // not a worktree
      }
      return { root: dir, commonDir: common };
    } catch {
      // no .git here
    }
    const up = dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

/** `path` relative to the repository's top, with forward slashes. */
function repoPath(repo: Repo, path: string): string {
  return relative(repo.root, path).split(sep).join('/');
}

/** Whether git ignores `path` (a folder: give a file inside it). */
export async function isIgnored(repo: Repo, path: string): Promise<boolean> {
  const rel = repoPath(repo, path);
  const r = spawnSync('git', ['check-ignore', '-q', '--no-index', '--', rel], { cwd: repo.root, stdio: 'ignore', timeout: 10_000 });
  if (!r.error && (r.status === 0 || r.status === 1)) return r.status === 0;
  try {
    return await git.isIgnored({ fs, dir: repo.root, gitdir: repo.commonDir, filepath: rel });
  } catch {
    return false;
  }
}

/** The line that ignores `path` (a folder when `dir`), anchored at the top of the repository. */
export function ignoreLine(repo: Repo, path: string, dir = false): string {
  return `/${repoPath(repo, path)}${dir ? '/' : ''}`;
}

/** Appends lines to an ignore file, starting on a line of their own. */
export function appendIgnoreLines(file: string, lines: string[], comment: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const before = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const lead = before && !before.endsWith('\n') ? '\n' : '';
  appendFileSync(file, `${lead}# ${comment}\n${lines.join('\n')}\n`);
}

export function excludeFile(repo: Repo): string {
  return join(repo.commonDir, 'info', 'exclude');
}
