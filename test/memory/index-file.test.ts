import { readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importTranscripts } from '../../src/detect/import.js';
import { afterEvents } from '../../src/app/loop.js';
import { addFact } from '../../src/memory/add.js';
import { consolidateMemory } from '../../src/memory/consolidate.js';
import { INDEX_FILE, openMemoryIndex } from '../../src/memory/index-file.js';
import { freshWorkspace } from '../helpers/workspace.js';
import { docFiles } from '../../src/store/documents.js';
import { atomicWriteFileSync } from '../../src/util/atomic-write.js';

describe('the saved search index', () => {
  it('is saved by every change of memory, so opening it later builds nothing', async () => {
    const ws = await freshWorkspace();
    const r = await importTranscripts(ws, 'test/fixtures/claude-code/transcripts');
    await afterEvents(ws, { opened: r.opened, sessions: r.sessions });
    expect((await openMemoryIndex(ws)).rebuilt).toBe(false);
    await addFact(ws, 'Use pnpm, not npm', 'preference');
    expect((await openMemoryIndex(ws)).rebuilt).toBe(false);
    await consolidateMemory(ws);
    const opened = await openMemoryIndex(ws);
    expect(opened.rebuilt).toBe(false);
    expect(opened.index.size).toBeGreaterThan(0);
  });

  it('is built again when the documents changed behind its back, or when it is damaged', async () => {
    const ws = await freshWorkspace();
    await addFact(ws, 'Use pnpm, not npm', 'preference');
    // A revert, a hand edit or another version of nevo-tui changes a document without the index.
    const facts = join(ws.root, docFiles(ws.root, 'facts')[0]!);
    writeFileSync(facts, readFileSync(facts, 'utf8').replace('Use pnpm, not npm', 'Use yarn, not npm'));
    const again = await openMemoryIndex(ws);
    expect(again.rebuilt).toBe(true);
    expect(again.index.text(0)).toBe('Use yarn, not npm');
    writeFileSync(join(ws.root, INDEX_FILE), 'not an index');
    expect((await openMemoryIndex(ws)).rebuilt).toBe(true);
    expect((await openMemoryIndex(ws)).rebuilt).toBe(false);
  });

  it('is built again after a change of the same size within one tick of the file clock', async () => {
    const ws = await freshWorkspace();
    await addFact(ws, 'Use pnpm, not npm', 'preference');
    // The store replaces a file (a temp file renamed over it); a fact confirmed again changes its
    // times and confidence, not its size, and two changes can fall within one tick of the clock
    // the file system stamps times with (several milliseconds on Linux): the same size and time.
    const facts = join(ws.root, docFiles(ws.root, 'facts')[0]!);
    const tick = new Date('2026-11-20T10:00:00.000Z');
    utimesSync(facts, tick, tick);
    expect((await openMemoryIndex(ws)).rebuilt).toBe(true);
    expect((await openMemoryIndex(ws)).rebuilt).toBe(false);
    const text = readFileSync(facts, 'utf8');
    const changed = text.replace('Use pnpm, not npm', 'Use bunx, not npx');
    expect(changed.length).toBe(text.length);
    atomicWriteFileSync(facts, changed);
    utimesSync(facts, tick, tick);
    const again = await openMemoryIndex(ws);
    expect(again.rebuilt).toBe(true);
    expect(again.index.text(0)).toBe('Use bunx, not npx');
  });
});
