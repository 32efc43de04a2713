import { spawn } from 'node:child_process';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyInTransaction } from '../../src/detect/ingest.js';
import type { IncomingEvent } from '../../src/detect/normalise.js';
import { consolidateMemory } from '../../src/memory/consolidate.js';
import { rememberSessions } from '../../src/memory/remember.js';
import { DOC_NAMES, docFiles } from '../../src/store/documents.js';
import { documentProblem } from '../../src/store/validate.js';
import { addDays } from '../../src/util/day.js';
import { openWorkspace } from '../../src/workspace/workspace.js';
import { bundleScript } from '../helpers/scripts.js';
import { freshWorkspace, scratch } from '../helpers/workspace.js';

const START = '2026-08-03';
const DAYS = 50;
const NOW = `${addDays(START, DAYS)}T12:00:00.000Z`;

interface Run {
  finished: boolean;
  /** Milliseconds from "start" to "done", when it got there. */
  workMs: number | null;
}

/** Runs the consolidator and kills it `afterMs` after it says it has started (never, if null). */
function runAndKill(script: string, root: string, afterMs: number | null): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, root, NOW], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    let started = 0;
    let workMs: number | null = null;
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (d) => {
      out += d;
      if (!started && out.includes('start')) {
        started = performance.now();
        if (afterMs !== null) timer = setTimeout(() => child.kill('SIGKILL'), afterMs);
      }
      if (workMs === null && out.includes('done')) workMs = performance.now() - started;
    });
    child.on('exit', () => {
      clearTimeout(timer);
      resolve({ finished: out.includes('done'), workMs });
    });
  });
}

describe('memory consolidate killed with SIGKILL', () => {
  it('leaves every file valid, and the next run finishes the job with every session in exactly one place', async () => {
    let now = new Date(`${START}T08:00:00Z`);
    const template = await freshWorkspace({ clock: () => now });
    template.config.timeZone = 'UTC';
    for (let n = 0; n < DAYS; n++) {
      const day = addDays(START, n);
      now = new Date(`${day}T20:00:00Z`);
      const s = `sess-${day}`;
      const base = { source: 'hook' as const, signal: 'hook' as const, session: s };
      const evs: IncomingEvent[] = [
        { ...base, id: `${s}-p`, time: `${day}T09:00:00.000Z`, kind: 'UserPromptSubmit', text: `Task ${n}. Always keep the changelog current.` },
        { ...base, id: `${s}-e`, time: `${day}T10:00:00.000Z`, kind: 'PostToolUse', tool: 'Edit', target: `/p/src/f${n % 7}.ts`, ok: true },
        { ...base, id: `${s}-f`, time: `${day}T10:30:00.000Z`, kind: 'PostToolUseFailure', tool: 'Bash', target: 'pnpm test', ok: false, error: `Exit code 1\nFAIL f${n % 3}.test.ts` },
        { ...base, id: `${s}-stop`, time: `${day}T11:00:00.000Z`, kind: 'Stop' },
      ];
      const r = await applyInTransaction(template, evs, [], 'test');
      await rememberSessions(template, r.written.ended);
    }
    await template.store.flush();
    const script = bundleScript('test/helpers/consolidator.ts');
    // One whole run tells how long the work takes on this machine; the kills then land at
    // eight points spread across it, so some cut it short however fast the machine is.
    const calibration = join(scratch(), '.nevo');
    cpSync(template.root, calibration, { recursive: true });
    const whole = await runAndKill(script, calibration, null);
    expect(whole.finished).toBe(true);
    const workMs = whole.workMs!;
    let finished = 0;
    for (let run = 0; run < 8; run++) {
      const root = join(scratch(), '.nevo');
      cpSync(template.root, root, { recursive: true });
      if ((await runAndKill(script, root, Math.floor((workMs * (run + 0.5)) / 8))).finished) finished++;
      for (const rel of DOC_NAMES.flatMap((name) => docFiles(root, name))) {
        expect(documentProblem(rel, readFileSync(join(root, rel), 'utf8')), `${rel} after kill ${run}`).toBeNull();
      }
      const ws = openWorkspace(root, { clock: () => new Date(NOW) });
      await consolidateMemory(ws);
      const narratives = (await ws.store.read('narratives')).records;
      const digests = (await ws.store.read('digests')).records;
      const weeklies = digests.filter((d) => d.period === 'weekly');
      const places = [...narratives.map((n) => n.id), ...weeklies.flatMap((w) => w.sessions), ...digests.filter((d) => d.period === 'monthly').flatMap((m) => m.sessions)];
      expect(new Set(places).size, `run ${run}`).toBe(DAYS);
      expect(places.length, `run ${run}: a session counted twice`).toBe(DAYS);
      for (const r of [...narratives, ...digests]) expect(existsSync(join(root, r.file)), r.file).toBe(true);
      // A second run after the repair finds nothing left to do.
      expect((await consolidateMemory(ws)).commit).toBeNull();
    }
    // Kills cut the work short, or the test proves little.
    expect(finished).toBeLessThan(8);
  }, 180_000);
});
