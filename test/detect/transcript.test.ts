import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseTranscript, toHookPayloads, unwrapToolUseError, type TranscriptParse, type TranscriptToolCall } from '../../src/detect/transcript.js';
import { defaultProjectsDir, findTranscripts } from '../../src/detect/transcript-files.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/claude-code/', import.meta.url));
const INIT = 'claude-code-viewer__1af7fc5e-8455-4414-9ccd-011d40f70b2a.jsonl';
const ORCHESTRATOR = 'claude-code-viewer__5c0375b4-57a5-4f26-b12d-d022ee4e51b7.jsonl';
const SUBAGENT = 'spotter__6c2214d7__subagents__agent-afc096d.jsonl';

function fixtureText(name: string): string {
  return readFileSync(join(FIXTURES, 'transcripts', name), 'utf8');
}

function parseFixture(name: string): TranscriptParse {
  return parseTranscript(fixtureText(name));
}

function toolCounts(calls: TranscriptToolCall[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const c of calls) counts[c.tool] = (counts[c.tool] ?? 0) + 1;
  return counts;
}

function failures(p: TranscriptParse): TranscriptToolCall[] {
  return p.calls.filter((c) => !c.ok);
}

const jsonl = (...entries: unknown[]): string => entries.map((e) => (typeof e === 'string' ? e : JSON.stringify(e))).join('\n') + '\n';

const use = (id: string, name: string, input: unknown, extra: Record<string, unknown> = {}) => ({
  type: 'assistant',
  sessionId: 's1',
  timestamp: '2026-01-01T00:00:00.000Z',
  cwd: '/p',
  version: '2.1.0',
  message: { role: 'assistant', content: [{ type: 'tool_use', id, name, input }] },
  ...extra,
});

const result = (id: string, content: unknown, extra: Record<string, unknown> = {}, isError?: boolean) => ({
  type: 'user',
  sessionId: 's1',
  timestamp: '2026-01-01T00:00:01.000Z',
  message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: id, content, ...(isError === undefined ? {} : { is_error: isError }) }] },
  ...extra,
});

const userText = (content: unknown, extra: Record<string, unknown> = {}) => ({
  type: 'user',
  sessionId: 's1',
  timestamp: '2026-01-01T00:00:02.000Z',
  message: { role: 'user', content },
  ...extra,
});

describe('parseTranscript on real transcripts', () => {
  it('1af7fc5e (/init, v1.0.98): 12 calls, one failed Write that was not permitted', () => {
    const p = parseFixture(INIT);
    expect(p.lines).toBe(29);
    expect(p.skipped).toEqual({ broken: 0, unknownType: 0 });
    expect(p.unanswered).toBe(0);
    expect(p.sessions).toEqual(['1af7fc5e-8455-4414-9ccd-011d40f70b2a']);
    expect(p.calls).toHaveLength(12);
    expect(toolCounts(p.calls)).toEqual({ TodoWrite: 3, Glob: 6, Bash: 2, Write: 1 });
    expect(p.calls.map((c) => c.line)).toEqual([...p.calls.map((c) => c.line)].sort((a, b) => a - b));

    const failed = failures(p);
    expect(failed).toHaveLength(1);
    const write = failed[0]!;
    expect(write.tool).toBe('Write');
    expect(write.toolUseId).toBe('toolu_01LM7vfs6eMdhHJokVajzJA1');
    expect(write.error).toBe("Claude requested permissions to write to /path/to/Demo/CLAUDE.md, but you haven't granted it yet.");
    expect(write.response).toBeUndefined();
    expect(write.line).toBe(25);
    expect(write.time).toBe('2025-09-03T00:47:46.089Z'); // the result line's timestamp
    expect(write.session).toBe('1af7fc5e-8455-4414-9ccd-011d40f70b2a');
    expect(write.cwd).toBe('/path/to/Demo');
    expect(write.version).toBe('1.0.98');
    expect(write.sidechain).toBe(false);
    expect(write.agent).toBeUndefined();
    expect((write.input as { file_path?: string }).file_path).toBe('/path/to/Demo/CLAUDE.md');

    // Every success carries its structured output (toolUseResult) and no error.
    for (const c of p.calls.filter((c) => c.ok)) {
      expect(c.error).toBeUndefined();
      expect(typeof c.response).toBe('object');
    }
    const bash = p.calls.find((c) => c.tool === 'Bash' && c.ok)!;
    expect(Object.keys(bash.response as object).sort()).toEqual(['interrupted', 'isImage', 'stderr', 'stdout']);

    // The only user lines with text are the /init command wrapper and its isMeta expansion.
    expect(p.prompts).toEqual([]);
  });

  it('5c0375b4 (/orchestrator, v1.0.108): 21 calls with 8 on sidechain lines, 3 failures', () => {
    const p = parseFixture(ORCHESTRATOR);
    expect(p.lines).toBe(53);
    expect(p.skipped).toEqual({ broken: 0, unknownType: 0 });
    expect(p.unanswered).toBe(0);
    expect(p.sessions).toEqual(['5c0375b4-57a5-4f26-b12d-d022ee4e51b7']);
    expect(p.calls).toHaveLength(21);
    expect(toolCounts(p.calls)).toEqual({ TodoWrite: 5, Bash: 5, Glob: 3, Task: 3, Read: 3, Edit: 1, MultiEdit: 1 });
    expect(p.calls.filter((c) => c.sidechain)).toHaveLength(8);
    // v1.0.108 wrote no agentId on sidechain lines.
    expect(p.calls.every((c) => c.agent === undefined)).toBe(true);

    const failed = failures(p);
    expect(failed.map((c) => [c.tool, c.sidechain, c.line])).toEqual([
      ['Task', false, 12],
      ['Bash', true, 32],
      ['Edit', false, 45],
    ]);
    const [task, bash, edit] = failed as [TranscriptToolCall, TranscriptToolCall, TranscriptToolCall];
    // is_error: true with a toolUseResult that does not start with "Error:" still fails; wrapper removed.
    expect(task.error).toBe('InputValidationError: Task failed due to the following issue:\nThe required parameter `prompt` is missing');
    expect(task.time).toBe('2025-09-07T09:52:26.997Z');
    // This older build wrote the Bash failure without an `Exit code N` line.
    expect(bash.error!.split('\n')[0]).toBe('lsd: 3: No such file or directory (os error 2).');
    expect(bash.error).toContain('├── CLAUDE.md');
    expect(edit.error).toBe('File has not been read yet. Read it first before writing to it.');
    for (const c of failed) {
      expect(c.error).not.toContain('tool_use_error');
      expect(c.response).toBeUndefined();
    }

    // The first user line is a /orchestrator command wrapper, the second its isMeta expansion, and the
    // two string prompts on sidechain lines were written by the parent agent for its Task subagents.
    expect(p.prompts).toEqual([]);
  });

  it('spotter subagent afc096d (v2.1.38): 48 calls, all from the agent, 2 failures', () => {
    const p = parseFixture(SUBAGENT);
    expect(p.lines).toBe(199);
    expect(p.skipped).toEqual({ broken: 0, unknownType: 0 }); // the 84 progress lines are a known type
    expect(p.unanswered).toBe(0);
    expect(p.sessions).toEqual(['6c2214d7-b87e-4432-8e41-22ba294ea584']); // the parent session's id
    expect(p.calls).toHaveLength(48);
    expect(toolCounts(p.calls)).toEqual({ Bash: 18, Read: 30 });
    for (const c of p.calls) {
      expect(c.agent).toBe('afc096d');
      expect(c.sidechain).toBe(true);
      expect(c.session).toBe('6c2214d7-b87e-4432-8e41-22ba294ea584');
      expect(c.version).toBe('2.1.38');
      expect(c.cwd).toBe('/home/USER/projects/spotter-worktrees/spotter-0rt');
    }

    const failed = failures(p);
    expect(failed.map((c) => [c.tool, c.line])).toEqual([
      ['Bash', 31],
      ['Read', 124],
    ]);
    const [bash, read] = failed as [TranscriptToolCall, TranscriptToolCall];
    expect(bash.error).toBe('Exit code 127\n(eval):1: command not found: tree');
    expect(bash.error!.split('\n')[0]).toBe('Exit code 127');
    expect(bash.time).toBe('2026-02-10T22:15:44.594Z');
    expect(read.error).toMatch(/^File content \(806\.5KB\) exceeds maximum allowed size \(256KB\)\./);
    expect(read.error).not.toContain('tool_use_error');

    // This sanitized transcript kept toolUseResult only on the two failures.
    expect(p.calls.filter((c) => c.ok && c.response === undefined)).toHaveLength(46);
    // Its only string prompt is the Task prompt on line 1, a sidechain line.
    expect(p.prompts).toEqual([]);
  });
});

describe('parseTranscript tolerance', () => {
  it('counts a broken line, skips a blank line, counts an unknown type and a partial last line', () => {
    const text = [
      JSON.stringify(use('t1', 'Bash', { command: 'ls' })),
      '{"type":"user","message":', // broken
      '',
      '   ',
      JSON.stringify({ type: 'brand-new-type', sessionId: 's1' }),
      JSON.stringify({ sessionId: 's1' }), // no type
      JSON.stringify({ type: 'summary', summary: 'Title', leafUuid: 'u' }),
      JSON.stringify({ type: 'system', subtype: 'turn_duration', durationMs: 5, sessionId: 's1' }),
      JSON.stringify({ type: 'file-history-snapshot', messageId: 'm', snapshot: {} }),
      JSON.stringify({ type: 'queue-operation', operation: 'enqueue', content: 'x', sessionId: 's1' }),
      JSON.stringify({ type: 'progress', data: { type: 'hook_progress' }, sessionId: 's1' }),
      '42',
      'null',
      '[1,2]',
      JSON.stringify(result('t1', 'a\nb', { toolUseResult: { stdout: 'a\nb', stderr: '' } })),
      '{"type":"user","sessionId":"s1","message":{"role":"user","content":"half a pro', // partial last line
    ].join('\n');
    const p = parseTranscript(text);
    expect(p.lines).toBe(16);
    expect(p.skipped).toEqual({ broken: 5, unknownType: 2 });
    expect(p.calls).toHaveLength(1);
    expect(p.calls[0]).toMatchObject({ tool: 'Bash', ok: true, response: { stdout: 'a\nb', stderr: '' }, line: 1 });
    expect(p.prompts).toEqual([]);
    expect(p.sessions).toEqual(['s1']);
  });

  it('handles empty text, CRLF line ends and a missing final newline', () => {
    expect(parseTranscript('')).toEqual({ sessions: [], calls: [], prompts: [], commands: [], tasks: [], lines: 0, skipped: { broken: 0, unknownType: 0 }, unanswered: 0, settledLines: 0 });
    expect(parseTranscript('\n').lines).toBe(1);
    const crlf = jsonl(use('t1', 'Read', { file_path: 'a' }), result('t1', 'ok')).replace(/\n/g, '\r\n');
    const p = parseTranscript(crlf);
    expect(p.lines).toBe(2);
    expect(p.skipped.broken).toBe(0);
    expect(p.calls).toHaveLength(1);
    const noFinalNewline = jsonl(use('t1', 'Read', {}), result('t1', 'ok')).trimEnd();
    expect(parseTranscript(noFinalNewline).calls).toHaveLength(1);
    // The last line may still be being written: a later import reads it again.
    expect(parseTranscript(noFinalNewline).settledLines).toBe(1);
    expect(parseTranscript(jsonl(use('t1', 'Read', {}), use('t2', 'Read', {}), result('t1', 'ok'))).settledLines).toBe(1);
  });

  it('never throws on fields of unexpected types', () => {
    const odd = [
      { type: 'assistant', message: null },
      { type: 'assistant', message: { content: 'text, not blocks' } },
      { type: 'assistant', message: { content: [null, 1, 'x', { type: 'tool_use' }, { type: 'tool_use', id: 7, name: 'X' }] } },
      { type: 'assistant', sessionId: 5, timestamp: {}, message: { content: [{ type: 'tool_use', id: 'odd1' }] } },
      { type: 'user', message: { content: [{ type: 'tool_result', tool_use_id: 'odd1', content: { not: 'text' }, is_error: 'yes' }] } },
      { type: 'user', message: 'nope' },
      { type: 'user', message: { content: 12 } },
      { type: 'user', message: { content: [null, { type: 'image' }] } },
      { type: 'user', message: { content: [{ type: 'tool_result' }] } },
      { type: 7 },
    ];
    const p = parseTranscript(jsonl(...odd));
    expect(p.skipped).toEqual({ broken: 0, unknownType: 1 });
    expect(p.calls).toEqual([
      { session: '', sidechain: false, toolUseId: 'odd1', tool: '', input: undefined, ok: true, time: '', line: 4 },
    ]);
    expect(p.prompts).toEqual([]);
    expect(p.sessions).toEqual([]);
    expect(() => parseTranscript(undefined as unknown as string)).not.toThrow();
    expect(() => parseTranscript('\u0000\uffff{{{]]]\n\n"\\u12"')).not.toThrow();
  });

  it('never throws on a real transcript cut anywhere, and counts the cut line as broken', () => {
    const text = fixtureText(ORCHESTRATOR);
    for (let cut = 0; cut <= text.length; cut += 211) {
      const part = text.slice(0, cut);
      const p = parseTranscript(part);
      const last = part.slice(part.lastIndexOf('\n') + 1);
      const partial = last !== '' && !parses(last);
      expect(p.skipped.broken).toBe(partial ? 1 : 0);
      expect(p.calls.length + p.unanswered).toBeLessThanOrEqual(21);
    }
  });
});

describe('parseTranscript pairing and outcomes', () => {
  it('pairs by id in either order, drops duplicates and orphans, counts unanswered', () => {
    const p = parseTranscript(
      jsonl(
        result('early', 'done', { toolUseResult: { ok: 1 } }), // result before its tool_use
        use('early', 'Glob', { pattern: '*' }),
        use('t2', 'Bash', { command: 'x' }),
        use('t2', 'Bash', { command: 'duplicate' }),
        result('t2', 'fine'),
        result('t2', 'second result', {}, true),
        result('ghost', 'no tool_use for me'),
        use('t3', 'Read', { file_path: 'never answered' }),
      ),
    );
    expect(p.calls.map((c) => [c.toolUseId, c.line, c.ok])).toEqual([
      ['early', 2, true],
      ['t2', 3, true],
    ]);
    expect(p.calls[0]!.response).toEqual({ ok: 1 });
    expect(p.calls[1]!.input).toEqual({ command: 'x' });
    expect(p.unanswered).toBe(1);
  });

  it('reads several tool_use blocks on one line and several results on one line', () => {
    const twoUses = {
      type: 'assistant',
      sessionId: 's1',
      timestamp: '2026-01-01T00:00:00.000Z',
      message: {
        content: [
          { type: 'text', text: 'Running both' },
          { type: 'tool_use', id: 'a', name: 'Bash', input: { command: 'a' } },
          { type: 'tool_use', id: 'b', name: 'Bash', input: { command: 'b' } },
        ],
      },
    };
    const twoResults = {
      type: 'user',
      sessionId: 's1',
      message: {
        content: [
          { type: 'tool_result', tool_use_id: 'a', content: 'ok' },
          { type: 'tool_result', tool_use_id: 'b', content: [{ type: 'text', text: 'Exit code 1' }, { type: 'image' }, { type: 'text', text: 'boom' }], is_error: true },
        ],
      },
      // One toolUseResult cannot belong to two results, so neither gets it.
      toolUseResult: { stdout: 'ok' },
    };
    const p = parseTranscript(jsonl(twoUses, twoResults));
    expect(p.calls).toHaveLength(2);
    expect(p.calls[0]).toMatchObject({ toolUseId: 'a', ok: true, line: 1, time: '2026-01-01T00:00:00.000Z' }); // no time on the result line
    expect(p.calls[0]!.response).toBeUndefined();
    expect(p.calls[1]).toMatchObject({ toolUseId: 'b', ok: false, error: 'Exit code 1\nboom' });
  });

  it('fails on is_error or on an "Error:" toolUseResult, and unwraps <tool_use_error>', () => {
    const p = parseTranscript(
      jsonl(
        use('e1', 'Bash', {}),
        result('e1', 'Exit code 2\nnope', { toolUseResult: 'Error: Exit code 2\nnope' }), // no is_error field
        use('e2', 'Edit', {}),
        result('e2', '<tool_use_error>String to replace not found in file.\nString: x</tool_use_error>', {}, true),
        use('e3', 'Read', {}),
        result('e3', '', { toolUseResult: 'Error: File does not exist.' }), // empty content: the toolUseResult says why
        use('s1', 'Read', {}),
        result('s1', 'text', { toolUseResult: 'Errors are fine in a success' }, false),
        use('s2', 'Bash', {}, { isSidechain: true, agentId: 'abc' }),
        result('s2', 'out', { isSidechain: true, agentId: 'abc', toolUseResult: null }),
      ),
    );
    expect(p.calls.map((c) => [c.toolUseId, c.ok, c.error])).toEqual([
      ['e1', false, 'Exit code 2\nnope'],
      ['e2', false, 'String to replace not found in file.\nString: x'],
      ['e3', false, 'File does not exist.'],
      ['s1', true, undefined],
      ['s2', true, undefined],
    ]);
    expect(p.calls[3]!.response).toBe('Errors are fine in a success');
    expect(p.calls[4]).toMatchObject({ agent: 'abc', sidechain: true, response: null });
    expect(unwrapToolUseError('  <tool_use_error>x</tool_use_error>\n')).toBe('x');
    expect(unwrapToolUseError('before <tool_use_error>x</tool_use_error>')).toBe('before <tool_use_error>x</tool_use_error>');
  });
});

describe('parseTranscript prompts', () => {
  it('keeps typed prompts and leaves out tool results, meta, command wrappers, summaries and sidechains', () => {
    const p = parseTranscript(
      jsonl(
        userText('Fix the failing test in src/a.ts'),
        userText([{ type: 'text', text: 'Look at this' }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data: '' } }, { type: 'text', text: 'and this' }]),
        userText([{ type: 'text', text: 'Expanded slash command body' }], { isMeta: true }),
        userText('<command-message>init is analyzing your codebase…</command-message>\n<command-name>/init</command-name>'),
        userText('<command-name>/clear</command-name>\n<command-message>clear</command-message>\n<command-args></command-args>'),
        userText('<local-command-stdout>Set model to opus</local-command-stdout>'),
        userText('<bash-input>ls</bash-input>'),
        userText('This session is being continued from a previous conversation that ran out of context.', { isCompactSummary: true }),
        userText('This session is being continued from a previous conversation that ran out of context.'),
        userText([{ type: 'text', text: '[Request interrupted by user for tool use]' }]),
        userText('Explore the project structure', { isSidechain: true, agentId: 'a1' }),
        userText([{ type: 'image' }]),
        userText('   '),
        result('t1', 'a tool result'),
        { type: 'user', sessionId: 's2', message: { role: 'user', content: 'no timestamp here' } },
      ),
    );
    expect(p.prompts).toEqual([
      { session: 's1', time: '2026-01-01T00:00:02.000Z', text: 'Fix the failing test in src/a.ts', line: 1 },
      { session: 's1', time: '2026-01-01T00:00:02.000Z', text: 'Look at this\nand this', line: 2 },
      { session: 's2', time: '', text: 'no timestamp here', line: 15 },
    ]);
    expect(p.sessions).toEqual(['s1', 's2']);
  });
});

describe('toHookPayloads', () => {
  const all = [INIT, ORCHESTRATOR, SUBAGENT].map((name) => ({ name, parse: parseFixture(name) }));

  it('gives PostToolUseFailure with error and no tool_response, PostToolUse with tool_response', () => {
    const events = all.map(({ name, parse }) => {
      const payloads = toHookPayloads(parse, `/home/u/.claude/projects/p/${name}`);
      expect(payloads).toHaveLength(parse.calls.length);
      return payloads.map((h) => h.hook_event_name);
    });
    const count = (list: unknown[], what: string) => list.filter((e) => e === what).length;
    expect(events.map((e) => [count(e, 'PostToolUse'), count(e, 'PostToolUseFailure')])).toEqual([
      [11, 1],
      [18, 3],
      [46, 2],
    ]);

    for (const { name, parse } of all) {
      const payloads = toHookPayloads(parse, `/t/${name}`);
      payloads.forEach((h, i) => {
        const call = parse.calls[i]!;
        expect(h.transcript_path).toBe(`/t/${name}`);
        expect(h.session_id).toBe(call.session);
        expect(h.tool_name).toBe(call.tool);
        expect(h.tool_input).toEqual(call.input);
        expect(h.tool_use_id).toBe(call.toolUseId);
        expect(h.timestamp).toBe(call.time);
        expect(h.cwd).toBe(call.cwd);
        if (call.ok) {
          expect(h.hook_event_name).toBe('PostToolUse');
          expect('tool_response' in h).toBe(true);
          expect(h.tool_response).toEqual(call.response ?? null);
          expect('error' in h).toBe(false);
          expect('is_interrupt' in h).toBe(false);
        } else {
          expect(h.hook_event_name).toBe('PostToolUseFailure');
          expect('tool_response' in h).toBe(false);
          expect(h.error).toBe(call.error);
          expect(h.is_interrupt).toBe(false);
        }
        if (name === SUBAGENT) expect(h.agent_id).toBe('afc096d');
        else expect('agent_id' in h).toBe(false);
      });
    }

    const bashFailure = toHookPayloads(all[2]!.parse, 'agent-afc096d.jsonl').find((h) => h.hook_event_name === 'PostToolUseFailure')!;
    expect(bashFailure).toEqual({
      session_id: '6c2214d7-b87e-4432-8e41-22ba294ea584',
      transcript_path: 'agent-afc096d.jsonl',
      cwd: '/home/USER/projects/spotter-worktrees/spotter-0rt',
      hook_event_name: 'PostToolUseFailure',
      tool_name: 'Bash',
      tool_input: { command: 'tree /home/USER/projects/spotter-worktrees/spotter-0rt/lib -L 3' },
      tool_use_id: 'toolu_01SVBQTs2MZr5hJdeSs98kf8',
      error: 'Exit code 127\n(eval):1: command not found: tree',
      is_interrupt: false,
      timestamp: '2026-02-10T22:15:44.594Z',
      agent_id: 'afc096d',
    });
  });

  it('PostToolUse payloads have every field of a real captured PostToolUse payload, with the same Bash tool_response shape', () => {
    const captured = JSON.parse(readFileSync(join(FIXTURES, 'hook-payloads', 'quantstats__post_tool_use.json'), 'utf8')) as Record<string, unknown>[];
    const realBash = captured.find((h) => h.tool_name === 'Bash')!;
    const ours = toHookPayloads(all[0]!.parse, 'x.jsonl').find((h) => h.hook_event_name === 'PostToolUse' && h.tool_name === 'Bash')!;
    for (const key of Object.keys(realBash)) expect(ours).toHaveProperty(key);
    expect(Object.keys(ours.tool_response as object).sort()).toEqual(Object.keys(realBash.tool_response as object).sort());
  });
});

describe('findTranscripts', () => {
  const root = mkdtempSync(join(tmpdir(), 'nevo-transcripts-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const projects = join(root, 'projects');
  const project = join(projects, '-home-u-app');
  const session = join(project, '0b4e0c4e-0000-4000-8000-000000000001');
  const file = (path: string, text = '{}\n') => {
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, text);
  };
  file(`${session}.jsonl`);
  file(join(session, 'subagents', 'agent-x.jsonl'));
  file(join(session, 'subagents', 'notes.txt'));
  file(join(session, 'tool-results', 'out.txt'));
  file(join(project, 'agent-old1234.jsonl')); // an older build's sibling subagent file
  file(join(project, 'memory.md'));
  file(join(projects, '-home-u-other', '0b4e0c4e-0000-4000-8000-000000000002.jsonl'));
  mkdirSync(join(projects, '-home-u-empty'), { recursive: true });
  mkdirSync(join(root, 'empty'), { recursive: true });
  file(join(root, 'notes.txt'));

  it('finds session and subagent transcripts in a project folder', () => {
    expect(findTranscripts(project)).toEqual([
      join(session, 'subagents', 'agent-x.jsonl'),
      `${session}.jsonl`,
      join(project, 'agent-old1234.jsonl'),
    ].sort());
  });

  it('finds every project in a folder of projects, sorted and absolute', () => {
    const found = findTranscripts(projects);
    expect(found).toEqual([
      `${session}.jsonl`,
      join(session, 'subagents', 'agent-x.jsonl'),
      join(project, 'agent-old1234.jsonl'),
      join(projects, '-home-u-other', '0b4e0c4e-0000-4000-8000-000000000002.jsonl'),
    ].sort());
    expect(found.every((f) => isAbsolute(f))).toBe(true);
  });

  it('takes a transcript file itself, a session folder, and a relative path', () => {
    expect(findTranscripts(`${session}.jsonl`)).toEqual([`${session}.jsonl`]);
    expect(findTranscripts(session)).toEqual([join(session, 'subagents', 'agent-x.jsonl')]);
    expect(findTranscripts(relative(process.cwd(), project))).toEqual(findTranscripts(project));
  });

  it('gives a clear error naming the path when there is nothing to read', () => {
    const missing = join(root, 'no-such-folder');
    expect(() => findTranscripts(missing)).toThrowError(new RegExp(`^${escape(missing)}: no such file or folder`));
    expect(() => findTranscripts(join(root, 'empty'))).toThrowError(/empty: holds no Claude Code transcript/);
    expect(() => findTranscripts(join(root, 'notes.txt'))).toThrowError(/notes\.txt: not a transcript/);
  });
});

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('defaultProjectsDir', () => {
  it('uses $CLAUDE_CONFIG_DIR/projects, else ~/.claude/projects', () => {
    expect(defaultProjectsDir({}, '/home/u')).toBe(join('/home/u', '.claude', 'projects'));
    expect(defaultProjectsDir({ CLAUDE_CONFIG_DIR: '' }, '/home/u')).toBe(join('/home/u', '.claude', 'projects'));
    expect(defaultProjectsDir({ CLAUDE_CONFIG_DIR: '/etc/claude' }, '/home/u')).toBe(join('/etc/claude', 'projects'));
    expect(defaultProjectsDir({ CLAUDE_CONFIG_DIR: '~/alt' }, '/home/u')).toBe(join('/home/u', 'alt', 'projects'));
  });
});

describe('parseTranscript of a tail (what was appended since the last read)', () => {
  it('gives, with the lines before it, what the whole file gives: each call and prompt once, numbered as in the file', () => {
    for (const name of [INIT, ORCHESTRATOR, SUBAGENT]) {
      const text = fixtureText(name);
      const whole = parseTranscript(text);
      const lines = text.split('\n');
      for (let cut = 1; cut < lines.length - 1; cut++) {
        const head = parseTranscript(`${lines.slice(0, cut).join('\n')}\n`);
        // The tail starts where the head settled: a call still waiting for its result is read again.
        const tail = parseTranscript(lines.slice(head.settledLines).join('\n'), { firstLine: head.settledLines });
        const calls = [...head.calls.filter((c) => c.line <= head.settledLines), ...tail.calls];
        expect(calls.map((c) => [c.toolUseId, c.line, c.ok]), `${name} cut at ${cut}`).toEqual(whole.calls.map((c) => [c.toolUseId, c.line, c.ok]));
        const prompts = [...head.prompts.filter((p) => p.line <= head.settledLines), ...tail.prompts];
        expect(prompts.map((p) => p.line)).toEqual(whole.prompts.map((p) => p.line));
        // A subagent's task: the whole file gives one per agent id, so one for all the sidechains of an
        // old transcript (no agentId); a tail takes the task of each sidechain that starts in it.
        const tasks = [...head.tasks.filter((p) => p.line <= head.settledLines), ...tail.tasks].map((p) => p.line);
        if (name === ORCHESTRATOR) expect(tasks).toEqual(expect.arrayContaining(whole.tasks.map((p) => p.line)));
        else expect(tasks).toEqual(whole.tasks.map((p) => p.line));
        expect(tail.settledLines).toBe(whole.settledLines);
      }
    }
  });
});
