import { lstatSync, mkdirSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEMP_PREFIX, uniqueSuffix } from '../util/temp-name.js';

/**
 * One file in triggers/: a hook event, a rejected input, or a report, waiting for ingest. A hook
 * event the guard of an active rule blocked names that rule in `blocked`.
 */
export type Trigger =
  | { v: 1; id: string; receivedAt: string; source: 'hook'; payload: Record<string, unknown>; blocked?: { rule: string } }
  | { v: 1; id: string; receivedAt: string; source: 'report'; payload: Record<string, unknown> }
  | { v: 1; id: string; receivedAt: string; source: 'hook'; rejected: Rejection };

export interface Rejection {
  reason: string;
  bytes: number;
  event?: string;
  session?: string;
  tool?: string;
}

/** Time-ordered and unique across processes: milliseconds, pid, random. */
export function newTriggerId(now = Date.now()): string {
  return `${now}-${uniqueSuffix()}`;
}

/**
 * The id of a PreToolUse event: one per tool call, so that when two of nevo's `if` handlers both
 * start for a call (a command naming two guarded programs, or one Claude Code cannot read, such as
 * `$(...)`), they write the same trigger and ingest keeps one event. Null without a call id.
 */
export function callTriggerId(payload: Record<string, unknown>): string | null {
  const id = payload.tool_use_id;
  if (payload.hook_event_name !== 'PreToolUse' || typeof id !== 'string' || !/^[A-Za-z0-9_-]{1,200}$/.test(id)) return null;
  return `pre-${id}`;
}

/** Temp file + rename, so ingest never reads half a trigger. Dot-prefixed temps are not listed. */
export function writeTrigger(triggersDir: string, trigger: Trigger): string {
  // Never through a symbolic link: the inbox is a folder of the workspace, not a way out of it.
  let link = false;
  try {
    link = lstatSync(triggersDir).isSymbolicLink();
  } catch {
    // missing: made below
  }
  if (link) throw new Error(`${triggersDir} is a symbolic link; hook events are written only into a real folder`);
  const file = join(triggersDir, `${trigger.id}.json`);
  // Its own name: two hooks writing the same call's trigger must not rename each other's temp file.
  const tmp = join(triggersDir, `${TEMP_PREFIX}${trigger.id}-${uniqueSuffix()}`);
  const data = JSON.stringify(trigger);
  try {
    try {
      writeFileSync(tmp, data);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      mkdirSync(triggersDir, { recursive: true });
      writeFileSync(tmp, data);
    }
    renameSync(tmp, file);
  } catch (err) {
    // A full disk fails the write after the temp file exists: no empty temp is left behind.
    try {
      unlinkSync(tmp);
    } catch {
      // nothing to clean
    }
    throw err;
  }
  return file;
}
