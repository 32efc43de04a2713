// The capture by turn reads a session's calls from its transcript. A turn's end (Stop) names it;
// so does every hook of the session before (SessionStart, a failure), and the session record keeps
// it. While the session is open (no SessionEnd, seen recently), ingest reads what was appended to
// it since the last read, so Watch shows a call that worked within one ingest tick and a session
// killed before its Stop loses nothing.
import { realpathSync, statSync } from 'node:fs';
import type { ImportRecord, SessionRecord } from '../store/schemas.js';
import { sessionTranscripts } from './transcript-files.js';

/** The transcripts of the sessions still open: no SessionEnd, and an event within `hours` of `now`. Pure. */
export function openSessionTranscripts(sessions: readonly SessionRecord[], now: Date, hours: number): string[] {
  if (hours <= 0) return [];
  const since = now.getTime() - hours * 3_600_000;
  const out = new Set<string>();
  for (const s of sessions) if (s.transcript && !s.ended && Date.parse(s.lastSeen) >= since) out.add(s.transcript);
  return [...out].sort();
}

function realOrSelf(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}

/** Whether a file of this size holds more than its last read saw. Pure. */
export function grewSince(size: number, prior: Pick<ImportRecord, 'bytes'> | undefined): boolean {
  return prior ? prior.bytes !== size : size > 0;
}

export interface OpenReads {
  sessions: () => Promise<readonly SessionRecord[]>;
  imported: (file: string) => Promise<Pick<ImportRecord, 'bytes'> | undefined>;
  now: () => Date;
  hours: number;
}

/** Each open session's transcript and its subagents', the regular files among them. */
export async function openTranscriptFiles(reads: Pick<OpenReads, 'sessions' | 'now' | 'hours'>): Promise<string[]> {
  return openSessionTranscripts(await reads.sessions(), reads.now(), reads.hours).flatMap(sessionTranscripts);
}

/**
 * A check, cheap enough to run every few seconds, of whether a transcript of an open session grew
 * since ingest last read it: the documents through their shared snapshots (read again only when
 * they changed), then one stat a file. A size it already answered for is not answered again, so a
 * file ingest passes over does not start ingest at every poll.
 */
export function transcriptGrowth(reads: OpenReads): () => Promise<boolean> {
  const told = new Map<string, number>();
  return async () => {
    let grew = false;
    for (const file of await openTranscriptFiles(reads)) {
      const size = statSync(file, { throwIfNoEntry: false })?.size;
      if (size === undefined || told.get(file) === size) continue;
      // The imports document keys a transcript by its real path, as the read does.
      if (grewSince(size, await reads.imported(realOrSelf(file)))) {
        told.set(file, size);
        grew = true;
      }
    }
    return grew;
  };
}
