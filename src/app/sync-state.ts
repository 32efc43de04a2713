// What the workspace remembers between syncs, readable without loading the sync itself (its git
// HTTP client): the TUI shows the conflicts waiting from it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TeamDaily } from '../rules/effectiveness.js';
import type { SyncState } from './sync-merge.js';

export const STATE_FILE = 'team/state.json';

/** A workspace that never synced: no lineages, no members, no conflicts. */
export function emptyState(): SyncState {
  return { version: 1, rules: {}, members: {}, conflicts: [] };
}

/** team/state.json as written by a sync; anything else (missing, torn, another version) is a first sync. */
export function readState(text: string): SyncState {
  if (!text.trim()) return emptyState();
  try {
    const raw = JSON.parse(text) as SyncState;
    return raw.version === 1 ? { ...emptyState(), ...raw } : emptyState();
  } catch {
    return emptyState();
  }
}

/** The workspace's sync state as last written (a first sync's, when it never synced). */
export function readStateAt(root: string): SyncState {
  try {
    return readState(readFileSync(join(root, STATE_FILE), 'utf8'));
  } catch {
    return emptyState();
  }
}

/** Every other member's daily counts by fingerprint, for effectiveness; undefined when the workspace never synced with anyone. */
export function teamDaily(state: SyncState): TeamDaily | undefined {
  const members = Object.entries(state.members);
  if (!members.length) return undefined;
  const out = new Map<string, { member: string; daily: Record<string, number> }[]>();
  for (const [member, m] of members) {
    for (const i of m.incidents) {
      if (!i.daily) continue;
      const list = out.get(i.fingerprint) ?? [];
      list.push({ member, daily: i.daily });
      out.set(i.fingerprint, list);
    }
  }
  return out;
}
