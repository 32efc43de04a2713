import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { gitFs } from './git-fs.js';

// Git, the diff and the redaction of messages load at the first operation that needs them, not
// with the workspace: a command that only reads the store (`memory search`, `incidents`) then
// starts without parsing them (isomorphic-git alone is over half a megabyte of code).
type Git = typeof import('isomorphic-git').default;
let gitModule: Promise<Git> | undefined;
const loadGit = (): Promise<Git> => (gitModule ??= import('isomorphic-git').then((m) => m.default));

export interface Author {
  name: string;
  email: string;
}

export interface CommitInfo {
  oid: string;
  message: string;
  subject: string;
  author: string;
  email: string;
  time: string;
  parents: string[];
}

export interface FileChange {
  path: string;
  change: 'added' | 'modified' | 'deleted';
}

/** Git history of one workspace, written with isomorphic-git (no git binary needed). */
export class History {
  private cache: object = {};

  constructor(
    readonly dir: string,
    private readonly author: Author,
    private readonly now: () => Date,
  ) {}

  private get base() {
    return { fs: gitFs, dir: this.dir, cache: this.cache };
  }

  exists(): boolean {
    return existsSync(join(this.dir, '.git'));
  }

  async init(): Promise<void> {
    await (await loadGit()).init({ fs: gitFs, dir: this.dir, defaultBranch: 'main' });
  }

  async head(): Promise<string | null> {
    try {
      return await (await loadGit()).resolveRef({ ...this.base, ref: 'HEAD' });
    } catch {
      return null;
    }
  }

  /**
   * Stages exactly `paths` (added, changed or removed) and commits them; null if nothing changed.
   * One status walk and one index write for all of them: a batch can hold hundreds of journal files.
   */
  async commit(paths: string[], message: string): Promise<string | null> {
    const git = await loadGit();
    const wanted = [...new Set(paths)];
    const cache = {};
    const rows = wanted.length ? await git.statusMatrix({ ...this.base, cache, filepaths: wanted }) : [];
    const exact = new Set(wanted);
    const add: string[] = [];
    const remove: string[] = [];
    for (const [filepath, head, workdir, stage] of rows) {
      if (!exact.has(filepath)) continue;
      if (head === 1 && workdir === 1 && stage === 1) continue;
      if (workdir !== 0) add.push(filepath);
      else if (stage !== 0 || head === 1) remove.push(filepath);
    }
    const changed = add.length + remove.length > 0;
    if (add.length) await git.add({ ...this.base, cache, filepath: add });
    if (remove.length) await git.remove({ ...this.base, cache, filepath: remove });
    if (!changed && (await this.head())) return null;
    const timestamp = Math.floor(this.now().getTime() / 1000);
    return git.commit({
      ...this.base,
      cache,
      // A message quotes what changed (a fact, a reason): a git object is there for good, so it is redacted.
      message: (await import('../redact/redact.js')).redactString(message),
      author: { ...this.author, timestamp, timezoneOffset: 0 },
    });
  }

  /** The files the last commit holds under `prefix` (a folder, with its trailing slash). */
  async trackedUnder(prefix: string): Promise<string[]> {
    if (!(await this.head())) return [];
    return (await (await loadGit()).listFiles({ ...this.base, ref: 'HEAD' })).filter((f) => f.startsWith(prefix));
  }

  /** Points `ref` (a full name, `refs/...`) at a commit: a backup that keeps the commit reachable. */
  async setRef(ref: string, oid: string): Promise<void> {
    await (await loadGit()).writeRef({ ...this.base, ref, value: oid, force: true });
  }

  async log(opts: { depth?: number; path?: string } = {}): Promise<CommitInfo[]> {
    if (!(await this.head())) return [];
    const entries = await (await loadGit()).log({ ...this.base, ref: 'HEAD', depth: opts.depth, filepath: opts.path });
    return entries.map((e) => ({
      oid: e.oid,
      message: e.commit.message.trimEnd(),
      subject: e.commit.message.split('\n')[0] ?? '',
      author: e.commit.author.name,
      email: e.commit.author.email,
      time: new Date(e.commit.author.timestamp * 1000).toISOString(),
      parents: e.commit.parent,
    }));
  }

  async resolve(ref: string): Promise<string> {
    const git = await loadGit();
    try {
      if (/^[0-9a-f]{4,39}$/i.test(ref)) return await git.expandOid({ ...this.base, oid: ref.toLowerCase() });
      return await git.resolveRef({ ...this.base, ref });
    } catch {
      throw new UserError(`No commit ${ref} in ${this.dir}; \`nevo-tui log\` lists them.`);
    }
  }

  async readCommit(oid: string): Promise<CommitInfo> {
    const { commit } = await (await loadGit()).readCommit({ ...this.base, oid });
    return {
      oid,
      message: commit.message.trimEnd(),
      subject: commit.message.split('\n')[0] ?? '',
      author: commit.author.name,
      email: commit.author.email,
      time: new Date(commit.author.timestamp * 1000).toISOString(),
      parents: commit.parent,
    };
  }

  /** The content of `path` at commit `oid`, or null when the file did not exist there. */
  async readFileAt(oid: string, path: string): Promise<string | null> {
    try {
      const { blob } = await (await loadGit()).readBlob({ ...this.base, oid, filepath: path });
      return Buffer.from(blob).toString('utf8');
    } catch {
      return null;
    }
  }

  /** Files that differ between `from` (or the empty tree) and `to`. */
  async changes(from: string | null, to: string): Promise<FileChange[]> {
    const git = await loadGit();
    const trees = from ? [git.TREE({ ref: from }), git.TREE({ ref: to })] : [git.TREE({ ref: to })];
    const out: FileChange[] = [];
    await git.walk({
      ...this.base,
      trees,
      map: async (filepath, entries) => {
        if (filepath === '.') return true;
        const [a, b] = from ? entries : [null, entries[0]];
        const aType = a ? await a.type() : undefined;
        const bType = b ? await b.type() : undefined;
        if (aType === 'tree' || bType === 'tree') return true;
        const aOid = a ? await a.oid() : undefined;
        const bOid = b ? await b.oid() : undefined;
        if (aOid === bOid) return undefined;
        out.push({ path: filepath, change: !aOid ? 'added' : !bOid ? 'deleted' : 'modified' });
        return undefined;
      },
    });
    return out.sort((x, y) => x.path.localeCompare(y.path));
  }

  /** A unified diff of everything a commit changed (text files; store documents included). */
  async diff(oid: string): Promise<string> {
    const info = await this.readCommit(oid);
    const parent = info.parents[0] ?? null;
    const changes = await this.changes(parent, oid);
    const { createTwoFilesPatch } = await import('diff');
    const parts: string[] = [];
    for (const c of changes) {
      const before = parent ? ((await this.readFileAt(parent, c.path)) ?? '') : '';
      const after = (await this.readFileAt(oid, c.path)) ?? '';
      parts.push(createTwoFilesPatch(c.change === 'added' ? '/dev/null' : `a/${c.path}`, c.change === 'deleted' ? '/dev/null' : `b/${c.path}`, before, after, undefined, undefined, { context: 2 }).replace(/^=+\n/m, ''));
    }
    return parts.join('');
  }

  async commitChanges(oid: string): Promise<FileChange[]> {
    const info = await this.readCommit(oid);
    return this.changes(info.parents[0] ?? null, oid);
  }
}
