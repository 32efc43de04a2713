import { statSync } from 'node:fs';
import { analyzeOpened } from '../analyze/auto.js';
import type { AnalyzeOutcome } from '../analyze/analyze.js';
import { importTranscripts, type ImportResult } from '../detect/import.js';
import { ingestTriggers, type IngestResult } from '../detect/ingest.js';
import { openTranscriptFiles } from '../detect/open-transcripts.js';
import { rememberSessions, type Remembered } from '../memory/remember.js';
import { approveRule, type ReviewResult } from '../rules/review.js';
import type { Workspace } from '../workspace/workspace.js';
import type { SessionRecord } from '../store/schemas.js';

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
  if (ws.config.hooks.capture === 'turn') await readTurns(ws, r);
  return { ...r, ...(await afterEvents(ws, { opened: r.opened, sessions: r.ended })) };
}

/**
 * The capture by turn: the calls of the turns that ended, and of the sessions still open, are read
 * from their transcripts, only what was appended since the last read (a file that did not grow is
 * not opened). A transcript that is gone loses only what the hooks did not send live; one that
 * could not be read this time is read on at the next ingest.
 */
async function readTurns(ws: Workspace, r: IngestResult): Promise<void> {
  // Only the months that saw a session within the hours, through the shared snapshot: a
  // long-running ingester (the TUI, the daemon) parses only those of them that changed.
  const open = await openTranscriptFiles({ sessions: () => openSessionsOf(ws), now: ws.clock, hours: ws.config.hooks.openSessionHours });
  for (const file of new Set([...r.transcripts, ...open])) {
    // Only a regular file: a payload naming a FIFO or a folder must not hold up or fail ingest.
    if (!statSync(file, { throwIfNoEntry: false })?.isFile()) continue;
    let read: ImportResult;
    try {
      // A line Claude Code is still writing is left for the next read (the import keeps its place).
      read = await importTranscripts(ws, file, { project: ws.projectRoot, byCall: true, tail: true });
    } catch (err) {
      // Unreadable now (permissions, gone meanwhile): the next ingest tries again.
      if (typeof (err as NodeJS.ErrnoException).code === 'string' && (err as NodeJS.ErrnoException).code!.startsWith('E')) continue;
      throw err;
    }
    r.events += read.events;
    r.counted += read.counted;
    for (const id of read.opened) if (!r.opened.includes(id)) r.opened.push(id);
  }
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
  const sessions = (await ws.store.incidents.withIds([...ids])).flatMap((i) => i.sessions);
  try {
    await rememberSessions(ws, sessions, { force: true, external: false });
  } catch {
    // The approval stands; `nevo-tui memory narrate` writes the lessons later.
  }
  return result;
}

/** The sessions that may still be open: those seen within `hooks.openSessionHours` (the others are not read). */
export function openSessionsOf(ws: Workspace): Promise<SessionRecord[]> {
  return ws.store.sessionsSeenSince(new Date(ws.clock().getTime() - Math.max(0, ws.config.hooks.openSessionHours) * 3_600_000));
}
