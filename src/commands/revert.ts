import type { Command } from 'commander';
import { emit } from '../output.js';
import { shortOid } from '../util/format.js';
import { revertCommit } from '../app/revert.js';
import { workspaceOf } from './context.js';

export async function run(ref: string, opts: { json?: boolean }, cmd: Command): Promise<void> {
  const r = await revertCommit(workspaceOf(cmd), ref);
  emit(opts.json, r, () =>
    r.commit
      ? `Reverted ${shortOid(r.reverted)} ("${r.subject}") with commit ${shortOid(r.commit)}: ${r.files.join(', ')}`
      : `${shortOid(r.reverted)} ("${r.subject}") is already undone; nothing changed.`,
  );
}
