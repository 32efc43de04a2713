import { existsSync, promises as fs, readFileSync, statSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { Low } from 'lowdb';
import { atomicWriteFile } from '../util/atomic-write.js';
import { isInside } from '../util/inside.js';
import { lineColumn } from '../util/json.js';
import { AtomicJSONFile } from './json-file.js';
import { listFiles } from '../util/list-files.js';
import { pausePoint } from '../util/pause-point.js';
import { DOC_NAMES, DOCUMENTS, docFile, docFiles, docOfPath, emptyDoc, isDocName, isSharded, shardDir, strayRecord } from './documents.js';
import { markDirty, mergeShards, shardKey, shardText, shardWrites, type Keyed, type ShardedCopy } from './shards.js';
import { fileStamp, WrittenStamps } from './stamps.js';
import { incidentRow, IncidentRowFiles, type IncidentRow } from './incident-rows.js';
import { IncidentHeadFiles, incidentHead, joinHeads, type IncidentHead } from './incident-heads.js';
import { ShardValueFiles } from './shard-values.js';
import { checkHandedBack } from './check.js';
import { CorruptFileError, schemaError } from './errors.js';
import type { History } from './history.js';
import { LockLostError, withWorkspaceLock, type LockOptions, type LockPaths } from './lock.js';
import { DocumentReads, DocumentTables, type IndexedField } from './repositories.js';
import type { Doc, DocName, Incident, SessionRecord } from './schemas.js';

/**
 * The schemas, loaded the first time a file needs checking: a file this store wrote and nobody
 * touched since needs none, so most commands never build them (src/store/validate.ts).
 */
let validation: Promise<typeof import('./validate.js')> | null = null;
const checks = () => (validation ??= import('./validate.js'));

/** The files the store works with; workspace/layout.ts gives them their places. */
export interface StorePaths extends LockPaths {
  /** Pending batched changes not yet committed. */
  historyState: string;
  /** Where the stamps of the files it wrote are kept for the next process (a cache). */
  storeStamps: string;
}

/** The store's part of config.json. */
export interface StoreOptions {
  lock: LockOptions;
  history: { batchRecords: number; batchMinutes: number };
}

interface PendingBatch {
  paths: string[];
  records: number;
  since: string;
}

export interface CommitNote {
  area: string;
  what: string;
  refs?: string[];
}

export function formatMessage(note: CommitNote): string {
  const refs = note.refs?.filter(Boolean) ?? [];
  return `${note.area}: ${note.what}${refs.length ? ` (${refs.join(', ')})` : ''}`;
}

/**
 * One change of the workspace, made while holding the workspace lock. Its records are reached
 * through the repositories it carries (`tx.incidents`, `tx.events`, ...; `repositories.ts`).
 */
export class Transaction extends DocumentTables {
  // Each entry is a Low<Doc<N>> for its own N; the map cannot say so, hence `Low<unknown>`.
  readonly docs = new Map<DocName, Low<unknown>>();
  /** The sharded documents this change read, with the shards it changed. */
  readonly sharded = new Map<DocName, ShardedCopy>();
  readonly touched = new Map<DocName, number>();
  readonly files = new Map<string, string | null>();
  /** Files written with `batched`: committed with the next batch, like high-volume documents. */
  readonly batchedFiles = new Set<string>();
  /** Files written with `idempotent`: written first, outside the change's journal (see `writeFile`). */
  readonly idempotentFiles = new Set<string>();
  /** Files already on disk (written by hand, say) committed with this change as they are. */
  readonly staged = new Set<string>();
  note: CommitNote | null = null;
  forceCommit = false;

  constructor(private readonly store: Store) {
    super();
  }

  /** The current content of a document, re-read from disk inside the lock and validated. */
  async doc<N extends DocName>(name: N): Promise<Doc<N>> {
    if (isSharded(name)) {
      let copy = this.sharded.get(name);
      if (!copy) {
        copy = await this.store.openSharded(name);
        this.sharded.set(name, copy);
      } else if (copy.partial) await this.store.readMoreShards(name, copy, null);
      return copy.data as unknown as Doc<N>;
    }
    const cached = this.docs.get(name);
    if (cached) return cached.data as Doc<N>;
    const db = await this.store.openForChange(name);
    this.docs.set(name, db as Low<unknown>);
    return db.data;
  }

  async docFor<N extends DocName>(name: N, records: readonly Keyed[]): Promise<Doc<N>> {
    if (!isSharded(name)) return this.doc(name);
    return this.docInShards(name, new Set(records.map((r) => shardKey(name, r))));
  }

  async docHaving<N extends DocName>(name: N, field: IndexedField, values: readonly string[]): Promise<Doc<N>> {
    return this.docInShards(name, await this.store.shardsWith(name, field, values));
  }

  /** A sharded document's working copy holding at least the shards of `keys` (all of them when `keys` is null). */
  async docInShards<N extends DocName>(name: N, keys: ReadonlySet<string> | null): Promise<Doc<N>> {
    if (!isSharded(name) || !keys) return this.doc(name);
    let copy = this.sharded.get(name);
    if (!copy) {
      copy = await this.store.openSharded(name, keys);
      this.sharded.set(name, copy);
    } else if (copy.partial) await this.store.readMoreShards(name, copy, keys);
    return copy.data as unknown as Doc<N>;
  }

  /**
   * Marks a document changed by `records` record changes; only touched documents are written.
   * `changed` names the records, so that a sharded document writes only their shards.
   */
  touch(name: DocName, records = 1, changed?: readonly Keyed[]): void {
    this.touched.set(name, (this.touched.get(name) ?? 0) + records);
    const copy = this.sharded.get(name);
    if (copy) markDirty(copy, name, changed);
  }

  /**
   * Writes (or, with null, removes) a versioned file such as `rules/PROJ-001.md`; committed at once,
   * or with the next batch when `batched` (the raw journal, narratives).
   *
   * `idempotent` is for a file whose writing twice does no harm, such as the raw journal (a line
   * is never added twice): it is written before the documents and left out of the change's
   * journal, so a crash in between leaves it ahead, and the retry adds nothing to it. It is not
   * flushed to the disk on its own: a killed process still leaves the old or the new file.
   */
  writeFile(rel: string, content: string | null, opts: { batched?: boolean; idempotent?: boolean } = {}): void {
    this.files.set(rel, content);
    if (opts.batched) this.batchedFiles.add(rel);
    else this.batchedFiles.delete(rel);
    if (opts.idempotent) this.idempotentFiles.add(rel);
    else this.idempotentFiles.delete(rel);
  }

  private readonly disk = new Map<string, string>();

  /**
   * A workspace file's text as this change sees it: what `writeFile` gave it, else the file on
   * disk (read once per change; '' when there is none).
   */
  readText(rel: string): string {
    const pending = this.files.get(rel);
    if (pending !== undefined) return pending ?? '';
    let text = this.disk.get(rel);
    if (text === undefined) {
      try {
        text = readFileSync(join(this.store.layout.root, rel), 'utf8');
      } catch {
        text = '';
      }
      this.disk.set(rel, text);
    }
    return text;
  }

  /** What `writeFile` gave `rel` in this change (null: removed); undefined when it was not written. */
  pendingFile(rel: string): string | null | undefined {
    return this.files.get(rel);
  }

  /** Commits `rels` (workspace-relative files already on disk, or gone from it) with this change. */
  stage(rels: Iterable<string>): void {
    for (const rel of rels) this.staged.add(rel);
  }

  /** The commit message of this change: `<area>: <what> (<refs>)`. */
  message(area: string, what: string, refs?: string[]): void {
    this.note = { area, what, refs };
  }
}

/** Whether `rel` names a file strictly inside `root` (no absolute path, no way out with `..`). */
export function insideWorkspace(root: string, rel: string): boolean {
  if (!rel || isAbsolute(rel) || rel.includes('\0')) return false;
  return isInside(root, rel) && relative(resolve(root), resolve(root, rel)).split(/[\\/]/)[0] !== '.git';
}

/** Reads of the shared snapshots (`Store.readShared`). */
class SharedReads extends DocumentReads {
  constructor(private readonly store: Store) {
    super();
  }

  protected snapshot<N extends DocName>(name: N): Promise<Doc<N>> {
    return this.store.readShared(name);
  }

  protected override snapshotFor<N extends DocName>(name: N, records: readonly Keyed[]): Promise<Doc<N>> {
    return this.store.readSharedFor(name, records);
  }

  protected override async snapshotHaving<N extends DocName>(name: N, field: IndexedField, values: readonly string[]): Promise<Doc<N>> {
    const keys = await this.store.shardsWith(name, field, values);
    return keys ? this.store.readSharedShards(name, keys) : this.store.readShared(name);
  }
}

/** The fields ingest looks records up by (`shardsWith`): their values per shard are kept as shards are written. */
const INDEXED: Partial<Record<DocName, ShardIndexField[]>> = { incidents: ['fingerprint'], sessions: ['id', 'lastSeen'], facts: ['id'], narratives: ['id'] };

/** The fields the per-month index keeps: looked up by value, and the sessions' `lastSeen` by time. */
type ShardIndexField = IndexedField | 'lastSeen';

/**
 * What the index keeps of a field in one shard: every value, or of `lastSeen` the latest alone (the
 * sessions still open are looked for in the months that saw a session lately).
 */
function indexValues(records: readonly Keyed[], field: ShardIndexField): string[] {
  const values = records.map((r) => String((r as unknown as Record<string, unknown>)[field]));
  if (field !== 'lastSeen') return [...new Set(values)];
  let latest: string | undefined;
  for (const v of values) if (latest === undefined || Date.parse(v) > Date.parse(latest)) latest = v;
  return latest === undefined ? [] : [latest];
}

/**
 * The workspace's documents, history and lock. Records are read through the repositories it
 * carries (`store.incidents`, `store.events`, ...; `store.shared.*` for the shared snapshots) and
 * changed inside `transact`.
 */
export class Store extends DocumentReads {
  /** The same reads over the shared snapshots: for a view that reloads after every event. */
  readonly shared: DocumentReads = new SharedReads(this);
  private readonly unchanged = new Map<DocName, { stamp: string; doc: unknown }>();
  /**
   * Parsed shards a later change takes again while their file is unchanged: in a long-running
   * process (the TUI, the daemon) a change then parses only what another process wrote. A change
   * that fails forgets the shards of every document it read, as it may have changed them in place.
   */
  private readonly txShards = new Map<string, { stamp: string; records: Keyed[] }>();
  /** The same for the documents kept in one file. */
  private readonly txDocs = new Map<DocName, { stamp: string; data: unknown }>();
  /** The same for the shared snapshots (`readShared`), never handed to a change. */
  private readonly sharedShards = new Map<string, { stamp: string; records: Keyed[] }>();
  /** The incidents' rows of each shard while it is unchanged (`incidentRows`). */
  private readonly rowShards = new Map<string, { stamp: string; rows: IncidentRow[] }>();
  private readonly rowFiles: IncidentRowFiles;
  /** The heads of each shard while it is unchanged (`incidentHeads`), with when each was made. */
  private readonly headShards = new Map<string, { stamp: string; made: string; head: IncidentHead }>();
  private readonly headFiles: IncidentHeadFiles;
  /** The values of a field in each shard while it is unchanged (`shardsWith`), by field and shard. */
  private readonly valueShards = new Map<string, { stamp: string; values: ReadonlySet<string> }>();
  private readonly valueFiles: ShardValueFiles;

  constructor(
    readonly layout: StorePaths,
    private readonly config: StoreOptions,
    readonly history: History,
    private readonly now: () => Date,
  ) {
    super();
    this.rowFiles = new IncidentRowFiles(join(dirname(layout.storeStamps), 'incident-rows'));
    this.headFiles = new IncidentHeadFiles(join(dirname(layout.storeStamps), 'incident-heads'));
    this.valueFiles = new ShardValueFiles(join(dirname(layout.storeStamps), 'shard-values'));
  }

  protected snapshot<N extends DocName>(name: N): Promise<Doc<N>> {
    return this.read(name);
  }

  protected override async snapshotFor<N extends DocName>(name: N, records: readonly Keyed[]): Promise<Doc<N>> {
    if (!isSharded(name)) return this.read(name);
    const keys = new Set(records.map((r) => shardKey(name, r)));
    return { version: 1, records: (await this.readSharded(name, null, keys)).records } as unknown as Doc<N>;
  }

  path(name: DocName): string {
    return join(this.layout.root, docFile(name));
  }

  /** Reads and validates a document with lowdb; a broken file raises an error and is never written. */
  async open<N extends DocName>(name: N): Promise<Low<Doc<N>>> {
    const file = this.path(name);
    const rel = docFile(name);
    const db = new Low<Doc<N>>(new AtomicJSONFile<Doc<N>>(file), emptyDoc() as Doc<N>);
    const before = fileStamp(file);
    try {
      await db.read();
    } catch (err) {
      if (err instanceof SyntaxError) throw this.syntaxError(rel, file, err);
      throw err;
    }
    // A file this store wrote from validated data, unchanged since (same inode, size and times
    // before and after the read), needs no second check. Anything else written there, by hand or
    // by another process, is checked.
    if (before && this.stamps.isOwn(rel, before) && fileStamp(file) === before) return db;
    const parsed = (await checks()).documentSchemas[name].safeParse(db.data);
    if (!parsed.success) throw schemaError(rel, parsed.error.issues, db.data);
    db.data = parsed.data as Doc<N>;
    return db;
  }

  /** A change's working copy of a document kept in one file: parsed again only when another process wrote it. */
  async openForChange<N extends DocName>(name: N): Promise<Low<Doc<N>>> {
    const file = this.path(name);
    const stamp = fileStamp(file);
    const hit = this.txDocs.get(name);
    if (stamp && hit?.stamp === stamp) return new Low<Doc<N>>(new AtomicJSONFile<Doc<N>>(file), hit.data as Doc<N>);
    const db = await this.open(name);
    // Stamped before reading: a file replaced meanwhile is read again next time, never missed.
    if (stamp) this.txDocs.set(name, { stamp, data: db.data });
    else this.txDocs.delete(name);
    return db;
  }

  private syntaxError(rel: string, file: string, err: SyntaxError): CorruptFileError {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      // reported below without a position
    }
    const pos = /position (\d+)/.exec(err.message);
    const where = pos ? (({ line, column }) => ` at line ${line}, column ${column}`)(lineColumn(text, Number(pos[1]))) : '';
    return new CorruptFileError(rel, text.trim() === '' ? 'the file is empty, not a JSON document' : `not valid JSON${where} ($): ${err.message}`);
  }

  /**
   * Reads and validates one file of a sharded document: a shard, or the document's file of the
   * old layout. A missing file is an empty document.
   */
  private async parseFile<N extends DocName>(name: N, rel: string): Promise<Doc<N>> {
    const file = join(this.layout.root, rel);
    const before = fileStamp(file);
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return emptyDoc() as Doc<N>;
      throw err;
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (err) {
      throw this.syntaxError(rel, file, err as SyntaxError);
    }
    // As in `open`: a file this store wrote and nobody touched since needs no second check.
    if (before && this.stamps.isOwn(rel, before) && fileStamp(file) === before) return data as Doc<N>;
    const parsed = (await checks()).documentSchemas[name].safeParse(data);
    if (!parsed.success) throw schemaError(rel, parsed.error.issues, data);
    const shard = docOfPath(rel)?.shard;
    const stray = shard === undefined ? null : strayRecord(name, shard, parsed.data.records);
    if (stray) throw new CorruptFileError(rel, stray);
    return parsed.data as Doc<N>;
  }

  /**
   * A sharded document's records, in the order of its shards: from the file of the old layout
   * while there is one (it is the truth until its first change has written every shard and then
   * removed it), else from every shard, each taken from `cache` while its file is unchanged.
   */
  private async readSharded(name: DocName, cache: Map<string, { stamp: string; records: Keyed[] }> | null, keys?: ReadonlySet<string>): Promise<{ records: Keyed[]; read: Map<string, string>; legacy: boolean }> {
    const files = docFiles(this.layout.root, name);
    const legacy = files[0] === docFile(name);
    const read = new Map<string, string>();
    for (const rel of files) {
      const shard = docOfPath(rel)?.shard;
      if (shard !== undefined) read.set(shard, rel);
    }
    if (legacy) return { records: (await this.parseFile(name, docFile(name))).records as Keyed[], read, legacy };
    const records: Keyed[] = [];
    for (const [key, rel] of read) {
      if (keys && !keys.has(key)) continue;
      const stamp = fileStamp(join(this.layout.root, rel));
      const hit = cache?.get(rel);
      let part: Keyed[];
      if (stamp && hit?.stamp === stamp) part = hit.records;
      else {
        part = (await this.parseFile(name, rel)).records as Keyed[];
        // Stamped before reading: a file replaced meanwhile is read again next time, never missed.
        if (cache && stamp) cache.set(rel, { stamp, records: part });
      }
      for (const r of part) records.push(r);
    }
    return { records, read, legacy };
  }

  /**
   * A transaction's working copy of a sharded document, re-read under the lock: every shard, or
   * only those of `keys` (not when the document is still in its file of the old layout).
   */
  async openSharded(name: DocName, keys?: ReadonlySet<string>): Promise<ShardedCopy> {
    const { records, read, legacy } = await this.readSharded(name, this.txShards, keys);
    return { data: { version: 1, records }, read, legacy, dirty: new Set(), partial: keys && !legacy ? new Set(keys) : null };
  }

  /** Reads into a partial working copy the shards of `keys` it lacks, or all it lacks (null). */
  async readMoreShards(name: DocName, copy: ShardedCopy, keys: ReadonlySet<string> | null): Promise<void> {
    const held = copy.partial;
    if (!held) return;
    const missing = keys ? [...keys].filter((k) => !held.has(k)) : [...copy.read.keys()].filter((k) => !held.has(k));
    if (!missing.length && keys) return;
    const more = new Map<string, Keyed[]>();
    for (const key of missing) {
      const rel = copy.read.get(key);
      if (!rel) continue;
      const { records } = await this.readSharded(name, this.txShards, new Set([key]));
      more.set(key, records);
    }
    copy.data.records = mergeShards(name, copy.data.records, more);
    for (const key of missing) held.add(key);
    if (!keys) copy.partial = null;
  }

  /** A validated snapshot, read without the lock (writers replace files atomically). */
  async read<N extends DocName>(name: N): Promise<Doc<N>> {
    if (isSharded(name)) return { version: 1, records: (await this.readSharded(name, null)).records } as unknown as Doc<N>;
    return (await this.open(name)).data;
  }

  /**
   * How many records a document holds (`nevo-tui status`): a file the store wrote and nothing
   * touched since is counted from what was noted when it was written, any other is read.
   */
  async count(name: DocName): Promise<number> {
    const noted = (rel: string) => {
      const stamp = fileStamp(join(this.layout.root, rel));
      return { stamp, known: stamp ? this.stamps.countOf(rel, stamp) : undefined };
    };
    const files = docFiles(this.layout.root, name);
    if (!isSharded(name)) return noted(docFile(name)).known ?? (await this.read(name)).records.length;
    // Still in its file of the layout before shards: read as a whole.
    if (files[0] === docFile(name)) return (await this.read(name)).records.length;
    let n = 0;
    const learned: { rel: string; stamp: string; records: number }[] = [];
    for (const rel of files) {
      const { stamp, known } = noted(rel);
      const records = known ?? (await this.parseFile(name, rel)).records.length;
      if (stamp && known === undefined) learned.push({ rel, stamp, records });
      n += records;
    }
    await this.stamps.learnCounts(learned);
    return n;
  }

  /**
   * As `read`, but the previous result again while the file is unchanged (same inode, size and
   * times; writers replace files, so a change always shows): for a view that reloads after every
   * event, where parsing 10,000 incidents again would hold up the keys. The result is shared, so
   * it must not be changed.
   */
  async readShared<N extends DocName>(name: N): Promise<Doc<N>> {
    const stamp = isSharded(name) ? docStamp(this.layout.root, name) : fileStamp(this.path(name));
    const hit = this.unchanged.get(name);
    if (stamp && hit?.stamp === stamp) return hit.doc as Doc<N>;
    const doc = isSharded(name) ? ({ version: 1, records: (await this.readSharded(name, this.sharedShards)).records } as unknown as Doc<N>) : await this.read(name);
    // Stamped before reading: a file replaced meanwhile is read again next time, never missed.
    if (stamp) this.unchanged.set(name, { stamp, doc });
    else this.unchanged.delete(name);
    return doc;
  }

  /** As `readShared`, for the shards of these records only (the whole document when it is not sharded). */
  /** As `readShared`, for these shards only (by key). */
  async readSharedShards<N extends DocName>(name: N, keys: ReadonlySet<string>): Promise<Doc<N>> {
    return { version: 1, records: (await this.readSharded(name, this.sharedShards, keys)).records } as unknown as Doc<N>;
  }

  async readSharedFor<N extends DocName>(name: N, records: readonly Keyed[]): Promise<Doc<N>> {
    if (!isSharded(name)) return this.readShared(name);
    const keys = new Set(records.map((r) => shardKey(name, r)));
    return { version: 1, records: (await this.readSharded(name, this.sharedShards, keys)).records } as unknown as Doc<N>;
  }

  /**
   * Every incident's row (`IncidentRow`), in the document's order, without parsing the records of
   * a month nothing changed: a view lists a year of incidents from these, and reads a record
   * whole only when it is opened. The rows of each shard are kept by its stamp, in this process
   * and for the next one (`.cache/incident-rows/`).
   */
  async incidentRows(): Promise<IncidentRow[]> {
    const files = docFiles(this.layout.root, 'incidents');
    if (files[0] === docFile('incidents')) return (await this.readShared('incidents')).records.map(incidentRow);
    const rows: IncidentRow[] = [];
    for (const rel of files) {
      // Stamped before reading: rows of a file replaced meanwhile are kept under a stamp no file has.
      const stamp = fileStamp(join(this.layout.root, rel));
      if (!stamp) continue;
      for (const r of await this.rowsOf(rel, stamp)) rows.push(r);
    }
    return rows;
  }

  /** The rows of one incident shard as `stamp` shows it: held, saved, or made from its records (and its head with them). */
  private async rowsOf(rel: string, stamp: string): Promise<IncidentRow[]> {
    const held = this.rowShards.get(rel);
    let part = held?.stamp === stamp ? held.rows : this.rowFiles.read(rel, stamp);
    if (!part) {
      const parsed = this.sharedShards.get(rel);
      const records = parsed?.stamp === stamp ? (parsed.records as Incident[]) : (await this.parseFile('incidents', rel)).records;
      part = records.map(incidentRow);
      await this.rowFiles.write(rel, stamp, part);
      // The next first frame reads the head, not these rows: made while they are at hand.
      await this.makeHead(rel, stamp, part, this.now());
    }
    this.rowShards.set(rel, { stamp, rows: part });
    return part;
  }

  /**
   * The incidents' counts by status and the rows a first frame can show (`IncidentHead`), from
   * each month's head: the TUI's first frame reads a tenth of a heavy year's rows, and the rest
   * (`incidentRows`) after it. A month without a head of its stamp has its rows read, and its head
   * made and saved.
   */
  async incidentHeads(): Promise<IncidentHead> {
    const files = docFiles(this.layout.root, 'incidents');
    const now = this.now();
    if (files[0] === docFile('incidents')) return incidentHead(await this.incidentRows(), now);
    const heads: IncidentHead[] = [];
    for (const rel of files) {
      const stamp = fileStamp(join(this.layout.root, rel));
      if (!stamp) continue;
      const held = this.headShards.get(rel);
      const head = held?.stamp === stamp && held.made <= now.toISOString() ? held.head : this.headFiles.read(rel, stamp, now);
      heads.push(head ?? (await this.makeHead(rel, stamp, await this.rowsOf(rel, stamp), now)));
    }
    return joinHeads(heads);
  }

  /** The head of one shard's rows as of `now`, kept for this process and saved for the next. */
  private async makeHead(rel: string, stamp: string, rows: readonly IncidentRow[], now: Date): Promise<IncidentHead> {
    const head = incidentHead(rows, now);
    this.headShards.set(rel, { stamp, made: now.toISOString(), head });
    await this.headFiles.write(rel, stamp, now, head);
    return head;
  }

  /**
   * The shards (their keys) of a sharded document that hold a record whose `field` is one of
   * `values`, without parsing the months nothing changed (see `ShardValueFiles`); null while the
   * document is still in its one file of the old layout. A change that counts one failure or one
   * session's call reads those months and the current one, not the year.
   */
  protected override async snapshotHaving<N extends DocName>(name: N, field: IndexedField, values: readonly string[]): Promise<Doc<N>> {
    const keys = await this.shardsWith(name, field, values);
    return keys ? ({ version: 1, records: (await this.readSharded(name, null, keys)).records } as unknown as Doc<N>) : this.read(name);
  }

  /** The values `shardsWith` looks for in a shard just written, kept as it is written: the next change finds them without parsing it. */
  private async noteValues(name: DocName, rel: string, stamp: string, records: readonly Keyed[]): Promise<void> {
    for (const field of INDEXED[name] ?? []) {
      const values = new Set(indexValues(records, field));
      this.valueShards.set(`${field}:${rel}`, { stamp, values });
      await this.valueFiles.write(rel, field, stamp, [...values]);
    }
  }

  async shardsWith(name: DocName, field: IndexedField, values: Iterable<string>): Promise<Set<string> | null> {
    const wanted = [...new Set(values)];
    if (!wanted.length) return docFiles(this.layout.root, name)[0] === docFile(name) ? null : new Set();
    return this.shardsWhere(name, field, (held) => wanted.some((v) => held.has(v)));
  }

  /**
   * The sessions seen since `since` (the open ones are among them), read from the months whose
   * latest session was seen since then, not from the year's: ingest looks for the transcripts of
   * open sessions at every run.
   */
  async sessionsSeenSince(since: Date): Promise<SessionRecord[]> {
    const at = since.getTime();
    const seen = (s: SessionRecord) => Date.parse(s.lastSeen) >= at;
    const keys = await this.shardsWhere('sessions', 'lastSeen', (latest) => [...latest].some((v) => Date.parse(v) >= at));
    return (keys ? (await this.readSharedShards('sessions', keys)).records : (await this.readShared('sessions')).records).filter(seen);
  }

  /** The shards (keys) whose index of `field` passes `test`; null while the document is in its one file of the old layout. */
  private async shardsWhere(name: DocName, field: ShardIndexField, test: (held: ReadonlySet<string>) => boolean): Promise<Set<string> | null> {
    const files = docFiles(this.layout.root, name);
    if (files[0] === docFile(name)) return null;
    const found = new Set<string>();
    for (const rel of files) {
      const shard = docOfPath(rel)?.shard;
      // Stamped before reading: values of a file replaced meanwhile are kept under a stamp no file has.
      const stamp = fileStamp(join(this.layout.root, rel));
      if (shard === undefined || !stamp) continue;
      const memo = `${field}:${rel}`;
      let values = this.valueShards.get(memo)?.stamp === stamp ? this.valueShards.get(memo)!.values : undefined;
      if (!values) {
        const saved = this.valueFiles.read(rel, field, stamp);
        if (saved) values = new Set(saved);
        else {
          const parsed = this.txShards.get(rel);
          const records = parsed?.stamp === stamp ? parsed.records : (await this.parseFile(name, rel)).records;
          values = new Set(indexValues(records, field));
          await this.valueFiles.write(rel, field, stamp, [...values]);
        }
        this.valueShards.set(memo, { stamp, values });
      }
      if (test(values)) found.add(shard);
    }
    return found;
  }

  async transact<T>(fn: (tx: Transaction) => Promise<T> | T, opts: { purpose?: string } = {}): Promise<T> {
    return withWorkspaceLock(this.layout, { ...this.config.lock, purpose: opts.purpose }, async (held) => {
      await this.recover();
      const tx = new Transaction(this);
      try {
        const result = await fn(tx);
        // A holder whose lock was taken while it was paused has read stale documents: it writes nothing.
        if (!held()) throw new LockLostError(this.layout.root);
        await this.apply(tx);
        return result;
      } catch (err) {
        this.forget(tx);
        throw err;
      }
    });
  }

  /** Forgets the parsed shards of every document `tx` read: it may have changed them in place. */
  private forget(tx: Transaction): void {
    for (const name of tx.docs.keys()) this.txDocs.delete(name);
    for (const name of tx.sharded.keys()) {
      const dir = `${shardDir(name)}/`;
      for (const rel of [...this.txShards.keys()]) if (rel.startsWith(dir)) this.txShards.delete(rel);
    }
  }

  /**
   * A change that spans several files (events, telemetry and incidents; a rule file and the
   * incidents it answers) is first written whole to a journal: a process killed between two of
   * the files leaves the journal, and the next transaction finishes the change from it before
   * anything else. Each file on its own is replaced atomically.
   */
  private journalPath(): string {
    return join(this.layout.root, '.tx-journal.json');
  }

  async recover(): Promise<boolean> {
    const path = this.journalPath();
    if (!existsSync(path)) return false;
    let journal: { docs: Record<string, unknown>; files: Record<string, string | null> };
    try {
      journal = JSON.parse(readFileSync(path, 'utf8')) as typeof journal;
    } catch {
      // Written by rename, so never torn; unreadable means foreign: leave everything as it is.
      await fs.rm(path, { force: true });
      return false;
    }
    // Only ours is replayed: known documents and files inside the workspace. A journal naming
    // anything else was not written by nevo-tui; it is set aside, never followed out of the folder.
    const foreign = !journal || typeof journal.docs !== 'object' || typeof journal.files !== 'object' || Object.keys(journal.docs ?? {}).some((n) => !isDocName(n)) || Object.keys(journal.files ?? {}).some((rel) => !insideWorkspace(this.layout.root, rel));
    if (foreign) {
      await fs.rename(path, join(this.layout.root, `.tx-journal.refused-${Date.now()}.json`));
      return false;
    }
    for (const [name, data] of Object.entries(journal.docs)) {
      const db = new Low<unknown>(new AtomicJSONFile<unknown>(this.path(name as DocName)), data);
      await db.write();
    }
    for (const [rel, content] of Object.entries(journal.files)) await this.writeVersioned(rel, content);
    await fs.rm(path, { force: true });
    return true;
  }

  private async writeVersioned(rel: string, content: string | null, flush = true): Promise<void> {
    const abs = join(this.layout.root, rel);
    if (content === null) await fs.rm(abs, { force: true });
    else {
      await fs.mkdir(dirname(abs), { recursive: true });
      await atomicWriteFile(abs, content, flush);
    }
  }

  private async apply(tx: Transaction): Promise<void> {
    const immediate: string[] = [];
    const batched: string[] = [];
    let batchedRecords = 0;
    const docs = [...tx.touched.keys()].filter((name) => tx.docs.has(name));
    // A sharded document writes the shards the change touched, as files of the change.
    const shards = new Map<string, { name: DocName; records: Keyed[] | null; text: string | null }>();
    for (const [name, copy] of tx.sharded) {
      if (!tx.touched.has(name)) continue;
      // A shard written whole must have been read whole: a change that could not name its records reads the rest first.
      if (copy.partial && (copy.dirty === 'all' || [...copy.dirty].some((k) => !copy.partial!.has(k)))) await this.readMoreShards(name, copy, null);
      for (const [rel, records] of shardWrites(name, copy)) shards.set(rel, { name, records, text: records ? shardText(records) : null });
    }
    if (process.env.NEVO_STORE_CHECK === '1') checkHandedBack(this.layout.root, tx, shards);
    const changedDocs = [...docs, ...[...tx.sharded.keys()].filter((name) => tx.touched.has(name))];
    // A change committed at once must not carry the waiting batch with it: reverting that change
    // would take back unrelated records. The batch (the files as they are before this change) is
    // committed on its own first.
    const commitsNow = tx.forceCommit || tx.staged.size > 0 || tx.files.size > tx.batchedFiles.size || changedDocs.some((name) => DOCUMENTS[name].history === 'immediate');
    if (commitsNow && this.readPending().paths.length) await this.commitBatch(this.readPending());
    for (const rel of tx.idempotentFiles) await this.writeVersioned(rel, tx.files.get(rel) ?? null, false);
    const files = [...tx.files].filter(([rel]) => !tx.idempotentFiles.has(rel));
    const journaled = docs.length + files.length + shards.size > 1;
    if (journaled) {
      const journal = { docs: Object.fromEntries(docs.map((name) => [name, tx.docs.get(name)!.data])), files: Object.fromEntries([...files, ...[...shards].map(([rel, s]) => [rel, s.text] as const)]) };
      await atomicWriteFile(this.journalPath(), JSON.stringify(journal));
    }
    for (const [rel, shard] of shards) {
      // Not flushed on its own, as documents are not: a kill leaves the old or the new file, whole.
      await this.writeVersioned(rel, shard.text, false);
      if (shard.records === null) {
        this.stamps.removed(rel);
        this.txShards.delete(rel);
      } else {
        const stamp = this.stamps.wrote(rel, shard.records.length);
        if (stamp) {
          this.txShards.set(rel, { stamp, records: shard.records });
          await this.noteValues(shard.name, rel, stamp, shard.records);
        }
      }
      (DOCUMENTS[shard.name].history === 'immediate' ? immediate : batched).push(rel);
    }
    for (const [name, count] of tx.touched) {
      const db = tx.docs.get(name);
      if (!db) {
        if (tx.sharded.has(name) && DOCUMENTS[name].history === 'batched') batchedRecords += count;
        continue;
      }
      await fs.mkdir(dirname(this.path(name)), { recursive: true });
      await db.write();
      const records = (db.data as { records?: unknown }).records;
      const stamp = this.stamps.wrote(docFile(name), Array.isArray(records) ? records.length : undefined);
      if (stamp) this.txDocs.set(name, { stamp, data: db.data });
      if (DOCUMENTS[name].history === 'immediate') immediate.push(docFile(name));
      else {
        batched.push(docFile(name));
        batchedRecords += count;
      }
    }
    let written = 0;
    for (const [rel, content] of tx.files) {
      if (!tx.idempotentFiles.has(rel)) await this.writeVersioned(rel, content);
      if (journaled && ++written === 1) await pausePoint('store:first-file');
      if (tx.batchedFiles.has(rel)) {
        batched.push(rel);
        batchedRecords++;
      } else immediate.push(rel);
    }
    if (journaled) await fs.rm(this.journalPath(), { force: true });
    await this.stamps.save([...shards].filter(([, s]) => s.records === null).map(([rel]) => rel));
    await pausePoint('store:before-commit');
    immediate.push(...tx.staged);
    if (immediate.length === 0 && batched.length === 0 && !tx.forceCommit) return;

    const pending = this.readPending();
    const paths = [...new Set([...pending.paths, ...batched])];
    const records = pending.records + batchedRecords;
    const since = pending.paths.length ? pending.since : this.now().toISOString();

    if (immediate.length || tx.forceCommit) {
      const note = tx.note ?? { area: 'store', what: `update ${[...tx.touched.keys()].join(', ') || 'files'}` };
      await this.history.commit(await this.committable([...immediate, ...paths]), formatMessage(note));
      await this.writePending(null);
      return;
    }
    const ageMinutes = (this.now().getTime() - Date.parse(since)) / 60000;
    if (records >= this.config.history.batchRecords || ageMinutes >= this.config.history.batchMinutes) {
      await this.commitBatch({ paths, records, since });
    } else {
      await this.writePending({ paths, records, since });
    }
  }

  private async commitBatch(batch: PendingBatch): Promise<string | null> {
    const names = batch.paths.map((p) => (p.startsWith('journal/') ? 'journal' : (docOfPath(p)?.name ?? p.replace(/^store\/|\.json$/g, ''))));
    const docs = batch.records ? [...new Set(names)].join(', ') : 'store';
    const oid = await this.history.commit(await this.committable(batch.paths), formatMessage({ area: 'store', what: `${batch.records} record change(s) in ${docs}`, refs: ['batch'] }));
    await this.writePending(null);
    return oid;
  }

  /** The sharded documents still kept in their one file of the old layout. */
  oldLayout(): DocName[] {
    return DOC_NAMES.filter((name) => isSharded(name) && existsSync(this.path(name)));
  }

  /**
   * Splits every document still kept in the old layout into its shards now, in one change and one
   * commit (without it, each is split by its first change). Returns the documents and the shards
   * written.
   */
  async migrate(): Promise<{ documents: DocName[]; shards: string[] }> {
    return this.transact(
      async (tx) => {
        const documents = this.oldLayout();
        for (const name of documents) {
          await tx.doc(name);
          tx.touch(name, 0);
        }
        tx.message('store', `split ${documents.join(', ') || 'nothing'} into monthly shards`);
        tx.forceCommit = documents.length > 0;
        return documents;
      },
      { purpose: 'migrate' },
    ).then((documents) => ({ documents, shards: documents.flatMap((name) => docFiles(this.layout.root, name)) }));
  }

  /** Commits batched changes now instead of waiting for the batch to fill (`nevo-tui commit`). */
  async flush(): Promise<{ oid: string | null; records: number; leftOut: { file: string; problem: string }[] }> {
    return withWorkspaceLock(this.layout, { ...this.config.lock, purpose: 'commit' }, async () => {
      // Every document is offered, not only the pending ones: a writer killed between its write and
      // its bookkeeping leaves a change that only the file's git status reveals.
      const pending = this.readPending();
      // Dot files (an editor's swap file, .DS_Store) are not offered.
      const tracked = ['rules', 'skills', 'journal'].flatMap((sub) => listFiles(this.layout.root, sub)).filter((rel) => !basename(rel).startsWith('.'));
      const versioned = ['guards.json', 'session-context.json', 'session-context.md', ...tracked];
      // A shard removed by a writer killed before its bookkeeping is offered too: the last commit still holds it.
      const committedShards = await this.history.trackedUnder('store/');
      const documents = [...DOC_NAMES.flatMap((name) => (isSharded(name) ? [docFile(name), ...docFiles(this.layout.root, name)] : [docFile(name)])), ...committedShards.filter((rel) => docOfPath(rel)?.shard !== undefined)];
      const paths = [...new Set([...pending.paths, ...documents, ...versioned])];
      const oid = await this.commitBatch({ ...pending, paths });
      return { oid, records: pending.records, leftOut: this.leftOut };
    });
  }

  /** The stamps of the files this store wrote: a read that finds one unchanged skips its schema check. */
  private get stamps(): WrittenStamps {
    return (this.writtenStamps ??= new WrittenStamps(this.layout.root, this.layout.storeStamps));
  }
  private writtenStamps: WrittenStamps | null = null;

  /** Store documents found broken at the last commit and left out of it, with what is wrong. */
  leftOut: { file: string; problem: string }[] = [];

  /**
   * The paths minus any store document whose file on disk is broken (torn by hand, say): history
   * keeps only documents that validate, so a restore always has a good copy to go back to.
   */
  private async committable(paths: string[]): Promise<string[]> {
    this.leftOut = [];
    const out: string[] = [];
    for (const rel of paths) {
      // Not a store document (a rule, the journal), or written by this store from validated data
      // and not touched since: nothing to check.
      if (!docOfPath(rel)) {
        out.push(rel);
        continue;
      }
      const stamp = fileStamp(join(this.layout.root, rel));
      if (stamp && this.stamps.isOwn(rel, stamp)) {
        out.push(rel);
        continue;
      }
      let text: string;
      try {
        text = readFileSync(join(this.layout.root, rel), 'utf8');
      } catch {
        out.push(rel); // gone: the commit records its removal
        continue;
      }
      const problem = (await checks()).documentProblem(rel, text);
      if (problem) this.leftOut.push({ file: rel, problem });
      else out.push(rel);
    }
    return out;
  }


  readPending(): PendingBatch {
    if (!existsSync(this.layout.historyState)) return { paths: [], records: 0, since: '' };
    try {
      const raw = JSON.parse(readFileSync(this.layout.historyState, 'utf8')) as PendingBatch;
      return { paths: raw.paths ?? [], records: raw.records ?? 0, since: raw.since ?? '' };
    } catch {
      // The state is only a hint for batching; a lost count delays a commit, it loses no data.
      return { paths: [], records: 0, since: '' };
    }
  }

  private async writePending(batch: PendingBatch | null): Promise<void> {
    if (!batch) await fs.rm(this.layout.historyState, { force: true });
    else await atomicWriteFile(this.layout.historyState, JSON.stringify(batch));
  }
}

/** A stamp of every file of a sharded document: it changes whenever one of them does. */
function docStamp(root: string, name: DocName): string | null {
  return docFiles(root, name)
    .map((rel) => `${rel}=${fileStamp(join(root, rel)) ?? '-'}`)
    .join('|');
}

