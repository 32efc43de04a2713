import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ingestTriggers } from '../../src/detect/ingest.js';
import { newTriggerId, writeTrigger, type Trigger } from '../../src/detect/trigger.js';
import { openWorkspace } from '../../src/workspace/workspace.js';
import { bundleScript } from '../helpers/scripts.js';
import { freshWorkspace } from '../helpers/workspace.js';

function trigger(project: string, i: number, session = `s${i % 7}`): Trigger {
  const failed = i % 5 === 0;
  return {
    v: 1,
    id: newTriggerId(Date.parse('2026-11-20T09:00:00Z') + i),
    receivedAt: new Date(Date.parse('2026-11-20T09:00:00Z') + i * 1000).toISOString(),
    source: 'hook',
    payload: {
      session_id: session,
      cwd: project,
      hook_event_name: failed ? 'PostToolUseFailure' : 'PostToolUse',
      tool_name: 'Bash',
      tool_input: { command: failed ? 'make deploy' : `make step${i}` },
      ...(failed ? { error: "Exit code 2\nmake: *** No rule to make target 'deploy'.  Stop." } : { tool_response: { stdout: 'ok' } }),
    },
  };
}

function run(script: string, args: string[]): Promise<number | null> {
  return new Promise((resolve) => spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'ignore', 'inherit'] }).on('exit', resolve));
}

async function totals(root: string) {
  const ws = openWorkspace(root);
  const telemetry = (await ws.store.read('telemetry')).records;
  const incidents = (await ws.store.read('incidents')).records;
  const sessions = (await ws.store.read('sessions')).records;
  return {
    calls: telemetry.reduce((n, d) => n + (d.calls.Bash ?? 0), 0),
    failures: telemetry.reduce((n, d) => n + (d.failures.Bash ?? 0), 0),
    incident: incidents.reduce((n, i) => n + i.count, 0),
    sessionCalls: sessions.reduce((n, s) => n + s.calls, 0),
  };
}

describe('ingest counts each event once, whoever reads its trigger and whenever', () => {
  it('does not count again a trigger left behind after its events were applied, however many events came since', async () => {
    const ws = await freshWorkspace();
    const config = JSON.parse(readFileSync(ws.layout.config, 'utf8'));
    config.store.recentEvents = 100;
    config.analyst.auto = false;
    writeFileSync(ws.layout.config, JSON.stringify(config));
    const fresh = openWorkspace(ws.root);
    const first = trigger(ws.project, 0);
    writeTrigger(fresh.layout.triggers, first);
    await ingestTriggers(fresh);
    for (let i = 1; i <= 300; i++) writeTrigger(fresh.layout.triggers, trigger(ws.project, i));
    await ingestTriggers(fresh);
    // The same file again: an ingester killed after its transaction and before it removed the file.
    writeTrigger(fresh.layout.triggers, first);
    const again = await ingestTriggers(fresh);
    expect(again.duplicates).toBe(1);
    expect(await totals(ws.root)).toEqual({ calls: 301, failures: 61, incident: 61, sessionCalls: 301 });
  });

  it('three ingesters on a backlog of 6,000 triggers count every event exactly once', async () => {
    const ws = await freshWorkspace();
    const config = JSON.parse(readFileSync(ws.layout.config, 'utf8'));
    config.analyst.auto = false;
    writeFileSync(ws.layout.config, JSON.stringify(config));
    const N = 6000;
    for (let i = 0; i < N; i++) writeTrigger(ws.layout.triggers, trigger(ws.project, i));
    const script = bundleScript('test/helpers/ingest-loop.ts');
    const codes = await Promise.all([run(script, [ws.root, '1000']), run(script, [ws.root, '1000']), run(script, [ws.root, '1000'])]);
    expect(codes).toEqual([0, 0, 0]);
    expect(readdirSync(ws.layout.triggers).filter((n) => n.endsWith('.json'))).toEqual([]);
    expect(await totals(ws.root)).toEqual({ calls: N, failures: N / 5, incident: N / 5, sessionCalls: N });
  }, 240_000);
});
