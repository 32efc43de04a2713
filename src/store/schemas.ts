import * as z from 'zod';
import { CATEGORIES, FACT_CATEGORIES, JOB_NAMES, PROVENANCES, SIGNALS, SOURCES } from './vocabulary.js';

/**
 * Every store document is `{ version, records }`, each record keyed by a string `id`.
 * One shape lets counting, record-level revert and doctor work on any document.
 */
const iso = z.string().min(10);

export const fateSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('opened'), incident: z.string() }),
  z.strictObject({ kind: z.literal('counted'), incident: z.string() }),
  z.strictObject({ kind: z.literal('journal') }),
  z.strictObject({ kind: z.literal('blocked'), rule: z.string() }),
  z.strictObject({ kind: z.literal('rejected'), reason: z.string() }),
  /** A failure that is not a mistake to learn from (declined, a probe, a red test run...): counted, never reviewed. */
  z.strictObject({ kind: z.literal('noise'), reason: z.string(), why: z.string().optional() }),
]);

export const eventSchema = z.object({
  id: z.string().min(1),
  time: iso,
  source: z.enum(SOURCES),
  /** Hook event name (PostToolUseFailure, Stop, ...) or report kind (quality, breaker, task). */
  kind: z.string(),
  session: z.string().optional(),
  agent: z.string().optional(),
  tool: z.string().optional(),
  /** The file or command the call worked on. */
  target: z.string().optional(),
  ok: z.boolean().optional(),
  durationMs: z.number().optional(),
  error: z.string().optional(),
  fingerprint: z.string().optional(),
  category: z.string().optional(),
  fate: fateSchema,
});

export const incidentStatus = z.enum(['new', 'analyzed', 'proposed', 'ruled', 'skilled', 'dismissed']);

export const incidentSchema = z.object({
  id: z.string().regex(/^\d{4}-\d{2}-\d{2}-[0-9a-f]{4,}$/),
  fingerprint: z.string().min(1),
  /** The normalised error the fingerprint was made from, readable. */
  signature: z.string(),
  category: z.string(),
  /** `category:entity` (see detect/cause.ts): incidents with the same key are the same mistake. */
  key: z.string().optional(),
  signal: z.enum(SIGNALS),
  tool: z.string(),
  sample: z.object({
    error: z.string(),
    target: z.string().optional(),
    session: z.string().optional(),
    event: z.string(),
    time: iso,
  }),
  count: z.number().int().min(1),
  sessions: z.array(z.string()),
  firstSeen: iso,
  lastSeen: iso,
  recurring: z.boolean(),
  status: incidentStatus,
  rules: z.array(z.string()).default([]),
  skills: z.array(z.string()).default([]),
  reopened: z.number().int().min(0).default(0),
  /** When it last came under a rule or skill (status ruled or skilled): a failure before this does not reopen it. */
  coveredSince: iso.optional(),
  dismissedReason: z.string().optional(),
  /** The latest analysis: what happened, why, and what was decided. */
  analysis: z
    .object({
      at: iso,
      analyst: z.string(),
      what: z.string(),
      why: z.string(),
      seenBefore: z.boolean(),
      decision: z.enum(['propose', 'link', 'skill-gap', 'dismiss']),
      detail: z.string(),
      rule: z.string().optional(),
    })
    .optional(),
  /** Occurrences per day (YYYY-MM-DD), kept for 60 days: trends and before/after comparisons. */
  daily: z.record(z.string(), z.number().int().min(0)).default({}),
});

export const telemetryDaySchema = z.object({
  /** YYYY-MM-DD, local day of the event. */
  id: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  calls: z.record(z.string(), z.number().int().min(0)),
  failures: z.record(z.string(), z.number().int().min(0)),
  /** Failures of noisy categories (interrupts, ...): counted, but they open no incident. */
  noisy: z.record(z.string(), z.number().int().min(0)).default({}),
});

export const sessionSchema = z.object({
  id: z.string().min(1),
  /** How nevo learnt of the session: live hooks, or an imported transcript. */
  source: z.enum(SOURCES),
  firstSeen: iso,
  lastSeen: iso,
  events: z.number().int().min(0),
  calls: z.number().int().min(0),
  failures: z.number().int().min(0),
  cwd: z.string().optional(),
  ended: z.boolean().default(false),
  /** The transcript its hooks named (`transcript_path`): read while the session is open, when the capture is by turn. */
  transcript: z.string().optional(),
  /** Its prompts came from the UserPromptSubmit hook: a transcript read does not add them again. */
  livePrompts: z.boolean().optional(),
});

export const importSchema = z.object({
  /** Absolute path of the transcript file. */
  id: z.string().min(1),
  session: z.string().optional(),
  /** Lines already turned into events; a transcript that grew is read on from here. */
  lines: z.number().int().min(0),
  /** Its size when last read. */
  bytes: z.number().int().min(0),
  /** Where those lines end, in bytes: a read of what was appended starts here. */
  offset: z.number().int().min(0).optional(),
  events: z.number().int().min(0),
  importedAt: iso,
});

export const rejectionSchema = z.object({
  /** The reason, such as `invalid JSON` or `unknown event Foo`. */
  id: z.string(),
  count: z.number().int().min(0),
  last: iso,
});

export const ledgerEntrySchema = z.object({
  id: z.string().min(1),
  time: iso,
  /** Which external command: the analyst today; summarizer and skill writer later. */
  kind: z.string(),
  command: z.string(),
  ms: z.number().min(0),
  bytesIn: z.number().int().min(0),
  bytesOut: z.number().int().min(0),
  tokensIn: z.number().int().min(0).optional(),
  tokensOut: z.number().int().min(0).optional(),
  ok: z.boolean(),
  error: z.string().optional(),
  subject: z.string().optional(),
});

export const blockTallySchema = z.object({
  /** The rule whose guard blocked calls. */
  id: z.string(),
  count: z.number().int().min(0),
  last: iso,
  daily: z.record(z.string(), z.number().int().min(0)).default({}),
});

export const loadTallySchema = z.object({
  /** The rule whose exported file Claude Code loaded (its InstructionsLoaded hook event). */
  id: z.string(),
  count: z.number().int().min(0),
  first: iso,
  last: iso,
  /** Why it was loaded, counted: session_start, path_glob_match, nested_traversal, include, compact. */
  reasons: z.record(z.string(), z.number().int().min(0)).default({}),
  lastSession: z.string().optional(),
});

export const sequenceSchema = z.object({
  /** An id prefix such as PROJ or AGENT: the highest number ever handed out, so ids are never reused. */
  id: z.string(),
  last: z.number().int().min(0),
});



export const factSchema = z.object({
  /** The first 16 hex digits of the SHA-256 of the normalised statement: the same fact twice is one record. */
  id: z.string().regex(/^[0-9a-f]{16}$/),
  statement: z.string().min(1),
  category: z.enum(FACT_CATEGORIES),
  /** Where it was seen first: the session and the line of its journal (or transcript). */
  source: z.object({
    session: z.string().optional(),
    line: z.number().int().min(0).optional(),
    /** Which extractor found it: prompt, command, lesson, incident, external, manual. */
    by: z.string(),
  }),
  confidence: z.number().min(0).max(1),
  created: iso,
  lastConfirmed: iso,
  /** When it leaves the live store; null: permanent. */
  expires: iso.nullable(),
  /** How many sessions it was seen in. */
  seen: z.number().int().min(1).default(1),
  /** The latest sessions that confirmed it (at most 50): a session read again confirms nothing new. */
  sessions: z.array(z.string()).default([]),
  pinned: z.boolean().default(false),
  /** Never recall: kept, but left out of search results unless asked for. */
  hidden: z.boolean().default(false),
  /** Missing on facts written before provenance was kept: read from `source.by` (see provenanceOf). */
  provenance: z.enum(PROVENANCES).optional(),
  /** A preference or lesson not from a person: waits in review, never recalled until approved. */
  pending: z.boolean().optional(),
  /**
   * What the finder knew beside the statement, as flat values: a self-review finding carries the
   * error type, fingerprint, occurrences, sessions and the rule proposed for it. Replaced, not
   * merged, when the fact is confirmed again, so it always tells the latest counts.
   */
  meta: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
});

export const narrativeSchema = z.object({
  /** The session id. */
  id: z.string().min(1),
  /** The Markdown file under journal/narratives/ (a path anywhere else is refused: forget deletes it). */
  file: z.string().regex(/^journal\/narratives\/\d{4}-\d{2}-\d{2}\/[A-Za-z0-9._~-]+\.md$/, 'a path like journal/narratives/2026-11-21/<session>.md'),
  title: z.string(),
  /** Short searchable text: intent, files, failures, lessons. */
  summary: z.string(),
  start: iso,
  end: iso,
  calls: z.number().int().min(0),
  failures: z.number().int().min(0),
  files: z.array(z.string()).default([]),
  /** Bytes of the journal (or transcript) it was made from, and of the narrative. */
  bytesIn: z.number().int().min(0),
  bytesOut: z.number().int().min(0),
  by: z.string(),
  builtAt: iso,
  pinned: z.boolean().default(false),
  hidden: z.boolean().default(false),
});

export const digestSchema = z.object({
  /** `weekly:2026-W47` or `monthly:2026-11`. */
  id: z.string().regex(/^(weekly:\d{4}-W\d{2}|monthly:\d{4}-\d{2})$/),
  period: z.enum(['weekly', 'monthly']),
  file: z.string().regex(/^journal\/digests\/(weekly\/\d{4}-W\d{2}|monthly\/\d{4}-\d{2})\.md$/, 'a path like journal/digests/weekly/2026-W47.md'),
  title: z.string(),
  summary: z.string(),
  /** First and last day covered (YYYY-MM-DD). */
  from: z.string(),
  to: z.string(),
  /** Sessions folded in, directly or through the weeklies it holds. */
  sessions: z.array(z.string()).default([]),
  /** Weekly digests a monthly one folded in. */
  weeklies: z.array(z.string()).default([]),
  calls: z.number().int().min(0).default(0),
  failures: z.number().int().min(0).default(0),
  /** Files changed, with how many sessions changed each (the most changed kept). */
  files: z.record(z.string(), z.number().int()).default({}),
  /** Failures named in the narratives, with how often (the most frequent kept). */
  failed: z.record(z.string(), z.number().int()).default({}),
  lessons: z.array(z.string()).default([]),
  /** One line per session (weekly) or per week (monthly). */
  lines: z.array(z.string()).default([]),
  builtAt: iso,
  pinned: z.boolean().default(false),
  hidden: z.boolean().default(false),
});

export const fitnessSchema = z.object({
  /** The day of the snapshot (YYYY-MM-DD): one per day, a later run that day replaces it. */
  id: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  at: iso,
  incidents: z.object({ open: z.number().int(), closed: z.number().int(), total: z.number().int() }),
  rules: z.object({ active: z.number().int(), proposed: z.number().int(), total: z.number().int() }),
  skills: z.number().int(),
  facts: z.number().int(),
  narratives: z.number().int(),
  digests: z.number().int(),
  /** Failed tool calls / tool calls over the last 7 days (0 when there were none). */
  failureRate: z.number().min(0).max(1),
  calls: z.number().int(),
  failures: z.number().int(),
});

export const tombstoneSchema = z.object({
  /** `fact:<hash>` or `session:<id>`: what a person forgot, so no extractor or narrator brings it back. */
  id: z.string().regex(/^(fact|session):.+$/),
  at: iso,
});

export const skillStatus = z.enum(['draft', 'active', 'inactive', 'ineffective']);

/** One skill of the workspace's skills/ that was approved (or deliberately kept as a draft). */
export const skillRecordSchema = z.object({
  /** The skill's name: its folder in skills/ and in the project's .claude/skills/ (never a path). */
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'a skill name: lowercase letters, digits and single hyphens').max(64),
  /** When the record was made, and why the skill exists. */
  created: iso,
  reason: z.string().default(''),
  /** The incident fingerprints the skill answers. */
  fingerprints: z.array(z.string()).default([]),
  status: skillStatus,
  /** sha256 of the skill's files (sorted relative paths and contents) as last deployed. */
  hash: z.string().nullable().default(null),
  /** When it was last deployed to .claude/skills/ (recurrence is counted from that day). */
  deployed: iso.optional(),
  /** When it was deactivated, and why. */
  deactivated: iso.optional(),
  deactivatedReason: z.string().optional(),
  /** When it was flagged ineffective: its fingerprints kept recurring after deploy. */
  flagged: iso.optional(),
});

export const jobOutcome = z.enum(['ok', 'failed']);

/** One finished run of a job: the Jobs screen lists the latest ones. */
export const jobRunSchema = z.object({
  at: iso,
  durationMs: z.number().int().min(0),
  outcome: jobOutcome,
  /** What started it: its time came, catch-up at start, a person, a file change. */
  reason: z.enum(['schedule', 'catch-up', 'manual', 'change']),
  /** One line: what it did, or why it failed. */
  summary: z.string(),
  /** Which process ran it, e.g. `daemon pid 4242 on host`. */
  by: z.string(),
});

/** One scheduled job: its latest runs, and the run in progress (so no second process starts it). */
export const jobSchema = z.object({
  id: z.enum(JOB_NAMES),
  /** When the latest run began, and how it went. */
  lastRun: iso.optional(),
  durationMs: z.number().int().min(0).optional(),
  outcome: jobOutcome.optional(),
  error: z.string().optional(),
  summary: z.string().default(''),
  runs: z.number().int().min(0).default(0),
  /** The latest runs, newest first (at most 20). */
  recent: z.array(jobRunSchema).default([]),
  /** Set while a process runs it; a run whose process is gone is taken over. */
  running: z.object({ pid: z.number().int(), host: z.string(), since: iso, by: z.string() }).optional(),
});

function collection<T extends z.ZodType>(record: T) {
  return z.object({ version: z.literal(1), records: z.array(record) });
}

export const documentSchemas = {
  events: collection(eventSchema),
  incidents: collection(incidentSchema),
  telemetry: collection(telemetryDaySchema),
  rejections: collection(rejectionSchema),
  sessions: collection(sessionSchema),
  imports: collection(importSchema),
  ledger: collection(ledgerEntrySchema),
  blocks: collection(blockTallySchema),
  loads: collection(loadTallySchema),
  sequences: collection(sequenceSchema),
  facts: collection(factSchema),
  narratives: collection(narrativeSchema),
  digests: collection(digestSchema),
  fitness: collection(fitnessSchema),
  forgotten: collection(tombstoneSchema),
  skills: collection(skillRecordSchema),
  jobs: collection(jobSchema),
} as const;

export type DocName = keyof typeof documentSchemas;
export type Doc<N extends DocName> = z.infer<(typeof documentSchemas)[N]>;
/** One record of a document. */
export type RecordOf<N extends DocName> = Doc<N>['records'][number];
export type EventRecord = z.infer<typeof eventSchema>;
export type Fate = z.infer<typeof fateSchema>;
export type Incident = z.infer<typeof incidentSchema>;
export type TelemetryDay = z.infer<typeof telemetryDaySchema>;
export type SessionRecord = z.infer<typeof sessionSchema>;
export type ImportRecord = z.infer<typeof importSchema>;
export type LedgerEntry = z.infer<typeof ledgerEntrySchema>;
export type Rejection = z.infer<typeof rejectionSchema>;
export type BlockTally = z.infer<typeof blockTallySchema>;
export type LoadTally = z.infer<typeof loadTallySchema>;
export type Fact = z.infer<typeof factSchema>;
export type Narrative = z.infer<typeof narrativeSchema>;
export type Digest = z.infer<typeof digestSchema>;
export type FitnessSnapshot = z.infer<typeof fitnessSchema>;
export type Tombstone = z.infer<typeof tombstoneSchema>;
export type Sequence = z.infer<typeof sequenceSchema>;
export type SkillRecord = z.infer<typeof skillRecordSchema>;
export type SkillStatus = z.infer<typeof skillStatus>;
export type JobRecord = z.infer<typeof jobSchema>;
export type JobRun = z.infer<typeof jobRunSchema>;
