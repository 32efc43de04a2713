// Start-up cost of the CLI against bare Node, measured side by side: commands that need no
// workspace, `skills validate` on one skill (what CI scripts call once per skill), `status`,
// which opens one (config, store documents, history), and `memory search`, which the agent runs.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fmt, median, sideBySide, timeRun } from './util.js';

const node = process.execPath;
const runs = Number(process.env.BENCH_RUNS ?? 30);
const project = mkdtempSync(join(tmpdir(), 'nevo-bench-startup-'));
execFileSync(node, ['dist/bin.cjs', 'init', project], { stdio: 'ignore' });
const workspace = join(project, '.nevo');
try {
  const results = sideBySide(runs, {
    'node -e 0': () => timeRun(node, ['-e', '0']),
    'nevo-tui --version': () => timeRun(node, ['dist/bin.cjs', '--version']),
    'nevo-tui --help': () => timeRun(node, ['dist/bin.cjs', '--help']),
    'nevo-tui skills validate': () => timeRun(node, ['dist/bin.cjs', 'skills', 'validate', join(workspace, 'skills', 'nevo-tui')]),
    'nevo-tui status': () => timeRun(node, ['dist/bin.cjs', 'status', '--workspace', workspace]),
    // What the agent runs through the memory skill: its own bundle, through V8's code cache.
    'nevo-tui memory search': () => timeRun(node, ['dist/bin.cjs', 'memory', 'search', 'pnpm test', '--json', '--workspace', workspace]),
  });
  const base = median(results['node -e 0']!);
  for (const [name, xs] of Object.entries(results)) {
    console.log(`${name.padEnd(26)} median ${fmt(median(xs)).padStart(9)}   ${(median(xs) / base).toFixed(2)}x node -e 0   (${runs} runs)`);
  }
} finally {
  rmSync(project, { recursive: true, force: true });
}
