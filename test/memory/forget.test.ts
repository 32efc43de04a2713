import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importTranscripts } from '../../src/detect/import.js';
import { addFact } from '../../src/memory/add.js';
import { forgetMemory, markMemory, selectForget } from '../../src/memory/curate.js';
import { searchWorkspaceMemory } from '../../src/memory/search.js';
import { afterEvents } from '../../src/app/loop.js';
import { revertCommit } from '../../src/app/revert.js';
import type { MemoryItem } from '../../src/memory/item.js';
import { cli } from '../helpers/cli.js';
import { freshWorkspace } from '../helpers/workspace.js';

const item = (id: string, text: string, extra: Partial<MemoryItem> = {}): MemoryItem => ({ id, kind: 'fact', title: text, text, category: 'preference', time: '2026-11-01T00:00:00.000Z', confidence: 0.9, pinned: false, hidden: false, ...extra });

describe('selectForget', () => {
  const items = [
    item('fact:a', 'Always use pnpm, never npm'),
    item('fact:b', 'Tests run with pnpm test', { category: 'config', time: '2026-10-01T00:00:00.000Z' }),
    item('narrative:s1', 'Fixed the flaky pnpm lint', { kind: 'narrative', category: 'narrative', session: 's1' }),
  ];
  it('takes items holding every word of the query, not fuzzy neighbours', () => {
    expect(selectForget(items, { query: 'pnpm never' }).map((i) => i.id)).toEqual(['fact:a']);
    expect(selectForget(items, { query: 'pnmp' })).toEqual([]);
  });
  it('filters by category, date range and session', () => {
    expect(selectForget(items, { category: 'config' }).map((i) => i.id)).toEqual(['fact:b']);
    expect(selectForget(items, { from: '2026-10-15' }).map((i) => i.id)).toEqual(['fact:a', 'narrative:s1']);
    expect(selectForget(items, { to: '2026-10-01' }).map((i) => i.id)).toEqual(['fact:b']);
    expect(selectForget(items, { session: 's1' }).map((i) => i.id)).toEqual(['narrative:s1']);
  });
  it('refuses to forget everything at once', () => {
    expect(() => selectForget(items, {})).toThrow(/never forgets everything/);
  });
});

describe('memory forget, pin and hide', () => {
  it('forgets in one commit that revert takes back, and search follows both', async () => {
    const ws = await freshWorkspace();
    await addFact(ws, 'Always use pnpm, never npm', 'preference');
    await addFact(ws, 'The staging database is read-only', 'project');
    const dry = await forgetMemory(ws, { query: 'pnpm' }, { dryRun: true });
    expect(dry.items.map((i) => i.title)).toEqual(['Always use pnpm, never npm']);
    expect(dry.commit).toBeNull();
    expect((await searchWorkspaceMemory(ws, 'pnpm')).hits).toHaveLength(1);

    const done = await forgetMemory(ws, { query: 'pnpm' });
    expect(done.commit).not.toBeNull();
    expect((await ws.history.log({ depth: 1 }))[0]!.subject).toBe('memory: forget 1 item(s) matching "pnpm"');
    expect((await ws.store.read('facts')).records.map((f) => f.statement)).toEqual(['The staging database is read-only']);
    expect((await searchWorkspaceMemory(ws, 'pnpm')).hits).toHaveLength(0);

    await revertCommit(ws, done.commit!);
    expect((await ws.store.read('facts')).records.map((f) => f.statement).sort()).toEqual(['Always use pnpm, never npm', 'The staging database is read-only']);
    expect((await searchWorkspaceMemory(ws, 'pnpm')).hits.map((h) => h.item.title)).toEqual(['Always use pnpm, never npm']);
  });

  it("forgets a session's narrative with its raw journal, so consolidation does not write it again", async () => {
    const ws = await freshWorkspace();
    const r = await importTranscripts(ws, 'test/fixtures/claude-code/transcripts/claude-code-viewer__1af7fc5e-8455-4414-9ccd-011d40f70b2a.jsonl');
    await afterEvents(ws, { opened: r.opened, sessions: r.sessions });
    const session = '1af7fc5e-8455-4414-9ccd-011d40f70b2a';
    const narrative = (await ws.store.read('narratives')).records[0]!;
    const done = await forgetMemory(ws, { session });
    expect(done.items.map((i) => i.id)).toContain(`narrative:${session}`);
    expect(done.files).toEqual([narrative.file, `journal/raw/2025-09-03/${session}.jsonl`]);
    for (const f of done.files) expect(existsSync(join(ws.root, f))).toBe(false);
    const c = cli(['memory', 'consolidate', '--json'], { cwd: ws.project, env: { NEVO_WORKSPACE: ws.root } });
    expect(JSON.parse(c.stdout).narrated).toEqual([]);
    expect((await ws.store.read('narratives')).records).toEqual([]);
    await revertCommit(ws, done.commit!);
    for (const f of done.files) expect(existsSync(join(ws.root, f))).toBe(true);
  });

  it('pins to the top and hides from recall, each a commit', async () => {
    const ws = await freshWorkspace();
    await addFact(ws, 'Run the linter with pnpm lint', 'config');
    await addFact(ws, 'Use pnpm for everything', 'preference');
    const before = (await searchWorkspaceMemory(ws, 'pnpm')).hits.map((h) => h.item.title);
    const last = (await searchWorkspaceMemory(ws, 'pnpm')).hits.at(-1)!.item;
    await markMemory(ws, last.id, 'pin');
    const after = (await searchWorkspaceMemory(ws, 'pnpm')).hits;
    expect(after[0]!.item.id).toBe(last.id);
    expect(after[0]!.why.pinned).toBe(true);
    expect(before).toHaveLength(2);

    await markMemory(ws, last.id, 'hide');
    expect((await searchWorkspaceMemory(ws, 'pnpm')).hits.map((h) => h.item.id)).not.toContain(last.id);
    expect((await searchWorkspaceMemory(ws, 'pnpm', { all: true })).hits.map((h) => h.item.id)).toContain(last.id);
    expect((await ws.history.log({ depth: 2 })).map((c) => c.subject)).toEqual([`memory: hide ${last.id}`, `memory: pin ${last.id}`]);
    await expect(markMemory(ws, 'fact:0000000000000000', 'pin')).rejects.toThrow(/no memory item fact:0000000000000000/);
    await expect(markMemory(ws, 'nonsense', 'pin')).rejects.toThrow(/not a memory id/);
  });
});

describe('nevo-tui memory (the CLI)', () => {
  it('says which flag is wrong and how to fix it', async () => {
    const ws = await freshWorkspace();
    const env = { NEVO_WORKSPACE: ws.root };
    const since = cli(['memory', 'search', 'x', '--since', 'yesterday'], { cwd: ws.project, env });
    expect(since.code).toBe(1);
    expect(since.stderr).toMatch(/--since takes a date such as 2026-11-01/);
    const cat = cli(['memory', 'search', 'x', '--category', 'prefs'], { cwd: ws.project, env });
    expect(cat.stderr).toMatch(/--category must be one of preference, lesson, config, project, decision, event, narrative, weekly, monthly, not "prefs"/);
    const all = cli(['memory', 'forget'], { cwd: ws.project, env });
    expect(all.code).toBe(1);
    expect(all.stderr).toMatch(/never forgets everything/);
  });
});
