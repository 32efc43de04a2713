import type { Provenance } from '../store/vocabulary.js';
/**
 * What search sees of memory: facts, session narratives and digests flattened to one shape, so the
 * index, the ranking, the CLI and the TUI need not know where each came from.
 */
export const MEMORY_KINDS = ['fact', 'narrative', 'digest'] as const;
export type MemoryKind = (typeof MEMORY_KINDS)[number];

export interface MemoryItem {
  /** `fact:<hash>`, `narrative:<session>`, `digest:weekly:2026-W47`, `digest:monthly:2026-11`. */
  id: string;
  kind: MemoryKind;
  /** One line, for lists. */
  title: string;
  /** What is searched: the statement of a fact, the summary of a narrative or digest. */
  text: string;
  /** A fact's category (preference, lesson, ...); `narrative`; `weekly` or `monthly` for digests. */
  category: string;
  /** ISO: when a fact was last confirmed, when a session ended, when a digest's period ended. */
  time: string;
  /** 0..1; narratives and digests are 1 (they are records, not claims). */
  confidence: number;
  pinned: boolean;
  /** Never recall: kept, but left out of results unless asked for. */
  hidden: boolean;
  session?: string;
  /** A fact's: where its words came from (typed, person, assistant, tool-output, file-text). */
  provenance?: Provenance;
  /** A fact's expiry: an index saved before it passed may still hold it, so results are checked. */
  expires?: string;
}
