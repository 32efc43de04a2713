// The hook's wall time against bare Node, side by side, on real Claude Code payloads.
import { readFileSync, readdirSync, rmSync, mkdtempSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileGuards, GUARDS_FILE, guardsJson } from '../src/rules/guards.js';
import { guardSchema, type Guard, type Rule } from '../src/rules/rule.js';
import { initWorkspace } from '../src/app/init.js';
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

// 200 active rules with guards, none of which matches the PreToolUse call below, so the hook
// checks them all and lets the call through: a quarter programs (read with the shell parser), a
// quarter Bash command regexes, half path globs.
const rules: Rule[] = Array.from({ length: 200 }, (_, i) => {
  const guard: Guard =
    i % 4 === 0
      ? { tool: 'Bash', program: `prog-${i}` }
      : i % 2 === 0
      ? { tool: 'Bash', command: `\\b(?:rm\\s+-rf|git\\s+push\\s+--force)\\s+\\S*step-${i}\\b` }
      : { tool: ['Edit', 'Write', 'Read'][i % 3]!, paths: [`generated/part-${i}/**/*.ts`, `**/secret-${i}.env`] };
  const id = `PROJ-${String(i + 1).padStart(3, '0')}`;
  return { id, title: `Guard ${i}`, scope: 'project', status: 'active', trigger: '', enforcement: '', verification: '', incidents: [], novelty: '', created: '2026-11-20', updated: '2026-11-20', hits: 0, guard, body: `Rule ${i}.`, file: `rules/${id}.md` };
});
function expectAccepted(guard: Guard): void {
  const r = guardSchema.safeParse(guard);
  if (!r.success) throw new Error(`the bench's guard ${JSON.stringify(guard)} is refused: ${r.error.message}`);
}

// Two more that rules accept (they block no everyday command) and that a backtracking engine
// takes minutes over on a long command: RE2 matches them in time linear in the command.
for (const [i, command] of ['(a|a)*b$', '(.*a){12}x$'].entries()) {
  const guard: Guard = { tool: 'Bash', command };
  expectAccepted(guard);
  const id = `PROJ-${String(201 + i)}`;
  rules.push({ id, title: `Hostile ${i}`, scope: 'project', status: 'active', trigger: '', enforcement: '', verification: '', incidents: [], novelty: '', created: '2026-11-20', updated: '2026-11-20', hits: 0, guard, body: 'Hostile.', file: `rules/${id}.md` });
}
writeFileSync(join(workspace, GUARDS_FILE), guardsJson(compileGuards(rules, project)));
const preFixture = JSON.parse(readFileSync(join(fixtures, 'quantstats__pre_tool_use.json'), 'utf8')) as Record<string, unknown>[];
const preBash = preFixture.find((p) => p.tool_name === 'Bash')!;
const pre = JSON.stringify({ ...preBash, cwd: project, tool_input: { command: 'npm test -- --run step-3', description: 'Run the tests' } });

// 10,000 characters (the longest command guards are matched on) holding both hostile guards' literals, so both run.
const long = JSON.stringify({ ...preBash, cwd: project, tool_input: { command: `echo ${'a'.repeat(9_990)} xb !`, description: 'Long' } });

// A command that names a guarded program inside quotes: the shell parser runs, and lets it through.
const quoted = JSON.stringify({ ...preBash, cwd: project, tool_input: { command: 'git add -A && git commit -m "docs: why prog-4 is not used; tree shaking"', description: 'Commit' } });

// Stop: the hook also reads the process table, for capture hooks of its session still running.
const stop = JSON.stringify({ session_id: 'bench', transcript_path: '/tmp/t.jsonl', cwd: project, hook_event_name: 'Stop', stop_hook_active: false });

const node = process.execPath;
for (const [name, input] of [['PreToolUse', pre], ['quoted PreToolUse', quoted], ['long PreToolUse', long]]) {
  const r = spawnSync(node, ['dist/bin.cjs', 'hook'], { input, env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`the ${name} call was not allowed: exit ${r.status} ${r.stderr}`);
}
const results = sideBySide(runs, {
  'node -e 0': () => timeRun(node, ['-e', '0']),
  'hook PostToolUse (Read, 1 file)': () => timeRun(node, ['dist/bin.cjs', 'hook'], read, env),
  'hook PostToolUseFailure (Bash)': () => timeRun(node, ['dist/bin.cjs', 'hook'], failure, env),
  'hook PreToolUse, 200 guards': () => timeRun(node, ['dist/bin.cjs', 'hook'], pre, env),
  'hook PreToolUse, command parsed': () => timeRun(node, ['dist/bin.cjs', 'hook'], quoted, env),
  'hook PreToolUse, 10,000 chars, hostile guards': () => timeRun(node, ['dist/bin.cjs', 'hook'], long, env),
  'hook Stop (reads the process table)': () => timeRun(node, ['dist/bin.cjs', 'hook'], stop, env),
});
const base = median(results['node -e 0']!);
for (const [name, xs] of Object.entries(results)) {
  console.log(`${name.padEnd(46)} median ${fmt(median(xs)).padStart(9)}   ${(median(xs) / base).toFixed(2)}x node -e 0   (${runs} runs)`);
}
const written = readdirSync(join(workspace, 'triggers')).filter((f) => f.endsWith('.json')).length; // not .lost-tally
// A PreToolUse trigger is named after its call's tool_use_id, which these recorded payloads (from a
// Claude Code before 2.0.43) do not carry; with one, the three PreToolUse cases would share a file.
const preFiles = typeof preBash.tool_use_id === 'string' ? 1 : 3 * (runs + 1) + 3;
console.log(`trigger files written: ${written} (expected ${3 * (runs + 1) + preFiles})`);
rmSync(project, { recursive: true, force: true });
