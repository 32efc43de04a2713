import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { freshWorkspace } from '../helpers/workspace.js';
import type { EventRecord } from '../../src/store/schemas.js';

const event = (id: string): EventRecord => ({ id, time: '2026-11-21T10:00:00.000Z', source: 'report', kind: 'task', fate: { kind: 'journal' } });

describe('store documents', () => {
  it('readShared gives the same document again until the file changes, by a transaction or by hand', async () => {
    const ws = await freshWorkspace();
    await ws.store.transact(async (tx) => {
      (await tx.doc('events')).records.push(event('a'));
      tx.touch('events');
    });
    const first = await ws.store.readShared('events');
    expect(first.records.map((r) => r.id)).toEqual(['a']);
    expect(await ws.store.readShared('events')).toBe(first);

    await ws.store.transact(async (tx) => {
      (await tx.doc('events')).records.push(event('b'));
      tx.touch('events');
    });
    const second = await ws.store.readShared('events');
    expect(second.records.map((r) => r.id)).toEqual(['a', 'b']);

    // An edit in place, same length: only the file's times tell.
    const file = join(ws.root, 'store', 'events.json');
    await new Promise((r) => setTimeout(r, 5));
    writeFileSync(file, readFileSync(file, 'utf8').replace('"b"', '"c"'));
    expect((await ws.store.readShared('events')).records.map((r) => r.id)).toEqual(['a', 'c']);

    // A broken file is reported as by read, never hidden behind the earlier result.
    writeFileSync(file, '{');
    await expect(ws.store.readShared('events')).rejects.toThrow(/store\/events\.json: /);
  });

  it('refuses a corrupt file with its name, position and the fix, and never overwrites it', async () => {
    const ws = await freshWorkspace();
    const file = join(ws.root, 'store', 'events.json');
    const broken = '{"version": 1, "records": [ {"id": "a",, } ]}';
    writeFileSync(file, broken);
    await expect(ws.store.read('events')).rejects.toThrow(/store\/events\.json: not valid JSON at line 1, column \d+/);
    await expect(
      ws.store.transact(async (tx) => {
        (await tx.doc('events')).records.push(event('x'));
        tx.touch('events');
      }),
    ).rejects.toThrow(/doctor --restore store\/events\.json/);
    expect(readFileSync(file, 'utf8')).toBe(broken);

    const r = cli(['status', '--json'], { cwd: ws.project });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).documents.events.error).toMatch(/not valid JSON/);
  });

  it('names the JSON path of a schema error and leaves the file untouched', async () => {
    const ws = await freshWorkspace();
    const file = join(ws.root, 'store', 'events.json');
    const invalid = JSON.stringify({ version: 1, records: [event('ok'), { ...event('bad'), source: 'carrier-pigeon' }] });
    writeFileSync(file, invalid);
    await expect(ws.store.read('events')).rejects.toThrow(/\$\.records\[1\]\.source is "carrier-pigeon"; expected one of "hook", "transcript", "report"/);
    const doctor = cli(['doctor'], { cwd: ws.project });
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toMatch(/BROKEN\s+store\/events\.json/);
    expect(readFileSync(file, 'utf8')).toBe(invalid);
  });

  it('checks a document again once anything but this store wrote it, even right after this store did', async () => {
    const ws = await freshWorkspace();
    await ws.store.transact(async (tx) => tx.events.append([event('mine')], { keep: 2000 }));
    // Read back without a second check: it is the file this store just wrote.
    expect((await ws.store.read('events')).records.map((e) => e.id)).toEqual(['mine']);
    const file = join(ws.root, 'store', 'events.json');
    writeFileSync(file, JSON.stringify({ version: 1, records: [{ ...event('bad'), source: 'carrier-pigeon' }] }));
    await expect(ws.store.read('events')).rejects.toThrow(/source is "carrier-pigeon"/);
    await expect(ws.store.transact(async (tx) => tx.events.list())).rejects.toThrow(/source is "carrier-pigeon"/);
  });

  it('doctor --restore brings back the last committed version and keeps the broken one aside', async () => {
    const ws = await freshWorkspace();
    await ws.store.transact(async (tx) => {
      (await tx.doc('events')).records.push(event('kept'));
      tx.touch('events');
    });
    await ws.store.flush();
    const file = join(ws.root, 'store', 'events.json');
    writeFileSync(file, '{ truncated');
    const r = cli(['doctor', '--restore', 'store/events.json', '--json'], { cwd: ws.project });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(readFileSync(join(ws.root, out.keptBrokenCopy), 'utf8')).toBe('{ truncated');
    expect((await ws.store.read('events')).records.map((e) => e.id)).toEqual(['kept']);
    expect(cli(['doctor'], { cwd: ws.project }).code).toBe(0);
  });

  it('`commit` leaves a hand-torn document out of history and names it; the last good copy stays restorable', async () => {
    const ws = await freshWorkspace();
    await ws.store.transact(async (tx) => {
      (await tx.doc('incidents')).records.push({ id: '2026-11-21-aaaa', fingerprint: 'aaaa', signature: 's', category: 'other', key: 'other:aaaa', tool: 'Bash', sample: { error: 'x', event: 'PostToolUseFailure', time: '2026-11-21T10:00:00.000Z' }, count: 1, sessions: [], firstSeen: '2026-11-21T10:00:00.000Z', lastSeen: '2026-11-21T10:00:00.000Z', recurring: false, status: 'new', rules: [], skills: [], reopened: 0, daily: {} } as never);
      tx.touch('incidents');
    });
    await ws.store.flush();
    const file = join(ws.root, 'store', 'incidents', '2026-11.json');
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, good.slice(0, good.length / 2));
    const r = cli(['commit'], { cwd: ws.project });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/Left out store\/incidents\/2026-11\.json: not valid JSON .*doctor --restore store\/incidents\/2026-11\.json/);
    const head = await ws.history.head();
    expect(await ws.history.readFileAt(head!, 'store/incidents/2026-11.json')).toBe(good);
  });

  it('doctor --restore passes over a broken committed copy and brings back the newest whole one', async () => {
    const ws = await freshWorkspace();
    await ws.store.transact(async (tx) => {
      (await tx.doc('events')).records.push(event('kept'));
      tx.touch('events');
    });
    await ws.store.flush();
    // A torn copy that reached history anyway (committed by hand, or by an older version).
    const file = join(ws.root, 'store', 'events.json');
    writeFileSync(file, '{ "version": 1, "records": [');
    await ws.history.commit(['store/events.json'], 'torn by hand');
    const r = cli(['doctor', '--restore', 'store/events.json', '--json'], { cwd: ws.project });
    expect(r.code, r.stderr).toBe(0);
    expect((await ws.store.read('events')).records.map((e) => e.id)).toEqual(['kept']);
  });

  it('commits batched documents once the batch fills, and `commit` flushes the rest', async () => {
    const ws = await freshWorkspace();
    const config = JSON.parse(readFileSync(ws.layout.config, 'utf8'));
    config.history.batchRecords = 5;
    writeFileSync(ws.layout.config, JSON.stringify(config));
    const { openWorkspace } = await import('../../src/workspace/workspace.js');
    const small = openWorkspace(ws.root);
    for (let i = 0; i < 12; i++) {
      await small.store.transact(async (tx) => {
        (await tx.doc('events')).records.push(event(`e${i}`));
        tx.touch('events');
      });
    }
    const subjects = (await small.history.log()).map((c) => c.subject);
    expect(subjects.filter((s) => s.startsWith('store: 5 record change(s) in events (batch)'))).toHaveLength(2);
    expect(small.store.readPending().records).toBe(2);
    const r = cli(['commit', '--json'], { cwd: ws.project });
    expect(JSON.parse(r.stdout)).toMatchObject({ records: 2 });
    expect(small.store.readPending().records).toBe(0);
    expect(execFileSync('git', ['-C', ws.root, 'status', '--porcelain', 'store'], { encoding: 'utf8' })).toBe('');
  });

  it('commits versioned files at once with an `<area>: <what> (<refs>)` message', async () => {
    const ws = await freshWorkspace();
    await ws.store.transact((tx) => {
      tx.writeFile('rules/PROJ-001.md', '---\nid: PROJ-001\n---\nA rule.\n');
      tx.message('rules', 'approve PROJ-001', ['2026-11-21-ab12']);
    });
    expect(execFileSync('git', ['-C', ws.root, 'log', '-1', '--format=%s'], { encoding: 'utf8' }).trim()).toBe('rules: approve PROJ-001 (2026-11-21-ab12)');
    expect(execFileSync('git', ['-C', ws.root, 'show', 'HEAD:rules/PROJ-001.md'], { encoding: 'utf8' })).toContain('A rule.');
  });
});
