import { execFileSync } from 'node:child_process';
import { appendFileSync, promises as fsp, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { applyInTransaction } from '../../src/detect/ingest.js';
import { importAndLearn, ingestAndLearn } from '../../src/app/loop.js';
import { parseTranscript } from '../../src/detect/transcript.js';
import { newTriggerId, writeTrigger } from '../../src/detect/trigger.js';
import { configSchema } from '../../src/workspace/config.js';
import { openWorkspace } from '../../src/workspace/workspace.js';
import { freshWorkspace } from '../helpers/workspace.js';
import { cli } from '../helpers/cli.js';

const FIXTURE = 'test/fixtures/claude-code/transcripts/claude-code-viewer__1af7fc5e-8455-4414-9ccd-011d40f70b2a.jsonl';
const SESSION = '1af7fc5e-8455-4414-9ccd-011d40f70b2a';

/** A few minutes after the fixture session's last line: the session is still open. */
const NOW = new Date('2025-09-03T01:00:00Z');

/** A workspace whose config says how calls are captured (nothing: the default), and the fixture session as if it ran in its project. */
async function setUp(capture?: 'call' | 'turn', hooks: Record<string, unknown> = {}) {
  const base = await freshWorkspace();
  const raw = JSON.parse(readFileSync(join(base.root, 'config.json'), 'utf8'));
  raw.hooks = { ...(capture ? { capture } : {}), ...hooks };
  writeFileSync(join(base.root, 'config.json'), `${JSON.stringify(raw, null, 2)}\n`);
  const ws = { ...openWorkspace(base.root, { config: configSchema.parse(raw), clock: () => NOW }), project: base.project };
  const transcript = join(base.project, 'session.jsonl');
  const text = readFileSync(FIXTURE, 'utf8').replaceAll('"/path/to/Demo"', JSON.stringify(base.project));
  writeFileSync(transcript, text);
  const failed = parseTranscript(readFileSync(transcript, 'utf8')).calls.find((c) => !c.ok)!;
  let t = Date.parse('2025-09-03T00:50:00Z');
  const hook = (payload: Record<string, unknown>) => {
    const at = new Date(t++).toISOString();
    writeTrigger(ws.layout.triggers, { v: 1, id: newTriggerId(Date.parse(at)), receivedAt: at, source: 'hook', payload: { session_id: SESSION, cwd: base.project, ...payload } });
  };
  return { ws, transcript, text, failed, hook };
}

const calls = async (ws: Awaited<ReturnType<typeof setUp>>['ws']) => (await ws.store.events.list()).filter((e) => e.kind === 'PostToolUse' || e.kind === 'PostToolUseFailure');

describe('capture by turn', () => {
  it('reads the calls that worked from the transcript when the turn ends, and counts a failure the hook sent live once', async () => {
    const { ws, transcript, failed, hook } = await setUp('turn');
    // Live: the failure, as PostToolUseFailure sends it; then the turn's end.
    hook({ hook_event_name: 'PostToolUseFailure', tool_name: failed.tool, tool_use_id: failed.toolUseId, tool_input: failed.input, error: failed.error });
    hook({ hook_event_name: 'Stop', transcript_path: transcript, stop_hook_active: false });
    await ingestAndLearn(ws);
    const calls = (await ws.store.events.list()).filter((e) => e.kind === 'PostToolUse' || e.kind === 'PostToolUseFailure');
    expect(calls).toHaveLength(12);
    expect(calls.filter((e) => e.ok === false)).toHaveLength(1);
    const incidents = await ws.store.incidents.list();
    expect(incidents.map((i) => i.count)).toEqual([1]);

    // The next turn's end reads on from there: nothing twice.
    hook({ hook_event_name: 'Stop', transcript_path: transcript, stop_hook_active: false });
    await ingestAndLearn(ws);
    expect((await ws.store.events.list()).filter((e) => e.kind === 'PostToolUse' || e.kind === 'PostToolUseFailure')).toHaveLength(12);
    expect((await ws.store.incidents.list()).map((i) => i.count)).toEqual([1]);
  });

  it('a long-running ingester looks for open sessions without parsing the months of sessions nothing changed', async () => {
    const { ws, transcript, hook } = await setUp('turn');
    const old = (month: string, i: number) => ({ id: `old-${month}-${i}`, time: `2025-${month}-0${i + 1}T10:00:00.000Z`, source: 'hook' as const, signal: 'hook' as const, kind: 'PostToolUse', session: `old-${month}-${i}`, tool: 'Read', target: 'a.ts', ok: true });
    await applyInTransaction(ws, [old('07', 0), old('07', 1), old('08', 0)], [], 'test');
    hook({ hook_event_name: 'Stop', transcript_path: transcript, stop_hook_active: false });
    await ingestAndLearn(ws);
    hook({ hook_event_name: 'Stop', transcript_path: transcript, stop_hook_active: false });
    const spy = vi.spyOn(fsp, 'readFile');
    await ingestAndLearn(ws);
    const read = spy.mock.calls.map((c) => String(c[0])).filter((f) => f.includes(join('store', 'sessions'))).map((f) => f.split(/[\\/]/).pop());
    spy.mockRestore();
    expect(read).not.toContain('2025-07.json');
    expect(read).not.toContain('2025-08.json');
  });

  it('passes over a turn whose transcript is not a regular file (a FIFO would wait forever), and still ingests the turn', async () => {
    const { ws, hook } = await setUp('turn');
    const fifo = join(ws.project, 'fifo.jsonl');
    execFileSync('mkfifo', [fifo]);
    hook({ hook_event_name: 'Stop', transcript_path: fifo, stop_hook_active: false });
    hook({ hook_event_name: 'Stop', transcript_path: ws.project + '.jsonl', stop_hook_active: false });
    const r = await ingestAndLearn(ws);
    expect(r.events).toBe(2);
  });

  it('is not what the capture by call does: there each call comes from its hook and Stop reads nothing', async () => {
    const { ws, transcript, failed, hook } = await setUp('call');
    hook({ hook_event_name: 'PostToolUseFailure', tool_name: failed.tool, tool_use_id: failed.toolUseId, tool_input: failed.input, error: failed.error });
    hook({ hook_event_name: 'Stop', transcript_path: transcript, stop_hook_active: false });
    await ingestAndLearn(ws);
    const calls = (await ws.store.events.list()).filter((e) => e.kind === 'PostToolUse' || e.kind === 'PostToolUseFailure');
    expect(calls).toHaveLength(1);
  });

  it('is what hooks install writes and hooks status reports: no PostToolUse or UserPromptSubmit entry, and why', async () => {
    const { ws } = await setUp('turn');
    expect(cli(['hooks', 'install', '--claude-version', '2.1.332'], { cwd: ws.project }).code).toBe(0);
    const r = cli(['hooks', 'status', '--json'], { cwd: ws.project });
    const status = JSON.parse(r.stdout) as { capture: string; events: { event: string; installed: boolean; expected: boolean }[] };
    expect(status.capture).toBe('turn');
    const byEvent = Object.fromEntries(status.events.map((e) => [e.event, e]));
    expect(byEvent.PostToolUse).toMatchObject({ installed: false, expected: false });
    expect(byEvent.UserPromptSubmit).toMatchObject({ installed: false, expected: false });
    expect(byEvent.PostToolUseFailure).toMatchObject({ installed: true });
    expect(cli(['hooks', 'status'], { cwd: ws.project }).stdout).toMatch(/PostToolUse +not needed \(capture by turn/);
  });
});

describe('capture by turn, sessions still open', () => {
  it('is the default', async () => {
    const { ws } = await setUp();
    expect(ws.config.hooks.capture).toBe('turn');
  });

  it('reads what a transcript gained on the next ingest, with no Stop: each call once, a failure also sent live counted once', async () => {
    const { ws, transcript, text, failed, hook } = await setUp();
    const lines = text.split('\n');
    // SessionStart names the transcript; Claude Code has written the first 15 lines.
    writeFileSync(transcript, `${lines.slice(0, 15).join('\n')}\n`);
    hook({ hook_event_name: 'SessionStart', source: 'startup', transcript_path: transcript });
    await ingestAndLearn(ws);
    const first = await calls(ws);
    expect(first.length).toBeGreaterThan(0);
    expect(first.length).toBeLessThan(12);

    // More lines, the last one half written; the failure comes live meanwhile.
    const half = lines[24]!.slice(0, 40);
    appendFileSync(transcript, `${lines.slice(15, 24).join('\n')}\n${half}`);
    hook({ hook_event_name: 'PostToolUseFailure', tool_name: failed.tool, tool_use_id: failed.toolUseId, tool_input: failed.input, error: failed.error, transcript_path: transcript });
    await ingestAndLearn(ws);
    // All but the last call (line 27, not written yet): ten from the transcript, the failure (line 25, half written) sent live.
    expect((await calls(ws)).length).toBe(11);
    expect((await ws.store.incidents.list()).map((i) => i.count)).toEqual([1]);

    // The rest, then ingest twice: everything once.
    appendFileSync(transcript, `${lines[24]!.slice(40)}\n${lines.slice(25).join('\n')}`);
    await ingestAndLearn(ws);
    await ingestAndLearn(ws);
    const all = await calls(ws);
    expect(all).toHaveLength(12);
    expect(new Set(all.map((e) => e.id)).size).toBe(12);
    expect(all.filter((e) => e.ok === false)).toHaveLength(1);
    expect((await ws.store.incidents.list()).map((i) => i.count)).toEqual([1]);
    const prompts = (await ws.store.events.list()).filter((e) => e.kind === 'UserPromptSubmit');
    expect(new Set(prompts.map((e) => e.id)).size).toBe(prompts.length);
    // Read on from where it stopped: the place is kept in bytes as well as lines.
    const record = (await ws.store.imports.list())[0]!;
    expect(record.offset).toBe(readFileSync(transcript).length);
  });

  it('loses no call of a session killed before its Stop and SessionEnd, once ingest runs', async () => {
    const { ws, transcript, hook } = await setUp();
    // Only SessionStart reached nevo; then the session ran its turn and was killed.
    hook({ hook_event_name: 'SessionStart', source: 'startup', transcript_path: transcript });
    const r = await ingestAndLearn(ws);
    expect(r.events).toBeGreaterThan(12);
    expect(await calls(ws)).toHaveLength(12);
    expect((await ws.store.incidents.list()).map((i) => i.count)).toEqual([1]);
    const session = (await ws.store.sessions.list())[0]!;
    expect(session).toMatchObject({ transcript, ended: false, calls: 12 });
  });

  it('stops reading a session after its SessionEnd, or once it was silent longer than hooks.openSessionHours', async () => {
    const ended = await setUp();
    ended.hook({ hook_event_name: 'SessionStart', source: 'startup', transcript_path: ended.transcript });
    ended.hook({ hook_event_name: 'SessionEnd', reason: 'other', transcript_path: ended.transcript });
    await ingestAndLearn(ended.ws);
    // SessionEnd's read took the whole transcript; what is written after it is not read.
    expect(await calls(ended.ws)).toHaveLength(12);
    appendFileSync(ended.transcript, readFileSync(FIXTURE, 'utf8').replaceAll('1af7fc5e', '2bf7fc5e').replaceAll('toolu_', 'toolx_'));
    await ingestAndLearn(ended.ws);
    expect(await calls(ended.ws)).toHaveLength(12);

    // The fixture's last event is 13 minutes before NOW: an hour's bound still reads it, a 0.1 h one does not.
    const stale = await setUp(undefined, { openSessionHours: 0.1 });
    stale.hook({ hook_event_name: 'PostToolUseFailure', tool_name: stale.failed.tool, tool_use_id: stale.failed.toolUseId, tool_input: stale.failed.input, error: stale.failed.error, transcript_path: stale.transcript, timestamp: '2025-09-03T00:47:19Z' });
    await ingestAndLearn(stale.ws);
    expect(await calls(stale.ws)).toHaveLength(1);
    const fresh = await setUp(undefined, { openSessionHours: 1 });
    fresh.hook({ hook_event_name: 'PostToolUseFailure', tool_name: fresh.failed.tool, tool_use_id: fresh.failed.toolUseId, tool_input: fresh.failed.input, error: fresh.failed.error, transcript_path: fresh.transcript, timestamp: '2025-09-03T00:47:19Z' });
    await ingestAndLearn(fresh.ws);
    expect(await calls(fresh.ws)).toHaveLength(12);
  });

  it('passes over an open session whose transcript is not a regular file', async () => {
    const { ws, hook } = await setUp();
    const fifo = join(ws.project, 'open.jsonl');
    execFileSync('mkfifo', [fifo]);
    hook({ hook_event_name: 'SessionStart', source: 'startup', transcript_path: fifo });
    const r = await ingestAndLearn(ws);
    expect(r.events).toBe(1);
    expect((await ws.store.sessions.list())[0]!.transcript).toBe(fifo);
    expect((await ingestAndLearn(ws)).events).toBe(0);
  });

  it('does not read the prompts again of a session whose UserPromptSubmit hook sent them (settings written for the capture by call)', async () => {
    const { ws, transcript, hook } = await setUp();
    hook({ hook_event_name: 'UserPromptSubmit', prompt: 'the prompt as the hook sent it', transcript_path: transcript });
    await ingestAndLearn(ws);
    expect(await calls(ws)).toHaveLength(12);
    expect((await ws.store.events.list()).filter((e) => e.kind === 'UserPromptSubmit')).toHaveLength(1);
  });

  it('is not read with the capture by call', async () => {
    const { ws, transcript, hook } = await setUp('call');
    hook({ hook_event_name: 'SessionStart', source: 'startup', transcript_path: transcript });
    await ingestAndLearn(ws);
    expect(await calls(ws)).toHaveLength(0);
  });
});

describe('import of a session the hooks recorded', () => {
  it('reads the calls the hooks did not send (a session killed before its Stop, with open sessions not read): each call once', async () => {
    const { ws, transcript, failed, hook } = await setUp(undefined, { openSessionHours: 0 });
    hook({ hook_event_name: 'SessionStart', source: 'startup', transcript_path: transcript });
    hook({ hook_event_name: 'PostToolUseFailure', tool_name: failed.tool, tool_use_id: failed.toolUseId, tool_input: failed.input, error: failed.error, transcript_path: transcript });
    await ingestAndLearn(ws);
    expect(await calls(ws)).toHaveLength(1);
    const r = await importAndLearn(ws, transcript);
    expect(r.files).toMatchObject([{ status: 'imported', events: 11 + 1 }]); // the 11 calls that worked and the slash command that started it
    expect(await calls(ws)).toHaveLength(12);
    expect((await ws.store.incidents.list()).map((i) => i.count)).toEqual([1]);
    // Again: nothing twice.
    appendFileSync(transcript, '\n');
    expect((await importAndLearn(ws, transcript)).files).toMatchObject([{ status: 'recorded live', events: 0 }]);
  });
});

describe('a workspace that says how it captures', () => {
  it('keeps "call": hooks install writes a hook per call and status says so; the default says by turn', async () => {
    const { ws } = await setUp('call');
    expect(cli(['hooks', 'install', '--claude-version', '2.1.332'], { cwd: ws.project }).stdout).toContain('Capture by call (hooks.capture in config.json)');
    const status = JSON.parse(cli(['hooks', 'status', '--json'], { cwd: ws.project }).stdout) as { capture: string; events: { event: string; installed: boolean }[] };
    expect(status.capture).toBe('call');
    expect(status.events.find((e) => e.event === 'PostToolUse')).toMatchObject({ installed: true });
    const byDefault = await setUp();
    expect(cli(['hooks', 'install', '--claude-version', '2.1.332'], { cwd: byDefault.ws.project }).stdout).toContain('Capture by turn (the default)');
    expect(cli(['hooks', 'status'], { cwd: byDefault.ws.project }).stdout).toContain('Capture by turn (the default)');
    // A Claude Code without background hooks is captured by call, whatever the config says.
    expect(cli(['hooks', 'install', '--claude-version', '2.1.0'], { cwd: byDefault.ws.project }).code).toBe(0);
    expect(JSON.parse(cli(['hooks', 'status', '--json'], { cwd: byDefault.ws.project }).stdout)).toMatchObject({ capture: 'call' });
  });
});
