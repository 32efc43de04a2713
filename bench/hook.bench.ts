// The hook's wall time against bare Node, side by side, on real Claude Code payloads.
import { readFileSync, readdirSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initWorkspace } from '../src/workspace/init.js';
import { fmt, median, sideBySide, timeRun } from './util.js';

const runs = Number(process.env.BENCH_RUNS ?? 40);
const project = mkdtempSync(join(tmpdir(), 'nevo-bench-hook-'));
const { workspace } = await initWorkspace({ project, cwd: project });
const env = { ...process.env, CLAUDE_PROJECT_DIR: project, NEVO_WORKSPACE: '' };
const fixtures = 'test/fixtures/claude-code/hook-payloads';
const post = JSON.parse(readFileSync(join(fixtures, 'quantstats__post_tool_use.json'), 'utf8')) as object[];
const read = JSON.stringify(post.find((p) => (p as { tool_name?: string }).tool_name === 'Read'));
const failure = JSON.stringify({
  session_id: 'bench',
  transcript_path: '/tmp/t.jsonl',
  cwd: project,
  hook_event_name: 'PostToolUseFailure',
  tool_name: 'Bash',
  tool_input: { command: 'npm test', description: 'Run test suite' },
  tool_use_id: 'toolu_01ABC',
  error: "Exit code 1\nError: Cannot find module 'express'",
  is_interrupt: false,
  duration_ms: 4187,
});

const node = process.execPath;
const results = sideBySide(runs, {
  'node -e 0': () => timeRun(node, ['-e', '0']),
  'hook PostToolUse (Read, 1 file)': () => timeRun(node, ['dist/bin.cjs', 'hook'], read, env),
  'hook PostToolUseFailure (Bash)': () => timeRun(node, ['dist/bin.cjs', 'hook'], failure, env),
});
const base = median(results['node -e 0']!);
for (const [name, xs] of Object.entries(results)) {
  console.log(`${name.padEnd(34)} median ${fmt(median(xs)).padStart(9)}   ${(median(xs) / base).toFixed(2)}x node -e 0   (${runs} runs)`);
}
const written = readdirSync(join(workspace, 'triggers')).length;
console.log(`trigger files written: ${written} (expected ${2 * (runs + 1)})`);
rmSync(project, { recursive: true, force: true });
