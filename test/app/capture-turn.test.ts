import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestAndLearn } from '../../src/app/loop.js';
import { parseTranscript } from '../../src/detect/transcript.js';
import { newTriggerId, writeTrigger } from '../../src/detect/trigger.js';
import { configSchema } from '../../src/workspace/config.js';
import { openWorkspace } from '../../src/workspace/workspace.js';
import { freshWorkspace } from '../helpers/workspace.js';
import { cli } from '../helpers/cli.js';

const FIXTURE = 'test/fixtures/claude-code/transcripts/claude-code-viewer__1af7fc5e-8455-4414-9ccd-011d40f70b2a.jsonl';
const SESSION = '1af7fc5e-8455-4414-9ccd-011d40f70b2a';

/** A workspace whose config says how calls are captured, and the fixture session as if it ran in its project. */
async function setUp(capture: 'call' | 'turn') {
  const base = await freshWorkspace();
  const raw = JSON.parse(readFileSync(join(base.root, 'config.json'), 'utf8'));
  raw.hooks = { capture };
  writeFileSync(join(base.root, 'config.json'), `${JSON.stringify(raw, null, 2)}\n`);
  const ws = { ...openWorkspace(base.root, { config: configSchema.parse(raw) }), project: base.project };
  const transcript = join(base.project, 'session.jsonl');
  writeFileSync(transcript, readFileSync(FIXTURE, 'utf8').replaceAll('"/path/to/Demo"', JSON.stringify(base.project)));
  const failed = parseTranscript(readFileSync(transcript, 'utf8')).calls.find((c) => !c.ok)!;
  let t = Date.parse('2025-09-03T00:50:00Z');
  const hook = (payload: Record<string, unknown>) => {
    const at = new Date(t++).toISOString();
    writeTrigger(ws.layout.triggers, { v: 1, id: newTriggerId(Date.parse(at)), receivedAt: at, source: 'hook', payload: { session_id: SESSION, cwd: base.project, ...payload } });
  };
  return { ws, transcript, failed, hook };
}

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
