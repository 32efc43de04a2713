import type { Command } from 'commander';
import { emit } from '../output.js';
import { shortOid } from '../util/format.js';
import { workspaceOf } from './context.js';

export async function run(opts: { json?: boolean }, cmd: Command): Promise<void> {
  const flushed = await workspaceOf(cmd).store.flush();
  emit(opts.json, flushed, () =>
    [
      flushed.oid ? `Committed ${flushed.records} batched record change(s) as ${shortOid(flushed.oid)}.` : 'Nothing waiting to be committed.',
      ...flushed.leftOut.map((l) => `Left out ${l.file}: ${l.problem}. Fix it by hand, or put back its last good version with \`nevo-tui doctor --restore ${l.file}\`.`),
    ].join('\n'),
  );
  if (flushed.leftOut.length) process.exitCode = 1;
}
