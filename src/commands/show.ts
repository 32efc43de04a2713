import type { Command } from 'commander';
import { emit } from '../output.js';
import { workspaceOf } from './context.js';

export async function run(ref: string, opts: { json?: boolean }, cmd: Command): Promise<void> {
  const ws = workspaceOf(cmd);
  const oid = await ws.history.resolve(ref);
  const [info, files, diff] = await Promise.all([ws.history.readCommit(oid), ws.history.commitChanges(oid), ws.history.diff(oid)]);
  emit(opts.json, { ...info, files, diff }, () => [`commit ${info.oid}`, `Author: ${info.author} <${info.email}>`, `Date:   ${info.time}`, '', `    ${info.message.replace(/\n/g, '\n    ')}`, '', diff].join('\n'));
}
