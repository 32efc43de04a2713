import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importTranscripts } from '../../src/detect/import.js';
import { parseTranscript } from '../../src/detect/transcript.js';
import { afterEvents } from '../../src/app/loop.js';
import { docText, freshWorkspace } from '../helpers/workspace.js';

const DIR = 'test/fixtures/claude-code/transcripts';
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.jsonl'));
const EDITS = new Set(['Write', 'Edit', 'MultiEdit', 'NotebookEdit']);

async function imported() {
  const ws = await freshWorkspace();
  const r = await importTranscripts(ws, DIR);
  await afterEvents(ws, { opened: r.opened, sessions: r.sessions });
  return { ws, r };
}

describe('memory from the real fixture transcripts', () => {
  it('writes one narrative per session, at least 20 times smaller than its transcript, naming every failed call and changed file', async () => {
    const { ws } = await imported();
    const narratives = (await ws.store.read('narratives')).records;
    expect(narratives).toHaveLength(FILES.length);
    let changedFiles = 0;
    for (const file of FILES) {
      const text = readFileSync(join(DIR, file), 'utf8');
      const parse = parseTranscript(text);
      const n = narratives.find((x) => x.id === parse.sessions[0])!;
      expect(n, file).toBeDefined();
      const markdown = readFileSync(join(ws.root, n.file), 'utf8');
      const ratio = statSync(join(DIR, file)).size / Buffer.byteLength(markdown);
      expect(ratio, `${file}: ${ratio.toFixed(1)}:1`).toBeGreaterThanOrEqual(20);

      const failures = markdown.split('## Failures')[1]?.split('\n## ')[0] ?? '';
      for (const call of parse.calls.filter((c) => !c.ok)) {
        const firstWords = call.error!.replace(/<\/?tool_use_error>/g, '').replace(/\s+/g, ' ').trim().slice(0, 25);
        expect(failures, `${file}: the failed ${call.tool} call`).toContain(`- ${call.tool}`);
        expect(failures, `${file}: the error of the failed ${call.tool} call`).toContain(firstWords);
      }
      const changed = parse.calls.filter((c) => c.ok && EDITS.has(c.tool)).map((c) => String((c.input as { file_path: string }).file_path).split('/').pop()!);
      changedFiles += changed.length;
      for (const name of changed) expect(markdown.split('## Outcomes')[1], `${file}: changed ${name}`).toContain(name);
      expect(markdown).toMatch(/^## Intent\n- \S/m);
    }
    expect(changedFiles).toBeGreaterThan(0);
  });

  it('names the slash command or the subagent task as the intent', async () => {
    const { ws } = await imported();
    const titles = (await ws.store.read('narratives')).records.map((n) => n.title).sort();
    expect(titles[0]).toBe('/init');
    expect(titles.some((t) => t.startsWith('/orchestrator'))).toBe(true);
    expect(titles.some((t) => t.startsWith('Subagent task: Explore the Elixir/Phoenix project'))).toBe(true);
  });

  it('turns the incidents into event facts and the approved rule they got into a lesson', async () => {
    const { ws } = await imported();
    const facts = (await ws.store.read('facts')).records;
    const lessons = facts.filter((f) => f.category === 'lesson');
    // The Edit-before-Read incident is linked to the starter rule AGENT-001, which is active.
    expect(lessons.map((f) => f.statement)).toEqual([expect.stringMatching(/^Read a file with the Read tool before you edit/)]);
    const events = facts.filter((f) => f.category === 'event');
    expect(events).toHaveLength(6);
    expect(events.map((f) => f.statement).join('\n')).toContain('command not found: tree');
    for (const f of facts) {
      expect(f.source.session).toMatch(/^[0-9a-f-]{36}$/);
      expect(f.source.line).toBeGreaterThan(0);
      expect(f.expires === null).toBe(f.category === 'lesson');
    }
  });

  it('changes nothing when the same transcripts are imported and narrated again', async () => {
    const { ws } = await imported();
    const before = { facts: docText(ws.root, 'facts'), head: await ws.history.head() };
    const narratives = docText(ws.root, 'narratives').replace(/"builtAt": "[^"]+"/g, '');
    const again = await importTranscripts(ws, DIR);
    expect(again.events).toBe(0);
    const sessions = (await ws.store.read('sessions')).records.map((s) => s.id);
    await afterEvents(ws, { opened: [], sessions });
    expect(docText(ws.root, 'facts')).toBe(before.facts);
    expect(docText(ws.root, 'narratives').replace(/"builtAt": "[^"]+"/g, '')).toBe(narratives);
  });

  it('journals every event of a session, subagent calls included, in compact lines', async () => {
    const { ws } = await imported();
    const raw = join(ws.root, 'journal', 'raw');
    const files = readdirSync(raw).flatMap((day) => readdirSync(join(raw, day)).map((f) => join(raw, day, f)));
    expect(files).toHaveLength(3);
    const lines = files.flatMap((f) => readFileSync(f, 'utf8').trim().split('\n').map((l) => JSON.parse(l)));
    expect(lines.filter((l) => l.ok !== undefined)).toHaveLength(81);
    expect(lines.filter((l) => l.ok === false)).toHaveLength(6);
    expect(lines.some((l) => l.agent)).toBe(true);
    for (const l of lines) expect(Object.keys(l).every((k) => ['id', 'time', 'event', 'tool', 'target', 'ok', 'ms', 'detail', 'agent', 'line', 'incident', 'rule', 'cwd'].includes(k))).toBe(true);
  });
});
