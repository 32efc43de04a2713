// A change made by ingest reads the months that hold what its events count (the incidents their
// failures repeat, their sessions) and the current ones, never the year: before, every one-event
// change read every incident and every session, and its cost grew with the history.
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { applyInTransaction } from '../../src/detect/ingest.js';
import type { IncomingEvent } from '../../src/detect/normalise.js';
import { openWorkspace } from '../../src/workspace/workspace.js';
import { docRecords, freshWorkspace } from '../helpers/workspace.js';

afterEach(() => vi.restoreAllMocks());

let n = 0;
const call = (time: string, session: string, error?: string): IncomingEvent => ({
  id: `ev-${++n}`,
  time,
  source: 'hook',
  signal: 'hook',
  kind: error ? 'PostToolUseFailure' : 'PostToolUse',
  session,
  tool: 'Bash',
  target: error ? 'jq .name package.json' : 'ls',
  ok: !error,
  ...(error ? { error } : {}),
});
const JQ = 'Exit code 127\n/bin/bash: line 1: jq: command not found';

/** The month files of `doc` a process reads while `fn` runs. */
async function monthsRead(doc: 'incidents' | 'sessions', fn: () => Promise<unknown>): Promise<string[]> {
  const spy = vi.spyOn(fsp, 'readFile');
  try {
    await fn();
    return [...new Set(spy.mock.calls.map((c) => String(c[0])).filter((f) => f.includes(join('store', doc))).map((f) => f.split(/[\\/]/).pop()!))].sort();
  } finally {
    spy.mockRestore();
  }
}

/** A workspace with a failure and sessions in October and November. */
async function year() {
  const ws = await freshWorkspace();
  await applyInTransaction(ws, [call('2026-10-05T10:00:00.000Z', 'oct', JQ), call('2026-10-05T10:01:00.000Z', 'oct')], [], 'test');
  await applyInTransaction(ws, [call('2026-11-05T10:00:00.000Z', 'nov', 'Exit code 1\nnpm error Missing script: "lint"'), call('2026-11-05T10:01:00.000Z', 'nov')], [], 'test');
  return ws;
}

describe('ingest reads only the months it needs', () => {
  it('a call that worked, in a new session, reads no month of incidents and none of the sessions before', async () => {
    const ws = await year();
    // A process before built the index of which month holds what; a later one reads the index only.
    await applyInTransaction(openWorkspace(ws.root), [call('2026-12-01T09:00:00.000Z', 'warm')], [], 'test');
    const later = openWorkspace(ws.root);
    expect(await monthsRead('incidents', () => applyInTransaction(later, [call('2026-12-01T10:00:00.000Z', 'dec')], [], 'test'))).toEqual([]);
    const sessionsRead = await monthsRead('sessions', () => applyInTransaction(openWorkspace(ws.root), [call('2026-12-01T10:05:00.000Z', 'dec-2')], [], 'test'));
    expect(sessionsRead).not.toContain('2026-10.json');
    expect(sessionsRead).not.toContain('2026-11.json');
    expect(docRecords(ws.root, 'sessions').map((s) => s.id)).toEqual(['oct', 'nov', 'warm', 'dec', 'dec-2']);
  });

  it("a failure seen in October counts October's incident, reading October and the current month only", async () => {
    const ws = await year();
    await applyInTransaction(openWorkspace(ws.root), [call('2026-12-01T09:00:00.000Z', 'warm')], [], 'test');
    const read = await monthsRead('incidents', () => applyInTransaction(openWorkspace(ws.root), [call('2026-12-02T10:00:00.000Z', 'oct', JQ)], [], 'test'));
    expect(read).toEqual(['2026-10.json']);
    const incidents = docRecords(ws.root, 'incidents');
    expect(incidents).toHaveLength(2);
    expect(incidents.find((i) => i.id.startsWith('2026-10'))).toMatchObject({ count: 2, lastSeen: '2026-12-02T10:00:00.000Z' });
    // The session of October is counted where it is filed, not made again in December.
    const sessions = docRecords(ws.root, 'sessions');
    expect(sessions.filter((s) => s.id === 'oct')).toEqual([expect.objectContaining({ calls: 3, failures: 2, lastSeen: '2026-12-02T10:00:00.000Z' })]);
  });

  it('a new failure opens an incident in its own month, without a second id for the same day', async () => {
    const ws = await year();
    await applyInTransaction(openWorkspace(ws.root), [call('2026-10-05T11:00:00.000Z', 'oct-2', 'Exit code 1\nfatal: not a git repository (or any of the parent directories): .git')], [], 'test');
    const incidents = docRecords(ws.root, 'incidents');
    expect(incidents).toHaveLength(3);
    expect(new Set(incidents.map((i) => i.id)).size).toBe(3);
    expect(incidents.filter((i) => i.id.startsWith('2026-10-05'))).toHaveLength(2);
  });

  it('a session whose first call comes late from an earlier month is filed once, under that month', async () => {
    const ws = await year();
    await applyInTransaction(openWorkspace(ws.root), [call('2026-10-30T23:00:00.000Z', 'nov')], [], 'test');
    const sessions = docRecords(ws.root, 'sessions');
    expect(sessions.filter((s) => s.id === 'nov')).toEqual([expect.objectContaining({ firstSeen: '2026-10-30T23:00:00.000Z', calls: 3 })]);
    expect((await openWorkspace(ws.root).store.sessions.list()).filter((s) => s.id === 'nov')).toHaveLength(1);
  });
});
