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
  it('keeps all 800 records when 8 processes each add 100 at once', async () => {
    const ws = await freshWorkspace();
    // This test is about losing nothing, not about waiting: on a machine busy with the rest of the
    // suite, 800 transactions queued on one lock may wait longer than the default 15 s.
    const config = JSON.parse(readFileSync(ws.layout.config, 'utf8'));
    config.lock.timeoutMs = 120000;
    config.history.batchRecords = 500;
    writeFileSync(ws.layout.config, JSON.stringify(config));
    const script = bundleScript('test/helpers/writer.ts');
    const acks = await Promise.all(Array.from({ length: 8 }, (_, p) => runWriter(script, ws.root, 100, `p${p}`)));
    expect(acks.flat()).toHaveLength(800);
    const events = await ws.store.read('events');
    expect(events.records).toHaveLength(800);
    expect(new Set(events.records.map((r) => r.id)).size).toBe(800);
    const telemetry = await ws.store.read('telemetry');
    expect(telemetry.records[0]?.calls.Bash).toBe(800);
    // Each write changes one event and one telemetry day: 1,600 record changes at a
    // batch size of 500 make three batch commits, not 800.
    const log = await ws.history.log();
    expect(log.filter((c) => c.subject.startsWith('store: ')).length).toBe(3);
    // As the lock's wait above: 25 s alone here with twice the writers' work, over 60 s once beside a whole-year simulation, so
    // the suite's 60 s would fail a slow machine, not lost records.
  }, 300_000);
});
