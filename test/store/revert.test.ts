import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planRevert } from '../../src/store/revert-plan.js';
import { revertCommitWith } from '../../src/store/revert.js';
import { incidentRecord } from '../helpers/records.js';
import type { EventRecord } from '../../src/store/schemas.js';
import { cli } from '../helpers/cli.js';
import { freshWorkspace } from '../helpers/workspace.js';

const event = (id: string): EventRecord => ({ id, time: '2026-11-21T10:00:00.000Z', source: 'report', kind: 'task', fate: { kind: 'journal' } });

describe('revert', () => {
  it('undoes a rule change with a new commit that system git can read', async () => {
    const ws = await freshWorkspace();
    const rule = join(ws.root, 'rules', 'AGENT-001.md');
    const original = readFileSync(rule, 'utf8');
    await ws.store.transact((tx) => {
      tx.writeFile('rules/AGENT-001.md', original.replace('status: active', 'status: deprecated'));
      tx.message('rules', 'deprecate AGENT-001');
    });
    await ws.store.transact((tx) => {
      tx.writeFile('rules/PROJ-001.md', '---\nid: PROJ-001\n---\nNew.\n');
      tx.message('rules', 'approve PROJ-001');
    });
    const log = JSON.parse(cli(['log', '--json'], { cwd: ws.project }).stdout);
    const deprecate = log.commits.find((c: { subject: string }) => c.subject === 'rules: deprecate AGENT-001');
    expect(deprecate.files).toEqual([{ path: 'rules/AGENT-001.md', change: 'modified' }]);

    const r = cli(['revert', deprecate.oid.slice(0, 8)], { cwd: ws.project });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(rule, 'utf8')).toBe(original);
    expect(existsSync(join(ws.root, 'rules', 'PROJ-001.md'))).toBe(true);
    const subject = execFileSync('git', ['-C', ws.root, 'log', '-1', '--format=%s'], { encoding: 'utf8' }).trim();
    expect(subject).toBe(`revert: rules: deprecate AGENT-001 (${deprecate.oid.slice(0, 7)})`);
    expect(execFileSync('git', ['-C', ws.root, 'show', 'HEAD'], { encoding: 'utf8' })).toContain('+status: active');

    // Reverting it again changes nothing.
    expect(cli(['revert', deprecate.oid], { cwd: ws.project }).stdout).toMatch(/already undone/);
  });

  it('removes the records a commit added and keeps the records added after it', async () => {
    const ws = await freshWorkspace();
    const add = async (id: string) => {
      await ws.store.transact(async (tx) => {
        (await tx.doc('events')).records.push(event(id));
        tx.touch('events');
      });
      await ws.store.flush();
      return (await ws.history.head())!;
    };
    await add('first');
    const second = await add('second');
    await add('third');
    const r = cli(['revert', second, '--json'], { cwd: ws.project });
    expect(r.code, r.stderr).toBe(0);
    expect((await ws.store.read('events')).records.map((e) => e.id)).toEqual(['first', 'third']);
  });

  it('refuses, naming the path, a commit that put a folder where a file was, and changes nothing', async () => {
    const ws = await freshWorkspace();
    const notes = join(ws.root, 'journal', 'notes');
    writeFileSync(notes, 'a file\n');
    await ws.history.commit(['journal/notes'], 'notes: a file');
    rmSync(notes);
    mkdirSync(notes);
    writeFileSync(join(notes, 'inner.md'), 'now a folder\n');
    const swap = (await ws.history.commit(['journal/notes', 'journal/notes/inner.md'], 'notes: a folder'))!;
    const head = await ws.history.head();
    await expect(revertCommitWith(ws, swap)).rejects.toThrow(/journal\/notes is a folder now, where the commit changed a file/);
    expect(await ws.history.head()).toBe(head);
    expect(readFileSync(join(notes, 'inner.md'), 'utf8')).toBe('now a folder\n');
  });

  it('refuses, naming the file, when a later commit changed the same lines', async () => {
    const ws = await freshWorkspace();
    const rule = join(ws.root, 'rules', 'AGENT-002.md');
    const text = readFileSync(rule, 'utf8');
    await ws.store.transact((tx) => tx.writeFile('rules/AGENT-002.md', `${text}One.\n`));
    const first = (await ws.history.head())!;
    await ws.store.transact((tx) => tx.writeFile('rules/AGENT-002.md', `${text}Two.\n`));
    const r = cli(['revert', first], { cwd: ws.project });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/rules\/AGENT-002\.md changed again after this commit/);
    expect(readFileSync(rule, 'utf8')).toBe(`${text}Two.\n`);
  });

  it('refuses to revert the first commit', async () => {
    const ws = await freshWorkspace();
    const r = cli(['revert', (await ws.history.head())!], { cwd: ws.project });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/first commit/);
  });

  it('plans record-level merges as a pure function', () => {
    const doc = (...ids: string[]) => JSON.stringify({ version: 1, records: ids.map((id) => ({ id, v: 1 })) });
    const plan = planRevert([{ path: 'store/x.json', before: doc('a'), after: doc('a', 'b'), current: doc('a', 'b', 'c') }]);
    expect(plan.conflicts).toEqual([]);
    expect(JSON.parse(plan.writes[0]!.content!).records.map((r: { id: string }) => r.id)).toEqual(['a', 'c']);
  });
});

describe('revert of a sharded document', () => {
  it('takes back the records of a shard the commit made, keeping one added since, and removes a shard left empty', () => {
    const doc = (...ids: string[]) => JSON.stringify({ version: 1, records: ids.map((id) => ({ id })) });
    const made = planRevert([{ path: 'store/incidents/2026-12.json', before: null, after: doc('2026-12-01-aaaa'), current: doc('2026-12-01-aaaa', '2026-12-02-bbbb') }]);
    expect(made.conflicts).toEqual([]);
    expect(JSON.parse(made.writes[0]!.content!).records.map((r: { id: string }) => r.id)).toEqual(['2026-12-02-bbbb']);
    const only = planRevert([{ path: 'store/incidents/2026-12.json', before: null, after: doc('2026-12-01-aaaa'), current: doc('2026-12-01-aaaa') }]);
    expect(only.writes).toEqual([{ path: 'store/incidents/2026-12.json', content: null }]);
    // A shard the commit emptied (and so removed) comes back.
    const emptied = planRevert([{ path: 'store/incidents/2026-11.json', before: doc('2026-11-01-cccc'), after: null, current: null }]);
    expect(JSON.parse(emptied.writes[0]!.content!).records.map((r: { id: string }) => r.id)).toEqual(['2026-11-01-cccc']);
  });

  it('reverts a change to one month of incidents in a real workspace, record by record', async () => {
    const ws = await freshWorkspace();
    await ws.store.transact((tx) => tx.incidents.upsert([incidentRecord('2026-11-03-cccc')]));
    await ws.store.flush();
    await ws.store.transact(async (tx) => {
      await tx.incidents.upsert([incidentRecord('2026-12-01-aaaa')]);
      tx.message('incidents', 'add one');
      tx.forceCommit = true;
    });
    const added = (await ws.history.head())!;
    await ws.store.transact((tx) => tx.incidents.upsert([incidentRecord('2026-12-02-bbbb')]));
    await ws.store.flush();
    await revertCommitWith(ws, added);
    expect((await ws.store.incidents.list()).map((i) => i.id)).toEqual(['2026-11-03-cccc', '2026-12-02-bbbb']);
  });
});

describe('revert of review decisions', () => {
  it('takes an approval back from the agent too, keeps unrelated records, and never hands the id out again', async () => {
    const ws = await freshWorkspace();
    const json = (args: string[]) => JSON.parse(cli([...args, '--json'], { cwd: ws.project }).stdout);
    json(['report', '--signal', 'task', '--name', 'a', '--error', "Error: Cannot find module 'left-pad'"]);
    const approve = json(['rules', 'approve', 'PROJ-001']);
    const exported = join(ws.project, '.claude', 'rules', 'nevo', 'PROJ-001.md');
    expect(existsSync(exported)).toBe(true);
    // Records that arrive later, and a batch waiting, are not part of the approval.
    json(['report', '--signal', 'task', '--name', 'b', '--error', 'Command timed out after 2m']);
    const incidentsBefore = (await ws.store.read('incidents')).records.length;
    const r = cli(['revert', approve.commit], { cwd: ws.project });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(ws.root, 'rules', 'PROJ-001.md'), 'utf8')).toContain('status: proposed');
    expect(existsSync(exported)).toBe(false);
    expect((await ws.store.read('incidents')).records).toHaveLength(incidentsBefore);
    // Reverting the proposal itself removes the rule file, but PROJ-001 is never given out again.
    const propose = (await ws.history.log()).find((c) => c.subject.startsWith('rules: propose PROJ-001'))!;
    expect(cli(['revert', propose.oid], { cwd: ws.project }).code).toBe(0);
    expect(existsSync(join(ws.root, 'rules', 'PROJ-001.md'))).toBe(false);
    const next = json(['report', '--signal', 'task', '--name', 'c', '--error', 'Exit code 6\ncurl: (6) Could not resolve host: example.com']);
    expect(next.analyzed[0].rule).not.toBe('PROJ-001');
  });
});

describe('record-level revert keeps lists in order', () => {
  it('puts records back where they were, not at the end', () => {
    const doc = (...ids: string[]) => JSON.stringify({ version: 1, records: ids.map((id) => ({ id })) });
    // The commit trimmed a and b from the front and added e; f came later.
    const plan = planRevert([{ path: 'store/events.json', before: doc('a', 'b', 'c', 'd'), after: doc('c', 'd', 'e'), current: doc('c', 'd', 'e', 'f') }]);
    expect(JSON.parse(plan.writes[0]!.content!).records.map((r: { id: string }) => r.id)).toEqual(['a', 'b', 'c', 'd', 'f']);
  });
});
