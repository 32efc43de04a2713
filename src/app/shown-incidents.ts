import { openEscalations } from '../gate/escalations.js';
import type { Incident } from '../store/schemas.js';

/**
 * The incidents Review shows in full, each once: `linked` (those rules link to, read first by the
 * caller) and the open gate escalations among `rows` (every one is in the months' heads), read
 * from their months. The Review screen and `nevo-tui review` read these, not every incident.
 */
export async function shownInFull(incidents: { withIds(ids: readonly string[]): Promise<Incident[]> }, linked: readonly Incident[], rows: readonly Pick<Incident, 'id' | 'signal' | 'status' | 'lastSeen'>[]): Promise<Incident[]> {
  const escalations = await incidents.withIds(openEscalations(rows).map((r) => r.id));
  return [...new Map([...linked, ...escalations].map((i) => [i.id, i])).values()];
}
