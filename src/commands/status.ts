import type { Command } from 'commander';
import { emit } from '../output.js';
import { shortOid } from '../util/format.js';
import { currentRunner, describeRunner } from '../schedule/runner-lock.js';
import { workspaceStatus } from '../app/status.js';
import { workspaceOf } from './context.js';

export async function run(opts: { json?: boolean }, cmd: Command): Promise<void> {
  const ws = workspaceOf(cmd);
  const status = { ...(await workspaceStatus(ws)), jobsRunner: currentRunner(ws.layout) };
  emit(opts.json, status, () => {
    const docs = Object.entries(status.documents)
      .map(([name, n]) => `${name} ${typeof n === 'number' ? n : `BROKEN (${n.error})`}`)
      .join(' · ');
    return [
      `Workspace    ${status.workspace}`,
      `Project      ${status.project}`,
      `Documents    ${docs}`,
      `Rules        ${status.rules}`,
      `Skills       ${status.skills}`,
      `Triggers     ${status.triggersWaiting} waiting for ingest`,
      `Lost         ${status.lost.line ?? 'none: the hook wrote every event'}`,
      `Jobs         ${status.jobsRunner ? `run by ${describeRunner(status.jobsRunner)}` : 'no process runs them: open the TUI or start `nevo-tui daemon`'}`,
      `Last commit  ${status.lastCommit ? `${shortOid(status.lastCommit.oid)} ${status.lastCommit.time.slice(0, 16).replace('T', ' ')}  ${status.lastCommit.subject}` : '(none)'}`,
      `Batch        ${status.pendingBatch.records} record change(s) waiting to be committed`,
    ].join('\n');
  });
}
