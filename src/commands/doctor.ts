import type { Command } from 'commander';
import { emit } from '../output.js';
import { shortOid } from '../util/format.js';
import { migrateStore, restoreFile, runDoctor } from '../app/doctor.js';
import { UserError } from '../errors.js';
import { GITLEAKS_VERSION } from '../redact/secrets.js';
import { dropBackups, purgeSecrets, scanSecrets } from '../app/secrets-doctor.js';
import type { Workspace } from '../workspace/workspace.js';
import { workspaceOf } from './context.js';
import { describeLost, lostTotal, readLostTally, resetLostTally } from '../detect/lost-tally.js';

export async function run(opts: { json?: boolean; restore?: string; secrets?: boolean; purge?: boolean; dryRun?: boolean; dropBackup?: boolean; clearLost?: boolean; migrate?: boolean }, cmd: Command): Promise<void> {
  const ws = workspaceOf(cmd);
  if (opts.clearLost) {
    const before = readLostTally(ws.layout.triggers);
    resetLostTally(ws.layout.triggers);
    emit(opts.json, { cleared: lostTotal(before) }, () => (lostTotal(before) ? `Cleared: ${describeLost(before)}.` : 'Nothing to clear: the hook wrote every event.'));
    return;
  }
  if ((opts.purge || opts.dropBackup || opts.dryRun) && !opts.secrets) throw new UserError('--purge, --dry-run and --drop-backup go with --secrets: `nevo-tui doctor --secrets --purge --dry-run`.');
  if (opts.secrets) return secrets(ws, opts);
  if (opts.migrate) {
    const r = await migrateStore(ws);
    emit(opts.json, r, () =>
      r.documents.length
        ? `Split ${r.documents.join(', ')} into ${r.shards.length} monthly shard(s)${r.commit ? ` (commit ${shortOid(r.commit)})` : ''}.${r.backup ? ` The history before is kept under ${r.backup}.` : ''}`
        : 'Nothing to migrate: every document is already in the sharded layout.',
    );
    return;
  }
  if (opts.restore) {
    const r = await restoreFile(ws, opts.restore);
    emit(opts.json, r, () =>
      [`Restored ${r.file} from commit ${shortOid(r.from)}${r.commit ? ` (new commit ${shortOid(r.commit)})` : ' (it now matches that commit; no new commit needed)'}.`, r.keptBrokenCopy ? `The broken version is kept at ${r.keptBrokenCopy}.` : ''].filter(Boolean).join('\n'),
    );
    return;
  }
  const report = await runDoctor(ws);
  emit(opts.json, report, () => {
    const lines = report.checks.map((c) => (c.ok ? `ok      ${c.file}${c.problem ? `\n        ${c.problem}` : ''}` : `BROKEN  ${c.file}\n        ${c.problem?.replace(/\n/g, '\n        ')}\n        fix: ${c.fix}`));
    if (report.cleaned.length) lines.push(`cleaned ${report.cleaned.length} temp file(s) left by killed writers`);
    lines.push(report.ok ? 'The workspace is healthy.' : 'Problems found; see the fixes above.');
    return lines.join('\n');
  });
  if (!report.ok) process.exitCode = 1;
}

async function secrets(ws: Workspace, opts: { json?: boolean; purge?: boolean; dryRun?: boolean; dropBackup?: boolean }): Promise<void> {
  if (opts.dropBackup) {
    const r = await dropBackups(ws);
    emit(opts.json, r, () =>
      [
        r.refs.length ? `Dropped ${r.refs.join(', ')}.` : 'No backup refs to drop.',
        `Deleted ${r.objectsDeleted} object(s) no ref reaches.`,
        r.packs ? `${r.packs} pack file(s) were left as they are: run \`git gc --prune=now\` in the workspace to rewrite them.` : '',
      ]
        .filter(Boolean)
        .join('\n'),
    );
    return;
  }
  if (opts.purge) {
    const r = await purgeSecrets(ws, { dryRun: !!opts.dryRun });
    emit(opts.json, r, () => {
      if (!r.commitsRewritten) return 'No secret in the history: nothing to rewrite.';
      const files = r.files.slice(0, 20).map((f) => `  ${f}`);
      if (r.dryRun) return [`Would rewrite ${r.commitsRewritten} commit(s), redacting ${r.blobsRedacted} file version(s) in:`, ...files, 'Run without --dry-run to do it.'].join('\n');
      return [`Rewrote ${r.commitsRewritten} commit(s), redacting ${r.blobsRedacted} file version(s) in:`, ...files, `The old history is kept under ${r.backup} until \`nevo-tui doctor --secrets --drop-backup\`.`].join('\n');
    });
    return;
  }
  const r = await scanSecrets(ws);
  emit(opts.json, { ...r, rules: GITLEAKS_VERSION }, () => {
    const lines = r.findings.map((f) => {
      const at = f.where === 'message' ? `commit ${shortOid(f.commit!)} (message)` : f.where === 'history' ? `${f.file}:${f.line} in commit ${shortOid(f.commit!)}` : `${f.file}:${f.line}`;
      return `${f.where === 'file' ? 'FILE   ' : 'HISTORY'} ${at}: ${f.kinds.join(', ')}`;
    });
    lines.push(`Read ${r.commitsRead} commit(s) and ${r.blobsRead} file version(s) with nevo's rules and ${GITLEAKS_VERSION}.`);
    if (r.backups.length) lines.push(`Backup refs of a purge still hold the old history: ${r.backups.join(', ')} (drop them with --drop-backup).`);
    lines.push(r.findings.length ? 'Secrets found. `nevo-tui doctor --secrets --purge --dry-run` shows what a purge would rewrite.' : 'No secret found.');
    return lines.join('\n');
  });
  if (r.findings.length) process.exitCode = 1;
}
