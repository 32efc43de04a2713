import { existsSync, promises as fs, type Stats } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { gitFs } from './git-fs.js';
import { gitTime, indexedFiles, patchIndex, stagedAsIs, type IndexedFile, type IndexEntry } from './git-index.js';
import { parseCommit, parseTree, type ParsedCommit, type TreeItem } from './git-objects.js';

// Git, the diff and the redaction of messages load at the first operation that needs them, not
// with the workspace: a command that only reads the store (`memory search`, `incidents`) then
// starts without parsing them (isomorphic-git alone is over half a megabyte of code).
type Git = typeof import('isomorphic-git').default;
let gitModule: Promise<Git> | undefined;
const loadGit = (): Promise<Git> => (gitModule ??= import('isomorphic-git').then((m) => m.default));
const redactMessage = async (message: string): Promise<string> => (await import('../redact/redact.js')).redactString(message);

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
/**
 * node:crypto and node:zlib, loaded at the first git write, not at the top: a command that only
 * reads (`memory search`) does not pay for Node compiling them at its start.
 */
let modules: Promise<{ createHash: typeof import('node:crypto').createHash; deflateSync: typeof import('node:zlib').deflateSync; inflateSync: typeof import('node:zlib').inflateSync }> | null = null;
const gitModules = () => (modules ??= Promise.all([import('node:crypto'), import('node:zlib')]).then(([c, z]) => ({ createHash: c.createHash, deflateSync: z.deflateSync, inflateSync: z.inflateSync })));

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
    const git = await loadGit();
    await git.init({ fs: gitFs, dir: this.dir, defaultBranch: 'main' });
  }

  async head(): Promise<string | null> {
    const git = await loadGit();
    try {
      return await git.resolveRef({ ...this.base, ref: 'HEAD' });
    } catch {
      return null;
    }
  }

  /**
   * Commits exactly `paths` (added, changed or removed) as they are on disk; null if nothing
   * changed. The new tree is the parent's with only those paths replaced, and the index is told
   * about only those paths, so a commit costs what it changes, not what the history holds (at a
   * year of heavy use git's index has tens of thousands of files). A repository this cannot
   * write that way (no commit yet, a detached HEAD, an index of another version) is committed by
   * isomorphic-git's own staging.
   */
  async commit(paths: string[], message: string): Promise<string | null> {
    const wanted = [...new Set(paths)];
    // null is "nothing changed"; only undefined (a repository this cannot write) goes the slow way.
    const done = await this.commitOnParent(wanted, message);
    return done === undefined ? this.commitStaged(wanted, message) : done;
  }

  private get gitdir(): string {
    return join(this.dir, '.git');
  }

  private async commitOnParent(paths: string[], message: string): Promise<string | null | undefined> {
    const git = await loadGit();
    const parent = await this.head();
    if (!parent) return undefined;
    let branch: string;
    try {
      branch = await git.resolveRef({ ...this.base, ref: 'HEAD', depth: 2 });
    } catch {
      return undefined;
    }
    if (!branch.startsWith('refs/heads/')) return undefined;
    let index: Buffer;
    let indexTime: number;
    try {
      index = await fs.readFile(join(this.gitdir, 'index'));
      indexTime = (await fs.stat(join(this.gitdir, 'index'))).mtimeMs;
    } catch {
      return undefined;
    }
    const indexed = indexedFiles(index, paths);
    const changes = new Map<string, IndexEntry | null>();
    // A few dozen at a time: offered a year's journal, one stat after another waits on each in turn.
    for (let i = 0; i < paths.length; i += 32) {
      const slice = paths.slice(i, i + 32);
      const entries = await Promise.all(slice.map((path) => this.fileEntry(path, indexed.get(path), indexTime)));
      slice.forEach((path, k) => entries[k] !== undefined && changes.set(path, entries[k]!));
    }
    const { createHash } = await gitModules();
    const patched = patchIndex(index, changes, (data) => createHash('sha1').update(data).digest(), gitTime(indexTime));
    if (!patched) return undefined;
    const commit = await this.commitObject(parent);
    const tree = (await this.replaceInTree(commit.tree, changes)) ?? (await this.writeObject('tree', Buffer.alloc(0)));
    // The index first: a process killed before the branch moves leaves these paths staged, as
    // `git add` would, and the next commit of them finds them changed against the parent.
    await gitFs.writeFile(join(this.gitdir, 'index'), patched);
    if (tree === commit.tree) return null;
    const timestamp = Math.floor(this.now().getTime() / 1000);
    const who = `${this.author.name} <${this.author.email}> ${timestamp} +0000`;
    // As isomorphic-git writes a commit: no carriage returns, no blank lines around the message.
    // A message quotes what changed (a fact, a reason): a git object is there for good, so it is redacted.
    const text = (await redactMessage(message)).replace(/\r/g, '').replace(/^\n+/, '').replace(/\n+$/, '');
    const oid = await this.writeObject('commit', Buffer.from(`tree ${tree}\nparent ${parent}\nauthor ${who}\ncommitter ${who}\n\n${text}\n`, 'utf8'));
    await git.writeRef({ ...this.base, ref: branch, value: oid, force: true });
    return oid;
  }

  /**
   * A workspace file's entry as the commit will hold it, null when it is gone, undefined for a
   * folder. A file whose stat is the one the index staged it with is not read again, as git does
   * not: `nevo-tui commit` offers every file of a year's journal, and hashing each cost seconds.
   */
  private async fileEntry(path: string, staged?: IndexedFile, indexTime = 0): Promise<IndexEntry | null | undefined> {
    const abs = join(this.dir, path);
    let stat: Stats;
    try {
      stat = await fs.lstat(abs);
    } catch {
      return null;
    }
    if (stat.isDirectory()) return undefined;
    const link = stat.isSymbolicLink();
    const mode = link ? 0o120000 : stat.mode & 0o111 ? 0o100755 : 0o100644;
    if (staged && stagedAsIs(staged, { ctimeMs: stat.ctimeMs, mtimeMs: stat.mtimeMs, ino: stat.ino, size: stat.size, mode }, indexTime)) return { path, oid: staged.oid, mode, stat };
    const content = link ? Buffer.from(await fs.readlink(abs), 'utf8') : await fs.readFile(abs);
    return { path, oid: await this.writeObject('blob', content), mode, stat };
  }

  /**
   * A tree's entries. A loose object is read and inflated here with Node's zlib; one only in a pack
   * (after `git gc`) is read by isomorphic-git, whose pure-JavaScript inflate and checksum cost
   * several times as much: a commit or a listing reads up to a folder of the year's journal each.
   */
  private async treeEntries(oid: string): Promise<TreeItem[]> {
    const loose = await this.looseObject(oid);
    const parsed = loose?.type === 'tree' ? parseTree(loose.content) : null;
    if (parsed) return parsed;
    const git = await loadGit();
    return (await git.readTree({ ...this.base, oid })).tree.map((e) => ({ path: e.path, mode: e.mode, oid: e.oid, type: e.type }));
  }

  /** A commit, read as `treeEntries` reads a tree: loose with Node's zlib, else by isomorphic-git. */
  private async commitObject(oid: string): Promise<ParsedCommit> {
    const loose = await this.looseObject(oid);
    const parsed = loose?.type === 'commit' ? parseCommit(loose.content) : null;
    if (parsed) return parsed;
    const git = await loadGit();
    return fromIsomorphicGit((await git.readCommit({ ...this.base, oid })).commit);
  }

  /** A loose object's type and content; null when git has it only in a pack, or not at all. */
  private async looseObject(oid: string): Promise<{ type: string; content: Buffer } | null> {
    let raw: Buffer;
    try {
      raw = (await gitModules()).inflateSync(await fs.readFile(join(this.gitdir, 'objects', oid.slice(0, 2), oid.slice(2))));
    } catch {
      return null;
    }
    const space = raw.indexOf(0x20);
    const nul = raw.indexOf(0);
    if (space < 0 || nul < space || Number(raw.toString('latin1', space + 1, nul)) !== raw.length - nul - 1) return null;
    return { type: raw.toString('latin1', 0, space), content: raw.subarray(nul + 1) };
  }

  /** The tree `oid` (null: none) with `changes` made under it; null when nothing is left in it. */
  private async replaceInTree(oid: string | null, changes: Map<string, IndexEntry | null>): Promise<string | null> {
    const entries = new Map<string, { mode: string; oid: string }>();
    if (oid) for (const e of await this.treeEntries(oid)) entries.set(e.path, { mode: e.mode, oid: e.oid });
    const below = new Map<string, Map<string, IndexEntry | null>>();
    // A tree none of whose entries changed is the tree it was: not written again (a commit of
    // everything, `nevo-tui commit`, offers hundreds of folders where a day changed a few).
    let changed = false;
    for (const [path, entry] of changes) {
      const slash = path.indexOf('/');
      if (slash < 0) {
        const old = entries.get(path);
        if (entry) {
          const mode = entry.mode.toString(8);
          if (old?.oid !== entry.oid || old.mode !== mode) changed = true;
          entries.set(path, { mode, oid: entry.oid });
        } else if (old) {
          changed = true;
          entries.delete(path);
        }
        continue;
      }
      const name = path.slice(0, slash);
      let sub = below.get(name);
      if (!sub) below.set(name, (sub = new Map()));
      sub.set(path.slice(slash + 1), entry);
    }
    for (const [name, sub] of below) {
      const old = entries.get(name);
      const oldTree = old && isTreeMode(old.mode) ? old.oid : null;
      const subtree = await this.replaceInTree(oldTree, sub);
      if (subtree !== oldTree) changed = true;
      if (subtree) entries.set(name, { mode: '40000', oid: subtree });
      else if (oldTree) entries.delete(name);
    }
    if (entries.size === 0) return null;
    if (oid && !changed) return oid;
    // Git orders a tree's entries by name, a folder's name as if it ended in '/'.
    const key = (name: string, mode: string) => Buffer.from(isTreeMode(mode) ? `${name}/` : name, 'utf8');
    const sorted = [...entries].sort(([a, x], [b, y]) => Buffer.compare(key(a, x.mode), key(b, y.mode)));
    const bytes = Buffer.concat(sorted.flatMap(([name, e]) => [Buffer.from(`${isTreeMode(e.mode) ? '40000' : e.mode} ${name}\0`, 'utf8'), Buffer.from(e.oid, 'hex')]));
    return this.writeObject('tree', bytes);
  }

  /**
   * Writes a loose object unless git has it: deflated with Node's zlib (isomorphic-git's own
   * compression, through web streams, costs several times as much), written through a temp file
   * and a rename like every other file of git's.
   */
  private async writeObject(type: 'blob' | 'tree' | 'commit', content: Buffer): Promise<string> {
    const { createHash, deflateSync } = await gitModules();
    const raw = Buffer.concat([Buffer.from(`${type} ${content.length}\0`, 'utf8'), content]);
    const oid = createHash('sha1').update(raw).digest('hex');
    const file = join(this.gitdir, 'objects', oid.slice(0, 2), oid.slice(2));
    // One that git has only in a pack (after `git gc`) is written loose again: git allows both.
    if (existsSync(file)) return oid;
    await fs.mkdir(join(this.gitdir, 'objects', oid.slice(0, 2)), { recursive: true });
    await gitFs.writeFile(file, deflateSync(raw));
    return oid;
  }

  /** Stages exactly `paths` with isomorphic-git and commits the whole index: one status walk and one index write for all of them. */
  private async commitStaged(wanted: string[], message: string): Promise<string | null> {
    const git = await loadGit();
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
      message: await redactMessage(message),
      author: { ...this.author, timestamp, timezoneOffset: 0 },
    });
  }

  /** The files the last commit holds under `prefix` (a folder, with its trailing slash). */
  async trackedUnder(prefix: string): Promise<string[]> {
    const head = await this.head();
    if (!head) return [];
    // Only the folders on the way to `prefix` and under it are read, not the year's journal.
    const commit = await this.commitObject(head);
    const files: string[] = [];
    const list = async (tree: string, at: string): Promise<void> => {
      for (const e of await this.treeEntries(tree)) {
        const path = `${at}${e.path}`;
        if (e.type === 'tree') {
          if (prefix.startsWith(`${path}/`) || path.startsWith(prefix)) await list(e.oid, `${path}/`);
        } else if (path.startsWith(prefix)) files.push(path);
      }
    };
    await list(commit.tree, '');
    return files;
  }

  /** Points `ref` (a full name, `refs/...`) at a commit: a backup that keeps the commit reachable. */
  async setRef(ref: string, oid: string): Promise<void> {
    const git = await loadGit();
    await git.writeRef({ ...this.base, ref, value: oid, force: true });
  }

  async log(opts: { depth?: number; path?: string } = {}): Promise<CommitInfo[]> {
    const git = await loadGit();
    const head = await this.head();
    if (!head) return [];
    // A history with no merge, listed in full: each commit read as a loose object, not through
    // isomorphic-git's inflate and checksum (Review lists 200 for its reasons at every start).
    if (!opts.path) {
      const out: CommitInfo[] = [];
      try {
        for (let oid: string | undefined = head; oid && (opts.depth === undefined || out.length < opts.depth); ) {
          const c = await this.commitObject(oid);
          if (c.parents.length > 1) break;
          out.push(commitInfo(oid, c));
          oid = c.parents[0];
        }
        if (out.length && (out.length === opts.depth || !out.at(-1)!.parents.length)) return out;
      } catch {
        // A parent that is not there (a shallow clone of the workspace): isomorphic-git's log knows where to stop.
      }
    }
    const entries = await git.log({ ...this.base, ref: 'HEAD', depth: opts.depth, filepath: opts.path });
    return entries.map((e) => commitInfo(e.oid, fromIsomorphicGit(e.commit)));
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
    return commitInfo(oid, await this.commitObject(oid));
  }

  /** The content of `path` at commit `oid`, or null when the file did not exist there. */
  async readFileAt(oid: string, path: string): Promise<string | null> {
    const git = await loadGit();
    try {
      const { blob } = await git.readBlob({ ...this.base, oid, filepath: path });
      return Buffer.from(blob).toString('utf8');
    } catch {
      return null;
    }
  }

  /**
   * Files that differ between the commits `from` (or the empty tree) and `to`. Only folders whose
   * trees differ are read: the cost is the change's, not the history's (a year's journal is
   * hundreds of folders, which a walk of both trees read at every commit `nevo-tui log` listed).
   */
  async changes(from: string | null, to: string): Promise<FileChange[]> {
    const treeOf = async (oid: string) => (await this.commitObject(oid)).tree;
    const entries = async (tree: string | null) => new Map(tree ? (await this.treeEntries(tree)).map((e) => [e.path, e] as const) : []);
    const out: FileChange[] = [];
    const compare = async (a: string | null, b: string | null, prefix: string): Promise<void> => {
      const [before, after] = await Promise.all([entries(a), entries(b)]);
      for (const name of new Set([...before.keys(), ...after.keys()])) {
        const x = before.get(name);
        const y = after.get(name);
        if (x?.oid === y?.oid) continue;
        const path = prefix + name;
        const xTree = x?.type === 'tree';
        const yTree = y?.type === 'tree';
        if (xTree || yTree) await compare(xTree ? x.oid : null, yTree ? y!.oid : null, `${path}/`);
        // A file where a folder was (or the other way round) is added or deleted beside its contents.
        if (x && !xTree) out.push({ path, change: y && !yTree ? 'modified' : 'deleted' });
        else if (y && !yTree) out.push({ path, change: 'added' });
      }
    };
    await compare(from ? await treeOf(from) : null, await treeOf(to), '');
    return out.sort((x, y) => x.path.localeCompare(y.path));
  }

  /** A unified diff of everything a commit changed (text files; store documents included). */
  async diff(oid: string): Promise<string> {
    const { createTwoFilesPatch } = await import('diff');
    const info = await this.readCommit(oid);
    const parent = info.parents[0] ?? null;
    const changes = await this.changes(parent, oid);
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

const isTreeMode = (mode: string) => mode === '40000' || mode === '040000';

function commitInfo(oid: string, c: ParsedCommit): CommitInfo {
  return {
    oid,
    message: c.message.trimEnd(),
    subject: c.message.split('\n')[0] ?? '',
    author: c.author.name,
    email: c.author.email,
    time: new Date(c.author.timestamp * 1000).toISOString(),
    parents: c.parents,
  };
}

/** isomorphic-git's reading of a commit, in the shape this module reads one itself. */
function fromIsomorphicGit(commit: { tree: string; parent: string[]; author: { name: string; email: string; timestamp: number }; message: string }): ParsedCommit {
  return { tree: commit.tree, parents: commit.parent, author: { name: commit.author.name, email: commit.author.email, timestamp: commit.author.timestamp }, message: commit.message };
}

