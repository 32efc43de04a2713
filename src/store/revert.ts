import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import type { Workspace } from '../workspace/workspace.js';
import { isDocName } from './documents.js';
import { documentSchemas } from './schemas.js';
import { schemaError } from './errors.js';
import { planRevert } from './revert-plan.js';
import { shortOid } from '../util/format.js';
import { exportRules } from '../rules/export.js';
import { loadRules } from '../rules/load.js';
import { parseRule } from '../rules/rule.js';

export interface RevertResult {
  reverted: string;
  subject: string;
  commit: string | null;
  files: string[];
}

export async function revertCommit(ws: Workspace, ref: string): Promise<RevertResult> {
  const oid = await ws.history.resolve(ref);
  const info = await ws.history.readCommit(oid);
  const parent = info.parents[0];
  if (!parent) throw new UserError(`Commit ${shortOid(oid)} is the workspace's first commit; there is nothing before it to go back to.`);
  await ws.store.flush();
  return ws.store.transact(async (tx) => {
    // Rule ids are never handed out twice, so the counters are never taken back.
    const changes = (await ws.history.changes(parent, oid)).filter((c) => c.path !== 'store/sequences.json');
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
      const name = w.path.replace(/^store\/(.*)\.json$/, '$1');
      if (w.content !== null && w.path.startsWith('store/') && isDocName(name)) {
        const data = JSON.parse(w.content) as unknown;
        const check = documentSchemas[name].safeParse(data);
        if (!check.success) throw schemaError(w.path, check.error.issues, data);
      }
      tx.writeFile(w.path, w.content);
    }
    if (plan.writes.some((w) => w.path.startsWith('rules/'))) {
      // The agent's copy follows the rules: a reverted approval leaves .claude/rules/nevo/ too.
      const { rules } = loadRules(ws.root);
      const byFile = new Map(plan.writes.map((w) => [w.path, w.content]));
      const after = rules.filter((r) => !byFile.has(r.file));
      for (const [path, content] of byFile) {
        if (!path.startsWith('rules/') || content === null) continue;
        try {
          after.push(parseRule(content, path));
        } catch {
          // an unparseable rule is not exported; lint reports it
        }
      }
      exportRules(ws, after, tx);
    }
    tx.forceCommit = plan.writes.length > 0;
    tx.message('revert', info.subject.replace(/\s+/g, ' ').slice(0, 100), [shortOid(oid)]);
    const before = await ws.history.head();
    return { before, files: plan.writes.map((w) => w.path) };
  }).then(async ({ before, files }) => {
    const head = await ws.history.head();
    return { reverted: oid, subject: info.subject, commit: head !== before ? head : null, files };
  });
}
