// When an incident came under a rule or a skill. A failure recorded before that instant (read
// late from a transcript, say) is counted, but it is not the rule failing: it does not reopen it.
import type { Incident } from '../store/schemas.js';

type Status = Incident['status'];
const COVERED: ReadonlySet<Status> = new Set(['ruled', 'skilled']);

/** Sets an incident's status; entering `ruled` or `skilled` from another status records when, as `coveredSince`. */
export function setIncidentStatus(incident: Incident, status: Status, now: string): void {
  if (COVERED.has(status) && !COVERED.has(incident.status)) incident.coveredSince = now;
  incident.status = status;
}

/**
 * Whether a failure at `time` reopens the incident: only a ruled or skilled one, and only when the
 * failure came after the rule or skill took it on. Incidents ruled before `coveredSince` was kept
 * fall back to what was known then: every occurrence up to `lastSeen` (before this failure was
 * counted) came before the ruling, since any later one would have reopened it.
 */
export function reopens(incident: Pick<Incident, 'status' | 'coveredSince'>, lastSeenBefore: string, time: string): boolean {
  if (!COVERED.has(incident.status)) return false;
  return Date.parse(time) > Date.parse(incident.coveredSince ?? lastSeenBefore);
}
