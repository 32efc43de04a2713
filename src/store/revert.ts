import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { shortOid } from '../util/format.js';
import { docOfPath, strayRecord } from './documents.js';
import { CorruptFileError, schemaError } from './errors.js';
import type { History } from './history.js';
import { planRevert } from './revert-plan.js';
import { documentSchemas } from './schemas.js';
import type { Store, Transaction } from './store.js';

export interface RevertResult {
  reverted: string;
  subject: string;
  commit: string | null;
  files: string[];
}

/** A file as the revert leaves it (null: removed). */
export interface RevertWrite {
  path: string;
  content: string | null;
}

/**
 * Takes back one commit, record by record (see revert-plan.ts), as a new commit. `alongside` runs
 * inside the same change, after the revert's writes, for files that follow the reverted ones (the
 * agent's copy of the rules, see app/revert.ts): the store itself knows nothing of them.
 */
export async function revertCommitWith(
  ws: { root: string; history: History; store: Store },
  ref: string,
  alongside?: (tx: Transaction, writes: RevertWrite[]) => void,
): Promise<RevertResult> {
  const oid = await ws.history.resolve(ref);
  const info = await ws.history.readCommit(oid);
  const parent = info.parents[0];
  if (!parent) throw new UserError(`Commit ${shortOid(oid)} is the workspace's first commit; there is nothing before it to go back to.`);
  await ws.store.flush();
  return ws.store.transact(async (tx) => {
    // Rule ids are never handed out twice, so the counters are never taken back.
    const changes = (await ws.history.changes(parent, oid)).filter((c) => c.path !== 'store/sequences.json');
    // A commit that put a folder where a file was (by hand: the store never does) lists the file too.
    const folders = changes.filter((c) => isFolder(join(ws.root, c.path))).map((c) => c.path);
    if (folders.length) {
      throw new UserError(
        `Cannot revert ${shortOid(oid)} ("${info.subject}") cleanly:\n${folders.map((f) => `  - ${f} is a folder now, where the commit changed a file`).join('\n')}\n` +
          'Move the folder aside, then revert again.',
      );
    }
    const files = await Promise.all(
      changes.map(async (c) => {
        const abs = join(ws.root, c.path);
        return {
          path: c.path,
          before: await ws.history.readFileAt(parent, c.path),
          after: await ws.history.readFileAt(oid, c.path),
          current: existsSync(abs) ? readFileSync(abs, 'utf8') : null,
        };
      }),
    );
    const plan = planRevert(files);
    if (plan.conflicts.length) {
      throw new UserError(
        `Cannot revert ${shortOid(oid)} ("${info.subject}") cleanly:\n${plan.conflicts.map((c) => `  - ${c}`).join('\n')}\n` +
          'Revert the later commits first (`nevo-tui log` lists them), then this one.',
      );
    }
    for (const w of plan.writes) {
      const doc = docOfPath(w.path);
      if (w.content !== null && doc) {
        const data = JSON.parse(w.content) as unknown;
        const check = documentSchemas[doc.name].safeParse(data);
        if (!check.success) throw schemaError(w.path, check.error.issues, data);
        const stray = doc.shard === undefined ? null : strayRecord(doc.name, doc.shard, check.data.records);
        if (stray) throw new CorruptFileError(w.path, stray);
      }
      tx.writeFile(w.path, w.content);
    }
    alongside?.(tx, plan.writes);
    tx.forceCommit = plan.writes.length > 0;
    tx.message('revert', info.subject.replace(/\s+/g, ' ').slice(0, 100), [shortOid(oid)]);
    const before = await ws.history.head();
    return { before, files: plan.writes.map((w) => w.path) };
  }).then(async ({ before, files }) => {
    const head = await ws.history.head();
    return { reverted: oid, subject: info.subject, commit: head !== before ? head : null, files };
  });
}

function isFolder(abs: string): boolean {
  try {
    return statSync(abs).isDirectory();
  } catch {
    return false;
  }
}

