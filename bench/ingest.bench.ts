// Ingest speed: 10,000 trigger files written by the hook's own writer, then one ingest run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingestTriggers } from '../src/detect/ingest.js';
import { cleanPayload } from '../src/detect/clean.js';
import { newTriggerId, writeTrigger } from '../src/detect/trigger.js';
import { initWorkspace } from '../src/app/init.js';
import { openWorkspace } from '../src/workspace/workspace.js';

const N = Number(process.env.BENCH_TRIGGERS ?? 10000);
const project = mkdtempSync(join(tmpdir(), 'nevo-bench-ingest-'));
const { workspace } = await initWorkspace({ project, cwd: project });
const ws = openWorkspace(workspace);
const errors = [
  "Exit code 1\nError: Cannot find module '<m>'",
  'Exit code 127\n(eval):1: command not found: tree',
  'File has not been read yet. Read it first before writing to it.',
  'Exit code 1\nFAIL test/x<m>.test.ts > works\nAssertionError: expected 1 to be 2',
  "src/a<m>.ts(3,5): error TS2322: Type 'string' is not assignable to type 'number'.",
];
const t0 = Date.now();
for (let i = 0; i < N; i++) {
  const failed = i % 5 === 0;
  const payload = {
    session_id: `session-${i % 37}`,
    transcript_path: '/tmp/t.jsonl',
    cwd: project,
    hook_event_name: failed ? 'PostToolUseFailure' : 'PostToolUse',
    tool_name: ['Bash', 'Read', 'Edit', 'Grep'][i % 4],
    tool_input: { command: `npm run step-${i}`, file_path: `/repo/src/file-${i % 300}.ts` },
    tool_use_id: `toolu_${i}`,
    ...(failed ? { error: errors[i % errors.length]!.replace('<m>', String(i % 50)), is_interrupt: false } : { tool_response: { stdout: 'x'.repeat(300), stderr: '', interrupted: false, isImage: false } }),
  };
  writeTrigger(ws.layout.triggers, { v: 1, id: newTriggerId(), receivedAt: new Date().toISOString(), source: 'hook', payload: cleanPayload(payload) });
}
const written = Date.now() - t0;
const start = process.hrtime.bigint();
const r = await ingestTriggers(ws);
const ms = Number(process.hrtime.bigint() - start) / 1e6;
console.log(`wrote ${N} trigger files in ${written} ms (the hook's writer, in one process)`);
console.log(`ingest: ${r.files} files, ${r.events} events, ${r.opened.length} incidents opened, ${r.counted} counted in ${ms.toFixed(0)} ms = ${Math.round((r.events / ms) * 1000)} events/s`);
rmSync(project, { recursive: true, force: true });
