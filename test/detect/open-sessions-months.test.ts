// With the capture by turn, every ingest looks for the transcripts of the sessions still open (seen
// within hooks.openSessionHours). Sessions are filed by the month they were first seen; a year holds
// thousands. The look reads the months whose latest session was seen within the hours, from a
// per-month index, and not the year: a session first seen last month and still going is found, a
// month seen long ago is not read.
import { promises as fsp, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ingestAndLearn, openSessionsOf } from '../../src/app/loop.js';
import type { SessionRecord } from '../../src/store/schemas.js';
import { openWorkspace } from '../../src/workspace/workspace.js';
import { freshWorkspace } from '../helpers/workspace.js';

const clock = () => new Date('2026-12-20T12:00:00.000Z');

function session(id: string, firstSeen: string, lastSeen: string, transcript?: string): SessionRecord {
  return { id, source: 'hook', firstSeen, lastSeen, events: 3, calls: 3, failures: 0, ended: false, ...(transcript ? { transcript } : {}) };
}

/** The session months a process reads while `fn` runs. */
async function monthsRead(fn: () => Promise<unknown>): Promise<string[]> {
  const spy = vi.spyOn(fsp, 'readFile');
  try {
    await fn();
    return spy.mock.calls.map((c) => String(c[0])).filter((f) => f.includes(join('store', 'sessions'))).map((f) => f.split(/[\\/]/).pop()!).sort();
  } finally {
    spy.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

describe('the sessions still open', () => {
  it('are read from the months that saw a session within the hours, a long session of last month included', async () => {
    const ws = await freshWorkspace({ clock });
    const transcript = join(ws.project, 'long.jsonl');
    writeFileSync(transcript, '');
    const september = Array.from({ length: 4 }, (_, i) => session(`sep-${i}`, `2026-09-0${i + 1}T10:00:00.000Z`, `2026-09-0${i + 1}T11:00:00.000Z`, join(ws.project, `old-${i}.jsonl`)));
    const long = session('nov-long', '2026-11-30T22:00:00.000Z', '2026-12-20T09:00:00.000Z', transcript);
    const november = [session('nov-0', '2026-11-02T10:00:00.000Z', '2026-11-02T11:00:00.000Z'), long];
    const december = [session('dec-0', '2026-12-20T08:00:00.000Z', '2026-12-20T08:30:00.000Z')];
    await ws.store.transact(async (tx) => tx.sessions.upsert([...september, ...november, ...december]), { purpose: 'test' });

    const later = openWorkspace(ws.root, { clock });
    let open: SessionRecord[] = [];
    expect(await monthsRead(async () => (open = await openSessionsOf(later)))).toEqual(['2026-11.json', '2026-12.json']);
    expect(open.map((s) => s.id).sort()).toEqual(['dec-0', 'nov-long']);

    // An ingest by turn with nothing waiting looks for open transcripts the same way.
    expect(await monthsRead(() => ingestAndLearn(openWorkspace(ws.root, { clock })))).not.toContain('2026-09.json');
  });
});
