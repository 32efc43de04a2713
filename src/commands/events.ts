import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { emit } from '../output.js';
import { describeFate } from '../detect/present.js';
import { readHooksState, waitingForEvents } from '../detect/hooks-state.js';
import { workspaceOf } from './context.js';

export async function run(opts: { json?: boolean; limit: string }, cmd: Command): Promise<void> {
  const n = Number(opts.limit);
  if (!Number.isInteger(n) || n < 1) throw new UserError(`--limit must be a whole number of at least 1, not "${opts.limit}".`);
  const ws = workspaceOf(cmd);
  const events = (await ws.store.events.recent(n)).reverse();
  emit(opts.json, { events }, () =>
    events.length
      ? events
          .map((e) => `${e.time.slice(0, 19).replace('T', ' ')}  ${e.kind.padEnd(18)} ${(e.tool ?? '').padEnd(10)} ${describeFate(e)}${e.target ? `  · ${e.target.slice(0, 60)}` : ''}`)
          .join('\n')
      : waitingForEvents(readHooksState(ws.projectRoot), ws.projectRoot).join('\n'),
  );
}
