import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bundleScript } from '../helpers/scripts.js';
import { freshWorkspace } from '../helpers/workspace.js';

function runWriter(script: string, root: string, count: number, prefix: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, root, String(count), prefix], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => (code === 0 ? resolve(out.trim().split('\n')) : reject(new Error(`writer ${prefix} exited ${code}: ${err}`))));
  });
}

describe('store transactions across processes', () => {
  it('keeps all 1,600 records when 8 processes each add 200 at once', async () => {
    const ws = await freshWorkspace();
    // This test is about losing nothing, not about waiting: on a machine busy with the rest of the
    // suite, 1,600 transactions queued on one lock may wait longer than the default 15 s.
    const config = JSON.parse(readFileSync(ws.layout.config, 'utf8'));
    config.lock.timeoutMs = 120000;
    config.history.batchRecords = 1000;
    writeFileSync(ws.layout.config, JSON.stringify(config));
    const script = bundleScript('test/helpers/writer.ts');
    const acks = await Promise.all(Array.from({ length: 8 }, (_, p) => runWriter(script, ws.root, 200, `p${p}`)));
    expect(acks.flat()).toHaveLength(1600);
    const events = await ws.store.read('events');
    expect(events.records).toHaveLength(1600);
    expect(new Set(events.records.map((r) => r.id)).size).toBe(1600);
    const telemetry = await ws.store.read('telemetry');
    expect(telemetry.records[0]?.calls.Bash).toBe(1600);
    // Each write changes one event and one telemetry day: 3,200 record changes at a
    // batch size of 1,000 make three batch commits, not 1,600.
    const log = await ws.history.log();
    expect(log.filter((c) => c.subject.startsWith('store: ')).length).toBe(3);
    // As the lock's wait above: 25 s alone here, over 60 s once beside a whole-year simulation, so
    // the suite's 60 s would fail a slow machine, not lost records.
  }, 300_000);
});
