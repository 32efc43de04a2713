// 30 days at 1,000 events a day through ingest's transaction and the history, with an injected
// clock: how big the workspace's git repository gets (raw journal included), and how many
// commits, under the batch policy.
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyInTransaction } from '../src/detect/ingest.js';
import type { IncomingEvent } from '../src/detect/normalise.js';
import { initWorkspace } from '../src/app/init.js';
import { openWorkspace } from '../src/workspace/workspace.js';
import { du } from './util.js';

const DAYS = Number(process.env.BENCH_DAYS ?? 30);
const PER_DAY = 1000;
const PER_RUN = 10; // events per ingest run: the hook fires in bursts while the agent works


async function simulate(label: string, history: { batchRecords: number; batchMinutes: number }, days = DAYS) {
  const project = mkdtempSync(join(tmpdir(), 'nevo-bench-'));
  let now = Date.parse('2026-10-01T08:00:00Z');
  const clock = () => new Date(now);
  const { workspace } = await initWorkspace({ project, cwd: project, now: clock });
  const config = JSON.parse(readFileSync(join(workspace, 'config.json'), 'utf8'));
  config.history = history;
  writeFileSync(join(workspace, 'config.json'), JSON.stringify(config, null, 2));
  const ws = openWorkspace(workspace, { clock });
  const started = Date.now();
  let n = 0;
  for (let day = 0; day < days; day++) {
    const dayStart = Date.parse('2026-10-01T08:00:00Z') + day * 86400000;
    for (let run = 0; run < PER_DAY / PER_RUN; run++) {
      now = dayStart + run * ((10 * 3600000) / (PER_DAY / PER_RUN)); // a 10-hour working day
      // Through ingest's own transaction: events, telemetry, sessions, incidents and the raw journal.
      const incoming: IncomingEvent[] = [];
      for (let i = 0; i < PER_RUN; i++, n++) {
        const failed = n % 7 === 0;
        incoming.push({
          id: `ev-${n}`,
          time: clock().toISOString(),
          source: 'hook',
          signal: 'hook',
          kind: failed ? 'PostToolUseFailure' : 'PostToolUse',
          session: `s-${day}-${Math.floor(run / 25)}`,
          tool: ['Bash', 'Read', 'Edit', 'Grep'][n % 4],
          target: `src/module-${n % 97}/file-${n % 13}.ts`,
          ok: !failed,
          durationMs: n % 900,
          ...(failed ? { error: `Exit code 1\nError: Cannot find module './m${n % 5}'` } : {}),
        });
      }
      await applyInTransaction(ws, incoming, [], 'bench');
    }
  }
  await ws.store.flush();
  const commits = (await ws.history.log()).length;
  const gitBytes = du(join(workspace, '.git'));
  console.log(
    `${label.padEnd(44)} ${commits.toString().padStart(5)} commits   .git ${(gitBytes / 1048576).toFixed(2).padStart(7)} MiB   (${days} days, ${days * PER_DAY} events in ${((Date.now() - started) / 1000).toFixed(1)} s)`,
  );
  rmSync(project, { recursive: true, force: true });
}

console.log(`${DAYS} days x ${PER_DAY} events/day, ${PER_RUN} events per ingest run, events.json capped at 2,000`);
await simulate('default: 10,000 records or 24 h', { batchRecords: 10000, batchMinutes: 1440 });
await simulate('1,000 records or 24 h (the default before)', { batchRecords: 1000, batchMinutes: 1440 });
await simulate('1,000 records or 60 min', { batchRecords: 1000, batchMinutes: 60 });
// Committing every run is slow to simulate; BENCH_FULL=1 runs all 30 days of it.
await simulate('every ingest run (no batching)', { batchRecords: 1, batchMinutes: 0 }, process.env.BENCH_FULL ? DAYS : 3);
