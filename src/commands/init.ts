import type { Command } from 'commander';
import { initWorkspace } from '../app/init.js';
import { emit } from '../output.js';
import { shortOid } from '../util/format.js';

export async function run(dir: string | undefined, opts: { json?: boolean }, cmd: Command): Promise<void> {
  const { workspace } = cmd.optsWithGlobals() as { workspace?: string };
  const result = await initWorkspace({ project: dir, workspace, cwd: process.cwd() });
  emit(opts.json, result, () =>
    result.created
      ? [
          `Created workspace ${result.workspace}`,
          `  rules seeded:  ${result.seeded.rules.join(', ') || '(none)'}`,
          `  skills seeded: ${result.seeded.skills.join(', ') || '(none)'}`,
          `  active rules:  written for Claude Code to ${result.exportDir}`,
          `  first commit:  ${shortOid(result.commit)}`,
          'Next: `nevo-tui status`, then hook up Claude Code (see README).',
        ].join('\n')
      : `Workspace ${result.workspace} already exists; nothing changed.`,
  );
}
