import type { Incident } from '../../src/store/schemas.js';

/** A new incident with this id, first and last seen at 10:00 on the day its id names. */
export function incidentRecord(id: string, fingerprint = id.slice(-4)): Incident {
  const time = `${id.slice(0, 10)}T10:00:00.000Z`;
  return {
    id,
    fingerprint,
    signature: 's',
    category: 'other',
    key: `other:${fingerprint}`,
    signal: 'hook',
    tool: 'Bash',
    sample: { error: 'x', event: 'PostToolUseFailure', time },
    count: 1,
    sessions: [],
    firstSeen: time,
    lastSeen: time,
    recurring: false,
    status: 'new',
    rules: [],
    skills: [],
    reopened: 0,
    daily: {},
  };
}
