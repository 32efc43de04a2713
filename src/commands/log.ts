import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { emit } from '../output.js';
import { shortOid } from '../util/format.js';
import type { CommitInfo, FileChange } from '../store/history.js';
import { workspaceOf } from './context.js';

export async function run(opts: { json?: boolean; limit: string; path?: string }, cmd: Command): Promise<void> {
  const ws = workspaceOf(cmd);
  const depth = Number(opts.limit);
  if (!Number.isInteger(depth) || depth < 1) throw new UserError(`--limit must be a whole number of at least 1, not "${opts.limit}".`);
  const commits = await ws.history.log({ depth, path: opts.path });
  // One commit at a time: a commit that changed much (a migration, a flush) walks many folders, and
  // walks run side by side would open more files at once than the system allows.
  const withFiles: (CommitInfo & { files: FileChange[] })[] = [];
  for (const c of commits) withFiles.push({ ...c, files: await ws.history.commitChanges(c.oid) });
  const pending = ws.store.readPending();
  emit(opts.json, { commits: withFiles, pendingBatch: { records: pending.records, since: pending.since || null } }, () => {
    const lines = withFiles.map((c) => `${shortOid(c.oid)}  ${c.time.slice(0, 16).replace('T', ' ')}  ${c.subject}  [${c.files.length} file${c.files.length === 1 ? '' : 's'}]`);
    if (pending.records) lines.unshift(`(${pending.records} record change(s) waiting for the next batch commit; \`nevo-tui commit\` commits them now)`);
    return lines.join('\n') || 'No commits yet.';
  });
}
