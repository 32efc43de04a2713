import { analyzeOpened } from './analyze/auto.js';
import type { AnalyzeOutcome } from './analyze/analyze.js';
import { rememberSessions, type Remembered } from './memory/remember.js';
import type { Workspace } from './workspace/workspace.js';

/**
 * What follows new events, wherever they came from (ingest, import, the TUI's watcher): new
 * incidents are analyzed first, so the narratives of the sessions that ended can name their lessons.
 */
export async function afterEvents(ws: Workspace, r: { opened: string[]; sessions: string[] }): Promise<{ analyzed: AnalyzeOutcome[]; remembered: Remembered[] }> {
  const analyzed = await analyzeOpened(ws, r.opened);
  const remembered = await rememberSessions(ws, r.sessions);
  return { analyzed, remembered };
}
