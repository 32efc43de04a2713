import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { initWorkspace } from '../../src/app/init.js';
import { openWorkspace, type Clock, type Workspace } from '../../src/workspace/workspace.js';

const made: string[] = [];

afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A scratch folder removed after the test. */
export function scratch(prefix = 'nevo-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** A freshly initialised workspace in a scratch project folder. */
export async function freshWorkspace(opts: { clock?: Clock } = {}): Promise<Workspace & { project: string }> {
  const project = scratch();
  const r = await initWorkspace({ project, cwd: project, now: opts.clock });
  return { ...openWorkspace(r.workspace, { clock: opts.clock }), project };
}
