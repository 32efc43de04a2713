// What nevo-tui's hooks add to a real Claude Code session (the pinned CLI, headless, against the
// mock Messages API), per tool call: no hooks, the entries every version reads (each event in the
// foreground, PreToolUse on every call), and the entries for this version (capture in the
// background, PreToolUse only with an `if` per guard) for calls no guard concerns and calls a
// guard concerns, captured by call or by turn (the default). A session of N Bash calls against one
// of none, side by side; the per-call figure is the difference of the two slopes, so session start
// and end do not count in it. A second project without hooks (an A/A comparison) shows how far two
// identical setups differ on this machine: the noise any other row is read against.
import { bash, end, startMockMessages, steps } from '../test/helpers/mock-messages.js';
import { CLAUDE_CODE_VERSION, claudeCode, linkNevo, nevo, runSession, scratchProject, type Scratch } from '../test/helpers/claude-session.js';
import { cleanUpAfterTest } from '../test/helpers/cleanup.js';
import { median, timeRun } from './util.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const runs = Number(process.env.BENCH_RUNS ?? 5);
const CALLS = Number(process.env.BENCH_CALLS ?? 20);
const cc = claudeCode();
if (!cc.ok) {
  console.log(`skipped: ${cc.reason}`);
  process.exit(0);
}

interface Case {
  name: string;
  project: Scratch;
  /** The command of each call. */
  call: (i: number) => string;
}

function project(hooks: 'none' | 'every version' | 'this version' | 'by turn', guard = true): Scratch {
  const s = scratchProject();
  nevo(s, ['init']);
  linkNevo(s);
  if (hooks === 'none') return s;
  // Said in the config either way, whatever the default (by turn for this version).
  if (hooks !== 'every version') {
    const file = join(s.project, '.nevo', 'config.json');
    const capture = hooks === 'by turn' ? 'turn' : 'call';
    writeFileSync(file, `${JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), hooks: { capture } }, null, 2)}\n`);
  }
  // Below 2.1.23 nothing runs in the background: the entries every version reads.
  nevo(s, ['hooks', 'install', '--claude-version', hooks === 'every version' ? '2.1.22' : CLAUDE_CODE_VERSION]);
  if (guard) nevo(s, ['rules', 'edit', 'AGENT-001', '--guard', '{"tool":"Bash","program":"pnmp"}']);
  return s;
}

const plain = (i: number) => `echo call-${i}`;
// Names the guarded program without running it: the PreToolUse hook starts and lets it through.
const guarded = (i: number) => `echo pnmp-${i}`;
const cases: Case[] = [
  { name: 'no hooks', project: project('none'), call: plain },
  // The same setup again, in a project of its own: what separates two identical cases is noise.
  { name: 'no hooks again (A/A: noise)', project: project('none'), call: plain },
  { name: 'every version, calls no guard concerns', project: project('every version'), call: plain },
  { name: 'by call, calls no guard concerns', project: project('this version'), call: plain },
  { name: 'by call, calls a guard concerns', project: project('this version'), call: guarded },
  { name: 'by turn, calls no guard concerns', project: project('by turn'), call: plain },
  // No active guard: no PreToolUse entry, so Claude Code has no `if` to match against each command.
  { name: 'by turn, no guard at all', project: project('by turn', false), call: plain },
];

const mock = await startMockMessages();
async function session(c: Case, calls: number): Promise<number> {
  mock.setScript(steps(...Array.from({ length: calls }, (_, i) => bash(c.call(i))), end()));
  const start = process.hrtime.bigint();
  const r = await runSession(cc, c.project, mock, 'Run the commands.');
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.code !== 0) throw new Error(`${c.name}: claude exited ${r.code}: ${r.stderr}`);
  return ms;
}

const times = new Map<string, { short: number[]; long: number[] }>(cases.map((c) => [c.name, { short: [], long: [] }]));
// What one Node start-up costs on this machine now: the unit of a hook's price.
const nodeStart: number[] = [];
for (const c of cases) await session(c, 1); // warm the file cache
for (let i = 0; i < runs; i++) {
  // Interleaved, so the machine's noise falls on every case alike.
  nodeStart.push(timeRun(process.execPath, ['-e', '0']));
  for (const c of cases) {
    times.get(c.name)!.short.push(await session(c, 0));
    times.get(c.name)!.long.push(await session(c, CALLS));
  }
}
await mock.close();
cleanUpAfterTest();

const base = times.get('no hooks')!;
const slope = (t: { short: number[]; long: number[] }) => (median(t.long) - median(t.short)) / CALLS;
const signed = (n: number, digits: number) => `${n < 0 ? '-' : '+'}${Math.abs(n).toFixed(digits)}`;
console.log(`Claude Code ${CLAUDE_CODE_VERSION}, sessions of 0 and ${CALLS} Bash calls, median of ${runs} each (per call and per session: more than with no hooks); node -e 0 took ${median(nodeStart).toFixed(0)} ms:`);
for (const c of cases) {
  const t = times.get(c.name)!;
  const perCall = slope(t) - slope(base);
  const fixed = median(t.short) - median(base.short);
  console.log(
    `  ${c.name.padEnd(42)} ${median(t.short).toFixed(0).padStart(6)} ms / ${median(t.long).toFixed(0).padStart(6)} ms` +
      (c === cases[0] ? '' : `   per call ${signed(perCall, 1)} ms, per session ${signed(fixed, 0)} ms`),
  );
}
