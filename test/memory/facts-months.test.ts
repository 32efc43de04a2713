// Facts are filed by the month they were made. A session's facts are checked against the facts
// they may confirm, read from the months that hold them, not against the whole year's; and a fact
// seen earlier than it was made moves to that month once, not into a second copy.
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { factId, recordFacts, type FactCandidate } from '../../src/memory/facts.js';
import { openWorkspace } from '../../src/workspace/workspace.js';
import { docRecords, freshWorkspace } from '../helpers/workspace.js';

afterEach(() => vi.restoreAllMocks());

const seen = (statement: string, time: string, session: string): FactCandidate => ({ statement, category: 'project', confidence: 0.6, time, source: { by: 'command', session } });

async function monthsRead(fn: () => Promise<unknown>): Promise<string[]> {
  const spy = vi.spyOn(fsp, 'readFile');
  try {
    await fn();
    return [...new Set(spy.mock.calls.map((c) => String(c[0])).filter((f) => f.includes(join('store', 'facts'))).map((f) => f.split(/[\\/]/).pop()!))].sort();
  } finally {
    spy.mockRestore();
  }
}

describe('facts by month', () => {
  it("a session's facts read only the months of the facts they confirm", async () => {
    const ws = await freshWorkspace();
    const ttl = ws.config.memory.ttlDays;
    await ws.store.transact((tx) => recordFacts(tx, [seen('The project uses pnpm.', '2026-09-03T10:00:00.000Z', 's1')], ttl), { purpose: 'test' });
    await ws.store.transact((tx) => recordFacts(tx, [seen('Tests run with vitest.', '2026-10-03T10:00:00.000Z', 's2')], ttl), { purpose: 'test' });
    await ws.store.transact((tx) => recordFacts(tx, [seen('The API lives in server/.', '2026-11-03T10:00:00.000Z', 's3')], ttl), { purpose: 'test' });
    const later = openWorkspace(ws.root);
    const read = await monthsRead(() => later.store.transact((tx) => recordFacts(tx, [seen('Tests run with vitest.', '2026-11-20T10:00:00.000Z', 's4'), seen('Docs are in docs/.', '2026-11-20T10:00:00.000Z', 's4')], ttl), { purpose: 'test' }));
    expect(read).not.toContain('2026-09.json');
    const facts = docRecords(ws.root, 'facts');
    expect(facts.map((f) => f.statement).sort()).toEqual(['Docs are in docs/.', 'Tests run with vitest.', 'The API lives in server/.', 'The project uses pnpm.']);
    expect(facts.find((f) => f.id === factId('Tests run with vitest.'))).toMatchObject({ seen: 2, sessions: ['s2', 's4'] });
  });

  it('a fact seen earlier than it was made is filed once, under the earlier month', async () => {
    const ws = await freshWorkspace();
    const ttl = ws.config.memory.ttlDays;
    await ws.store.transact((tx) => recordFacts(tx, [seen('The project uses pnpm.', '2026-11-03T10:00:00.000Z', 's1')], ttl), { purpose: 'test' });
    await openWorkspace(ws.root).store.transact((tx) => recordFacts(tx, [seen('The project uses pnpm.', '2026-10-20T10:00:00.000Z', 's0')], ttl), { purpose: 'test' });
    const facts = docRecords(ws.root, 'facts');
    expect(facts).toEqual([expect.objectContaining({ statement: 'The project uses pnpm.', created: '2026-10-20T10:00:00.000Z', seen: 2 })]);
  });

  it('a narrative rebuilt from a start in a later month replaces the one before, in one month', async () => {
    const ws = await freshWorkspace();
    const narrative = (start: string) => ({ id: 's1', file: `journal/narratives/${start.slice(0, 10)}/s1.md`, title: 'Fix the build', summary: 'fixed it', start, end: start, calls: 3, failures: 1, files: [], bytesIn: 10, bytesOut: 10, by: 'builtin', builtAt: start, pinned: false, hidden: false });
    await ws.store.transact((tx) => tx.narratives.upsert([narrative('2026-10-31T23:00:00.000Z')]), { purpose: 'test' });
    await openWorkspace(ws.root).store.transact(async (tx) => {
      const [old] = await tx.narratives.having('id', ['s1']);
      expect(old?.start).toBe('2026-10-31T23:00:00.000Z');
      await tx.narratives.upsert([narrative('2026-11-02T09:00:00.000Z')]);
    }, { purpose: 'test' });
    expect(docRecords(ws.root, 'narratives').map((n) => [n.id, n.start])).toEqual([['s1', '2026-11-02T09:00:00.000Z']]);
  });
});

describe('the daily consolidation', () => {
  it("counts the incidents for the day's fitness snapshot from their rows, parsing no month of them", async () => {
    const { consolidateMemory } = await import('../../src/memory/consolidate.js');
    const { incidentRecord } = await import('../helpers/records.js');
    const ws = await freshWorkspace({ clock: () => new Date('2026-11-20T03:00:00Z') });
    await ws.store.transact((tx) => tx.incidents.upsert([incidentRecord('2026-10-02-a001'), { ...incidentRecord('2026-11-03-b002'), status: 'dismissed' }]), { purpose: 'test' });
    await ws.store.incidentRows();
    // The batch waiting to be committed is read by git, not parsed: commit it first.
    await ws.store.flush();
    const later = openWorkspace(ws.root, { clock: () => new Date('2026-11-20T03:00:00Z') });
    const spy = vi.spyOn(fsp, 'readFile');
    const { fitness } = await consolidateMemory(later);
    const read = spy.mock.calls.map((c) => String(c[0])).filter((f) => f.includes(join('store', 'incidents')));
    spy.mockRestore();
    expect(fitness.incidents).toMatchObject({ total: 2, open: 1 });
    expect(read.map((f) => f.split(/[\\/]/).slice(-3).join("/"))).toEqual([]);
  });
});
