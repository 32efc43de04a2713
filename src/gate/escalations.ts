/**
 * Gate escalations: the `breaker` incidents that `nevo-tui gate` records when a stage still fails
 * after its refine runs. They wait for a person in the Review screen, ahead of the proposals.
 */
import type { Incident } from '../store/schemas.js';

/** Statuses after which an escalation no longer waits for anyone. */
const CLOSED = new Set<Incident['status']>(['dismissed', 'ruled', 'skilled']);

function isOpenEscalation(i: Pick<Incident, 'signal' | 'status'>): boolean {
  return i.signal === 'breaker' && !CLOSED.has(i.status);
}

/** Open escalations, the most recent first. */
export function openEscalations<T extends Pick<Incident, 'signal' | 'status' | 'lastSeen'>>(incidents: readonly T[]): T[] {
  return incidents.filter(isOpenEscalation).sort((a, b) => b.lastSeen.localeCompare(a.lastSeen));
}

export interface EscalationView {
  /** The stage that did not pass, or null when the text is not the gate's. */
  stage: string | null;
  iterations: number | null;
  refines: number | null;
  /** The stage's last output: everything after the breaker line. */
  output: string;
}

const HEAD = /^Circuit breaker: the gate stage (.+?) did not pass in (\d+) iteration\(s\)(?: \((\d+) refine run\(s\)\))?/;

/** Pure: reads the breaker text written by the gate back into its parts. */
export function parseEscalation(error: string): EscalationView {
  const [first = '', ...rest] = error.split('\n');
  const m = HEAD.exec(first);
  if (!m) return { stage: null, iterations: null, refines: null, output: error };
  return { stage: m[1]!, iterations: Number(m[2]), refines: m[3] === undefined ? null : Number(m[3]), output: rest.join('\n') };
}

/** Pure: the text wrapped at `width` columns, at most `max` rows; the last row says how much was cut. */
export function wrapLines(text: string, width: number, max: number): string[] {
  const w = Math.max(10, width);
  const rows: string[] = [];
  for (const raw of text.replace(/\t/g, '  ').replace(/\r/g, '').split('\n')) {
    const line = raw.trimEnd();
    if (!line) {
      rows.push('');
      continue;
    }
    for (let at = 0; at < line.length; at += w) rows.push(line.slice(at, at + w));
  }
  while (rows.length && !rows.at(-1)) rows.pop();
  while (rows.length && !rows[0]) rows.shift();
  if (rows.length <= Math.max(1, max)) return rows;
  const keep = Math.max(0, max - 1);
  return [...rows.slice(0, keep), `… ${rows.length - keep} more row(s)`];
}
