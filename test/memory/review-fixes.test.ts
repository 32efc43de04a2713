import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyInTransaction } from '../../src/detect/ingest.js';
import type { IncomingEvent } from '../../src/detect/normalise.js';
import { importTranscripts } from '../../src/detect/import.js';
import { afterEvents, approveAndRemember } from '../../src/app/loop.js';
import { consolidateMemory } from '../../src/memory/consolidate.js';
import { forgetMemory } from '../../src/memory/curate.js';
import { sessionJournalFiles } from '../../src/store/raw-journal-files.js';
import { rememberSessions } from '../../src/memory/remember.js';
import { addDays } from '../../src/util/day.js';
import { cli } from '../helpers/cli.js';
import { freshWorkspace } from '../helpers/workspace.js';
import { docFiles } from '../../src/store/documents.js';

function session(s: string, day: string, prompt: string): IncomingEvent[] {
  const base = { source: 'hook' as const, signal: 'hook' as const, session: s };
  return [
    { ...base, id: `${s}-${day}-p`, time: `${day}T09:00:00.000Z`, kind: 'UserPromptSubmit', text: prompt },
    { ...base, id: `${s}-${day}-e`, time: `${day}T09:30:00.000Z`, kind: 'PostToolUse', tool: 'Edit', target: `/p/${s}-${day}.ts`, ok: true },
    { ...base, id: `${s}-${day}-stop`, time: `${day}T10:00:00.000Z`, kind: 'Stop' },
  ];
}

describe('forgetting sticks', () => {
  it('a forgotten fact is not extracted again when its session is narrated again', async () => {
    const ws = await freshWorkspace();
    const r = await applyInTransaction(ws, session('s1', '2026-11-20', 'Always deploy through staging-db-7.'), [], 'test');
    await rememberSessions(ws, r.written.ended);
    expect((await forgetMemory(ws, { query: 'staging-db-7', category: 'preference' })).items).toHaveLength(1);
    await rememberSessions(ws, ['s1'], { force: true });
    expect((await ws.store.read('facts')).records.map((f) => f.statement)).not.toContain('Always deploy through staging-db-7.');
  });

  it('a forgotten digest is not rebuilt, and a folded session can be forgotten with its journal', async () => {
    let now = new Date('2026-10-01T12:00:00Z');
    const ws = await freshWorkspace({ clock: () => now });
    for (const [s, day] of [['old-a', '2026-10-05'], ['old-b', '2026-10-06']] as const) {
      now = new Date(`${day}T12:00:00Z`);
      const r = await applyInTransaction(ws, session(s, day, `Work on ${s}.`), [], 'test');
      await rememberSessions(ws, r.written.ended);
    }
    now = new Date('2026-10-20T12:00:00Z');
    await consolidateMemory(ws);
    expect((await ws.store.read('digests')).records.map((d) => d.sessions)).toEqual([['old-a', 'old-b']]);

    const one = await forgetMemory(ws, { session: 'old-a' });
    expect(one.files).toEqual(sessionJournalFiles(ws.root, 'old-a').length ? [] : expect.arrayContaining([expect.stringMatching(/old-a\.jsonl$/)]));
    expect(sessionJournalFiles(ws.root, 'old-a')).toEqual([]);

    await forgetMemory(ws, { category: 'weekly' });
    expect((await ws.store.read('digests')).records).toEqual([]);
    const again = await consolidateMemory(ws);
    expect(again.narrated).toEqual([]);
    expect((await ws.store.read('digests')).records).toEqual([]);
    expect((await ws.store.read('narratives')).records).toEqual([]);
  });
});

describe('a session resumed after it was folded', () => {
  it('gets a continuation narrative, folded in later without losing what it added', async () => {
    let now = new Date('2026-10-05T12:00:00Z');
    const ws = await freshWorkspace({ clock: () => now });
    let r = await applyInTransaction(ws, session('long', '2026-10-05', 'Start the parser.'), [], 'test');
    await rememberSessions(ws, r.written.ended);
    now = new Date('2026-10-20T12:00:00Z');
    await consolidateMemory(ws);
    r = await applyInTransaction(ws, session('long', '2026-10-21', 'Resume: finish resumed-UNIQUE.'), [], 'test');
    now = new Date('2026-10-21T12:00:00Z');
    await rememberSessions(ws, r.written.ended);
    const cont = (await ws.store.read('narratives')).records[0]!;
    expect(cont.title).toBe('Resume: finish resumed-UNIQUE.');
    expect(cont.files).toEqual(['/p/long-2026-10-21.ts']);
    now = new Date('2026-11-05T12:00:00Z');
    await consolidateMemory(ws);
    const md = (await ws.store.read('digests')).records.map((d) => readFileSync(join(ws.root, d.file), 'utf8')).join('\n');
    // The continuation lands in the digest of its own week, next to the start's.
    expect(md).toContain('2026-10-05 long · Start the parser.');
    expect(md).toContain('2026-10-21 long · Resume: finish resumed-UNIQUE.');
    expect(md).toContain('/p/long-2026-10-21.ts');
  });
});

describe('approving a rule', () => {
  it('turns the incident into a lesson fact and names the rule in the narrative', async () => {
    const ws = await freshWorkspace();
    const r = await importTranscripts(ws, 'test/fixtures/claude-code/transcripts/spotter__6c2214d7__subagents__agent-afc096d.jsonl');
    await afterEvents(ws, { opened: r.opened, sessions: r.sessions });
    const tree = (await ws.store.read('incidents')).records.find((i) => i.sample.error.includes('tree'))!;
    const rule = tree.rules[0]!;
    expect((await ws.store.read('facts')).records.filter((f) => f.category === 'lesson')).toEqual([]);
    await approveAndRemember(ws, rule);
    const lessons = (await ws.store.read('facts')).records.filter((f) => f.category === 'lesson');
    expect(lessons).toHaveLength(1);
    const n = (await ws.store.read('narratives')).records[0]!;
    expect(readFileSync(join(ws.root, n.file), 'utf8')).toContain(`${tree.id} → ${rule}: `);
  });

  it('does so when the id is typed in lower case, as `rules approve proj-004` accepts it', async () => {
    const ws = await freshWorkspace();
    const r = await importTranscripts(ws, 'test/fixtures/claude-code/transcripts/spotter__6c2214d7__subagents__agent-afc096d.jsonl');
    await afterEvents(ws, { opened: r.opened, sessions: r.sessions });
    const tree = (await ws.store.read('incidents')).records.find((i) => i.sample.error.includes('tree'))!;
    await approveAndRemember(ws, tree.rules[0]!.toLowerCase());
    expect((await ws.store.read('facts')).records.filter((f) => f.category === 'lesson')).toHaveLength(1);
  });
});

describe('hand-edited memory documents', () => {
  it('refuse a narrative file outside journal/narratives/, naming the file and field, and delete nothing', async () => {
    const ws = await freshWorkspace();
    const r = await importTranscripts(ws, 'test/fixtures/claude-code/transcripts');
    await afterEvents(ws, { opened: r.opened, sessions: r.sessions });
    const precious = join(ws.project, 'precious.txt');
    writeFileSync(precious, 'keep me');
    const path = join(ws.root, docFiles(ws.root, 'narratives')[0]!);
    const doc = JSON.parse(readFileSync(path, 'utf8'));
    doc.records[0].file = '../precious.txt';
    writeFileSync(path, JSON.stringify(doc));
    const out = cli(['memory', 'forget', '--session', doc.records[0].id], { cwd: ws.project, env: { NEVO_WORKSPACE: ws.root } });
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/store\/narratives\/\d{4}-\d{2}\.json.*records\[0\]\.file|records\.0\.file/s);
    expect(existsSync(precious)).toBe(true);
  });
});

// Dates in forget filters are days of the workspace's zone, like the journal's folders.
describe('forget --from/--to', () => {
  it('reads a bare date as a day in the configured time zone', async () => {
    const ws = await freshWorkspace();
    ws.config.timeZone = 'America/Los_Angeles';
    const r = await applyInTransaction(ws, session('la', '2026-11-03', 'Late work.').map((e) => ({ ...e, time: e.time.replace('T09:', 'T01:').replace('T10:', 'T02:') })), [], 'test');
    await rememberSessions(ws, r.written.ended);
    // 02:00 UTC on Nov 3 is the evening of Nov 2 in Los Angeles.
    expect((await forgetMemory(ws, { from: '2026-11-02', to: '2026-11-02', session: 'la' }, { dryRun: true })).items.map((i) => i.id)).toContain('narrative:la');
    expect((await forgetMemory(ws, { from: addDays('2026-11-02', 1), session: 'la' }, { dryRun: true })).items).toEqual([]);
  });
});

describe('doctor', () => {
  it('names the journal file and the lines it cannot read', async () => {
    const ws = await freshWorkspace();
    const r = await applyInTransaction(ws, session('s9', '2026-11-20', 'Hello.'), [], 'test');
    const file = r.written.files[0]!;
    writeFileSync(join(ws.root, file), `${readFileSync(join(ws.root, file), 'utf8')}this is garbage\n`);
    const out = cli(['doctor', '--json'], { cwd: ws.project, env: { NEVO_WORKSPACE: ws.root } });
    expect(out.code).toBe(1);
    const check = JSON.parse(out.stdout).checks.find((c: { file: string }) => c.file === file);
    expect(check).toMatchObject({ ok: false, problem: '1 line(s) are not journal lines (line 4): they are kept but not read' });
  });
});
