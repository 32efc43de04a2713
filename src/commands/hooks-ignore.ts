// `hooks install --scope local` writes this machine's absolute paths into
// .claude/settings.local.json: git must not pick the file up. When the project is in a git
// repository that does not ignore it yet, it goes to the repository's own exclude file
// (.git/info/exclude: this clone only, no tracked file changes).
import { excludeFile, findRepo, ignoreLine, appendIgnoreLines, isIgnored } from '../workspace/gitignore.js';

export interface IgnoreResult {
  /** The ignore file written, or that already covers it. */
  file: string | null;
  line: string;
  added: boolean;
}

export async function ensureLocalIgnored(projectRoot: string, settingsFile: string): Promise<IgnoreResult | null> {
  const repo = findRepo(projectRoot);
  if (!repo) return null;
  const line = ignoreLine(repo, settingsFile);
  if (await isIgnored(repo, settingsFile)) return { file: null, line, added: false };
  const file = excludeFile(repo);
  appendIgnoreLines(file, [line], 'nevo-tui hooks install: this machine\'s Claude Code settings');
  return { file, line, added: true };
}
