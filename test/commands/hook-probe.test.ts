import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { readProbe } from '../../src/commands/hooks-status.js';

describe('a hook command that exits before reading its payload', () => {
  it('is judged by its exit and message, not by the pipe it left closed', () => {
    // A payload larger than any pipe buffer makes the closed pipe certain rather than a race.
    const r = spawnSync('/bin/sh', ['-c', 'echo "nevo-tui: not in node_modules" >&2; exit 0'], { input: 'x'.repeat(1 << 20), encoding: 'utf8' });
    expect((r.error as NodeJS.ErrnoException | undefined)?.code).toBe('EPIPE');
    const probe = readProbe('npx nevo-tui hook', ['PostToolUse'], r, '/project', true);
    expect(probe.ok).toBe(false);
    expect(probe.reason).toBe('exit 0: nevo-tui: not in node_modules (it never reached nevo-tui hook)');
  });
});
