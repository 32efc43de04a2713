// Start-up cost of the CLI against bare Node, measured side by side.
import { fmt, median, sideBySide, timeRun } from './util.js';

const node = process.execPath;
const runs = Number(process.env.BENCH_RUNS ?? 30);
const results = sideBySide(runs, {
  'node -e 0': () => timeRun(node, ['-e', '0']),
  'nevo-tui --version': () => timeRun(node, ['dist/bin.cjs', '--version']),
  'nevo-tui --help': () => timeRun(node, ['dist/bin.cjs', '--help']),
});
const base = median(results['node -e 0']!);
for (const [name, xs] of Object.entries(results)) {
  console.log(`${name.padEnd(24)} median ${fmt(median(xs)).padStart(9)}   ${(median(xs) / base).toFixed(2)}x node -e 0   (${runs} runs)`);
}
