import type { Command } from 'commander';
import { sync, showRemote } from '../app/sync.js';
import { UserError } from '../errors.js';
import { emit } from '../output.js';
import { shortOid } from '../util/format.js';
import { workspaceOf } from './context.js';

export async function run(opts: { remote?: string; dryRun?: boolean; resolve?: string; keep?: 'mine' | 'theirs'; from?: string; json?: boolean }, cmd: Command): Promise<void> {
  const ws = workspaceOf(cmd);
  if (!opts.resolve && (opts.from || opts.keep === 'theirs')) throw new UserError('--keep and --from say how to settle a conflict: give the rule with --resolve RULE.');
  const result = await sync(ws, { remote: opts.remote, dryRun: opts.dryRun, resolve: opts.resolve, keep: opts.keep, from: opts.from });
  emit(opts.json, result, () => {
    const where = showRemote(result.remote);
    if (result.dryRun) {
      const bytes = result.files.reduce((n, f) => n + f.bytes, 0);
      return [`Would push ${result.files.length} file(s), ${bytes} bytes (redacted), as nevo/members/${result.member} to ${where}:`, ...result.files.map((f) => `  ${f.path}  ${f.bytes} B`), 'Nothing was sent or changed.'].join('\n');
    }
    const lines = [
      `Synced with ${where} as ${result.member}${result.pushed ? ' (pushed)' : ' (nothing new to push)'}; members seen: ${result.members.join(', ') || 'none yet'}.`,
      ...(result.added.length ? [`Added: ${result.added.join(', ')}.`] : []),
      ...(result.updated.length ? [`Updated: ${result.updated.join(', ')}.`] : []),
      ...(result.skills.added.length ? [`Skills added: ${result.skills.added.join(', ')} (in skills/; \`nevo-tui skills approve NAME\` deploys one here).`] : []),
      ...(result.skills.updated.length ? [`Skills updated: ${result.skills.updated.join(', ')}.`] : []),
      ...result.merged.map((m) => `Merged ${m.member}'s ${m.id} into ${m.into}: ${m.why}, proposed by two members.`),
      ...result.renamed.filter((r) => !result.merged.some((m) => m.into === r.to)).map((r) => `Renumbered ${r.from} to ${r.to}: another member had given ${r.from} to a different rule.`),
      ...result.resolved.map((c) => (opts.keep === 'theirs' ? `Resolved ${c.rule}: ${c.member}'s ${c.part} replaces this workspace's.` : `Resolved ${c.rule}: this workspace's ${c.part} replaces ${c.member}'s.`)),
      ...(result.facts.length ? [`${result.facts.length} fact(s) the others reviewed wait in Review (\`nevo-tui memory pending\`): a teammate's preference is yours only once you take it.`] : []),
      result.commit ? `Committed ${shortOid(result.commit)}.` : 'Nothing changed here.',
      ...result.conflicts.map((c) =>
        c.part === 'skill'
          ? `Conflict on skill ${c.rule}: ${c.member} changed it too (theirs: its SKILL.md in \`nevo-tui sync --json\`). Edit skills/${c.rule}/ to the version you want, then run \`nevo-tui sync --resolve ${c.rule}\`, or keep yours in Review.`
          : `Conflict on ${c.rule}: ${c.member} changed its ${c.part} too (theirs: ${c.part === 'text' ? JSON.stringify(c.theirsTitle) : c.theirsStatus}). Keep yours with \`nevo-tui sync --resolve ${c.rule}\` (edit rules/${c.rule}.md first to the version you want), take theirs with \`nevo-tui sync --resolve ${c.rule} --keep theirs${result.conflicts.filter((k) => k.rule === c.rule).length > 1 ? ` --from ${c.member}` : ''}\`, or settle it in Review.`,
      ),
    ];
    return lines.join('\n');
  });
  if (result.conflicts.length) process.exitCode = 1;
}
