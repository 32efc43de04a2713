import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DOC_NAMES, docFiles } from '../../src/store/documents.js';
import { documentProblem } from '../../src/store/validate.js';
import { loadConfig } from '../../src/workspace/config.js';
import { openWorkspace } from '../../src/workspace/workspace.js';
import { bundleScript } from '../helpers/scripts.js';
import { freshWorkspace } from '../helpers/workspace.js';

/**
 * Starts a writer and, once it has acknowledged its first write (so start-up time on a loaded
 * machine does not matter), kills it with SIGKILL `ms` later; returns the ids it acknowledged.
 */
function killAfter(script: string, root: string, prefix: string, ms: number): Promise<string[]> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, root, '100000', prefix], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => {
      if (!out) setTimeout(() => child.kill('SIGKILL'), ms);
      out += d;
    });
    child.on('exit', () => {
      const lines = out.split('\n');
      lines.pop(); // empty, or a line cut short by the kill
      resolve(lines);
    });
  });
}

describe('a writer killed with SIGKILL', () => {
  it('leaves every file valid and loses no acknowledged record, 20 times over', async () => {
    const ws = await freshWorkspace();
    // Small batches so that kills also land inside git commits.
    const config = JSON.parse(readFileSync(ws.layout.config, 'utf8'));
    config.history.batchRecords = 7;
    writeFileSync(ws.layout.config, JSON.stringify(config, null, 2));
    execFileSync('git', ['-C', ws.root, 'commit', '-qam', 'test: small batches']);
    const script = bundleScript('test/helpers/writer.ts');
    const acked: string[] = [];
    for (let run = 0; run < 20; run++) {
      acked.push(...(await killAfter(script, ws.root, `r${run}`, Math.floor(Math.random() * 300))));
      loadConfig(ws.layout.config);
      // Every file of every document, each shard of a sharded one.
      for (const rel of DOC_NAMES.flatMap((name) => docFiles(ws.root, name))) {
        expect(documentProblem(rel, readFileSync(join(ws.root, rel), 'utf8')), `${rel} after run ${run}`).toBeNull();
      }
      // The system's git still reads the history after each kill.
      execFileSync('git', ['-C', ws.root, 'log', '--oneline'], { stdio: 'pipe' });
    }
    const fresh = openWorkspace(ws.root);
    const ids = new Set((await fresh.store.read('events')).records.map((r) => r.id));
    const lost = acked.filter((id) => !ids.has(id));
    expect(acked.length).toBeGreaterThanOrEqual(20);
    expect(lost).toEqual([]);
    // Every commit and object git can reach is intact.
    execFileSync('git', ['-C', ws.root, 'fsck', '--connectivity-only'], { stdio: 'pipe' });
    const objects = readdirSync(join(ws.root, '.git', 'objects')).length;
    expect(objects).toBeGreaterThan(2);
    // Twenty writer processes: about 15 s on a quiet machine, more on a busy one (a kill used to
    // leave an ownerless lock to wait out, 10 s each). The limit is a guard against a hang, not a timing.
  }, 240_000);
});
