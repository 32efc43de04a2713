import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { emit } from '../output.js';
import { initWorkspace } from '../workspace/init.js';
import { workspaceStatus } from '../workspace/status.js';
import { openWorkspace } from '../workspace/workspace.js';

/** A scratch project with a fresh workspace: never inside the repository the command runs from. */
export async function run(opts: { json?: boolean; dir?: string }, _cmd: Command): Promise<void> {
  const project = opts.dir ? resolve(opts.dir) : mkdtempSync(join(tmpdir(), 'nevo-demo-'));
  const init = await initWorkspace({ project, cwd: project });
  const status = await workspaceStatus(openWorkspace(init.workspace));
  emit(opts.json, { ...status, project }, () =>
    [
      `Demo workspace ready in ${project}`,
      '',
      ...Object.entries({
        Workspace: status.workspace,
        Rules: String(status.rules),
        Skills: String(status.skills),
        Documents: Object.entries(status.documents).map(([k, v]) => `${k} ${typeof v === 'number' ? v : 'BROKEN'}`).join(' · '),
        'Last commit': status.lastCommit ? `${status.lastCommit.oid.slice(0, 7)} ${status.lastCommit.subject}` : '(none)',
      }).map(([k, v]) => `  ${k.padEnd(12)} ${v}`),
      '',
      `Try: nevo-tui --workspace ${status.workspace} log`,
    ].join('\n'),
  );
}
