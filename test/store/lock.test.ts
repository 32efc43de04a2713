import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { withWorkspaceLock } from '../../src/workspace/lock.js';
import { bundleScript } from '../helpers/scripts.js';
import { freshWorkspace } from '../helpers/workspace.js';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

function holder(root: string, purpose: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [bundleScript('test/helpers/hold-lock.ts'), root, purpose], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve) => child.stdout!.once('data', () => resolve(child)));
}

describe('workspace lock', () => {
  it('names the live holder, by pid and command, when it times out', async () => {
    const ws = await freshWorkspace();
    const child = await holder(ws.root, 'nevo-tui ingest');
    const started = Date.now();
    await expect(withWorkspaceLock(ws.layout, { timeoutMs: 400, staleMs: 10000 }, async () => 'got it')).rejects.toThrow(
      new RegExp(`locked by pid ${child.pid} on .* \\(nevo-tui ingest, since .*\\); waited 400 ms`),
    );
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('breaks the lock of a holder killed with SIGKILL without waiting for it to go stale', async () => {
    const ws = await freshWorkspace();
    const child = await holder(ws.root, 'doomed');
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const started = Date.now();
    await expect(withWorkspaceLock(ws.layout, { timeoutMs: 5000, staleMs: 10000 }, async () => 'got it')).resolves.toBe('got it');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('runs callers of one process one at a time', async () => {
    const ws = await freshWorkspace();
    let inside = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 10 }, () =>
        withWorkspaceLock(ws.layout, { timeoutMs: 5000, staleMs: 10000 }, async () => {
          most = Math.max(most, ++inside);
          await new Promise((r) => setTimeout(r, 5));
          inside--;
        }),
      ),
    );
    expect(most).toBe(1);
  });
});
