// Deploys skills from the workspace's skills/<name>/ to the project's .claude/skills/<name>/, where
// Claude Code picks them up live, and keeps the inventory (store/skills.json). Every change is one
// commit of the inventory and the skill's workspace files: the previous version stays in history.
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UserError } from '../errors.js';
import type { Incident, SkillRecord } from '../store/schemas.js';
import type { Transaction } from '../store/store.js';
import { dayOf } from '../util/day.js';
import { isInside } from '../util/inside.js';
import { uniqueSuffix } from '../util/temp-name.js';
import type { Workspace } from '../workspace/workspace.js';
import { DEPLOYED_STATUSES, diffFiles, hashFiles, driftLabel, driftOf, effectiveStatus, recurrenceOf, type Drift, type Recurrence, type SkillFiles } from './inventory.js';
import { validateSkillFolder, type SkillResult } from './load.js';
import { setIncidentStatus } from '../detect/covered.js';

/** Where Claude Code reads project skills, relative to the project. */
export const DEPLOY_DIR = '.claude/skills';

/**
 * `.claude/skills` of the project, checked before anything is written or removed under it: a
 * `.claude` or `skills` that is a symbolic link must lead to a folder inside the project, or a
 * deactivate would delete (and a deploy write) somewhere else.
 */
export function deployDir(ws: Workspace): string {
  const dir = join(ws.projectRoot, DEPLOY_DIR);
  let project: string;
  try {
    project = realpathSync(ws.projectRoot);
  } catch {
    return dir;
  }
  let at = ws.projectRoot;
  for (const part of DEPLOY_DIR.split('/')) {
    at = join(at, part);
    let link = false;
    try {
      link = lstatSync(at).isSymbolicLink();
    } catch {
      break; // not there yet: it is made as a plain folder
    }
    if (!link) continue;
    let real = '';
    try {
      real = realpathSync(at);
    } catch {
      real = '';
    }
    if (!real || !isInside(project, real)) {
      throw new UserError(`${at} is a symbolic link to ${real || 'a missing place'}, outside the project; nevo-tui writes and removes skills only inside the project. Replace the link with a folder.`);
    }
  }
  return dir;
}

/** One folder name, never a path: listing a badly named folder works, reaching outside does not. */
function segment(name: string): string {
  if (!name || name === '.' || name === '..' || /[/\\\0]/.test(name)) throw new UserError(`"${name}" is not a skill name: a skill is one folder in skills/, not a path.`);
  return name;
}

export const workspaceSkillDir = (ws: Workspace, name: string) => join(ws.layout.skills, segment(name));
export const deployedSkillDir = (ws: Workspace, name: string) => join(deployDir(ws), segment(name));

/** A skill file above this is refused: skills are text for a model, and a deploy reads them whole. */
const MAX_SKILL_FILE = 10 * 1024 * 1024;

/**
 * The files under `dir`, or null when it is no folder. A symbolic link or an oversized file is
 * refused by name: deploying without it would ship a skill other than the one validated.
 */
export function readSkillFiles(dir: string): SkillFiles | null {
  if (!existsSync(dir)) return null;
  if (lstatSync(dir).isSymbolicLink()) throw new UserError(`${dir}: a symbolic link; a skill is deployed from a plain folder of skills/, not from wherever a link points. Copy the skill into the folder.`);
  const files: SkillFiles = new Map();
  const walk = (abs: string, rel: string) => {
    for (const e of readdirSync(abs, { withFileTypes: true })) {
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.isSymbolicLink()) throw new UserError(`${join(dir, child)}: a symbolic link; a skill is deployed as plain files. Replace the link with the file itself.`);
      // Every deployed file is one a person can see and the validator reads: no hidden files, no installed packages.
      if (e.name.startsWith('.')) throw new UserError(`${join(dir, child)}: a hidden file; a skill is deployed as the files it shows (SKILL.md, scripts, references). Remove it or move it out of the skill.`);
      if (e.name === 'node_modules') throw new UserError(`${join(dir, child)}: installed packages; a skill ships its own files only. Remove the folder (list what a script needs in SKILL.md).`);
      if (!e.isDirectory() && !e.isFile()) throw new UserError(`${join(dir, child)}: neither a file nor a folder (a FIFO, a socket or a device); a skill holds plain files only. Remove it.`);
      if (e.isDirectory()) walk(join(abs, e.name), child);
      else if (e.isFile()) {
        const size = statSync(join(abs, e.name)).size;
        if (size > MAX_SKILL_FILE) throw new UserError(`${join(dir, child)}: ${size} bytes, more than a skill file may hold (${MAX_SKILL_FILE}). Keep large data out of the skill.`);
        files.set(child, new Uint8Array(readFileSync(join(abs, e.name))));
      }
    }
  };
  try {
    walk(dir, '');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOTDIR') return null;
    throw err;
  }
  return files;
}

const tempName = (name: string, what: string) => `.nevo-${what}-${name}-${uniqueSuffix()}`;

/** Writes `files` as `.claude/skills/<name>/` at once: into a hidden temp folder, then renamed into place. */
export function writeDeployed(ws: Workspace, name: string, files: SkillFiles): void {
  const dir = deployDir(ws);
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, tempName(name, 'tmp'));
  try {
    for (const [rel, bytes] of files) {
      const p = join(tmp, rel);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, bytes);
    }
    mkdirSync(tmp, { recursive: true });
    const target = join(dir, name);
    const old = join(dir, tempName(name, 'old'));
    if (existsSync(target)) renameSync(target, old);
    renameSync(tmp, target);
    rmSync(old, { recursive: true, force: true });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Removes `.claude/skills/<name>/` (renamed aside first, so the agent never sees half a skill). */
export function removeDeployed(ws: Workspace, name: string): boolean {
  const target = deployedSkillDir(ws, name);
  if (!existsSync(target)) return false;
  const old = join(deployDir(ws), tempName(name, 'old'));
  renameSync(target, old);
  rmSync(old, { recursive: true, force: true });
  return true;
}

/** One skill as `skills list` and `skills show` see it. */
export interface SkillView {
  name: string;
  /** The record's status, or `draft` for a skill of skills/ not in the inventory; `ineffective` when flagged now. */
  status: SkillRecord['status'];
  tracked: boolean;
  record: SkillRecord | null;
  /** False when the workspace copy is missing or invalid. */
  valid: boolean;
  validation: SkillResult | null;
  drift: Drift;
  driftLabel: string;
  recurrence: Recurrence;
}

/** The names of the inventory's records and of every folder of skills/ not in it yet, sorted. */
function skillNames(ws: Workspace, records: readonly SkillRecord[]): string[] {
  const names = new Set(records.map((r) => r.id));
  if (existsSync(ws.layout.skills)) {
    for (const e of readdirSync(ws.layout.skills, { withFileTypes: true })) if (e.isDirectory() && !e.name.startsWith('.')) names.add(e.name);
  }
  return [...names].sort();
}

/** The skills of the workspace: the inventory's records and every folder of skills/ not in it yet. */
export async function inventory(ws: Workspace, opts: { cwd?: string } = {}): Promise<SkillView[]> {
  const [skills, incidents] = [await ws.store.skills.list(), await ws.store.incidents.list()];
  const views: SkillView[] = [];
  for (const name of skillNames(ws, skills)) views.push((await viewOf(ws, name, skills.find((r) => r.id === name), incidents, opts.cwd)).view);
  return views;
}

/** A skill's view, with the files it was made from (null: no such folder). */
async function viewOf(ws: Workspace, name: string, record: SkillRecord | undefined, incidents: Incident[], cwd?: string): Promise<{ view: SkillView; workspace: SkillFiles | null; deployed: SkillFiles | null }> {
  const src = workspaceSkillDir(ws, name);
  const workspace = readSkillFiles(src);
  const deployed = readSkillFiles(deployedSkillDir(ws, name));
  const validation = workspace ? await validateSkillFolder(src, { cwd: cwd ?? process.cwd() }) : null;
  const drift = driftOf(record, workspace, deployed);
  const recurrence = recurrenceOf(record, incidents, today(ws), ws.config.rules.effectivenessDays, ws.config.timeZone);
  const view: SkillView = {
    name,
    status: effectiveStatus(record, recurrence),
    tracked: !!record,
    record: record ?? null,
    valid: !!validation?.valid,
    validation,
    drift,
    driftLabel: driftLabel(drift, record),
    recurrence,
  };
  return { view, workspace, deployed };
}

/** One skill, with a unified diff of its drift (empty when none). Only this skill is read and validated. */
export async function showSkill(ws: Workspace, name: string, opts: { cwd?: string } = {}): Promise<SkillView & { diff: string }> {
  const [skills, incidents] = [await ws.store.skills.list(), await ws.store.incidents.list()];
  if (!skillNames(ws, skills).includes(name)) throw new UserError(`No skill ${name}; \`nevo-tui skills list\` shows them.`);
  const { view, workspace, deployed } = await viewOf(ws, name, skills.find((r) => r.id === name), incidents, opts.cwd);
  let diff = '';
  if (view.drift.workspace || view.drift.deployed) {
    const ws0 = workspace ?? new Map();
    const dep = deployed ?? new Map();
    const wsLabel = `skills/${name}`;
    const depLabel = `${DEPLOY_DIR}/${name}`;
    // A hand edit of the deployed copy reads as workspace → deployed; any other drift as deployed → workspace.
    diff = view.drift.deployed && !view.drift.workspace ? diffFiles(ws0, dep, wsLabel, depLabel) : diffFiles(dep, ws0, depLabel, wsLabel);
  }
  return { ...view, diff };
}

const today = (ws: Workspace) => dayOf(ws.clock(), ws.config.timeZone);

export type SkillAction = 'approve' | 'deploy' | 'deactivate' | 'reactivate';

export interface SkillChange {
  name: string;
  action: SkillAction;
  from: SkillRecord['status'];
  record: SkillRecord;
  /** Where the skill is deployed (null after deactivate). */
  deployedTo: string | null;
  hash: string | null;
  commit: string | null;
}

/** Validates the workspace copy; refuses an invalid or missing one with its errors. */
async function validFiles(ws: Workspace, name: string): Promise<SkillFiles> {
  const src = workspaceSkillDir(ws, name);
  const files = readSkillFiles(src);
  if (!files) throw new UserError(`No skill folder skills/${name} in the workspace; nothing was deployed.`);
  const v = await validateSkillFolder(src);
  if (!v.valid) {
    const lines = v.errors.map((e) => `  - ${e.file}${e.line !== undefined ? `:${e.line}` : ''}: ${e.message}${e.fix ? ` (fix: ${e.fix})` : ''}`);
    throw new UserError(`${name} is not valid; nothing was deployed:\n${lines.join('\n')}`);
  }
  return files;
}

/** Marks the incidents of `fps`: `skilled` while the skill is deployed, back to `analyzed` when not; returns those it marked. */
function linkIncidents(incidents: Incident[], name: string, fps: Set<string>, deployed: boolean, now: string): Incident[] {
  const linked: Incident[] = [];
  for (const i of incidents) {
    if (!fps.has(i.fingerprint)) continue;
    if (!i.skills.includes(name)) i.skills.push(name);
    if (deployed && i.status !== 'dismissed' && i.status !== 'ruled') setIncidentStatus(i, 'skilled', now);
    else if (!deployed && i.status === 'skilled') i.status = 'analyzed';
    linked.push(i);
  }
  return linked;
}

/** Flags every active skill whose fingerprints keep recurring (in a change anyway); returns those it flagged. */
function flagIneffective(ws: Workspace, records: SkillRecord[], incidents: Incident[], now: string): SkillRecord[] {
  const flagged: SkillRecord[] = [];
  for (const r of records) {
    if (r.status !== 'active') continue;
    if (recurrenceOf(r, incidents, today(ws), ws.config.rules.effectivenessDays, ws.config.timeZone).ineffective) {
      r.status = 'ineffective';
      r.flagged = now;
      flagged.push(r);
    }
  }
  return flagged;
}

/**
 * The daily skill validation: stores the ineffective flag of every active skill whose fingerprints
 * keep recurring since its deploy, in one commit (`skills list` only works it out). Returns the
 * names flagged now.
 */
export async function flagIneffectiveSkills(ws: Workspace): Promise<string[]> {
  return ws.store.transact(
    async (tx) => {
      const [skills, incidents] = [await tx.skills.list(), await tx.incidents.list()];
      const flagged = flagIneffective(ws, skills, incidents, ws.clock().toISOString());
      if (flagged.length) {
        await tx.skills.upsert(flagged);
        tx.message('skills', `flag ineffective ${flagged.map((r) => r.id).join(', ')}`);
      }
      return flagged.map((r) => r.id);
    },
    { purpose: 'skills flag' },
  );
}

export interface SkillChangeOpts {
  /** Why (approve, deactivate): kept on the record. */
  reason?: string;
  fingerprints?: string[];
  force?: boolean;
}

/** The one way the CLI and the TUI change a skill's status; each change is one commit. */
export async function changeSkill(ws: Workspace, name: string, action: SkillAction, opts: SkillChangeOpts = {}): Promise<SkillChange> {
  segment(name);
  const before = await ws.history.head();
  // The deployed copy changes inside the transaction; if the rest of the change then fails before
  // it is written, the copy is put back. (Once the documents are written, the store's journal
  // completes the change, so the new copy is the right one.)
  let undo: (() => void) | null = null;
  const result = await ws.store.transact(
    async (tx: Transaction) => {
      try {
        return await decide(tx);
      } catch (err) {
        try {
          undo?.();
        } catch {
          // the original error says more; drift shows what is left
        }
        throw err;
      }
    },
    { purpose: `nevo-tui skills ${action}` },
  );
  const head = await ws.history.head();
  return { ...result, commit: head !== before ? head : null };

  async function decide(tx: Transaction) {
    const skills = await tx.skills.list();
    const incidents = await tx.incidents.list();
    const now = ws.clock().toISOString();
    const flagged = flagIneffective(ws, skills, incidents, now);
    let record = skills.find((r) => r.id === name);
    const from = record?.status ?? 'draft';
    const need = (ok: readonly string[]) => {
      if (!ok.includes(from)) throw new UserError(`${name} is ${from}${record ? '' : ' (not in the inventory yet)'}; ${action} applies to ${ok.join(' or ')} skills.`);
    };
    const previous = readSkillFiles(deployedSkillDir(ws, name));
    let hash: string | null = record?.hash ?? null;
    let deployedTo: string | null = null;
    // The workspace copy, once read to be deployed.
    let files: SkillFiles | null = null;
    const putBack = () => (previous ? writeDeployed(ws, name, previous) : removeDeployed(ws, name));
    if (action === 'deactivate') {
      need(DEPLOYED_STATUSES);
      undo = putBack;
      removeDeployed(ws, name);
      record!.status = 'inactive';
      record!.deactivated = now;
      if (opts.reason) record!.deactivatedReason = opts.reason;
      else delete record!.deactivatedReason;
    } else {
      need(action === 'approve' ? ['draft'] : action === 'reactivate' ? ['inactive'] : DEPLOYED_STATUSES);
      files = await validFiles(ws, name);
      if (action === 'approve' && previous && !record?.hash && !opts.force) {
        throw new UserError(`${DEPLOY_DIR}/${name} already exists in the project and nevo did not deploy it; move it away, or approve with --force to replace it.`);
      }
      const newHash = hashFiles(files);
      if (!record) {
        record = { id: name, created: now, reason: opts.reason ?? '', fingerprints: [], status: 'draft', hash: null };
      }
      if (opts.reason && action === 'approve') record.reason = opts.reason;
      // A new version gets a new chance: recurrence counts from the deploy that changed the files.
      if (action !== 'deploy' || newHash !== record.hash || !record.deployed) {
        record.deployed = now;
        record.status = 'active';
        delete record.flagged;
      }
      undo = putBack;
      writeDeployed(ws, name, files);
      record.hash = hash = newHash;
      delete record.deactivated;
      delete record.deactivatedReason;
      deployedTo = deployedSkillDir(ws, name);
    }
    const fps = new Set([...record!.fingerprints, ...(opts.fingerprints ?? []), ...incidents.filter((i) => i.skills.includes(name)).map((i) => i.fingerprint)]);
    record!.fingerprints = [...fps].sort();
    const linked = linkIncidents(incidents, name, fps, DEPLOYED_STATUSES.includes(record!.status), now);
    const refs = linked.map((i) => i.id);
    // The skill, and any other this change found ineffective: one record change, as one decision.
    await tx.skills.upsert([...new Set([...flagged, record!])], { changes: 1 });
    await tx.incidents.upsert(linked);
    // The workspace copy as deployed, and the files of the previous version that are gone.
    const rels = new Set([...((files ?? readSkillFiles(workspaceSkillDir(ws, name)))?.keys() ?? []), ...(previous?.keys() ?? [])].map((p) => `skills/${name}/${p}`));
    tx.stage(rels);
    tx.message('skills', `${action} ${name}`, refs);
    tx.forceCommit = true;
    return { name, action, from, record: record!, deployedTo, hash };
  }
}

/** A draft (or a skill of skills/ not in the inventory yet) becomes active and is deployed. */
export const approveSkill = (ws: Workspace, name: string, opts: SkillChangeOpts = {}) => changeSkill(ws, name, 'approve', opts);
/** Deploys an active skill again (after an edit: records the new hash). */
export const redeploySkill = (ws: Workspace, name: string) => changeSkill(ws, name, 'deploy');
/** Removes the skill from .claude/skills/; the workspace copy stays. */
export const deactivateSkill = (ws: Workspace, name: string, reason?: string) => changeSkill(ws, name, 'deactivate', { reason });
/** Validates and deploys an inactive skill again. */
export const reactivateSkill = (ws: Workspace, name: string) => changeSkill(ws, name, 'reactivate');
