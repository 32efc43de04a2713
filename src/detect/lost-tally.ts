// What the hook could not record, kept where a full disk cannot stop it: a file of a fixed size,
// made while there is room, then only ever overwritten in place. Rewriting bytes a file already
// has needs no new block, so the count still goes up when nothing else can be written.
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const LOST_TALLY_FILE = '.lost-tally';
const SIZE = 512;

export const LOST_REASONS = ['disk full', 'permission', 'other'] as const;
export type LostReason = (typeof LOST_REASONS)[number];

export interface LostTally {
  counts: Record<LostReason, number>;
  first?: string;
  last?: { time: string; reason: LostReason; error: string };
}

export function lostTallyPath(triggersDir: string): string {
  return join(triggersDir, LOST_TALLY_FILE);
}

export function reasonOf(err: unknown): LostReason {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT') return 'disk full';
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return 'permission';
  return 'other';
}

function empty(): LostTally {
  return { counts: { 'disk full': 0, permission: 0, other: 0 } };
}

function parse(text: string): LostTally {
  try {
    const v = JSON.parse(text.replace(/\0/g, '').trim()) as Partial<LostTally>;
    const out = empty();
    for (const r of LOST_REASONS) {
      const n = v.counts?.[r];
      if (typeof n === 'number' && Number.isFinite(n) && n >= 0) out.counts[r] = Math.floor(n);
    }
    if (typeof v.first === 'string') out.first = v.first;
    if (v.last && typeof v.last.time === 'string' && LOST_REASONS.includes(v.last.reason as LostReason)) out.last = { time: v.last.time, reason: v.last.reason as LostReason, error: String(v.last.error ?? '') };
    return out;
  } catch {
    return empty();
  }
}

function encode(tally: LostTally): Buffer {
  const buf = Buffer.alloc(SIZE, ' ');
  let text = JSON.stringify(tally);
  if (Buffer.byteLength(text) > SIZE - 1 && tally.last) text = JSON.stringify({ ...tally, last: { ...tally.last, error: tally.last.error.slice(0, 60) } });
  buf.write(text, 0, 'utf8');
  buf.write('\n', SIZE - 1);
  return buf;
}

/** The tally as it stands; all zero when there is none. */
export function readLostTally(triggersDir: string): LostTally {
  let fd: number;
  try {
    fd = openSync(lostTallyPath(triggersDir), 'r');
  } catch {
    return empty();
  }
  try {
    const buf = Buffer.alloc(SIZE);
    const n = readSync(fd, buf, 0, SIZE, 0);
    return parse(buf.subarray(0, n).toString('utf8'));
  } finally {
    closeSync(fd);
  }
}

export function lostTotal(t: LostTally): number {
  return LOST_REASONS.reduce((n, r) => n + t.counts[r], 0);
}

/**
 * Makes the tally file at its full size if it is missing, while the disk has room: the hook calls
 * this after each trigger it wrote, which costs one failed open when the file is there.
 */
export function ensureLostTally(triggersDir: string): void {
  let fd: number;
  try {
    fd = openSync(lostTallyPath(triggersDir), 'wx');
  } catch {
    return; // there already, or no room: either way nothing to do now
  }
  try {
    writeSync(fd, encode(empty()), 0, SIZE, 0);
  } finally {
    closeSync(fd);
  }
}

/** Counts one event the hook could not write. Never throws. */
export function countLost(triggersDir: string, err: unknown, now = new Date()): void {
  try {
    const fd = openSync(lostTallyPath(triggersDir), 'r+');
    try {
      const buf = Buffer.alloc(SIZE);
      const n = readSync(fd, buf, 0, SIZE, 0);
      const tally = parse(buf.subarray(0, n).toString('utf8'));
      const reason = reasonOf(err);
      tally.counts[reason]++;
      const time = now.toISOString();
      tally.first ??= time;
      tally.last = { time, reason, error: String((err as Error)?.message ?? err).slice(0, 160) };
      writeSync(fd, encode(tally), 0, SIZE, 0);
    } finally {
      closeSync(fd);
    }
  } catch {
    // No tally file (the disk was full before one could be made) or no room even for this.
  }
}

/** Clears the tally once a person has seen it (`doctor --fix`). */
export function resetLostTally(triggersDir: string): void {
  try {
    const fd = openSync(lostTallyPath(triggersDir), 'r+');
    try {
      writeSync(fd, encode(empty()), 0, SIZE, 0);
    } finally {
      closeSync(fd);
    }
  } catch {
    // nothing to clear
  }
}

/** One line for status, doctor and Watch: null when nothing was lost. */
export function describeLost(t: LostTally): string | null {
  const total = lostTotal(t);
  if (!total) return null;
  const parts = LOST_REASONS.filter((r) => t.counts[r]).map((r) => `${t.counts[r]} ${r}`);
  return `the hook could not record ${total} event${total === 1 ? '' : 's'} (${parts.join(', ')})${t.first ? ` since ${t.first}` : ''}${t.last ? `; last: ${t.last.error}` : ''}`;
}
