import type { Workspace } from '../workspace/workspace.js';
import { analyzeMany, type AnalyzeOutcome } from './analyze.js';

/** New incidents are analyzed right after ingest with the configured analyst (`analyst.auto`). */
export async function analyzeOpened(ws: Workspace, opened: string[]): Promise<AnalyzeOutcome[]> {
  if (!ws.config.analyst.auto || opened.length === 0) return [];
  return analyzeMany(ws, opened);
}
