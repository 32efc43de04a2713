// The heavy year's simulation, shared by the year bench (which measures along the way) and the
// approve bench (which grows a workspace of the same size once and measures on copies of it).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { initWorkspace } from '../src/app/init.js';
import { applyInTransaction } from '../src/detect/ingest.js';
import type { IncomingEvent } from '../src/detect/normalise.js';
import { consolidateMemory } from '../src/memory/consolidate.js';
import { rememberSessions } from '../src/memory/remember.js';
import { openWorkspace, type Workspace } from '../src/workspace/workspace.js';

export const CALLS_PER_DAY = 2000;
export const SESSIONS_PER_DAY = 20;
export const FAILURE_RATE = 0.07;
const NEW_ERROR_SHARE = 0.55; // of failures: about 80 new incidents a day, as measured on a heavy user
export const TOOLS = ['Bash', 'Read', 'Edit', 'Grep', 'Write', 'Glob'];
const WORDS = 'alpha bravo cache delta engine fabric gamma harbor index jetty kernel ledger matrix nexus orbit pixel quartz router signal tensor umbra vector widget xenon yield zephyr'.split(' ');

/** The text of the k-th distinct error: different programs, modules and files, so fingerprints differ. */
function errorText(k: number): { tool: string; target: string; error: string } {
  const w = (i: number) => WORDS[(k * 7 + i * 13 + Math.floor(k / WORDS.length)) % WORDS.length];
  switch (k % 4) {
    case 0:
      return { tool: 'Bash', target: `npm run ${w(1)}-${k}`, error: `Exit code 1\nnpm error Missing script: "${w(1)}-${k}"` };
    case 1:
      return { tool: 'Bash', target: `node scripts/${w(2)}.js`, error: `Exit code 1\nError: Cannot find module '${w(2)}-${w(3)}-${k}'` };
    case 2:
      return { tool: 'Read', target: `/repo/src/${w(4)}/${w(5)}-${k}.ts`, error: `File does not exist.` };
    default:
      return { tool: 'Bash', target: `${w(6)}${k} --check`, error: `Exit code 127\n(eval):1: command not found: ${w(6)}${k}` };
  }
}

export interface YearSim {
  ws: Workspace;
  clock: () => Date;
  /** The next unused event number. */
  nextId: () => number;
  /** Simulates the next day: its sessions through ingest in bursts of `perRun`, remembered, consolidated. */
  day: () => Promise<number>;
}

/**
 * A new workspace and the year's stream, deterministic so two runs simulate the same year.
 * `perRun` events go through each ingest (the hook's bursts); `wholeDays` takes a day's calls in
 * one ingest and remembers its sessions at once: the same events, files and records in far fewer
 * transactions, to grow a workspace of a year's size quickly.
 */
export async function startYear(project: string, opts: { perRun: number; wholeDays?: boolean; batchRecords?: number; batchMinutes?: number }): Promise<YearSim> {
  let seed = 42;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const start = Date.parse('2026-01-05T08:00:00Z');
  let now = start;
  const clock = () => new Date(now);
  const { workspace } = await initWorkspace({ project, cwd: project, now: clock });
  // The analyst is left out: proposals are a person's to review, not part of the cost of a change.
  const config = JSON.parse(readFileSync(join(workspace, 'config.json'), 'utf8'));
  config.analyst.auto = false;
  if (opts.batchRecords) config.history.batchRecords = opts.batchRecords;
  if (opts.batchMinutes) config.history.batchMinutes = opts.batchMinutes;
  writeFileSync(join(workspace, 'config.json'), JSON.stringify(config, null, 2));
  const ws = openWorkspace(workspace, { clock });
  let n = 0;
  let errors = 0; // distinct errors made so far
  let day = 0;
  const simulateDay = async () => {
    day++;
    const dayStart = start + (day - 1) * 86_400_000;
    const perSession = CALLS_PER_DAY / SESSIONS_PER_DAY;
    const day_: IncomingEvent[] = [];
    const ingest = (events: IncomingEvent[]) => (opts.wholeDays ? (day_.push(...events), Promise.resolve()) : applyInTransaction(ws, events, [], 'bench').then(() => undefined));
    for (let s = 0; s < SESSIONS_PER_DAY; s++) {
      const session = `s-${day}-${s}`;
      for (let burst = 0; burst < perSession / opts.perRun; burst++) {
        now = dayStart + ((s * perSession + burst * opts.perRun) / CALLS_PER_DAY) * 10 * 3_600_000; // a 10-hour working day
        const incoming: IncomingEvent[] = [];
        for (let i = 0; i < opts.perRun; i++, n++) {
          const failed = rand() < FAILURE_RATE;
          let call = { tool: TOOLS[n % TOOLS.length]!, target: `src/module-${n % 97}/file-${n % 13}.ts`, error: undefined as string | undefined };
          if (failed) {
            // New errors, or a recurring one: recent errors recur most.
            const k = errors === 0 || rand() < NEW_ERROR_SHARE ? errors++ : Math.max(0, errors - 1 - Math.floor(-Math.log(1 - rand() * 0.999) * 200) % errors);
            call = errorText(k);
          }
          incoming.push({ id: `ev-${n}`, time: new Date(now + i * 1000).toISOString(), source: 'hook', signal: 'hook', kind: failed ? 'PostToolUseFailure' : 'PostToolUse', session, tool: call.tool, target: call.target, ok: !failed, durationMs: n % 900, ...(call.error ? { error: call.error } : {}) });
        }
        await ingest(incoming);
      }
      // The session ends: its Stop, and its narrative and facts.
      await ingest([{ id: `stop-${session}`, time: new Date(now + 60_000).toISOString(), source: 'hook', signal: 'hook', kind: 'Stop', session }]);
      if (!opts.wholeDays) await rememberSessions(ws, [session]);
    }
    if (opts.wholeDays) {
      await applyInTransaction(ws, day_, [], 'bench');
      await rememberSessions(ws, Array.from({ length: SESSIONS_PER_DAY }, (_, s) => `s-${day}-${s}`));
    }
    // The nightly consolidation, at 03:00 of the next day.
    now = dayStart + 19 * 3_600_000;
    await consolidateMemory(ws);
    return day;
  };
  return { ws, clock, nextId: () => n++, day: simulateDay };
}

/** Logs progress every ten days. */
export function progress(wall: number, day: number): void {
  if (day % 10 === 0) console.error(`day ${day} simulated after ${((performance.now() - wall) / 1000).toFixed(0)} s`);
}
