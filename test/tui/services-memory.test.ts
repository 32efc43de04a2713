// The Memory screen's services over a real workspace: the same core functions the `nevo-tui memory`
// commands call, the index opened once and again only when the memory documents change.
import { describe, expect, it, vi } from 'vitest';
import { addFact } from '../../src/memory/add.js';
import * as indexFile from '../../src/memory/index-file.js';
import { workspaceServices } from '../../src/tui/services.js';
import { freshWorkspace } from '../helpers/workspace.js';

vi.mock('../../src/memory/index-file.js', async (original) => {
  const real = await original<typeof import('../../src/memory/index-file.js')>();
  return { ...real, openMemoryIndex: vi.fn(real.openMemoryIndex) };
});

const opened = () => vi.mocked(indexFile.openMemoryIndex).mock.calls.length;

async function workspaceWithMemory() {
  const ws = await freshWorkspace();
  await addFact(ws, 'Use pnpm, not npm, in this repository', 'preference');
  await addFact(ws, 'The integration database listens on port 5433', 'config');
  const narrative = 'journal/narratives/2026-03-09/s-41.md';
  await ws.store.transact(
    async (tx) => {
      const doc = await tx.doc('narratives');
      const now = ws.clock().toISOString();
      doc.records.push({ id: 's-41', file: narrative, title: 'Fix the missing express module', summary: 'npm test failed with Cannot find module express; npm ci fixed it.', start: now, end: now, calls: 40, failures: 3, files: [], bytesIn: 100, bytesOut: 50, by: 'builtin', builtAt: now, pinned: false, hidden: false });
      tx.touch('narratives');
      tx.writeFile(narrative, '# Fix the missing express module\n\n- npm ci before npm test\n');
      tx.forceCommit = true;
      tx.message('memory', 'narrate s-41');
    },
    { purpose: 'test narrative' },
  );
  return ws;
}

describe('the memory services of the TUI', () => {
  it('search as the CLI does, typos forgiven, over an index opened once until memory changes', async () => {
    const ws = await workspaceWithMemory();
    const services = workspaceServices(ws);
    const before = opened();
    const browse = await services.memorySearch('', {});
    expect(browse.total).toBe(3);
    expect(browse.hits.map((h) => h.item.kind).sort()).toEqual(['fact', 'fact', 'narrative']);
    const typo = await services.memorySearch('pnmp', {});
    expect(typo.hits[0]!.item.title).toBe('Use pnpm, not npm, in this repository');
    expect(typo.hits[0]!.why.parts[0]).toContain('1 edit away');
    await services.memorySearch('port', { category: 'config' });
    expect((await services.memorySearch('', { kind: 'narrative' })).hits.map((h) => h.item.id)).toEqual(['narrative:s-41']);
    expect(opened() - before).toBe(1);
    // a change of facts.json: the next search opens the index again (saved by the change)
    await addFact(ws, 'Run npm ci before npm test', 'lesson');
    expect((await services.memorySearch('npm ci', {})).hits[0]!.item.title).toBe('Run npm ci before npm test');
    expect(opened() - before).toBe(2);
    await services.memorySearch('npm c', {});
    expect(opened() - before).toBe(2);
  });

  it('detail: a fact with its record, a narrative with its Markdown, nothing for an unknown id', async () => {
    const ws = await workspaceWithMemory();
    const services = workspaceServices(ws);
    const [pnpm] = (await services.memorySearch('pnpm', {})).hits;
    const fact = await services.memoryDetail(pnpm!.item.id);
    expect(fact).toMatchObject({ id: pnpm!.item.id, kind: 'fact', markdown: null, record: { statement: 'Use pnpm, not npm, in this repository', category: 'preference', source: { by: 'manual' } } });
    const narrative = await services.memoryDetail('narrative:s-41');
    expect(narrative).toMatchObject({ kind: 'narrative', record: { title: 'Fix the missing express module' } });
    expect(narrative!.markdown).toContain('- npm ci before npm test');
    expect(await services.memoryDetail('fact:0000000000000000')).toBeNull();
    expect(await services.memoryDetail('not an id')).toBeNull();
  });

  it('pin, never recall and forget: a commit each, and the next search shows it', async () => {
    const ws = await workspaceWithMemory();
    const services = workspaceServices(ws);
    const id = (await services.memorySearch('port 5433', {})).hits[0]!.item.id;
    expect(await services.memoryMark(id, 'pin')).toEqual({ id, pinned: true, hidden: false });
    expect((await services.memorySearch('', {})).hits[0]!.item).toMatchObject({ id, pinned: true });
    expect((await ws.history.log({ depth: 1 }))[0]!.subject).toContain(`pin ${id}`);
    await services.memoryMark(id, 'hide');
    expect((await services.memorySearch('', {})).hits.map((h) => h.item.id)).not.toContain(id);
    expect((await services.memorySearch('', { all: true })).hits.find((h) => h.item.id === id)!.item.hidden).toBe(true);
    const r = await services.memoryForget(id);
    expect(r.items.map((i) => i.id)).toEqual([id]);
    expect(r.commit).toMatch(/^[0-9a-f]{40}$/);
    expect((await services.memorySearch('', { all: true })).hits.map((h) => h.item.id)).not.toContain(id);
    expect(await services.memoryDetail(id)).toBeNull();
  });
});
