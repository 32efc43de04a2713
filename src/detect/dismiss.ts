import { UserError } from '../errors.js';
import { byIdOrPrefix } from '../util/by-id.js';
import type { Incident } from '../store/schemas.js';
import type { Workspace } from '../workspace/workspace.js';
import { redactString } from '../redact/redact.js';

/** Marks an incident as noise; it is still counted if it recurs, but asks for no rule. */
export async function dismissIncident(ws: Workspace, id: string, reason: string): Promise<Incident> {
  if (!reason.trim()) throw new UserError(`Say why ${id} is dismissed: --reason "..."`);
  return ws.store.transact(async (tx) => {
    const doc = await tx.doc('incidents');
    const incident = byIdOrPrefix(doc.records, id, 'incident', '`nevo-tui incidents --all`');
    incident.status = 'dismissed';
    incident.dismissedReason = redactString(reason.trim());
    tx.touch('incidents');
    tx.message('incidents', `dismiss ${incident.id}`, [reason.trim()]);
    tx.forceCommit = true;
    return incident;
  });
}
