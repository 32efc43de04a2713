import { documentSchemas, type DocName } from './schemas.js';

export type HistoryPolicy = 'immediate' | 'batched';

interface DocumentInfo {
  description: string;
  /** High-volume documents are committed in batches (see README, "History"). */
  history: HistoryPolicy;
}

export const DOCUMENTS: Record<DocName, DocumentInfo> = {
  events: { description: 'recent events with their fates', history: 'batched' },
  incidents: { description: 'incidents: fingerprints, counts, sessions, status', history: 'batched' },
  telemetry: { description: 'per-day tool calls and failures per tool', history: 'batched' },
  rejections: { description: 'hook inputs that were rejected, by reason', history: 'batched' },
  sessions: { description: 'agent sessions seen through hooks or transcripts, with their counts', history: 'batched' },
  imports: { description: 'transcripts imported, and how far each was read', history: 'batched' },
  ledger: { description: 'every call of an external command (analyst, ...): time, bytes and tokens in and out', history: 'batched' },
  blocks: { description: 'tool calls blocked by the guard of each rule', history: 'batched' },
  loads: { description: 'when Claude Code loaded each exported rule, and why (InstructionsLoaded)', history: 'batched' },
  facts: { description: 'semantic memory: atomic statements with category, confidence and expiry', history: 'batched' },
  narratives: { description: 'one record per session narrative in journal/narratives/', history: 'batched' },
  digests: { description: 'weekly and monthly digests in journal/digests/', history: 'batched' },
  fitness: { description: 'a daily snapshot of incidents, rules, skills, facts and the failure rate', history: 'batched' },
  forgotten: { description: 'facts and sessions a person forgot: they are never extracted or narrated again', history: 'batched' },
  skills: { description: 'the skill inventory: why each skill was made, its fingerprints, status, deployed hash', history: 'immediate' },
  jobs: { description: 'scheduled jobs: the latest runs of each, their duration, outcome and error', history: 'batched' },
  sequences: { description: 'the last rule number handed out per prefix: ids are never reused', history: 'immediate' },
};

export const DOC_NAMES = Object.keys(documentSchemas) as DocName[];

export function isDocName(name: string): name is DocName {
  return (DOC_NAMES as string[]).includes(name);
}

export function docFile(name: DocName): string {
  return `store/${name}.json`;
}

export function emptyDoc(): { version: 1; records: never[] } {
  return { version: 1, records: [] };
}

/**
 * What is wrong with a store document's text, or null when it parses and matches its schema;
 * also null for any file that is not a store document (nothing to check it against).
 */
export function documentProblem(rel: string, text: string): string | null {
  const name = /^store\/([\w-]+)\.json$/.exec(rel)?.[1];
  if (!name || !isDocName(name)) return null;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return text.trim() === '' ? 'the file is empty' : `not valid JSON (${(err as Error).message})`;
  }
  const parsed = documentSchemas[name].safeParse(data);
  return parsed.success ? null : `does not match its schema (${parsed.error.issues[0]?.path.join('.') || 'root'}: ${parsed.error.issues[0]?.message ?? 'invalid'})`;
}
