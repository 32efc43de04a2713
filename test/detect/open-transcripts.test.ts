import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { grewSince, openSessionTranscripts, transcriptGrowth } from '../../src/detect/open-transcripts.js';
import { sessionTranscripts } from '../../src/detect/transcript-files.js';
import type { SessionRecord } from '../../src/store/schemas.js';
import { scratch } from '../helpers/workspace.js';

const NOW = new Date('2026-12-06T02:00:00Z');
const session = (id: string, over: Partial<SessionRecord>): SessionRecord => ({ id, source: 'hook', firstSeen: '2026-12-06T01:00:00.000Z', lastSeen: '2026-12-06T01:59:00.000Z', events: 1, calls: 0, failures: 0, ended: false, ...over });

describe('the transcripts of open sessions', () => {
  it('are those of sessions with a transcript, no SessionEnd, seen within the bound', () => {
    const sessions = [
      session('a', { transcript: '/p/a.jsonl' }),
      session('b', { transcript: '/p/b.jsonl', ended: true }),
      session('c', { transcript: '/p/c.jsonl', lastSeen: '2026-12-05T01:00:00.000Z' }),
      session('d', {}),
      session('e', { transcript: '/p/a.jsonl' }),
    ];
    expect(openSessionTranscripts(sessions, NOW, 24)).toEqual(['/p/a.jsonl']);
    expect(openSessionTranscripts(sessions, NOW, 26)).toEqual(['/p/a.jsonl', '/p/c.jsonl']);
    expect(openSessionTranscripts(sessions, NOW, 0)).toEqual([]);
  });

  it('grew when the size differs from the last read, or when never read and not empty', () => {
    expect(grewSince(10, { bytes: 10 })).toBe(false);
    expect(grewSince(12, { bytes: 10 })).toBe(true);
    expect(grewSince(0, undefined)).toBe(false);
    expect(grewSince(1, undefined)).toBe(true);
  });

  it('include the subagents beside a transcript, regular files only', () => {
    const dir = scratch();
    const main = join(dir, 's1.jsonl');
    writeFileSync(main, '{}\n');
    mkdirSync(join(dir, 's1', 'subagents'), { recursive: true });
    writeFileSync(join(dir, 's1', 'subagents', 'agent-x.jsonl'), '{}\n');
    execFileSync('mkfifo', [join(dir, 's1', 'subagents', 'agent-y.jsonl')]);
    expect(sessionTranscripts(main)).toEqual([main, join(dir, 's1', 'subagents', 'agent-x.jsonl')]);
    execFileSync('mkfifo', [join(dir, 'fifo.jsonl')]);
    expect(sessionTranscripts(join(dir, 'fifo.jsonl'))).toEqual([]);
    expect(sessionTranscripts(join(dir, 'gone.jsonl'))).toEqual([]);
  });

  it('are checked for growth once per size: a file ingest passes over does not start it at every poll', async () => {
    const dir = scratch();
    const file = join(dir, 's.jsonl');
    writeFileSync(file, '{"a":1}\n');
    const read = new Map<string, number>();
    const grown = transcriptGrowth({ sessions: async () => [session('s', { transcript: file })], imported: async (f) => (read.has(f) ? { bytes: read.get(f)! } : undefined), now: () => NOW, hours: 24 });
    expect(await grown()).toBe(true);
    expect(await grown()).toBe(false);
    appendFileSync(file, '{"b":2}\n');
    expect(await grown()).toBe(true);
    read.set(file, 16);
    appendFileSync(file, '{"c":3}\n');
    expect(await grown()).toBe(true);
    read.set(file, 24);
    expect(await grown()).toBe(false);
  });
});
