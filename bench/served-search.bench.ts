// `nevo-tui memory search` as the agent runs it, a process per search, while the daemon serves
// the workspace (src/serve/) and with NEVO_SERVE=0 (the process searches itself), against bare
// Node, side by side. On BENCH_YEAR_WORKSPACE (a copy of it: the daemon's catch-up jobs write),
// else on a new workspace. The goal of issue 20: a search as a process, p50 <= 150 ms.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fmt, median, percentile, sideBySide, timeRun } from './util.js';

const GOAL_P50 = 150;
const node = process.execPath;
const runs = Number(process.env.BENCH_RUNS ?? 25);
const temp = mkdtempSync(join(tmpdir(), 'nevo-bench-served-'));
const env = { ...process.env, XDG_RUNTIME_DIR: join(temp, 'run'), NEVO_WORKSPACE: '' };
let workspace: string;
if (process.env.BENCH_YEAR_WORKSPACE) {
  cpSync(process.env.BENCH_YEAR_WORKSPACE, join(temp, 'project'), { recursive: true, preserveTimestamps: true });
  workspace = join(temp, 'project');
} else {
  execFileSync(node, ['dist/bin.cjs', 'init', join(temp, 'project')], { stdio: 'ignore', env });
  workspace = join(temp, 'project', '.nevo');
  for (const fact of ['The cache engine is redis, run it with docker compose', 'Use pnpm, not npm', 'Run vitest with --run in CI']) execFileSync(node, ['dist/bin.cjs', 'memory', 'add', '--workspace', workspace, '--category', 'preference', fact], { stdio: 'ignore', env });
}
const search = ['dist/bin.cjs', 'memory', 'search', 'cache engine', '--json', '--workspace', workspace];
const daemon = spawn(node, ['dist/bin.cjs', 'daemon', '--workspace', workspace], { env, stdio: ['ignore', 'pipe', 'inherit'] });
try {
  // Served once the daemon says so, and timed once its catch-up jobs are done (2 s of quiet).
  let out = '';
  let last = Date.now();
  daemon.stdout.on('data', (d) => {
    out += d;
    last = Date.now();
  });
  const end = Date.now() + 120_000;
  while (!(out.includes('answering memory search') && Date.now() - last > 2000)) {
    if (Date.now() > end || daemon.exitCode !== null) throw new Error(`the daemon did not start serving:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const hits = (extra: NodeJS.ProcessEnv) => JSON.parse(execFileSync(node, search, { encoding: 'utf8', env: { ...env, ...extra } })).hits.map((h: { item: { id: string } }) => h.item.id).join(' ');
  if (hits({}) !== hits({ NEVO_SERVE: '0' })) throw new Error('the served search answered otherwise than the process itself');
  const results = sideBySide(runs, {
    'node -e 0': () => timeRun(node, ['-e', '0']),
    'memory search, served by the daemon': () => timeRun(node, search, undefined, env),
    'memory search, NEVO_SERVE=0': () => timeRun(node, search, undefined, { ...env, NEVO_SERVE: '0' }),
  });
  const base = median(results['node -e 0']!);
  console.log(`workspace: ${process.env.BENCH_YEAR_WORKSPACE ? `a copy of ${process.env.BENCH_YEAR_WORKSPACE}` : 'new, 3 facts'}; ${runs} runs each, alternated`);
  for (const [name, xs] of Object.entries(results)) {
    console.log(`${name.padEnd(38)} p50 ${fmt(median(xs)).padStart(9)}   p95 ${fmt(percentile(xs, 95)).padStart(9)}   ${(median(xs) / base).toFixed(2)}x node -e 0`);
  }
  const served = median(results['memory search, served by the daemon']!);
  console.log(`goal: served p50 <= ${GOAL_P50} ms: ${served <= GOAL_P50 ? 'met' : 'missed'} (${fmt(served)})`);
} finally {
  daemon.kill('SIGTERM');
  await new Promise((r) => daemon.once('exit', r));
  rmSync(temp, { recursive: true, force: true });
}
