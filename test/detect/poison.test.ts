import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { freshWorkspace } from '../helpers/workspace.js';

describe('ingest and odd inputs', () => {
  it('keeps going past a poison trigger file and never writes an invalid record', async () => {
    const ws = await freshWorkspace();
    const put = (name: string, v: unknown) => writeFileSync(join(ws.layout.triggers, `${name}.json`), JSON.stringify(v));
    const base = { v: 1, receivedAt: '2026-11-21T10:00:00.000Z', source: 'hook' };
    put('1-null-payload', { ...base, id: 'a', payload: null });
    put('2-null-rejected', { ...base, id: 'b', rejected: null });
    put('3-empty-report', { ...base, id: 'c', source: 'report', payload: {} });
    put('4-good', { ...base, id: 'd', payload: { hook_event_name: 'PostToolUse', session_id: 's', tool_name: 'Bash', tool_input: { command: 'ls' }, timestamp: 'abc' } });
    put('5-year-only', { ...base, id: 'e', payload: { hook_event_name: 'PostToolUse', session_id: 's', tool_name: 'Bash', timestamp: '2026' } });
    const r = cli(['ingest', '--json'], { cwd: ws.project });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ files: 5, events: 5, rejected: 3 });
    const events = (await ws.store.read('events')).records;
    // A time that is not a full ISO instant is replaced by the time the hook received the event.
    expect(events.filter((e) => e.fate.kind === 'journal').map((e) => e.time)).toEqual(['2026-11-21T10:00:00.000Z', '2026-11-21T10:00:00.000Z']);
    expect(cli(['doctor'], { cwd: ws.project }).code).toBe(0);
    expect(cli(['status'], { cwd: ws.project }).stdout).not.toMatch(/BROKEN/);
  });
});
