import type { EventRecord, Incident } from '../store/schemas.js';

/** An event's fate in words, for the CLI and (`short`, where columns are few) the TUI. */
export function describeFate(e: EventRecord, opts: { short?: boolean } = {}): string {
  const short = opts.short === true;
  switch (e.fate.kind) {
    case 'opened':
      return `${short ? 'opened' : 'opened incident'} ${e.fate.incident}`;
    case 'counted':
      return `${short ? 'counted' : 'counted into'} ${e.fate.incident}`;
    case 'blocked':
      return `blocked by ${e.fate.rule}`;
    case 'rejected':
      return `rejected: ${e.fate.reason}`;
    case 'noise':
      return short ? `noise: ${e.fate.reason}` : `noise (${e.fate.reason}${e.fate.why ? `: ${e.fate.why}` : ''})`;
    default:
      return short ? 'journal' : 'journal only';
  }
}

/** How incidents can be ordered (`incidents --sort`, `o` on the Incidents screen), and how each reads. */
export const INCIDENT_SORTS = { count: 'count', last: 'last seen', category: 'category' } as const;
export type IncidentSort = keyof typeof INCIDENT_SORTS;

type Sortable = Pick<Incident, 'count' | 'lastSeen' | 'category'>;

const ORDER: Record<IncidentSort, (a: Sortable, b: Sortable) => number> = {
  count: (a, b) => b.count - a.count || b.lastSeen.localeCompare(a.lastSeen),
  last: (a, b) => b.lastSeen.localeCompare(a.lastSeen),
  category: (a, b) => a.category.localeCompare(b.category) || b.count - a.count,
};

export function isIncidentSort(key: string): key is IncidentSort {
  return key in ORDER;
}

export function sortIncidents<T extends Sortable>(list: readonly T[], sort: IncidentSort): T[] {
  return [...list].sort(ORDER[sort]);
}
