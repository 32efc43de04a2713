import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { docFiles, isSharded, DOC_NAMES } from '../../src/store/documents.js';
import type { Fact, Incident } from '../../src/store/schemas.js';
import { openWorkspace } from '../../src/workspace/workspace.js';
import { cli } from '../helpers/cli.js';
import { incidentRecord } from '../helpers/records.js';
import { freshWorkspace } from '../helpers/workspace.js';

const incident = (id: string) => incidentRecord(id, `fp-${id}`);

const fact = (id: string, created: string): Fact => ({ id, statement: `fact ${id}`, category: 'project', source: { by: 'manual' }, confidence: 0.9, created, lastConfirmed: created, expires: null, seen: 1, sessions: [], pinned: false, hidden: false });

const stamp = (file: string) => (({ ino, mtimeMs, size }) => `${ino}:${mtimeMs}:${size}`)(statSync(file));

describe('sharded documents', () => {
  it('a change writes, and its commit stores, only the monthly shards it touched', async () => {
    const ws = await freshWorkspace();
    await ws.store.transact((tx) => tx.incidents.upsert([incident('2026-09-01-aaaa'), incident('2026-10-02-bbbb'), incident('2026-11-03-cccc')]));
    await ws.store.flush();
    expect(docFiles(ws.root, 'incidents')).toEqual(['store/incidents/2026-09.json', 'store/incidents/2026-10.json', 'store/incidents/2026-11.json']);
    const old = [join(ws.root, 'store/incidents/2026-09.json'), join(ws.root, 'store/incidents/2026-10.json')].map(stamp);

    await ws.store.transact(async (tx) => {
      await tx.incidents.update('2026-11-03-cccc', (i) => void (i.count = 7));
      tx.message('incidents', 'count one');
      tx.forceCommit = true;
    });
    expect([join(ws.root, 'store/incidents/2026-09.json'), join(ws.root, 'store/incidents/2026-10.json')].map(stamp)).toEqual(old);
    const head = (await ws.history.head())!;
    expect((await ws.history.commitChanges(head)).map((c) => c.path)).toEqual(['store/incidents/2026-11.json']);
    // Read back in month order, from a process that never saw them.
    expect((await openWorkspace(ws.root).store.incidents.list()).map((i) => [i.id, i.count])).toEqual([
      ['2026-09-01-aaaa', 1],
      ['2026-10-02-bbbb', 1],
      ['2026-11-03-cccc', 7],
    ]);

    // The last record of a month goes, and so does its shard.
    await ws.store.transact((tx) => tx.incidents.remove(['2026-09-01-aaaa']));
    expect(existsSync(join(ws.root, 'store/incidents/2026-09.json'))).toBe(false);
    await ws.store.flush();
    expect(await ws.history.readFileAt((await ws.history.head())!, 'store/incidents/2026-09.json')).toBeNull();
  });

  it('a change that names its incidents reads only their months, and keeps every other record when it changes more', async () => {
    const ws = await freshWorkspace();
    await ws.store.transact((tx) => tx.incidents.upsert([incident('2026-09-01-aaaa'), incident('2026-10-02-bbbb'), incident('2026-11-03-cccc')]));
    await ws.store.flush();
    const september = join(ws.root, 'store/incidents/2026-09.json');
    const good = readFileSync(september, 'utf8');
    writeFileSync(september, '{ torn by hand');
    // September is never read: the change goes through while its shard is broken.
    await ws.store.transact(async (tx) => {
      const [found] = await tx.incidents.withIds(['2026-11-03-cccc']);
      found!.status = 'ruled';
      await tx.incidents.upsert([found!, incident('2026-10-09-dddd')]);
    });
    expect((await ws.store.incidents.withIds(['2026-11-03-cccc', '2026-10-02-bbbb'])).map((i) => [i.id, i.status])).toEqual([
      ['2026-10-02-bbbb', 'new'],
      ['2026-11-03-cccc', 'ruled'],
    ]);
    writeFileSync(september, good);
    // Asking for the whole after a part reads the rest, in month order, and writes nothing lost.
    await ws.store.transact(async (tx) => {
      await tx.incidents.withIds(['2026-10-02-bbbb']);
      expect((await tx.incidents.list()).map((i) => i.id)).toEqual(['2026-09-01-aaaa', '2026-10-02-bbbb', '2026-10-09-dddd', '2026-11-03-cccc']);
      await tx.incidents.remove(['2026-09-01-aaaa']);
    });
    expect((await openWorkspace(ws.root).store.incidents.list()).map((i) => i.id)).toEqual(['2026-10-02-bbbb', '2026-10-09-dddd', '2026-11-03-cccc']);
  });

  it('`commit` records a shard a killed writer removed before it could note the change', async () => {
    const ws = await freshWorkspace();
    await ws.store.transact((tx) => tx.incidents.upsert([incidentRecord('2026-09-01-aaaa'), incidentRecord('2026-10-02-bbbb')]));
    await ws.store.flush();
    // As a writer killed after removing the shard and before its batch note leaves it.
    rmSync(join(ws.root, 'store/incidents/2026-09.json'));
    await ws.store.flush();
    expect(execFileSync('git', ['-C', ws.root, 'status', '--porcelain', 'store'], { encoding: 'utf8' })).toBe('');
    expect(await ws.history.readFileAt((await ws.history.head())!, 'store/incidents/2026-09.json')).toBeNull();
  });

  it('a change that throws leaves every shard as it was, also for the next change in the same process', async () => {
    const ws = await freshWorkspace();
    await ws.store.transact((tx) => tx.incidents.upsert([incident('2026-10-02-bbbb')]));
    await expect(
      ws.store.transact(async (tx) => {
        const i = (await tx.incidents.get('2026-10-02-bbbb'))!;
        i.count = 99; // changed in place, then the change fails
        throw new Error('half-way');
      }),
    ).rejects.toThrow('half-way');
    // The next change starts from the file, not from the failed change's copy.
    await ws.store.transact((tx) => tx.incidents.upsert([incident('2026-11-03-cccc')]));
    expect((await ws.store.incidents.get('2026-10-02-bbbb'))!.count).toBe(1);
  });

  it('refuses a record changed in place and not handed back, rather than lose it with its unwritten shard', async () => {
    const ws = await freshWorkspace();
    await ws.store.transact((tx) => tx.incidents.upsert([incident('2026-10-02-bbbb'), incident('2026-11-03-cccc')]));
    await expect(
      ws.store.transact(async (tx) => {
        (await tx.incidents.get('2026-10-02-bbbb'))!.count = 5; // never handed back
        await tx.incidents.update('2026-11-03-cccc', (i) => void (i.count = 2));
      }),
    ).rejects.toThrow(/store\/incidents\/2026-10\.json: record 2026-10-02-bbbb was changed in place without being handed back/);
  });

  it('a later process trusts only the files the store wrote: one edited since, even to the same size and time, is checked', async () => {
    const ws = await freshWorkspace();
    await ws.store.transact((tx) => tx.incidents.upsert([incident('2026-10-02-bbbb')]));
    const file = join(ws.root, 'store/incidents/2026-10.json');
    expect(JSON.parse(readFileSync(join(ws.root, '.cache/store-stamps.json'), 'utf8'))).toHaveProperty(['store/incidents/2026-10.json']);
    expect((await openWorkspace(ws.root).store.incidents.list()).map((i) => i.count)).toEqual([1]);
    // Same length, same modification time: only the change time tells.
    const { atime, mtime } = statSync(file);
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace('"count":1', '"count":0'));
    utimesSync(file, atime, mtime);
    expect(statSync(file).size).toBe(text.length);
    await expect(openWorkspace(ws.root).store.incidents.list()).rejects.toThrow(/store\/incidents\/2026-10\.json: does not match its schema/);
  });

  it('names a shard holding a record of another month, with the fix, and changes nothing', async () => {
    const ws = await freshWorkspace();
    await ws.store.transact((tx) => tx.incidents.upsert([incident('2026-10-02-bbbb')]));
    const stray = JSON.stringify({ version: 1, records: [incident('2026-10-02-bbbb'), incident('2026-12-01-dddd')] });
    writeFileSync(join(ws.root, 'store/incidents/2026-10.json'), stray);
    const r = cli(['incidents', '--all'], { cwd: ws.project });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('store/incidents/2026-10.json: record 2026-12-01-dddd belongs in store/incidents/2026-12.json, not in this shard');
    expect(r.stderr).toContain('nevo-tui doctor --restore store/incidents/2026-10.json');
    expect(readFileSync(join(ws.root, 'store/incidents/2026-10.json'), 'utf8')).toBe(stray);
    const doctor = JSON.parse(cli(['doctor', '--json'], { cwd: ws.project }).stdout);
    expect(doctor.checks.find((c: { file: string }) => c.file === 'store/incidents/2026-10.json')).toMatchObject({ ok: false, fix: 'nevo-tui doctor --restore store/incidents/2026-10.json' });
  });

  it('moves a workspace of the old layout, made from the real fixture sessions, to shards with `doctor --migrate`, keeping a backup ref', async () => {
    const ws = await freshWorkspace();
    for (const t of ['claude-code-viewer__1af7fc5e-8455-4414-9ccd-011d40f70b2a.jsonl', 'claude-code-viewer__5c0375b4-57a5-4f26-b12d-d022ee4e51b7.jsonl', 'spotter__6c2214d7__subagents__agent-afc096d.jsonl']) {
      expect(cli(['import', join(process.cwd(), 'test/fixtures/claude-code/transcripts', t)], { cwd: ws.project }).code).toBe(0);
    }
    await ws.store.transact((tx) => tx.facts.upsert([fact('00000000000000a1', '2026-10-05T09:00:00.000Z'), fact('00000000000000b2', '2026-11-05T09:00:00.000Z')]));
    await ws.store.flush();
    // The old layout: each document one file, as every earlier release wrote it and committed it.
    const before: Record<string, unknown[]> = {};
    for (const name of DOC_NAMES.filter(isSharded)) {
      const records = (await ws.store.read(name)).records;
      before[name] = records;
      rmSync(join(ws.root, 'store', name), { recursive: true, force: true });
      writeFileSync(join(ws.root, 'store', `${name}.json`), JSON.stringify({ version: 1, records }, null, 2));
    }
    execFileSync('git', ['-C', ws.root, 'add', '-A', 'store']);
    execFileSync('git', ['-C', ws.root, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'the old layout']);
    const oldHead = execFileSync('git', ['-C', ws.root, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
    expect(before.incidents!.length).toBeGreaterThan(3);
    expect(new Set((before.incidents as Incident[]).map((i) => i.id.slice(0, 7))).size).toBeGreaterThan(1);

    // Read as it is, and said by the doctor.
    const fresh = openWorkspace(ws.root);
    expect(await fresh.store.incidents.list()).toEqual(before.incidents);
    expect(cli(['doctor'], { cwd: ws.project }).stdout).toContain('doctor --migrate');

    const r = JSON.parse(cli(['doctor', '--migrate', '--json'], { cwd: ws.project }).stdout);
    expect([...r.documents].sort()).toEqual(DOC_NAMES.filter(isSharded).sort());
    expect(r.backup).toBe('refs/nevo/pre-shards');
    expect(execFileSync('git', ['-C', ws.root, 'rev-parse', 'refs/nevo/pre-shards'], { encoding: 'utf8' }).trim()).toBe(oldHead);
    for (const name of DOC_NAMES.filter(isSharded)) {
      expect(existsSync(join(ws.root, 'store', `${name}.json`)), name).toBe(false);
      expect(await openWorkspace(ws.root).store.read(name).then((d) => d.records), name).toEqual(before[name]);
    }
    expect(readdirSync(join(ws.root, 'store/facts'))).toEqual(expect.arrayContaining(['2026-10.json', '2026-11.json']));
    // Committed: the old files gone, the shards there; plain git reads both sides.
    expect(execFileSync('git', ['-C', ws.root, 'status', '--porcelain', 'store'], { encoding: 'utf8' })).toBe('');
    expect(execFileSync('git', ['-C', ws.root, 'show', `${oldHead}:store/facts.json`], { encoding: 'utf8' })).toContain('fact 00000000000000a1');
    expect(execFileSync('git', ['-C', ws.root, 'show', 'HEAD:store/facts/2026-10.json'], { encoding: 'utf8' })).toContain('fact 00000000000000a1');
    expect(JSON.parse(cli(['doctor', '--migrate', '--json'], { cwd: ws.project }).stdout)).toMatchObject({ documents: [], commit: null });
    expect(JSON.parse(cli(['doctor', '--json'], { cwd: ws.project }).stdout).ok).toBe(true);
  });

  it('splits a document of the old layout at its first change when nobody migrated it', async () => {
    const ws = await freshWorkspace();
    writeFileSync(join(ws.root, 'store/incidents.json'), JSON.stringify({ version: 1, records: [incident('2026-09-01-aaaa'), incident('2026-10-02-bbbb')] }, null, 2));
    execFileSync('git', ['-C', ws.root, 'add', 'store/incidents.json']);
    execFileSync('git', ['-C', ws.root, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'the old layout']);
    await ws.store.transact(async (tx) => {
      await tx.incidents.update('2026-10-02-bbbb', (i) => void (i.count = 3));
      tx.forceCommit = true;
    });
    expect(existsSync(join(ws.root, 'store/incidents.json'))).toBe(false);
    expect(docFiles(ws.root, 'incidents')).toEqual(['store/incidents/2026-09.json', 'store/incidents/2026-10.json']);
    expect((await ws.store.incidents.list()).map((i) => i.count)).toEqual([1, 3]);
    expect(execFileSync('git', ['-C', ws.root, 'status', '--porcelain', 'store'], { encoding: 'utf8' })).toBe('');
  });
});
