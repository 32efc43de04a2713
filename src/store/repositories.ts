import { byIdOrPrefix } from '../util/by-id.js';
import type { BlockTally, Digest, Doc, DocName, EventRecord, Fact, FitnessSnapshot, ImportRecord, Incident, JobRecord, LedgerEntry, LoadTally, Narrative, RecordOf, Rejection, Sequence, SessionRecord, SkillRecord, TelemetryDay, Tombstone } from './schemas.js';

/**
 * Record-level repositories: the one way the layers above reach the records of a store document.
 * They ask for a record, some records or an answer (`incidents.resolve(ref)`, `events.recent(n)`)
 * and, inside a transaction, change records (`upsert`, `update`, `remove`, `append`), each change
 * marking its document for writing. How the records are kept (one file, or monthly shards) is
 * known only here and in the rest of `src/store/`.
 *
 * - `store.<name>` reads a validated snapshot, without the lock (writers replace files atomically).
 * - `store.shared.<name>` reads the shared snapshot of `Store.readShared`: for a view that reloads
 *   after every event; what it gives must not be changed.
 * - `tx.<name>` reads and changes the transaction's working copy, re-read under the lock.
 *
 * A record given inside a transaction is the working copy itself: it is changed through `update`,
 * or changed in place and handed back with `upsert`, so that its document is marked changed.
 * An array a repository gives is always a new one: pushing into it or splicing it changes nothing.
 */

interface Keyed {
  id: string;
}

/** Where a repository's records come from: a snapshot, or a transaction's working copy. */
export type Load<R extends Keyed> = () => Promise<{ records: R[] }>;
/**
 * Marks the document changed by `changes` records (batched commits count them); `records` names
 * them, so that a sharded document writes only their shards.
 */
export type Touch = (changes: number, records?: readonly Keyed[]) => void;

/**
 * The working copy or snapshot holding the records whose `field` is one of `values`: for a
 * sharded document only the shards that hold them (`Store.shardsWith`), every record otherwise.
 */
export type Lookup<R extends Keyed> = (field: IndexedField, values: readonly string[]) => Promise<{ records: R[] }>;
/** The fields a sharded document's records are found by without reading every shard. */
export type IndexedField = 'id' | 'fingerprint';

/** The reads every document offers. */
export class Records<R extends Keyed> {
  constructor(
    protected readonly load: Load<R>,
    private readonly lookup: Lookup<R> = () => load(),
  ) {}

  /**
   * The records whose `field` is one of `values`, in the document's order, reading only the months
   * that hold them: what a change of a few sessions or facts reads instead of the year.
   */
  async having(field: IndexedField, values: readonly string[]): Promise<R[]> {
    if (!values.length) return [];
    const wanted = new Set(values);
    return (await this.lookup(field, [...wanted])).records.filter((r) => wanted.has(String((r as unknown as Record<string, unknown>)[field])));
  }

  /** Every record in the document's order, or those `filter` keeps. */
  async list(filter?: (record: R) => boolean): Promise<R[]> {
    const records = (await this.load()).records;
    return filter ? records.filter(filter) : [...records];
  }

  /** The record with this id. */
  async get(id: string): Promise<R | undefined> {
    return (await this.load()).records.find((r) => r.id === id);
  }

  /** How many records there are. */
  async count(): Promise<number> {
    return (await this.load()).records.length;
  }
}

/**
 * The working copy holding at least these records' places (for a sharded document, their shards
 * only, when nothing asked for the whole); the others may be missing from it.
 */
export type LoadFor<R extends Keyed> = (records: readonly Keyed[]) => Promise<{ records: R[] }>;

/** The working copy holding at least these shards (by key) of a sharded document; all of them for null. */
export type LoadShards<R extends Keyed> = (keys: ReadonlySet<string> | null) => Promise<{ records: R[] }>;

/** The reads, and the changes a transaction makes one record at a time. */
export class Table<R extends Keyed> extends Records<R> {
  constructor(
    load: Load<R>,
    protected readonly touch: Touch,
    protected readonly loadFor: LoadFor<R> = load,
    private readonly loadShards: LoadShards<R> = load,
    lookup?: Lookup<R>,
  ) {
    super(load, lookup);
  }

  /**
   * The records of these shards (`Store.shardsWith` names them), and any others the change already
   * read; every record for null or for a document kept in one file. What a change that needs a
   * few months reads instead of the year.
   */
  async inShards(keys: ReadonlySet<string> | null): Promise<R[]> {
    return [...(await this.loadShards(keys)).records];
  }

  /**
   * Puts each record in the place of the one with its id, or adds it at the end. `changes` is how
   * many record changes this stands for, when not one per record given (ingest counts every event
   * that changed a record). `movedFrom` names records as they were filed before a change in place
   * moved them to another shard.
   */
  async upsert(records: readonly R[], opts: { changes?: number; movedFrom?: readonly Keyed[] } = {}): Promise<void> {
    if (!records.length) return;
    const moved = opts.movedFrom ?? [];
    const doc = await this.loadFor(moved.length ? [...records, ...moved] : records);
    // A few records (a call's session, the day's telemetry) are looked for from the end, where the
    // recent ones are, instead of indexing a year of records for them.
    const at = records.length > 8 ? new Map(doc.records.map((r, i) => [r.id, i])) : null;
    const replaced: R[] = [];
    for (const record of records) {
      const i = at ? at.get(record.id) : lastIndexOfId(doc.records, record.id);
      if (i === undefined || i < 0) {
        at?.set(record.id, doc.records.length);
        doc.records.push(record);
      } else {
        if (doc.records[i] !== record) replaced.push(doc.records[i]!);
        doc.records[i] = record;
      }
    }
    // A record that moves to another shard (a session's first call came late, a narrative rebuilt
    // from a later start) leaves the one it was in: that shard is written too, without it. A record
    // replaced by a new one names its old place itself; one changed in place, through `movedFrom`.
    const places = [...records, ...replaced, ...moved];
    this.touch(opts.changes ?? records.length, places.length > records.length ? places : records);
  }

  /**
   * Changes the record with this id, in place or by returning its replacement; the record as it is
   * now, or undefined (and nothing changed) when there is none.
   */
  async update(id: string, change: (record: R) => R | void): Promise<R | undefined> {
    const doc = await this.load();
    const i = doc.records.findIndex((r) => r.id === id);
    if (i < 0) return undefined;
    const record = doc.records[i]!;
    const next = change(record) || record;
    doc.records[i] = next;
    this.touch(1, next === record ? [next] : [record, next]);
    return next;
  }

  /** Takes out the records with these ids, or those `which` picks; returns what it took out. */
  async remove(which: Iterable<string> | ((record: R) => boolean)): Promise<R[]> {
    const doc = await this.load();
    const ids = typeof which === 'function' ? null : new Set(which);
    const gone = (r: R) => (ids ? ids.has(r.id) : (which as (record: R) => boolean)(r));
    const removed = doc.records.filter(gone);
    if (!removed.length) return [];
    doc.records = doc.records.filter((r) => !gone(r));
    this.touch(removed.length, removed);
    return removed;
  }
}

const INCIDENTS_LISTED = '`nevo-tui incidents --all`';

/** The incident whose id is `ref`, or the only one whose id starts with it; a UserError otherwise. */
function resolveIncident(incidents: readonly Incident[], ref: string): Incident {
  return byIdOrPrefix(incidents, ref, 'incident', INCIDENTS_LISTED);
}

export class IncidentRecords extends Records<Incident> {
  constructor(
    load: Load<Incident>,
    private readonly loadFor: LoadFor<Incident> = load,
    lookup?: Lookup<Incident>,
  ) {
    super(load, lookup);
  }

  /** The incidents of these fingerprints, in the document's order, reading only the months that hold them. */
  withFingerprints(fingerprints: readonly string[]): Promise<Incident[]> {
    return this.having('fingerprint', fingerprints);
  }

  /** The incident with this id, read from its month. */
  override async get(id: string): Promise<Incident | undefined> {
    return (await this.withIds([id]))[0];
  }

  /** The incidents with these ids, in the document's order, reading only their months (see `IncidentTable.withIds`). */
  async withIds(ids: readonly string[]): Promise<Incident[]> {
    const wanted = new Set(ids);
    return (await this.loadFor([...wanted].map((id) => ({ id })))).records.filter((r) => wanted.has(r.id));
  }

  /** The incident a person named (its id, or a prefix only it has), or each of several; a UserError for one that names none. */
  resolve(ref: string): Promise<Incident>;
  resolve(refs: readonly string[]): Promise<Incident[]>;
  async resolve(refs: string | readonly string[]): Promise<Incident | Incident[]> {
    const list = typeof refs === 'string' ? [refs] : refs;
    // Whole ids (what ingest hands the analyst) are read from their months; a prefix needs them all.
    const named = list.every((ref) => INCIDENT_ID.test(ref)) ? await this.withIds(list) : [];
    const records = named.length === new Set(list).size ? named : (await this.load()).records;
    return typeof refs === 'string' ? resolveIncident(records, refs) : refs.map((ref) => resolveIncident(records, ref));
  }
}

const INCIDENT_ID = /^\d{4}-\d{2}-\d{2}-[0-9a-f]{4,}$/;

export class IncidentTable extends Table<Incident> {
  /** The incidents of these fingerprints, in the document's order, reading only the months that hold them. */
  withFingerprints(fingerprints: readonly string[]): Promise<Incident[]> {
    return this.having('fingerprint', fingerprints);
  }

  /** The incident with this id, read from its month. */
  override async get(id: string): Promise<Incident | undefined> {
    return (await this.withIds([id]))[0];
  }

  /** The incident a person named: its id, or a prefix only it has (a UserError otherwise). */
  async resolve(ref: string): Promise<Incident> {
    return resolveIncident((await this.load()).records, ref);
  }

  /**
   * The incidents with these ids, in the document's order. An incident's shard follows from its
   * id, so only their shards are read: a rule's review reads a month or two, not the year.
   */
  async withIds(ids: readonly string[]): Promise<Incident[]> {
    const wanted = new Set(ids);
    return (await this.loadFor([...wanted].map((id) => ({ id })))).records.filter((r) => wanted.has(r.id));
  }
}

/**
 * The incidents a rule's links name: found by id, reading only their months; by fingerprint, in
 * the months that hold it, when an id no longer names its incident (renumbered by a team sync).
 */
export async function linkedIncidents(
  incidents: { withIds(ids: readonly string[]): Promise<Incident[]>; withFingerprints(fingerprints: readonly string[]): Promise<Incident[]> },
  links: readonly { id: string; fingerprint: string }[],
): Promise<Incident[]> {
  const fingerprints = new Set(links.map((l) => l.fingerprint));
  const named = (await incidents.withIds(links.map((l) => l.id))).filter((i) => fingerprints.has(i.fingerprint));
  if (new Set(named.map((i) => i.fingerprint)).size === fingerprints.size) return named;
  // Some link's id names no incident of its fingerprint: those are found by fingerprint, in the months that hold them.
  const found = new Set(named.map((i) => i.fingerprint));
  const ids = new Set(named.map((i) => i.id));
  const more = (await incidents.withFingerprints([...fingerprints].filter((f) => !found.has(f)))).filter((i) => !ids.has(i.id));
  return [...named, ...more];
}

/** The recent events with their fates (the raw journal keeps every event; the store the latest). */
export class EventRecords extends Records<EventRecord> {
  /** The latest `n` events, oldest first. */
  async recent(n: number): Promise<EventRecord[]> {
    return n > 0 ? (await this.load()).records.slice(-n) : [];
  }

  /** The latest `n` events of one fingerprint (an incident's occurrences), oldest first. */
  async withFingerprint(fingerprint: string, n: number): Promise<EventRecord[]> {
    return n > 0 ? (await this.load()).records.filter((e) => e.fingerprint === fingerprint).slice(-n) : [];
  }
}

export class EventLog extends EventRecords {
  constructor(
    load: Load<EventRecord>,
    private readonly touch: Touch,
  ) {
    super(load);
  }

  /** Adds events after the others, then keeps only the latest `keep`. */
  async append(events: readonly EventRecord[], opts: { keep: number }): Promise<void> {
    if (!events.length) return;
    const doc = await this.load();
    doc.records.push(...events);
    const extra = doc.records.length - opts.keep;
    const dropped = extra > 0 ? doc.records.splice(0, extra) : [];
    this.touch(events.length, [...events, ...dropped]);
  }
}

/** What a person forgot (`fact:<id>`, `session:<id>`): never extracted or narrated again. */
export class TombstoneRecords extends Records<Tombstone> {
  /** The ids of every tombstone. */
  async ids(): Promise<Set<string>> {
    return new Set((await this.load()).records.map((t) => t.id));
  }
}

export class TombstoneTable extends Table<Tombstone> {
  /** The ids of every tombstone. */
  async ids(): Promise<Set<string>> {
    return new Set((await this.load()).records.map((t) => t.id));
  }

  /** Leaves a tombstone, dated `at`, for each id that has none yet; returns the ids it added. */
  async add(ids: Iterable<string>, at: string): Promise<string[]> {
    const known = await this.ids();
    const fresh = [...new Set(ids)].filter((id) => !known.has(id));
    await this.upsert(fresh.map((id) => ({ id, at })));
    return fresh;
  }
}

/** The skill inventory, kept in the order of the skills' names. */
export class SkillTable extends Table<SkillRecord> {
  /** As every table's, and a skill added takes its place by name. */
  override async upsert(records: readonly SkillRecord[], opts: { changes?: number } = {}): Promise<void> {
    const doc = await this.load();
    const before = doc.records.length;
    await super.upsert(records, opts);
    if (doc.records.length !== before) doc.records.sort((a, b) => a.id.localeCompare(b.id));
  }
}

/**
 * Every document's reads, over some way of reading a document: `Store` reads a fresh snapshot,
 * `store.shared` the shared one.
 */
export abstract class DocumentReads {
  /** A validated snapshot of a document. */
  protected abstract snapshot<N extends DocName>(name: N): Promise<Doc<N>>;
  /** A snapshot with at least these records' places (for a sharded document, only their shards). */
  protected snapshotFor<N extends DocName>(name: N, _records: readonly Keyed[]): Promise<Doc<N>> {
    return this.snapshot(name);
  }

  /** A snapshot of the records whose `field` is one of `values` and maybe others (see `Lookup`); the whole document by default. */
  protected snapshotHaving<N extends DocName>(name: N, _field: IndexedField, _values: readonly string[]): Promise<Doc<N>> {
    return this.snapshot(name);
  }

  private lookup<N extends DocName>(name: N): Lookup<RecordOf<N>> {
    return (field, values) => this.snapshotHaving(name, field, values) as Promise<{ records: RecordOf<N>[] }>;
  }

  readonly incidents = new IncidentRecords(
    () => this.snapshot('incidents'),
    (records) => this.snapshotFor('incidents', records),
    this.lookup('incidents'),
  );
  readonly events = new EventRecords(() => this.snapshot('events'));
  readonly facts = new Records<Fact>(() => this.snapshot('facts'), this.lookup('facts'));
  readonly narratives = new Records<Narrative>(() => this.snapshot('narratives'), this.lookup('narratives'));
  readonly telemetry = new Records<TelemetryDay>(() => this.snapshot('telemetry'));
  readonly sessions = new Records<SessionRecord>(() => this.snapshot('sessions'), this.lookup('sessions'));
  readonly rejections = new Records<Rejection>(() => this.snapshot('rejections'));
  readonly blocks = new Records<BlockTally>(() => this.snapshot('blocks'));
  readonly loads = new Records<LoadTally>(() => this.snapshot('loads'));
  readonly digests = new Records<Digest>(() => this.snapshot('digests'));
  readonly fitness = new Records<FitnessSnapshot>(() => this.snapshot('fitness'));
  readonly forgotten = new TombstoneRecords(() => this.snapshot('forgotten'));
  readonly skills = new Records<SkillRecord>(() => this.snapshot('skills'));
  readonly jobs = new Records<JobRecord>(() => this.snapshot('jobs'));
  readonly imports = new Records<ImportRecord>(() => this.snapshot('imports'));
  readonly ledger = new Records<LedgerEntry>(() => this.snapshot('ledger'));
  readonly sequences = new Records<Sequence>(() => this.snapshot('sequences'));
}

/** Every document's reads and changes inside one transaction (`Transaction`). */
export abstract class DocumentTables {
  /** The transaction's working copy of a document, re-read under the lock. */
  abstract doc<N extends DocName>(name: N): Promise<Doc<N>>;
  /** Marks a document changed by `records` records; `changed` names them when known. */
  abstract touch(name: DocName, records?: number, changed?: readonly Keyed[]): void;
  /** The working copy with at least the places of these records (see `LoadFor`). */
  abstract docFor<N extends DocName>(name: N, records: readonly Keyed[]): Promise<Doc<N>>;

  private touches(name: DocName): Touch {
    return (changes, records) => this.touch(name, changes, records);
  }

  /** The working copy with at least these shards (see `LoadShards`). */
  abstract docInShards<N extends DocName>(name: N, keys: ReadonlySet<string> | null): Promise<Doc<N>>;

  /** The working copy holding at least the records whose `field` is one of `values` (see `Lookup`). */
  abstract docHaving<N extends DocName>(name: N, field: IndexedField, values: readonly string[]): Promise<Doc<N>>;

  /** A sharded document's table: it reads and writes only the shards a change needs. */
  private shardedTable<N extends 'incidents' | 'sessions' | 'facts' | 'narratives'>(name: N) {
    return [
      () => this.doc(name),
      this.touches(name),
      (records: readonly Keyed[]) => this.docFor(name, records),
      (keys: ReadonlySet<string> | null) => this.docInShards(name, keys),
      (field: IndexedField, values: readonly string[]) => this.docHaving(name, field, values),
    ] as unknown as [Load<RecordOf<N>>, Touch, LoadFor<RecordOf<N>>, LoadShards<RecordOf<N>>, Lookup<RecordOf<N>>];
  }

  readonly incidents = new IncidentTable(...this.shardedTable('incidents'));
  readonly events = new EventLog(() => this.doc('events'), this.touches('events'));
  readonly facts = new Table<Fact>(...this.shardedTable('facts'));
  readonly narratives = new Table<Narrative>(...this.shardedTable('narratives'));
  readonly telemetry = new Table<TelemetryDay>(() => this.doc('telemetry'), this.touches('telemetry'));
  readonly sessions = new Table<SessionRecord>(...this.shardedTable('sessions'));
  readonly rejections = new Table<Rejection>(() => this.doc('rejections'), this.touches('rejections'));
  readonly blocks = new Table<BlockTally>(() => this.doc('blocks'), this.touches('blocks'));
  readonly loads = new Table<LoadTally>(() => this.doc('loads'), this.touches('loads'));
  readonly digests = new Table<Digest>(() => this.doc('digests'), this.touches('digests'));
  readonly fitness = new Table<FitnessSnapshot>(() => this.doc('fitness'), this.touches('fitness'));
  readonly forgotten = new TombstoneTable(() => this.doc('forgotten'), this.touches('forgotten'));
  readonly skills = new SkillTable(() => this.doc('skills'), this.touches('skills'));
  readonly jobs = new Table<JobRecord>(() => this.doc('jobs'), this.touches('jobs'));
  readonly imports = new Table<ImportRecord>(() => this.doc('imports'), this.touches('imports'));
  readonly ledger = new Table<LedgerEntry>(() => this.doc('ledger'), this.touches('ledger'));
  readonly sequences = new Table<Sequence>(() => this.doc('sequences'), this.touches('sequences'));
}

/** The documents without a repository of their records in `T`. */
type Unserved<T> = { [N in DocName]: T extends { readonly [K in N]: Records<RecordOf<N>> } ? never : N }[DocName];
type None<T extends never> = T;
/** Every document has its repository, to read and in a transaction: the type check names one left out. */
export type EveryDocumentServed = None<Unserved<DocumentReads> | Unserved<DocumentTables>>;

/** The index of the last record with this id, or -1. */
function lastIndexOfId(records: readonly Keyed[], id: string): number {
  for (let i = records.length - 1; i >= 0; i--) if (records[i]!.id === id) return i;
  return -1;
}
