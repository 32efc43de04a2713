import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { ownerDead, processStart, withWorkspaceLock } from '../../src/store/lock.js';
import { bundleScript } from '../helpers/scripts.js';
import { watchOwnerless } from '../helpers/lock-watch.js';
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
    await expect(withWorkspaceLock(ws.layout, { timeoutMs: 400, staleMs: 10000 }, async () => 'got it')).rejects.toThrow(
      new RegExp(`locked by pid ${child.pid} on .* \\(nevo-tui ingest, since .*\\); waited 400 ms`),
    );
  });

  it('breaks the lock of a holder killed with SIGKILL without waiting for it to go stale', async () => {
    const ws = await freshWorkspace();
    const child = await holder(ws.root, 'doomed');
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    // The stale time is far longer than the wait: only knowing the owner dead can free the lock.
    await expect(withWorkspaceLock(ws.layout, { timeoutMs: 20000, staleMs: 600000 }, async () => 'got it')).resolves.toBe('got it');
  });

  it('never takes the lock from a paused holder, however long past the stale time it stays stopped', async () => {
    const ws = await freshWorkspace();
    const child = await holder(ws.root, 'nevo-tui ingest');
    child.kill('SIGSTOP');
    try {
      // Past the stale time with no refresh: age alone used to break the lock here.
      await new Promise((r) => setTimeout(r, 2600));
      await expect(withWorkspaceLock(ws.layout, { timeoutMs: 1000, staleMs: 2000 }, async () => 'got it')).rejects.toThrow(new RegExp(`locked by pid ${child.pid}`));
    } finally {
      child.kill('SIGCONT');
    }
  });

  it('tells a pid reused by a later process from the owner that died', () => {
    expect(ownerDead({ pid: process.pid })).toBe(false);
    const start = processStart(process.pid);
    if (start === undefined) return; // no /proc: the pid alone decides
    expect(ownerDead({ pid: process.pid, start })).toBe(false);
    expect(ownerDead({ pid: process.pid, start: start - 1 })).toBe(true);
  });

  it('breaks a lock directory left without an owner only once it is older than the stale time', async () => {
    const ws = await freshWorkspace();
    mkdirSync(ws.layout.lock);
    await expect(withWorkspaceLock(ws.layout, { timeoutMs: 300, staleMs: 60000 }, async () => 'got it')).rejects.toThrow(/locked by another process/);
    const old = new Date(Date.now() - 120000);
    utimesSync(ws.layout.lock, old, old);
    await expect(withWorkspaceLock(ws.layout, { timeoutMs: 5000, staleMs: 60000 }, async () => 'got it')).resolves.toBe('got it');
  });

  it('never shows a lock directory without its owner, taking or releasing: a holder killed at any moment leaves none to wait out', async () => {
    const ws = await freshWorkspace();
    const watch = watchOwnerless(ws.layout.lock, ws.layout.lockOwner);
    for (let i = 0; i < 5; i++) await withWorkspaceLock(ws.layout, { timeoutMs: 5000, staleMs: 10000 }, async () => i);
    expect(watch.stop()).toBe(0);
    expect(existsSync(ws.layout.lock)).toBe(false);
    expect(existsSync(ws.layout.lockOwner)).toBe(false);
  });

  it("leaves the lock of whoever took it away alone, when it finishes and when it exits", async () => {
    const ws = await freshWorkspace();
    const r = spawnSync(process.execPath, [bundleScript('test/helpers/lose-lock.ts'), ws.root], { encoding: 'utf8' });
    expect(r.stdout).toContain('lost');
    // The other holder's folder and owner file are still there, its own.
    expect(existsSync(ws.layout.lock)).toBe(true);
    expect(JSON.parse(readFileSync(ws.layout.lockOwner, 'utf8'))).toMatchObject({ host: 'elsewhere', command: 'other' });
  });

  it('writes nothing when its lock was taken away while it held it', async () => {
    const ws = await freshWorkspace();
    const before = (await ws.store.read('incidents')).records.length;
    await expect(
      ws.store.transact(async (tx) => {
        (await tx.doc('incidents')).records.push({ id: 'x' } as never);
        tx.touch('incidents');
        // Another process took the lock meanwhile: its owner file names someone else.
        writeFileSync(ws.layout.lockOwner, JSON.stringify({ pid: 1, host: 'elsewhere', command: 'x', since: 'now', ino: 0, birth: 0 }));
      }),
    ).rejects.toThrow(/taken away .* wrote nothing/);
    expect((await ws.store.read('incidents')).records.length).toBe(before);
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
