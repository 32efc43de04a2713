import type { Command } from 'commander';
import { analyzeMany, type AnalyzeOutcome } from '../analyze/analyze.js';
import { emit } from '../output.js';
import { workspaceOf } from './context.js';

export function outcomeText(o: AnalyzeOutcome): string {
  if (o.error) return `${o.incident}: not analyzed: ${o.error.split('\n')[0]}`;
  switch (o.decision) {
    case 'propose':
      return `${o.incident}: proposed ${o.rule} (${o.novelty})${o.contradicts?.length ? `; CONTRADICTS ${o.contradicts.join(', ')}` : ''}`;
    case 'link':
      return `${o.incident}: linked to ${o.rule}${o.novelty ? ` (${o.novelty})` : ''}`;
    case 'skill-gap':
      return `${o.incident}: skill gap (see \`nevo-tui incidents show ${o.incident}\`)`;
    default:
      return `${o.incident}: dismissed`;
  }
}

export async function run(id: string | undefined, opts: { json?: boolean; all?: boolean; builtin?: boolean }, cmd: Command): Promise<void> {
  const ws = workspaceOf(cmd);
  const outcomes = await analyzeMany(ws, id ? [id] : undefined, { builtin: opts.builtin });
  emit(opts.json, { outcomes }, () => (outcomes.length ? outcomes.map(outcomeText).join('\n') : 'No new incidents to analyze.'));
  if (outcomes.some((o) => o.error)) process.exitCode = 1;
}
