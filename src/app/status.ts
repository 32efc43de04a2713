import { existsSync, readdirSync } from 'node:fs';
import { DOC_NAMES } from '../store/documents.js';
import type { DocName } from '../store/schemas.js';
import { errorMessage } from '../errors.js';
import { listFiles } from '../util/list-files.js';
import { describeLost, readLostTally, type LostTally } from '../detect/lost-tally.js';
import type { Workspace } from '../workspace/workspace.js';

export interface WorkspaceStatus {
  workspace: string;
  project: string;
  documents: Record<DocName, number | { error: string }>;
  rules: number;
  skills: number;
  triggersWaiting: number;
  /** Events the hook could not write (a full disk, a folder it may not write), by reason. */
  lost: LostTally & { line: string | null };
  lastCommit: { oid: string; subject: string; time: string } | null;
  pendingBatch: { records: number; since: string | null };
}

export async function workspaceStatus(ws: Workspace): Promise<WorkspaceStatus> {
  const documents = {} as WorkspaceStatus['documents'];
  for (const name of DOC_NAMES) {
    try {
      documents[name] = await ws.store.count(name);
    } catch (err) {
      documents[name] = { error: errorMessage(err).split('\n')[0] ?? 'unreadable' };
    }
  }
  const [last] = await ws.history.log({ depth: 1 });
  const pending = ws.store.readPending();
  return {
    workspace: ws.root,
    project: ws.projectRoot,
    documents,
    rules: listFiles(ws.root, 'rules').filter((f) => f.endsWith('.md')).length,
    skills: existsSync(ws.layout.skills) ? readdirSync(ws.layout.skills, { withFileTypes: true }).filter((d) => d.isDirectory()).length : 0,
    triggersWaiting: existsSync(ws.layout.triggers) ? readdirSync(ws.layout.triggers).filter((f) => f.endsWith('.json')).length : 0,
    lost: (({ t }) => ({ ...t, line: describeLost(t) }))({ t: readLostTally(ws.layout.triggers) }),
    lastCommit: last ? { oid: last.oid, subject: last.subject, time: last.time } : null,
    pendingBatch: { records: pending.records, since: pending.since || null },
  };
}
