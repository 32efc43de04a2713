import { analyzeOpened } from '../analyze/auto.js';
import type { AnalyzeOutcome } from '../analyze/analyze.js';
import { importTranscripts, type ImportResult } from '../detect/import.js';
import { ingestTriggers, type IngestResult } from '../detect/ingest.js';
import { rememberSessions, type Remembered } from '../memory/remember.js';
import { approveRule, type ReviewResult } from '../rules/review.js';
import type { Workspace } from '../workspace/workspace.js';

/**
 * What follows new events, wherever they came from (ingest, import, the TUI's watcher): new
 * incidents are analyzed first, so the narratives of the sessions that ended can name their lessons.
 */
export async function afterEvents(ws: Workspace, r: { opened: string[]; sessions: string[] }): Promise<Learned> {
  const analyzed = await analyzeOpened(ws, r.opened);
  const remembered = await rememberSessions(ws, r.sessions);
  return { analyzed, remembered };
}

export type Learned = { analyzed: AnalyzeOutcome[]; remembered: Remembered[] };

/** The hook's waiting triggers taken in, and what follows them: `ingest`, the ingest job, the TUI's watcher. */
export async function ingestAndLearn(ws: Workspace): Promise<IngestResult & Learned> {
  const r = await ingestTriggers(ws);
  return { ...r, ...(await afterEvents(ws, { opened: r.opened, sessions: r.ended })) };
}

/** Transcripts taken in, and what follows them: `import` and the demo. */
export async function importAndLearn(ws: Workspace, path: string, opts: { project?: string } = {}): Promise<ImportResult & Learned> {
  const r = await importTranscripts(ws, path, opts);
  return { ...r, ...(await afterEvents(ws, { opened: r.opened, sessions: r.sessions })) };
}

/**
 * Approving a rule turns its incidents' sessions into lessons: their narratives are written again
 * (they named the rule as proposed) and the rule's text becomes a lesson fact.
 */
export async function approveAndRemember(ws: Workspace, id: string): Promise<ReviewResult> {
  const result = await approveRule(ws, id);
  // The approved rule as written (the id may have been typed in lower case): no second read of rules/.
  const ids = new Set(result.rule.incidents.map((i) => i.id));
  const sessions = (await ws.store.incidents.list((i) => ids.has(i.id))).flatMap((i) => i.sessions);
  try {
    await rememberSessions(ws, sessions, { force: true, external: false });
  } catch {
    // The approval stands; `nevo-tui memory narrate` writes the lessons later.
  }
  return result;
}
