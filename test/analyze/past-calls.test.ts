// The past calls a guard is backtested on: read from the raw journal, one tool's lines parsed.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pastCallsOnce, readPastCalls } from '../../src/analyze/past-calls.js';
import { parseJournal } from '../../src/store/raw-journal.js';
import { scratch } from '../helpers/workspace.js';

const line = (o: Record<string, unknown>) => JSON.stringify({ id: `e-${Math.random()}`, time: '2026-03-01T10:00:00.000Z', event: 'PostToolUse', ...o });

function journal(root: string, day: string, file: string, lines: string[]): void {
  mkdirSync(join(root, 'journal', 'raw', day), { recursive: true });
  writeFileSync(join(root, 'journal', 'raw', day, file), `${lines.join('\n')}\n`);
}

describe('past calls for a backtest', () => {
  it("returns every call of the tool, however its line is written, and no other tool's", () => {
    const root = scratch();
    const lines = [
      line({ tool: 'Bash', target: 'tree src', ok: true }),
      line({ tool: 'Read', target: 'notes.md', ok: false, detail: 'the "Bash" tool was busy', incident: 'i-read' }),
      // A hand-spaced line and one whose tool is written with an escape are still Bash calls.
      '{ "id": "e-spaced", "time": "2026-03-01T10:00:01.000Z", "event": "PostToolUseFailure", "tool" : "Bash", "target": "tree -L 2", "ok": false, "incident": "i-tree" }',
      '{"id":"e-escaped","time":"2026-03-01T10:00:02.000Z","event":"PostToolUse","tool":"B\\u0061sh","target":"ls","ok":true}',
      // A Bash call whose command mentions another tool is Bash's only.
      line({ tool: 'Bash', target: 'echo "Read" > Read.txt', ok: true }),
      'not a journal line',
      line({ tool: 'Bash', event: 'PreToolUse', target: 'tree' }),
    ];
    journal(root, '2026-03-01', 's1.jsonl', lines);
    journal(root, '2026-03-02', 's2.jsonl', [line({ tool: 'Bash', target: 'npm test', ok: true })]);

    const every = parseJournal(lines.join('\n'));
    expect(readPastCalls(root, 'Bash')).toEqual([
      ...every.filter((l) => l.tool === 'Bash' && l.ok !== undefined).map((l) => ({ tool: 'Bash', target: l.target, ok: l.ok, ...(l.incident ? { incident: l.incident } : {}) })),
      { tool: 'Bash', target: 'npm test', ok: true },
    ]);
    expect(readPastCalls(root, 'Bash').map((c) => c.target)).toEqual(['tree src', 'tree -L 2', 'ls', 'echo "Read" > Read.txt', 'npm test']);
    expect(readPastCalls(root, 'Read')).toEqual([{ tool: 'Read', target: 'notes.md', ok: false, incident: 'i-read' }]);
  });

  it('finds tools whose names JSON escapes, or that another writer spelled with an escape', () => {
    const root = scratch();
    const odd = 'mcp__a"b\\c';
    journal(root, '2026-03-01', 's1.jsonl', [
      line({ tool: odd, target: 'x', ok: true }),
      '{"id":"e-slash","time":"2026-03-01T10:00:00.000Z","event":"PostToolUse","tool":"mcp__srv\\/query","target":"q","ok":false,"incident":"i-q"}',
    ]);
    expect(readPastCalls(root, odd)).toEqual([{ tool: odd, target: 'x', ok: true }]);
    expect(readPastCalls(root, 'mcp__srv/query')).toEqual([{ tool: 'mcp__srv/query', target: 'q', ok: false, incident: 'i-q' }]);
  });

  it("reads the journal once per tool for a batch of the built-in analyst's analyses", () => {
    const root = scratch();
    journal(root, '2026-03-01', 's1.jsonl', [line({ tool: 'Bash', target: 'tree', ok: true })]);
    const past = pastCallsOnce(root);
    expect(past('Bash')).toHaveLength(1);
    journal(root, '2026-03-01', 's1.jsonl', [line({ tool: 'Bash', target: 'tree', ok: true }), line({ tool: 'Bash', target: 'ls', ok: true })]);
    expect(past('Bash')).toHaveLength(1);
    expect(pastCallsOnce(root)('Bash')).toHaveLength(2);
  });
});
