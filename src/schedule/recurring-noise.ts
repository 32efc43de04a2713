// Noise is kept out of review, but a person declining the same kind of command session after
// session is telling the agent something: the nightly self-review asks about it once, as a
// proposal the person can approve or reject like any other.
import { commandName } from '../analyze/builtin.js';
import { keyFingerprint } from '../detect/fingerprint.js';
import type { EventRecord } from '../store/schemas.js';

export interface DeclinedGroup {
  /** The incident's fingerprint: one question per tool and command, ever. */
  fingerprint: string;
  signature: string;
  /** `permission:declined: git push`: its own key, so no noise verdict read again from the sample dismisses it. */
  key: string;
  tool: string;
  program: string;
  count: number;
  sessions: string[];
  /** The latest declined call: its error holds what the person said, when they said something. */
  latest: EventRecord;
  first: string;
}

/** Bash commands the person declined in at least `minSessions` sessions, most sessions first. */
export function recurringDeclines(events: readonly EventRecord[], minSessions: number): DeclinedGroup[] {
  if (minSessions < 1) return [];
  const groups = new Map<string, DeclinedGroup>();
  for (const e of events) {
    if (e.fate.kind !== 'noise' || e.fate.reason !== 'declined' || e.tool !== 'Bash') continue;
    const program = commandName(e.target);
    if (!program) continue;
    const key = `permission:declined: ${program}`;
    let g = groups.get(key);
    if (!g) {
      const { fingerprint } = keyFingerprint(e.tool, key, '');
      g = { fingerprint, signature: `declined: ${program}`, key, tool: e.tool, program, count: 0, sessions: [], latest: e, first: e.time };
      groups.set(key, g);
    }
    g.count++;
    if (e.session && !g.sessions.includes(e.session)) g.sessions.push(e.session);
    if (e.time >= g.latest.time) g.latest = e;
    if (e.time < g.first) g.first = e.time;
  }
  return [...groups.values()]
    .filter((g) => g.sessions.length >= minSessions)
    .sort((a, b) => b.sessions.length - a.sessions.length || b.count - a.count || a.key.localeCompare(b.key));
}

