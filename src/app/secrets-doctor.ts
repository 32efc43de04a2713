// `nevo-tui doctor --secrets`: the workspace's files and its whole git history read with the same
// rules the redaction uses, reported by file, commit and kind (never the value); and `--purge`,
// which rewrites the history with every secret redacted, since a secret in a git object is
// otherwise there for good. The old history stays reachable from a backup ref until the person
// drops it (`--drop-backup`), which also deletes the objects nothing reaches any more.
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import git from 'isomorphic-git';
import { redactString } from '../redact/redact.js';
import { UserError } from '../errors.js';
import { gitFs } from '../store/git-fs.js';
import { listFiles } from '../util/list-files.js';
import { withWorkspaceLock } from '../store/lock.js';
import type { Workspace } from '../workspace/workspace.js';

export interface SecretFinding {
  /** `file`: in the workspace as it is; `history`: in a committed file; `message`: in a commit message. */
  where: 'file' | 'history' | 'message';
  file?: string;
  line?: number;
  commit?: string;
  kinds: string[];
}

export interface SecretScan {
  workspace: string;
  findings: SecretFinding[];
  commitsRead: number;
  blobsRead: number;
  backups: string[];
}

const MARKER = /\[REDACTED:([a-z0-9-]+)\]/g;
const BACKUP_PREFIX = 'refs/nevo/backup/';

/** The kinds of the secrets in `text`: what redaction adds, not markers already there. */
export function secretKinds(text: string): string[] {
  const before = new Map<string, number>();
  for (const m of text.matchAll(MARKER)) before.set(m[1]!, (before.get(m[1]!) ?? 0) + 1);
  const kinds: string[] = [];
  for (const m of redactString(text).matchAll(MARKER)) {
    const left = before.get(m[1]!) ?? 0;
    if (left > 0) before.set(m[1]!, left - 1);
    else if (!kinds.includes(m[1]!)) kinds.push(m[1]!);
  }
  return kinds;
}

/** Each line with a secret: its number (1-based) and kinds. */
function linesWithSecrets(text: string): { line: number; kinds: string[] }[] {
  if (!secretKinds(text).length) return [];
  return text
    .split('\n')
    .map((l, i) => ({ line: i + 1, kinds: secretKinds(l) }))
    .filter((x) => x.kinds.length);
}

const isText = (bytes: Uint8Array): boolean => !bytes.subarray(0, 8000).includes(0);

/** Every commit reachable from any ref (branches, tags, backups), oldest first. */
async function allCommits(dir: string, refs: string[]) {
  const seen = new Map<string, Awaited<ReturnType<typeof git.readCommit>>>();
  const stack: string[] = [];
  for (const ref of refs) {
    try {
      stack.push(await git.resolveRef({ fs: gitFs, dir, ref }));
    } catch {
      // a ref that points nowhere holds nothing
    }
  }
  while (stack.length) {
    const oid = stack.pop()!;
    if (seen.has(oid)) continue;
    const c = await git.readCommit({ fs: gitFs, dir, oid });
    seen.set(oid, c);
    stack.push(...c.commit.parent);
  }
  // Parents before children: the order a rewrite needs.
  const order: string[] = [];
  const done = new Set<string>();
  const visit = (oid: string) => {
    const todo: [string, boolean][] = [[oid, false]];
    while (todo.length) {
      const [o, expanded] = todo.pop()!;
      if (done.has(o)) continue;
      if (expanded) {
        done.add(o);
        order.push(o);
        continue;
      }
      todo.push([o, true]);
      for (const p of seen.get(o)!.commit.parent) if (!done.has(p)) todo.push([p, false]);
    }
  };
  for (const oid of seen.keys()) visit(oid);
  return order.map((oid) => seen.get(oid)!);
}

async function refsOf(dir: string): Promise<string[]> {
  const branches = (await git.listBranches({ fs: gitFs, dir })).map((b) => `refs/heads/${b}`);
  const tags = (await git.listTags({ fs: gitFs, dir })).map((t) => `refs/tags/${t}`);
  return [...branches, ...tags, ...(await backupRefs(dir))];
}

async function backupRefs(dir: string): Promise<string[]> {
  const base = join(dir, '.git', BACKUP_PREFIX);
  return existsSync(base) ? readdirSync(base).map((n) => `${BACKUP_PREFIX}${n}`) : [];
}

/** Reads the live files (not .git, not node_modules) and every object of the history. */
export async function scanSecrets(ws: Workspace): Promise<SecretScan> {
  const root = ws.root;
  const findings: SecretFinding[] = [];
  const live = listFiles(root, '.').map((f) => f.replace(/^\.\//, ''));
  for (const rel of live.filter((f) => !f.startsWith('.git/') && !f.includes('node_modules/'))) {
    const abs = join(root, rel);
    if (statSync(abs).size > 50 * 1024 * 1024) continue;
    const bytes = readFileSync(abs);
    if (!isText(bytes)) continue;
    for (const { line, kinds } of linesWithSecrets(bytes.toString('utf8'))) findings.push({ where: 'file', file: rel, line, kinds });
  }
  let commitsRead = 0;
  const blobs = new Set<string>();
  if (existsSync(join(root, '.git'))) {
    for (const c of await allCommits(root, await refsOf(root))) {
      commitsRead++;
      const inMessage = secretKinds(c.commit.message);
      if (inMessage.length) findings.push({ where: 'message', commit: c.oid, kinds: inMessage });
      await git.walk({
        fs: gitFs,
        dir: root,
        trees: [git.TREE({ ref: c.oid })],
        map: async (path, [entry]) => {
          if (!entry || (await entry.type()) !== 'blob') return true;
          const oid = await entry.oid();
          if (blobs.has(oid)) return true;
          blobs.add(oid);
          const bytes = await entry.content();
          if (!bytes || !isText(bytes)) return true;
          for (const { line, kinds } of linesWithSecrets(Buffer.from(bytes).toString('utf8'))) findings.push({ where: 'history', file: path, line, commit: c.oid, kinds });
          return true;
        },
      });
    }
  }
  return { workspace: root, findings, commitsRead, blobsRead: blobs.size, backups: await backupRefs(root) };
}

export interface PurgeResult {
  dryRun: boolean;
  commitsRewritten: number;
  blobsRedacted: number;
  /** The ref that keeps the old history until `--drop-backup`; none on a dry run or when nothing changed. */
  backup?: string;
  files: string[];
}

/**
 * Rewrites every commit of the workspace's branch with each file and message redacted; the live
 * files follow. Refuses while tracked files have changes not committed, which the rewrite would
 * overwrite.
 */
export async function purgeSecrets(ws: Workspace, opts: { dryRun: boolean }): Promise<PurgeResult> {
  const dir = ws.root;
  return withWorkspaceLock(ws.layout, { ...ws.config.lock, purpose: 'doctor --secrets --purge' }, async () => {
    const branch = await git.currentBranch({ fs: gitFs, dir, fullname: false });
    if (!branch) throw new UserError('doctor --secrets --purge needs the workspace on a branch; it is on a detached HEAD. Run it after `git checkout main` in the workspace.');
    const dirty = (await git.statusMatrix({ fs: gitFs, dir })).filter(([, head, workdir, stage]) => head !== 0 && !(head === 1 && workdir === 1 && stage === 1)).map(([f]) => f);
    if (dirty.length) throw new UserError(`doctor --secrets --purge rewrites the history, and these tracked files have changes not committed: ${dirty.slice(0, 5).join(', ')}${dirty.length > 5 ? ', …' : ''}. Let nevo-tui commit them (run \`nevo-tui ingest\`), or restore them, then purge.`);
    const headRef = `refs/heads/${branch}`;
    const commits = await allCommits(dir, [headRef]);
    const newOid = new Map<string, string>();
    const blobMap = new Map<string, string>();
    const files = new Set<string>();
    let rewritten = 0;
    const rewriteTree = async (treeOid: string, prefix: string): Promise<string> => {
      const { tree } = await git.readTree({ fs: gitFs, dir, oid: treeOid });
      let changed = false;
      const entries = [];
      for (const e of tree) {
        let oid = e.oid;
        if (e.type === 'tree') oid = await rewriteTree(e.oid, `${prefix}${e.path}/`);
        else if (e.type === 'blob') {
          let mapped = blobMap.get(e.oid);
          if (mapped === undefined) {
            const { blob } = await git.readBlob({ fs: gitFs, dir, oid: e.oid });
            const text = isText(blob) ? Buffer.from(blob).toString('utf8') : null;
            const clean = text === null ? null : redactString(text);
            mapped = clean === null || clean === text ? e.oid : opts.dryRun ? `dry:${e.oid}` : await git.writeBlob({ fs: gitFs, dir, blob: Buffer.from(clean, 'utf8') });
            blobMap.set(e.oid, mapped);
          }
          if (mapped !== e.oid) files.add(`${prefix}${e.path}`);
          oid = mapped;
        }
        if (oid !== e.oid) changed = true;
        entries.push({ ...e, oid });
      }
      if (!changed) return treeOid;
      return opts.dryRun ? `dry:${treeOid}` : git.writeTree({ fs: gitFs, dir, tree: entries });
    };
    for (const c of commits) {
      const tree = await rewriteTree(c.commit.tree, '');
      const parents = c.commit.parent.map((p) => newOid.get(p) ?? p);
      const message = redactString(c.commit.message);
      const same = tree === c.commit.tree && message === c.commit.message && parents.every((p, i) => p === c.commit.parent[i]);
      if (same) {
        newOid.set(c.oid, c.oid);
        continue;
      }
      rewritten++;
      newOid.set(c.oid, opts.dryRun ? `dry:${c.oid}` : await git.writeCommit({ fs: gitFs, dir, commit: { ...c.commit, tree, parent: parents, message } }));
    }
    const result: PurgeResult = { dryRun: opts.dryRun, commitsRewritten: rewritten, blobsRedacted: [...blobMap.entries()].filter(([a, b]) => a !== b).length, files: [...files].sort() };
    if (opts.dryRun || !rewritten) return result;
    const oldHead = await git.resolveRef({ fs: gitFs, dir, ref: headRef });
    const backup = `${BACKUP_PREFIX}${ws.clock().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`;
    await git.writeRef({ fs: gitFs, dir, ref: backup, value: oldHead });
    await git.writeRef({ fs: gitFs, dir, ref: headRef, value: newOid.get(oldHead)!, force: true });
    // The live files and the index follow the rewritten branch (nothing tracked was uncommitted).
    await git.checkout({ fs: gitFs, dir, ref: branch, force: true });
    result.backup = backup;
    return result;
  });
}

/** Drops the backup refs and deletes the loose objects no ref reaches any more. */
export async function dropBackups(ws: Workspace): Promise<{ refs: string[]; objectsDeleted: number; packs: number }> {
  const dir = ws.root;
  return withWorkspaceLock(ws.layout, { ...ws.config.lock, purpose: 'doctor --secrets --drop-backup' }, async () => {
    const refs = await backupRefs(dir);
    for (const ref of refs) await git.deleteRef({ fs: gitFs, dir, ref });
    const reachable = new Set<string>();
    const markTree = async (oid: string) => {
      if (reachable.has(oid)) return;
      reachable.add(oid);
      const { tree } = await git.readTree({ fs: gitFs, dir, oid });
      for (const e of tree) {
        if (e.type === 'tree') await markTree(e.oid);
        else reachable.add(e.oid);
      }
    };
    for (const c of await allCommits(dir, await refsOf(dir))) {
      reachable.add(c.oid);
      await markTree(c.commit.tree);
    }
    const objects = join(dir, '.git', 'objects');
    let deleted = 0;
    for (const d of readdirSync(objects).filter((x) => /^[0-9a-f]{2}$/.test(x))) {
      for (const f of readdirSync(join(objects, d))) {
        if (!/^[0-9a-f]{38}$/.test(f) || reachable.has(d + f)) continue;
        rmSync(join(objects, d, f), { force: true });
        deleted++;
      }
    }
    const packDir = join(objects, 'pack');
    const packs = existsSync(packDir) ? readdirSync(packDir).filter((f) => f.endsWith('.pack')).length : 0;
    return { refs, objectsDeleted: deleted, packs };
  });
}
