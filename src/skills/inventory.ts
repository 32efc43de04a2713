// The skill inventory's judgements, from data only (no file system; src/skills/deploy.ts reads):
// the hash of a skill's files, drift between the workspace copy, the deployed copy and the hash
// recorded at deploy, and how often the skill's fingerprints recurred since it was deployed.
import { createHash } from 'node:crypto';
import { createTwoFilesPatch } from 'diff';
import { decodeText } from './validate.js';
import type { Incident, SkillRecord, SkillStatus } from '../store/schemas.js';
import { addDays, dayOf } from '../util/day.js';

/** A skill's files: path relative to the skill folder (with `/`) → bytes. */
export type SkillFiles = Map<string, Uint8Array>;

/**
 * Recurrences of a skill's fingerprints within `effectivenessDays` after the deploy day that flag
 * it ineffective. As for rules: one slip after deploy can be chance, two or more mean the skill is
 * not stopping the mistake.
 */
export const INEFFECTIVE_RECURRENCES = 2;

/** sha256 over the sorted relative paths and contents: `path NUL length NUL bytes` for each file. */
export function hashFiles(files: SkillFiles): string {
  const h = createHash('sha256');
  for (const path of [...files.keys()].sort()) {
    const bytes = files.get(path)!;
    h.update(`${path}\0${bytes.length}\0`);
    h.update(bytes);
  }
  return `sha256:${h.digest('hex')}`;
}

export interface FileChanges {
  added: string[];
  removed: string[];
  modified: string[];
}

/** Which files differ from `from` to `to`. */
export function fileChanges(from: SkillFiles, to: SkillFiles): FileChanges {
  const out: FileChanges = { added: [], removed: [], modified: [] };
  const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && Buffer.compare(a, b) === 0;
  for (const path of [...new Set([...from.keys(), ...to.keys()])].sort()) {
    const a = from.get(path);
    const b = to.get(path);
    if (!a) out.added.push(path);
    else if (!b) out.removed.push(path);
    else if (!same(a, b)) out.modified.push(path);
  }
  return out;
}

const asText = (bytes: Uint8Array | undefined): string | null => {
  if (!bytes) return '';
  const t = decodeText(bytes);
  return 'text' in t ? t.text : null;
};

/** A unified diff of every file that differs from `from` (labelled `fromLabel/...`) to `to`. */
export function diffFiles(from: SkillFiles, to: SkillFiles, fromLabel: string, toLabel: string): string {
  const c = fileChanges(from, to);
  const parts: string[] = [];
  for (const path of [...c.added, ...c.removed, ...c.modified].sort()) {
    const a = asText(from.get(path));
    const b = asText(to.get(path));
    const left = from.has(path) ? `${fromLabel}/${path}` : '/dev/null';
    const right = to.has(path) ? `${toLabel}/${path}` : '/dev/null';
    if (a === null || b === null) parts.push(`Binary files ${left} and ${right} differ\n`);
    else parts.push(createTwoFilesPatch(left, right, a, b, undefined, undefined, { context: 3 }).replace(/^=+\n/, ''));
  }
  return parts.join('');
}

/** Statuses in which the skill is in the project's .claude/skills/. */
export const DEPLOYED_STATUSES: readonly SkillStatus[] = ['active', 'ineffective'];

export interface Drift {
  /** The workspace copy differs from the hash recorded at the last deploy (edited there since). */
  workspace: boolean;
  /** The deployed copy differs from that hash (edited or removed by hand in .claude/skills/). */
  deployed: boolean;
  /** The deployed copy is missing although the skill is deployed. */
  missing: boolean;
  hashes: { recorded: string | null; workspace: string | null; deployed: string | null };
}

/** Drift of a skill: only a deployed skill (a recorded hash and a deployed status) can drift. */
export function driftOf(record: SkillRecord | undefined, workspace: SkillFiles | null, deployed: SkillFiles | null): Drift {
  const recorded = record?.hash ?? null;
  const hashes = { recorded, workspace: workspace ? hashFiles(workspace) : null, deployed: deployed ? hashFiles(deployed) : null };
  const live = !!record && recorded !== null && DEPLOYED_STATUSES.includes(record.status);
  return {
    workspace: live && hashes.workspace !== recorded,
    deployed: live && hashes.deployed !== recorded,
    missing: live && deployed === null,
    hashes,
  };
}

/** One word for a drift: none, workspace, deployed, both, missing; `-` when not deployed. */
export function driftLabel(d: Drift, record: SkillRecord | undefined): string {
  if (!record || record.hash === null || !DEPLOYED_STATUSES.includes(record.status)) return '-';
  if (d.missing) return d.workspace ? 'workspace+missing' : 'missing';
  if (d.workspace && d.deployed) return 'both';
  return d.workspace ? 'workspace' : d.deployed ? 'deployed' : 'none';
}

export interface Recurrence {
  /** The day of the last deploy (null when never deployed). */
  since: string | null;
  /** Occurrences of the fingerprints on the days after the deploy day, up to today. */
  total: number;
  /** Of those, the ones within `days` days after the deploy day. */
  window: number;
  days: number;
  ineffective: boolean;
}

/**
 * How often the skill's fingerprints recurred since its last deploy, from the incidents' `daily`
 * counts. The deploy day itself is not counted: its count holds the occurrences that led to the
 * skill. Ineffective when at least INEFFECTIVE_RECURRENCES fall within `days` days after it.
 */
export function recurrenceOf(record: SkillRecord | undefined, incidents: readonly Incident[], today: string, days: number, timeZone = ''): Recurrence {
  if (!record?.deployed) return { since: null, total: 0, window: 0, days, ineffective: false };
  const since = dayOf(record.deployed, timeZone);
  const end = addDays(since, days);
  const fps = new Set(record.fingerprints);
  let total = 0;
  let window = 0;
  for (const i of incidents) {
    if (!fps.has(i.fingerprint)) continue;
    for (const [day, n] of Object.entries(i.daily)) {
      if (day <= since || day > today) continue;
      total += n;
      if (day <= end) window += n;
    }
  }
  return { since, total, window, days, ineffective: window >= INEFFECTIVE_RECURRENCES };
}

/** The status to show: an active skill whose fingerprints keep recurring is ineffective. */
export function effectiveStatus(record: SkillRecord | undefined, r: Recurrence): SkillStatus {
  if (!record) return 'draft';
  if (record.status === 'active' && r.ineffective) return 'ineffective';
  return record.status;
}
