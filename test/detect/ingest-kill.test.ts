import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestTriggers } from '../../src/detect/ingest.js';
import { newTriggerId, writeTrigger } from '../../src/detect/trigger.js';
import { DOC_NAMES, docFiles } from '../../src/store/documents.js';
import { documentProblem } from '../../src/store/validate.js';
import { openWorkspace } from '../../src/workspace/workspace.js';
import { sessionJournalFiles } from '../../src/store/raw-journal-files.js';
import { bundleScript } from '../helpers/scripts.js';
import { freshWorkspace } from '../helpers/workspace.js';

function killSoon(script: string, root: string, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, root], { stdio: ['ignore', 'pipe', 'inherit'] });
    // Start the clock once the process has loaded its code, so every kill lands inside ingest.
    const timer = setTimeout(() => child.kill('SIGKILL'), 250 + ms);
    child.on('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

describe('ingest killed with SIGKILL', () => {
  it('loses and double-counts nothing over 20 kills', async () => {
    const ws = await freshWorkspace();
    const config = JSON.parse(readFileSync(ws.layout.config, 'utf8'));
    config.store.recentEvents = 10000;
    config.history.batchRecords = 50; // commits happen during the run, so kills land in them too
    config.analyst.auto = false;
    writeFileSync(ws.layout.config, JSON.stringify(config));
    const script = bundleScript('test/helpers/ingest-loop.ts');
    const ids: string[] = [];
    let failures = 0;
    for (let run = 0; run < 20; run++) {
      for (let i = 0; i < 60; i++) {
        const failed = i % 4 === 0;
        if (failed) failures++;
        const id = newTriggerId();
        ids.push(id);
        writeTrigger(ws.layout.triggers, {
          v: 1,
          id,
          receivedAt: new Date().toISOString(),
          source: 'hook',
          payload: {
            session_id: `s${run % 5}`,
            cwd: ws.project,
            hook_event_name: failed ? 'PostToolUseFailure' : 'PostToolUse',
            tool_name: 'Bash',
            tool_input: { command: `make step${i}` },
            ...(failed ? { error: `Exit code 2\nmake: *** No rule to make target 'step${i}'.  Stop.` } : { tool_response: { stdout: 'ok' } }),
          },
        });
      }
      await killSoon(script, ws.root, Math.floor(Math.random() * 400));
      // Every file of every document, each shard of a sharded one.
      for (const rel of DOC_NAMES.flatMap((name) => docFiles(ws.root, name))) {
        expect(documentProblem(rel, readFileSync(join(ws.root, rel), 'utf8')), `${rel} after kill ${run}`).toBeNull();
      }
    }
    const fresh = openWorkspace(ws.root);
    await ingestTriggers(fresh);
    expect(readdirSync(ws.layout.triggers).filter((n) => n.endsWith('.json'))).toEqual([]);
    const events = (await fresh.store.read('events')).records;
    expect(events.map((e) => e.id).sort()).toEqual([...ids].sort());
    const telemetry = (await fresh.store.read('telemetry')).records;
    expect(telemetry.reduce((n, d) => n + (d.calls.Bash ?? 0), 0)).toBe(ids.length);
    expect(telemetry.reduce((n, d) => n + (d.failures.Bash ?? 0), 0)).toBe(failures);
    const incidents = (await fresh.store.read('incidents')).records;
    expect(incidents.reduce((n, i) => n + i.count, 0)).toBe(failures);
    const sessions = (await fresh.store.read('sessions')).records;
    expect(sessions.reduce((n, s) => n + s.calls, 0)).toBe(ids.length);
    // The raw journal holds every event exactly once, in files that all parse.
    const journalled = sessions.flatMap((s) =>
      sessionJournalFiles(ws.root, s.id).flatMap((f) =>
        readFileSync(join(ws.root, f), 'utf8')
          .trim()
          .split('\n')
          .map((l) => (JSON.parse(l) as { id: string }).id),
      ),
    );
    expect(journalled.sort()).toEqual([...ids].sort());
  });
});
