import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UserError, errorMessage } from '../errors.js';
import { DOC_NAMES, docFile, docFiles, isSharded, shardDir } from '../store/documents.js';
import { documentProblem } from '../store/validate.js';
import { TEMP_PREFIX } from '../util/atomic-write.js';
import { loadConfig } from '../workspace/config.js';
import { describeLost, LOST_TALLY_FILE, readLostTally } from '../detect/lost-tally.js';
import { withWorkspaceLock } from '../store/lock.js';
import type { Workspace } from '../workspace/workspace.js';
import { shortOid } from '../util/format.js';
import { readJournal } from '../store/raw-journal.js';
import { listFiles } from '../util/list-files.js';

export interface Check {
  file: string;
  ok: boolean;
  problem?: string;
  fix?: string;
}

export interface DoctorReport {
  workspace: string;
  ok: boolean;
  checks: Check[];
  cleaned: string[];
}

/** Temp files of writers that were killed before their rename: garbage, safe to drop under the lock. */
function leftoverTemps(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.name === '.git' || e.name === 'node_modules') continue;
      const abs = join(dir, e.name);
      if (e.isDirectory()) walk(abs);
      // The hook writes triggers without the lock: only a temp file old enough to be abandoned goes.
      else if ((e.name.startsWith(TEMP_PREFIX) || /^\..+\.tmp$/.test(e.name)) && (!dir.endsWith('triggers') || Date.now() - statSync(abs).mtimeMs > 60_000)) out.push(abs);
    }
  };
  walk(root);
  const objects = join(root, '.git', 'objects');
  if (existsSync(objects)) {
    for (const d of readdirSync(objects)) {
      const sub = join(objects, d);
      if (statSync(sub).isDirectory()) for (const f of readdirSync(sub)) if (f.startsWith(TEMP_PREFIX)) out.push(join(sub, f));
    }
  }
  return out;
}

/** Raw journal files with lines that are not journal lines: kept as they are, but never read. */
function journalChecks(root: string): Check[] {
  const out: Check[] = [];
  for (const rel of listFiles(root, 'journal/raw').filter((f) => f.endsWith('.jsonl'))) {
    const { foreign } = readJournal(readFileSync(join(root, rel), 'utf8'));
    if (!foreign.length) continue;
    const where = foreign.slice(0, 5).map((f) => f.line).join(', ');
    out.push({
      file: rel,
      ok: false,
      problem: `${foreign.length} line(s) are not journal lines (line ${where}${foreign.length > 5 ? ', ...' : ''}): they are kept but not read`,
      fix: 'repair or delete those lines by hand; every other line is read as usual',
    });
  }
  return out;
}

export async function runDoctor(ws: Workspace): Promise<DoctorReport> {
  const checks: Check[] = [];
  try {
    loadConfig(ws.layout.config);
    checks.push({ file: 'config.json', ok: true });
  } catch (err) {
    checks.push({ file: 'config.json', ok: false, problem: errorMessage(err), fix: 'fix the named field by hand' });
  }
  for (const name of DOC_NAMES) {
    if (isSharded(name)) {
      // Each shard on its own: every broken one is named, with its own restore.
      const files = docFiles(ws.root, name);
      for (const rel of files) {
        const problem = documentProblem(rel, readFileSync(join(ws.root, rel), 'utf8'));
        checks.push(problem ? { file: rel, ok: false, problem, fix: `nevo-tui doctor --restore ${rel}` } : { file: rel, ok: true });
      }
      if (!files.length) checks.push({ file: `${shardDir(name)}/`, ok: true });
      continue;
    }
    const rel = docFile(name);
    try {
      await ws.store.read(name);
      checks.push({ file: rel, ok: true });
    } catch (err) {
      checks.push({ file: rel, ok: false, problem: errorMessage(err).split('\n').slice(0, -1).join('\n'), fix: `nevo-tui doctor --restore ${rel}` });
    }
  }
  const old = ws.store.oldLayout();
  if (old.length) checks.push({ file: old.map(docFile).join(', '), ok: true, problem: 'kept in the old layout, one file per document: each is split into monthly shards by its next change, or all at once by `nevo-tui doctor --migrate`' });
  checks.push(...journalChecks(ws.root));
  const lost = describeLost(readLostTally(ws.layout.triggers));
  if (lost) checks.push({ file: `triggers/${LOST_TALLY_FILE}`, ok: false, problem: lost, fix: `free space on the disk of ${ws.root} (or make triggers/ writable), then \`nevo-tui doctor --clear-lost\`` });
  try {
    const head = await ws.history.head();
    if (!head) throw new Error('no commits');
    await ws.history.log({ depth: 1 });
    checks.push({ file: '.git', ok: true });
  } catch (err) {
    checks.push({ file: '.git', ok: false, problem: `history unreadable: ${errorMessage(err)}`, fix: 'inspect with `git -C <workspace> fsck`' });
  }
  const cleaned = await withWorkspaceLock(ws.layout, { ...ws.config.lock, purpose: 'doctor' }, async () => {
    if (await ws.store.recover()) checks.push({ file: '.tx-journal.json', ok: true, problem: 'a change cut short by a crash was completed from its journal' });
    const temps = leftoverTemps(ws.root);
    for (const t of temps) rmSync(t, { force: true });
    return temps.map((t) => t.slice(ws.root.length + 1));
  });
  return { workspace: ws.root, ok: checks.every((c) => c.ok), checks, cleaned };
}

export interface MigrateResult {
  /** The documents split into shards; empty when none was in the old layout. */
  documents: string[];
  shards: string[];
  commit: string | null;
  /** The ref that keeps the history as it was before the split. */
  backup: string | null;
}

export const PRE_SHARDS_REF = 'refs/nevo/pre-shards';

/**
 * Moves the workspace to the sharded layout now: documents that grow with the history
 * (incidents, facts, narratives, sessions, ledger) go from one file each to one file per month.
 * The commit before stays reachable from a backup ref; `nevo-tui revert` of the split's commit
 * brings the old files back.
 */
export async function migrateStore(ws: Workspace): Promise<MigrateResult> {
  if (!ws.store.oldLayout().length) return { documents: [], shards: [], commit: null, backup: null };
  await ws.store.flush();
  const before = await ws.history.head();
  if (before) await ws.history.setRef(PRE_SHARDS_REF, before);
  const r = await ws.store.migrate();
  const after = await ws.history.head();
  return { ...r, commit: after !== before ? after : null, backup: before ? PRE_SHARDS_REF : null };
}

export interface RestoreResult {
  file: string;
  from: string;
  commit: string | null;
  keptBrokenCopy: string | null;
}

/** Puts back the last committed version of `rel`, keeping the broken file aside under `.broken/`. */
export async function restoreFile(ws: Workspace, rel: string): Promise<RestoreResult> {
  const clean = rel.replace(/^\.\//, '').replace(/^\.nevo\//, '');
  const head = await ws.history.head();
  if (!head) throw new UserError('The workspace has no commits yet; nothing to restore from.');
  // The newest committed copy that is whole: a broken copy committed before validation existed
  // (or by hand) is passed over, never brought back.
  const versions = await ws.history.log({ path: clean }).catch(() => []);
  let last: (typeof versions)[number] | undefined;
  let committed: string | null = null;
  let skipped = 0;
  for (const v of versions) {
    const text = await ws.history.readFileAt(v.oid, clean);
    if (text === null) continue;
    if (documentProblem(clean, text)) {
      skipped++;
      continue;
    }
    last = v;
    committed = text;
    break;
  }
  if (committed === null || !last) {
    throw new UserError(
      skipped
        ? `${clean}: none of its ${skipped} committed version(s) is a valid document; \`nevo-tui log --path ${clean}\` shows its history.`
        : `${clean} has no committed version to restore; \`nevo-tui log --path ${clean}\` shows its history.`,
    );
  }
  const headBefore = head;
  return ws.store.transact(async (tx) => {
    const abs = join(ws.root, clean);
    let kept: string | null = null;
    if (existsSync(abs) && readFileSync(abs, 'utf8') !== committed) {
      const stamp = ws.clock().toISOString().replace(/[:.]/g, '-');
      kept = join('.broken', `${clean}.${stamp}`);
      mkdirSync(dirname(join(ws.root, kept)), { recursive: true });
      copyFileSync(abs, join(ws.root, kept));
    }
    tx.writeFile(clean, committed);
    tx.message('doctor', `restore ${clean}`, [shortOid(last.oid)]);
    return { file: clean, from: last.oid, commit: null, keptBrokenCopy: kept };
  }, { purpose: 'doctor --restore' }).then(async (r) => {
    const after = await ws.history.head();
    return { ...r, commit: after !== headBefore ? after : null };
  });
}
