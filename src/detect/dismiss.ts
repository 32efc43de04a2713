import { UserError } from '../errors.js';
import type { Incident } from '../store/schemas.js';
import type { Workspace } from '../workspace/workspace.js';
import { redactString } from '../redact/redact.js';

/** Marks an incident as noise; it is still counted if it recurs, but asks for no rule. */
export async function dismissIncident(ws: Workspace, id: string, reason: string): Promise<Incident> {
  if (!reason.trim()) throw new UserError(`Say why ${id} is dismissed: --reason "..."`);
  return ws.store.transact(async (tx) => {
    const named = await tx.incidents.resolve(id);
    const incident = (await tx.incidents.update(named.id, (i) => {
      i.status = 'dismissed';
      i.dismissedReason = redactString(reason.trim());
    }))!;
    tx.message('incidents', `dismiss ${incident.id}`, [reason.trim()]);
    tx.forceCommit = true;
    return incident;
  });
}
