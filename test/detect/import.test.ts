import { cpSync, appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { transcriptCwd } from '../../src/detect/import.js';
import { newTriggerId, writeTrigger } from '../../src/detect/trigger.js';
import { cli } from '../helpers/cli.js';
import { freshWorkspace, scratch } from '../helpers/workspace.js';

const TRANSCRIPTS = 'test/fixtures/claude-code/transcripts';

/** The fixtures laid out the way Claude Code keeps them under ~/.claude/projects. */
function claudeProjects(): string {
  const root = scratch('nevo-claude-');
  const a = join(root, '-home-u-sample-project');
  mkdirSync(a, { recursive: true });
  cpSync(join(TRANSCRIPTS, 'claude-code-viewer__1af7fc5e-8455-4414-9ccd-011d40f70b2a.jsonl'), join(a, '1af7fc5e-8455-4414-9ccd-011d40f70b2a.jsonl'));
  cpSync(join(TRANSCRIPTS, 'claude-code-viewer__5c0375b4-57a5-4f26-b12d-d022ee4e51b7.jsonl'), join(a, '5c0375b4-57a5-4f26-b12d-d022ee4e51b7.jsonl'));
  const b = join(root, '-home-u-spotter', '6c2214d7-b87e-4432-8e41-22ba294ea584', 'subagents');
  mkdirSync(b, { recursive: true });
  cpSync(join(TRANSCRIPTS, 'spotter__6c2214d7__subagents__agent-afc096d.jsonl'), join(b, 'agent-afc096d.jsonl'));
  return root;
}

describe('nevo-tui import', () => {
  it('takes in hook events still waiting first, so a session recorded live is not counted again from its transcript', async () => {
    const ws = await freshWorkspace();
    const session = '6c2214d7-b87e-4432-8e41-22ba294ea584';
    // The live hook recorded the failed call; nothing has ingested its trigger yet.
    writeTrigger(ws.layout.triggers, {
      v: 1,
      id: newTriggerId(Date.parse('2026-02-10T22:15:44.594Z')),
      receivedAt: '2026-02-10T22:15:44.594Z',
      source: 'hook',
      payload: { session_id: session, cwd: '/home/USER/projects/spotter-worktrees/spotter-0rt', hook_event_name: 'PostToolUseFailure', tool_name: 'Bash', tool_input: { command: 'tree -L 2' }, error: 'Exit code 127\n(eval):1: command not found: tree' },
    });
    const r = cli(['import', claudeProjects(), '--json'], { cwd: ws.project });
    expect(r.code, r.stderr).toBe(0);
    const tree = (await ws.store.read('incidents')).records.filter((i) => i.category === 'command not found');
    expect(tree.map((i) => i.count)).toEqual([1]);
    expect(tree[0]!.signal).toBe('hook');
  });

  it('turns the real fixture transcripts into the expected incidents', async () => {
    const ws = await freshWorkspace();
    const r = cli(['import', claudeProjects(), '--json'], { cwd: ws.project });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.files).toHaveLength(3);
    // 81 tool calls, plus what started each session: 2 slash commands and 2 subagent tasks.
    expect(out.events).toBe(85);
    expect(out.opened).toHaveLength(6);
    const incidents = (await ws.store.read('incidents')).records;
    const summary = incidents.map((i) => `${i.tool} | ${i.category}`).sort();
    expect(summary).toEqual([
      'Bash | command not found',
      'Bash | file not found',
      'Edit | file not read first',
      'Read | input validation',
      'Task | input validation',
      'Write | permission',
    ]);
    const tree = incidents.find((i) => i.category === 'command not found')!;
    expect(tree.sample.error).toContain('command not found: tree');
    expect(tree.signal).toBe('transcript');
    expect(tree.sessions).toEqual(['6c2214d7-b87e-4432-8e41-22ba294ea584']);
    const stats = JSON.parse(cli(['stats', '--json', '--days', '3650'], { cwd: ws.project }).stdout);
    expect(stats.total).toMatchObject({ calls: 81, failures: 6 });
    // Stored in the order they happened within each transcript, what started a session first.
    const events = (await ws.store.read('events')).records;
    for (const session of new Set(events.map((e) => e.session))) {
      const times = events.filter((e) => e.session === session).map((e) => Date.parse(e.time));
      expect(times, session).toEqual([...times].sort((a, b) => a - b));
    }
  });

  it('adds nothing the second time, and reads on when a transcript grew', async () => {
    const ws = await freshWorkspace();
    const projects = claudeProjects();
    cli(['import', projects], { cwd: ws.project });
    const again = JSON.parse(cli(['import', projects, '--json'], { cwd: ws.project }).stdout);
    expect(again.events).toBe(0);
    expect(again.files.map((f: { status: string }) => f.status)).toEqual(['unchanged', 'unchanged', 'unchanged']);

    const file = join(projects, '-home-u-sample-project', '1af7fc5e-8455-4414-9ccd-011d40f70b2a.jsonl');
    const session = '1af7fc5e-8455-4414-9ccd-011d40f70b2a';
    const base = { sessionId: session, cwd: '/home/u/sample-project', timestamp: '2026-11-21T10:00:00.000Z', isSidechain: false, version: '1.0.98' };
    appendFileSync(
      file,
      [
        JSON.stringify({ ...base, type: 'assistant', uuid: 'a1', message: { id: 'm1', role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_new1', name: 'Bash', input: { command: 'tree' } }] } }),
        JSON.stringify({ ...base, type: 'user', uuid: 'u1', message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_new1', is_error: true, content: 'Exit code 127\n(eval):1: command not found: tree' }] } }),
        'this line is broken {',
      ].join('\n') + '\n',
    );
    const grown = JSON.parse(cli(['import', projects, '--json'], { cwd: ws.project }).stdout);
    expect(grown.events).toBe(1);
    expect(grown.counted).toBe(1);
    expect(grown.skipped.broken).toBe(1);
    const incident = (await ws.store.read('incidents')).records.find((i) => i.category === 'command not found')!;
    expect(incident.count).toBe(2);
    expect(incident.sessions).toHaveLength(2);
  });

  it('says clearly when the path holds no transcript', async () => {
    const ws = await freshWorkspace();
    const r = cli(['import', join(scratch(), 'nothing-here')], { cwd: ws.project });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/nothing-here/);
  });
});

describe('nevo-tui import of a transcript still being written', () => {
  it('counts a call whose result arrives after the first import', async () => {
    const ws = await freshWorkspace();
    const file = join(scratch(), 'live.jsonl');
    const base = { sessionId: 'live-session', cwd: ws.project, timestamp: '2026-11-21T10:00:00.000Z', isSidechain: false, version: '2.1.38' };
    writeFileSync(file, `${JSON.stringify({ ...base, type: 'assistant', uuid: 'a1', message: { id: 'm1', role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_late', name: 'Bash', input: { command: 'tree' } }] } })}\n`);
    expect(JSON.parse(cli(['import', file, '--json'], { cwd: ws.project }).stdout).events).toBe(0);
    appendFileSync(file, `${JSON.stringify({ ...base, type: 'user', uuid: 'u1', message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_late', is_error: true, content: 'Exit code 127\n(eval):1: command not found: tree' }] } })}\n`);
    const second = JSON.parse(cli(['import', file, '--json'], { cwd: ws.project }).stdout);
    expect(second.events).toBe(1);
    expect(second.opened).toHaveLength(1);
  });
});

describe('where a transcript says its session ran', () => {
  it('reads the first top-level cwd, not one quoted inside a message, even past a long first line', () => {
    const dir = scratch();
    const quoted = JSON.stringify({ type: 'user', message: { role: 'user', content: `${'x'.repeat(100_000)} {"cwd":"/elsewhere"}` } });
    const line = JSON.stringify({ type: 'assistant', cwd: '/home/dev/my "app"', sessionId: 's1' });
    writeFileSync(join(dir, 'a.jsonl'), `${quoted}\n${line}\n`);
    expect(transcriptCwd(join(dir, 'a.jsonl'))).toBe('/home/dev/my "app"');
    writeFileSync(join(dir, 'b.jsonl'), `${quoted}\n`);
    expect(transcriptCwd(join(dir, 'b.jsonl'))).toBeNull();
    expect(transcriptCwd(join(dir, 'missing.jsonl'))).toBeNull();
  });
});
