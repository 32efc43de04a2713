import type { Command } from 'commander';
import { emit, shortOid } from '../output.js';
import { restoreFile, runDoctor } from '../workspace/doctor.js';
import { workspaceOf } from './context.js';

export async function run(opts: { json?: boolean; restore?: string }, cmd: Command): Promise<void> {
  const ws = workspaceOf(cmd);
  if (opts.restore) {
    const r = await restoreFile(ws, opts.restore);
    emit(opts.json, r, () =>
      [`Restored ${r.file} from commit ${shortOid(r.from)}${r.commit ? ` (new commit ${shortOid(r.commit)})` : ' (it now matches that commit; no new commit needed)'}.`, r.keptBrokenCopy ? `The broken version is kept at ${r.keptBrokenCopy}.` : ''].filter(Boolean).join('\n'),
    );
    return;
  }
  const report = await runDoctor(ws);
  emit(opts.json, report, () => {
    const lines = report.checks.map((c) => (c.ok ? `ok      ${c.file}` : `BROKEN  ${c.file}\n        ${c.problem?.replace(/\n/g, '\n        ')}\n        fix: ${c.fix}`));
    if (report.cleaned.length) lines.push(`cleaned ${report.cleaned.length} temp file(s) left by killed writers`);
    lines.push(report.ok ? 'The workspace is healthy.' : 'Problems found; see the fixes above.');
    return lines.join('\n');
  });
  if (!report.ok) process.exitCode = 1;
}
