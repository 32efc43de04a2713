import { mkdtempSync, readFileSync } from 'node:fs';
import { docFiles } from '../../src/store/documents.js';
import type { DocName, RecordOf } from '../../src/store/schemas.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initWorkspace } from '../../src/app/init.js';
import { openWorkspace, type Clock, type Workspace } from '../../src/workspace/workspace.js';
import { removeAfterTest } from './cleanup.js';


/** A scratch folder removed after the test. */
export function scratch(prefix = 'nevo-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  removeAfterTest(dir);
  return dir;
}

/** A freshly initialised workspace in a scratch project folder. */
export async function freshWorkspace(opts: { clock?: Clock } = {}): Promise<Workspace & { project: string }> {
  const project = scratch();
  const r = await initWorkspace({ project, cwd: project, now: opts.clock });
  return { ...openWorkspace(r.workspace, { clock: opts.clock }), project };
}

/** Every file of a store document as it is on disk (each shard of a sharded one), joined: for a look at the bytes. */
export function docText(root: string, name: DocName): string {
  return docFiles(root, name)
    .map((rel) => readFileSync(join(root, rel), 'utf8'))
    .join('\n');
}

/** A store document's records as its files on disk hold them, read without the store. */
export function docRecords<N extends DocName>(root: string, name: N): RecordOf<N>[] {
  return docFiles(root, name).flatMap((rel) => (JSON.parse(readFileSync(join(root, rel), 'utf8')) as { records: RecordOf<N>[] }).records);
}
