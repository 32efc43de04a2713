// A gate stage runs with its whole process group killed if nevo is interrupted. nevo must already
// be listening when the stage starts: a SIGINT that arrived between the two took nevo down by
// default and left the stage's processes running, detached (seen once on a busy machine in
// test/gate/gate.test.ts). The order is checked here, without racing a real signal.
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';

const listening: { sigint: number; sigterm: number }[] = [];
vi.mock('node:child_process', () => ({
  spawn: () => {
    listening.push({ sigint: process.listenerCount('SIGINT'), sigterm: process.listenerCount('SIGTERM') });
    const child = Object.assign(new EventEmitter(), { pid: undefined, stdin: new PassThrough(), stdout: new PassThrough(), stderr: new PassThrough(), exitCode: 0, signalCode: null, kill: () => true });
    setImmediate(() => {
      child.emit('exit', 0, null);
      child.emit('close', 0, null);
    });
    return child;
  },
}));

afterEach(() => {
  listening.length = 0;
});

describe('a reaped command and signals', () => {
  it('listens for SIGINT and SIGTERM before the command starts, and stops listening once it is done', async () => {
    const { runCommand } = await import('../../src/external/command.js');
    const before = { sigint: process.listenerCount('SIGINT'), sigterm: process.listenerCount('SIGTERM') };
    const r = await runCommand('true', '', process.cwd(), 10_000, { reap: true });
    expect(r.code).toBe(0);
    expect(listening).toEqual([{ sigint: before.sigint + 1, sigterm: before.sigterm + 1 }]);
    expect({ sigint: process.listenerCount('SIGINT'), sigterm: process.listenerCount('SIGTERM') }).toEqual(before);
  });

  it('adds no listener for a command that is not reaped', async () => {
    const { runCommand } = await import('../../src/external/command.js');
    const before = { sigint: process.listenerCount('SIGINT'), sigterm: process.listenerCount('SIGTERM') };
    await runCommand('true', '', process.cwd(), 10_000);
    expect(listening).toEqual([before]);
  });
});
