import type { Command } from 'commander';
import { emit, shortOid } from '../output.js';
import { workspaceOf } from './context.js';

export async function run(opts: { json?: boolean }, cmd: Command): Promise<void> {
  const r = await workspaceOf(cmd).store.flush();
  emit(opts.json, r, () => (r.oid ? `Committed ${r.records} batched record change(s) as ${shortOid(r.oid)}.` : 'Nothing waiting to be committed.'));
}
