import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventLog, Records, Table, TombstoneTable } from '../../src/store/repositories.js';
import type { EventRecord, Tombstone } from '../../src/store/schemas.js';
import { incidentRecord } from '../helpers/records.js';
import { freshWorkspace } from '../helpers/workspace.js';

const event = (id: string, fingerprint?: string): EventRecord => ({ id, time: '2026-11-21T10:00:00.000Z', source: 'report', kind: 'task', fate: { kind: 'journal' }, ...(fingerprint ? { fingerprint } : {}) });

const incident = incidentRecord;

/** A table over a plain document, with its touches recorded. */
function table<R extends { id: string }>(records: R[]) {
  const doc = { records };
  const touches: number[] = [];
  return { doc, touches, table: new Table<R>(async () => doc, (n) => touches.push(n)) };
}

describe('a table inside a change', () => {
  it('upserts: a record with a known id takes its place, a new one goes at the end, one change each unless told', async () => {
    const { doc, touches, table: t } = table([{ id: 'a', v: 1 }, { id: 'b', v: 1 }]);
    await t.upsert([{ id: 'b', v: 2 }, { id: 'c', v: 1 }]);
    expect(doc.records).toEqual([{ id: 'a', v: 1 }, { id: 'b', v: 2 }, { id: 'c', v: 1 }]);
    await t.upsert([{ id: 'a', v: 3 }], { changes: 5 });
    expect(touches).toEqual([2, 5]);
    await t.upsert([]);
    expect(touches).toEqual([2, 5]);
  });

  it('updates one record in place or by its replacement, and touches nothing when there is none', async () => {
    const { doc, touches, table: t } = table([{ id: 'a', v: 1 }]);
    expect(await t.update('a', (r) => void (r.v = 2))).toEqual({ id: 'a', v: 2 });
    expect(await t.update('a', (r) => ({ ...r, v: 3 }))).toEqual({ id: 'a', v: 3 });
    expect(doc.records).toEqual([{ id: 'a', v: 3 }]);
    expect(await t.update('zz', () => ({ id: 'zz', v: 0 }))).toBeUndefined();
    expect(touches).toEqual([1, 1]);
  });

  it('removes by ids or by a test, returns what it took out, and touches only when something went', async () => {
    const { doc, touches, table: t } = table([{ id: 'a' }, { id: 'b' }, { id: 'c' }]);
    expect(await t.remove(['a', 'zz'])).toEqual([{ id: 'a' }]);
    expect(await t.remove((r) => r.id === 'c')).toEqual([{ id: 'c' }]);
    expect(await t.remove(['zz'])).toEqual([]);
    expect(doc.records).toEqual([{ id: 'b' }]);
    expect(touches).toEqual([1, 1]);
  });

  it('gives new arrays: pushing into a list or splicing it changes no document', async () => {
    const { doc, table: t } = table([{ id: 'a' }]);
    const list = await t.list();
    list.push({ id: 'x' });
    list.splice(0, 1);
    expect(doc.records).toEqual([{ id: 'a' }]);
    expect(await t.list((r) => r.id !== 'a')).toEqual([]);
    expect(await t.get('a')).toBe(doc.records[0]);
    expect(await t.count()).toBe(1);
  });

  it('appends events and keeps only the latest', async () => {
    const doc = { records: [event('a'), event('b')] };
    const touches: number[] = [];
    const log = new EventLog(async () => doc, (n) => touches.push(n));
    await log.append([event('c'), event('d')], { keep: 3 });
    expect(doc.records.map((e) => e.id)).toEqual(['b', 'c', 'd']);
    await log.append([], { keep: 3 });
    expect(touches).toEqual([2]);
  });

  it('leaves a tombstone once per forgotten id', async () => {
    const doc = { records: [{ id: 'fact:aa', at: '2026-11-20T00:00:00.000Z' }] as Tombstone[] };
    const touches: number[] = [];
    const forgotten = new TombstoneTable(async () => doc, (n) => touches.push(n));
    expect(await forgotten.add(['fact:aa', 'session:s1', 'session:s1'], '2026-11-21T00:00:00.000Z')).toEqual(['session:s1']);
    expect(await forgotten.add(['fact:aa'], '2026-11-22T00:00:00.000Z')).toEqual([]);
    expect(doc.records).toEqual([
      { id: 'fact:aa', at: '2026-11-20T00:00:00.000Z' },
      { id: 'session:s1', at: '2026-11-21T00:00:00.000Z' },
    ]);
    expect([...(await forgotten.ids())]).toEqual(['fact:aa', 'session:s1']);
    expect(touches).toEqual([1]);
  });
});

describe('the repositories of a workspace', () => {
  it('read snapshots outside a change: by id, by a prefix only one has, by fingerprint, the latest events', async () => {
    const ws = await freshWorkspace();
    await ws.store.transact(async (tx) => {
      await tx.incidents.upsert([incident('2026-11-21-aaaa'), incident('2026-11-21-aabb'), incident('2026-11-22-cccc')]);
      await tx.events.append([event('e1', 'aaaa'), event('e2', 'cccc'), event('e3', 'aaaa'), event('e4')], { keep: 100 });
    });
    expect((await ws.store.incidents.list()).map((i) => i.id)).toEqual(['2026-11-21-aaaa', '2026-11-21-aabb', '2026-11-22-cccc']);
    expect((await ws.store.incidents.resolve('2026-11-22')).id).toBe('2026-11-22-cccc');
    expect((await ws.store.incidents.resolve('2026-11-21-aaaa')).id).toBe('2026-11-21-aaaa');
    await expect(ws.store.incidents.resolve('2026-11-21')).rejects.toThrow(/"2026-11-21" matches 2 incidents \(2026-11-21-aaaa, 2026-11-21-aabb\)/);
    await expect(ws.store.incidents.resolve('nope')).rejects.toThrow(/No incident nope; `nevo-tui incidents --all` lists them/);
    expect(await ws.store.incidents.get('2026-11-21-aabb')).toMatchObject({ fingerprint: 'aabb' });
    expect((await ws.store.events.recent(2)).map((e) => e.id)).toEqual(['e3', 'e4']);
    expect((await ws.store.events.withFingerprint('aaaa', 1)).map((e) => e.id)).toEqual(['e3']);
    expect((await ws.store.events.withFingerprint('aaaa', 10)).map((e) => e.id)).toEqual(['e1', 'e3']);
    expect(await ws.store.events.count()).toBe(4);
  });

  it('share one snapshot through store.shared until the file changes', async () => {
    const ws = await freshWorkspace();
    await ws.store.transact((tx) => tx.events.append([event('a')], { keep: 10 }));
    const [first] = await ws.store.shared.events.recent(1);
    expect((await ws.store.shared.events.recent(1))[0]).toBe(first);
    expect((await ws.store.events.recent(1))[0]).not.toBe(first);
    await ws.store.transact((tx) => tx.events.append([event('b')], { keep: 10 }));
    expect((await ws.store.shared.events.recent(1))[0]!.id).toBe('b');
  });

  it('write through the transaction: touched documents only, counted for the batch, nothing when it throws', async () => {
    const ws = await freshWorkspace();
    // Incidents are kept in monthly shards: a change that throws writes none.
    const file = join(ws.root, 'store', 'incidents', '2026-11.json');
    expect(existsSync(file)).toBe(false);
    await expect(
      ws.store.transact(async (tx) => {
        await tx.incidents.upsert([incident('2026-11-21-aaaa')]);
        throw new Error('half-way');
      }),
    ).rejects.toThrow('half-way');
    expect(existsSync(file)).toBe(false);

    await ws.store.transact(async (tx) => {
      await tx.incidents.upsert([incident('2026-11-21-aaaa'), incident('2026-11-21-bbbb')], { changes: 3 });
      await tx.events.append([event('e1')], { keep: 10 });
      expect(await tx.facts.list()).toEqual([]);
      expect([...tx.touched]).toEqual([
        ['incidents', 3],
        ['events', 1],
      ]);
    });
    expect(ws.store.readPending()).toMatchObject({ paths: ['store/incidents/2026-11.json', 'store/events.json'], records: 4 });

    await ws.store.transact(async (tx) => {
      await tx.incidents.update('2026-11-21-aaaa', (i) => void (i.status = 'dismissed'));
      await tx.incidents.remove(['2026-11-21-bbbb']);
      tx.message('incidents', 'dismiss 2026-11-21-aaaa');
      tx.forceCommit = true;
    });
    expect(await ws.store.incidents.list()).toEqual([{ ...incident('2026-11-21-aaaa'), status: 'dismissed' }]);
    expect((await ws.history.log({ depth: 1 }))[0]!.subject).toBe('incidents: dismiss 2026-11-21-aaaa');
  });

  it('read any loader alike: list, get, count', async () => {
    const r = new Records(async () => ({ records: [{ id: 'x' }, { id: 'y' }] }));
    expect(await r.list((x) => x.id === 'y')).toEqual([{ id: 'y' }]);
    expect(await r.get('x')).toEqual({ id: 'x' });
    expect(await r.count()).toBe(2);
  });
});
