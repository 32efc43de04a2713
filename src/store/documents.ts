import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DocName } from './schemas.js';

export type HistoryPolicy = 'immediate' | 'batched';

interface DocumentInfo {
  description: string;
  /** High-volume documents are committed in batches (see README, "History"). */
  history: HistoryPolicy;
  /**
   * Documents that grow with the history are kept as shards, `store/<name>/<key>.json`, each the
   * records whose key this gives (a month): a change writes, and a commit stores, only the shards
   * it changed. The key comes from what a record never changes (its id, when it began), so a
   * record never moves between shards.
   */
  shard?: (record: { id: string } & Record<string, unknown>) => string;
}

const month = (iso: unknown) => (typeof iso === 'string' && /^\d{4}-\d{2}/.test(iso) ? iso.slice(0, 7) : 'undated');

export const DOCUMENTS: Record<DocName, DocumentInfo> = {
  events: { description: 'recent events with their fates', history: 'batched' },
  incidents: { description: 'incidents: fingerprints, counts, sessions, status', history: 'batched', shard: (r) => month(r.id) },
  telemetry: { description: 'per-day tool calls and failures per tool', history: 'batched' },
  rejections: { description: 'hook inputs that were rejected, by reason', history: 'batched' },
  sessions: { description: 'agent sessions seen through hooks or transcripts, with their counts', history: 'batched', shard: (r) => month(r.firstSeen) },
  imports: { description: 'transcripts imported, and how far each was read', history: 'batched' },
  ledger: { description: 'every call of an external command (analyst, ...): time, bytes and tokens in and out', history: 'batched', shard: (r) => month(r.time) },
  blocks: { description: 'tool calls blocked by the guard of each rule', history: 'batched' },
  loads: { description: 'when Claude Code loaded each exported rule, and why (InstructionsLoaded)', history: 'batched' },
  facts: { description: 'semantic memory: atomic statements with category, confidence and expiry', history: 'batched', shard: (r) => month(r.created) },
  narratives: { description: 'one record per session narrative in journal/narratives/', history: 'batched', shard: (r) => month(r.start) },
  digests: { description: 'weekly and monthly digests in journal/digests/', history: 'batched' },
  fitness: { description: 'a daily snapshot of incidents, rules, skills, facts and the failure rate', history: 'batched' },
  forgotten: { description: 'facts and sessions a person forgot: they are never extracted or narrated again', history: 'batched' },
  skills: { description: 'the skill inventory: why each skill was made, its fingerprints, status, deployed hash', history: 'immediate' },
  jobs: { description: 'scheduled jobs: the latest runs of each, their duration, outcome and error', history: 'batched' },
  sequences: { description: 'the last rule number handed out per prefix: ids are never reused', history: 'immediate' },
};

/** Every document, in the order of their schemas (test/store/json-schema.test.ts holds the two lists the same). */
export const DOC_NAMES: readonly DocName[] = ['events', 'incidents', 'telemetry', 'rejections', 'sessions', 'imports', 'ledger', 'blocks', 'loads', 'sequences', 'facts', 'narratives', 'digests', 'fitness', 'forgotten', 'skills', 'jobs'];

export function isDocName(name: string): name is DocName {
  return (DOC_NAMES as readonly string[]).includes(name);
}

/** The document's one file; for a sharded document, the file of its old layout (see `shardFile`). */
export function docFile(name: DocName): string {
  return `store/${name}.json`;
}

export function isSharded(name: DocName): boolean {
  return DOCUMENTS[name].shard !== undefined;
}

/** The folder of a sharded document's shards. */
export function shardDir(name: DocName): string {
  return `store/${name}`;
}

export function shardFile(name: DocName, key: string): string {
  return `${shardDir(name)}/${key}.json`;
}

const SHARD_KEY = /^(\d{4}-\d{2}|undated)$/;

/** The document a workspace-relative path holds, whole or as one shard; null for any other file. */
export function docOfPath(rel: string): { name: DocName; shard?: string } | null {
  const whole = /^store\/([\w-]+)\.json$/.exec(rel);
  if (whole && isDocName(whole[1]!)) return { name: whole[1] };
  const part = /^store\/([\w-]+)\/([\w-]+)\.json$/.exec(rel);
  if (part && isDocName(part[1]!) && isSharded(part[1]) && SHARD_KEY.test(part[2]!)) return { name: part[1], shard: part[2]! };
  return null;
}

/**
 * Every file that holds a document's records now, workspace-relative: its one file, or its
 * shards in key order (and the file of the old layout while it is still there: it wins, see
 * store.ts).
 */
export function docFiles(root: string, name: DocName): string[] {
  if (!isSharded(name)) return [docFile(name)];
  let shards: string[] = [];
  try {
    shards = readdirSync(join(root, shardDir(name)))
      .filter((f) => f.endsWith('.json') && SHARD_KEY.test(f.slice(0, -5)))
      .sort()
      .map((f) => `${shardDir(name)}/${f}`);
  } catch {
    // no shard yet
  }
  return existsSync(join(root, docFile(name))) ? [docFile(name), ...shards] : shards;
}

export function emptyDoc(): { version: 1; records: never[] } {
  return { version: 1, records: [] };
}

/** What is wrong when a shard holds a record of another shard (a file edited or moved by hand), or null. */
export function strayRecord(name: DocName, shard: string, records: readonly { id: string }[]): string | null {
  const keyOf = DOCUMENTS[name].shard!;
  const stray = records.find((r) => keyOf(r as { id: string } & Record<string, unknown>) !== shard);
  return stray ? `record ${stray.id} belongs in ${shardFile(name, keyOf(stray as { id: string } & Record<string, unknown>))}, not in this shard` : null;
}
