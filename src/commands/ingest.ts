import type { Command } from 'commander';
import { ingestAndLearn } from '../app/loop.js';
import { outcomeText } from './analyze.js';
import { emit } from '../output.js';
import { workspaceOf } from './context.js';

export async function run(opts: { json?: boolean }, cmd: Command): Promise<void> {
  const ws = workspaceOf(cmd);
  const r = await ingestAndLearn(ws);
  const { analyzed, remembered } = r;
  emit(opts.json, r, () =>
    r.files === 0
      ? 'No triggers waiting.'
      : [
          `Ingested ${r.files} trigger file(s): ${r.events} event(s)${r.duplicates ? `, ${r.duplicates} already stored` : ''}.`,
          `  opened ${r.opened.length} incident(s)${r.opened.length ? `: ${r.opened.slice(0, 8).join(', ')}${r.opened.length > 8 ? ', ...' : ''}` : ''}`,
          `  counted ${r.counted} into known incidents, ${r.journal} journal only, ${r.rejected} rejected`,
          ...(r.reopened.length ? [`  reopened (recurred after a rule or skill): ${r.reopened.join(', ')}`] : []),
          ...analyzed.map((o) => `  ${outcomeText(o)}`),
          ...(remembered.length ? [`  narratives of ${remembered.length} session(s) written; ${remembered.reduce((a, m) => a + m.factsAdded, 0)} new fact(s)`] : []),
        ].join('\n'),
  );
}
