// What the workspace remembers between syncs, readable without loading the sync itself (its git
// HTTP client): the TUI shows the conflicts waiting from it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { emptyState, type SyncState } from './sync-merge.js';

export const STATE_FILE = 'team/state.json';

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
