import { ensureLostTally } from '../detect/lost-tally.js';
import { cpSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { exportRules, SESSION_CONTEXT_FILE } from '../rules/export.js';
import { GUARDS_FILE } from '../rules/guards.js';
import { loadRules } from '../rules/load.js';
import { join, relative, resolve } from 'node:path';
import { DOC_NAMES, docFile, emptyDoc, isSharded } from '../store/documents.js';
import { History } from '../store/history.js';
import { atomicWriteFileSync } from '../util/atomic-write.js';
import { listFiles } from '../util/list-files.js';
import { stableJson } from '../util/json.js';
import { packageRoot, packageVersion } from '../util/package-root.js';
import { configSchema, loadConfig } from '../workspace/config.js';
import { layout, UNVERSIONED, WORKSPACE_DIRNAME } from '../workspace/layout.js';
import { withWorkspaceLock } from '../store/lock.js';

export interface InitResult {
  workspace: string;
  /** The agent's project folder. */
  project: string;
  created: boolean;
  commit: string | null;
  seeded: { rules: string[]; skills: string[] };
  /** Where the active (starter) rules were written for Claude Code; null when nothing was created. */
  exportDir: string | null;
}

export interface InitOptions {
  /** The project folder; the workspace becomes `<project>/.nevo`. */
  project?: string;
  /** An explicit workspace folder (`--workspace`); the project is then the current directory. */
  workspace?: string;
  cwd: string;
  now?: () => Date;
}

function copySeeds(from: string, to: string): string[] {
  if (!existsSync(from)) return [];
  const names = readdirSync(from).filter((n) => !n.startsWith('.'));
  for (const name of names) {
    if (!existsSync(join(to, name))) cpSync(join(from, name), join(to, name), { recursive: true });
  }
  return names.sort();
}

/**
 * Creates the workspace layout, seeds rules/ and skills/ from the package, and makes the first
 * commit. A second run finds the first commit and changes nothing; a run cut short is completed.
 */
export async function initWorkspace(opts: InitOptions): Promise<InitResult> {
  const root = opts.workspace ? resolve(opts.cwd, opts.workspace) : join(resolve(opts.cwd, opts.project ?? '.'), WORKSPACE_DIRNAME);
  const projectRoot = opts.workspace ? relative(root, opts.cwd) || '.' : '..';
  const project = resolve(root, projectRoot);
  const lay = layout(root);
  const now = opts.now ?? (() => new Date());
  mkdirSync(root, { recursive: true });

  const already = existsSync(lay.config) && existsSync(join(root, '.git'));
  if (already) {
    const config = loadConfig(lay.config);
    const history = new History(root, config.author, now);
    if (await history.head()) return { workspace: root, project: resolve(root, config.projectRoot), created: false, commit: null, seeded: { rules: [], skills: [] }, exportDir: null };
  }

  return withWorkspaceLock(lay, { timeoutMs: 15000, staleMs: 10000, purpose: 'init' }, async () => {
    for (const dir of [lay.store, lay.rules, lay.skills, lay.journal, lay.triggers]) mkdirSync(dir, { recursive: true });
    // Made now, while there is room: on a full disk the hook can still count what it lost in it.
    ensureLostTally(lay.triggers);
    const pkg = packageRoot();
    const seeded = { rules: copySeeds(join(pkg, 'rules'), lay.rules), skills: copySeeds(join(pkg, 'skills'), lay.skills) };
    // A sharded document starts with no shard: its first record makes one.
    const whole = DOC_NAMES.filter((name) => !isSharded(name));
    for (const name of whole) {
      const file = join(root, docFile(name));
      if (!existsSync(file)) atomicWriteFileSync(file, stableJson(emptyDoc()));
    }
    const gitignore = join(root, '.gitignore');
    if (!existsSync(gitignore)) writeFileSync(gitignore, `# Not versioned: the hook inbox and lock/batch state.\n${UNVERSIONED.join('\n')}\n`);
    if (!existsSync(lay.config)) atomicWriteFileSync(lay.config, stableJson(configSchema.parse({ projectRoot })));
    const config = loadConfig(lay.config);
    const history = new History(root, config.author, now);
    if (!history.exists()) await history.init();
    // The starter rules are active from the start, so the agent gets them from its first session:
    // written to the project's .claude/rules/nevo/ now, not at the first approval.
    const exportDir = exportRules({ root, projectRoot: resolve(root, config.projectRoot), config }, loadRules(root).rules).dir;
    const exported = [GUARDS_FILE, SESSION_CONTEXT_FILE].filter((f) => existsSync(join(root, f)));
    const paths = ['.gitignore', 'config.json', ...whole.map(docFile), ...listFiles(root, 'rules'), ...listFiles(root, 'skills'), ...exported];
    const commit = await history.commit(paths, `workspace: init (nevo-tui ${packageVersion()})`);
    return { workspace: root, project, created: true, commit, seeded, exportDir };
  });
}
