import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importTranscripts } from '../../src/detect/import.js';
import { rememberSessions } from '../../src/memory/remember.js';
import { freshWorkspace, scratch } from '../helpers/workspace.js';

const FIXTURE = 'test/fixtures/claude-code/transcripts/claude-code-viewer__5c0375b4-57a5-4f26-b12d-d022ee4e51b7.jsonl';
const SESSION = '5c0375b4-57a5-4f26-b12d-d022ee4e51b7';

/** A command that reads its prompt, keeps it in `<dir>/prompt.txt`, and prints `answer`. */
function fakeCommand(dir: string, answer: string, exit = 0): string {
  const file = join(dir, `cmd-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(file, `const c=[];for await (const x of process.stdin) c.push(x);\nimport { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(join(dir, 'prompt.txt'))}, Buffer.concat(c));\nprocess.stdout.write(${JSON.stringify(answer)});\nprocess.exit(${exit});\n`);
  return `node ${JSON.stringify(file)}`;
}

async function workspaceWith(summarizer: string, extractor = '') {
  const ws = await freshWorkspace();
  ws.config.memory.summarizer = summarizer;
  ws.config.memory.extractor = extractor;
  await importTranscripts(ws, FIXTURE);
  return ws;
}

describe('external summarizer and extractor', () => {
  it('use the answer of the commands, and record both calls in the ledger', async () => {
    const dir = scratch();
    const narrative = { title: 'Updated CLAUDE.md', narrative: '# Updated CLAUDE.md\n\n## Failures\n- Task, Bash tree, Edit before Read\n', summary: 'Refreshed CLAUDE.md; three failures.' };
    const facts = { facts: [{ statement: 'CLAUDE.md is kept in Japanese and English.', category: 'project', confidence: 0.6 }] };
    const ws = await workspaceWith(fakeCommand(dir, JSON.stringify(narrative)), fakeCommand(dir, `\`\`\`json\n${JSON.stringify(facts)}\n\`\`\``));
    const [r] = await rememberSessions(ws, [SESSION]);
    expect(r).toMatchObject({ by: 'external', factsAdded: expect.any(Number) });
    expect(r!.fallback).toBeUndefined();
    const record = (await ws.store.read('narratives')).records[0]!;
    expect(record).toMatchObject({ title: 'Updated CLAUDE.md', summary: 'Refreshed CLAUDE.md; three failures.', by: 'external' });
    expect(readFileSync(join(ws.root, record.file), 'utf8')).toBe(narrative.narrative);
    expect((await ws.store.read('facts')).records.find((f) => f.source.by === 'external')).toMatchObject({ statement: 'CLAUDE.md is kept in Japanese and English.', category: 'project' });
    const ledger = (await ws.store.read('ledger')).records;
    expect(ledger.map((e) => [e.kind, e.subject, e.ok])).toEqual([
      ['summarizer', SESSION, true],
      ['extractor', SESSION, true],
    ]);
    // The extractor saw the built-in facts and the journal, not the raw transcript.
    const prompt = readFileSync(join(dir, 'prompt.txt'), 'utf8');
    expect(prompt).toContain('Facts already found');
    expect(prompt).toContain('"event":"PostToolUseFailure"');
  });

  it('keep the built-in narrative when a command fails, and say why', async () => {
    const dir = scratch();
    const ws = await workspaceWith(fakeCommand(dir, '{"title": ""}'));
    const [r] = await rememberSessions(ws, [SESSION]);
    expect(r!.by).toBe('builtin');
    expect(r!.fallback).toMatch(/the summarizer command `node .*` answered JSON of the wrong shape:\n {2}- title/);
    expect(readFileSync(join(ws.root, (await ws.store.read('narratives')).records[0]!.file), 'utf8')).toMatch(/^# Session 5c0375b4/);
    expect((await ws.store.read('ledger')).records.map((e) => [e.kind, e.ok])).toEqual([['summarizer', false]]);
  });

  it('stop calling out once the daily budget is spent', async () => {
    const dir = scratch();
    const ws = await workspaceWith(fakeCommand(dir, '{}'));
    ws.config.analyst.dailyBudget.calls = 0;
    const [r] = await rememberSessions(ws, [SESSION]);
    expect(r!.by).toBe('builtin');
    expect(r!.fallback).toMatch(/the daily budget of external calls is spent: 0 of 0 calls/);
  });
});
