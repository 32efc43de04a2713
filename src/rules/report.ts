import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeCacheFileSync } from '../util/atomic-write.js';
import type { BlockTally, Incident } from '../store/schemas.js';
import { linkedIncidents } from '../store/repositories.js';
import { dayOf } from '../util/day.js';
import type { Workspace } from '../workspace/workspace.js';
import { effectiveness, type Effectiveness, type TeamDaily } from './effectiveness.js';
import { projectEnvironment } from './environment.js';
import { estimateTokens, exportSource, renderExport } from './export.js';
import { finish } from '../util/steps.js';
import { lintSteps, PAIR_MEMO_VERSION, type LintFinding, type PairMemo } from './lint.js';
import type { Rule } from './rule.js';

/** What the rules cost and do, shared by `rules list|show|lint` and the TUI's Rules screen. */

/** Estimated tokens the active rules take in the agent's context: the files the export writes. */
export function activeTokens(ws: Pick<Workspace, 'projectRoot' | 'root'>, rules: Rule[]): number {
  return rules.filter((r) => r.status === 'active').reduce((n, r) => n + estimateTokens(renderExport(r, exportSource(ws, r))), 0);
}

export function effectivenessOfActive(ws: Workspace, rules: Rule[], incidents: Incident[], blocks: BlockTally[], team?: TeamDaily): Record<string, Effectiveness> {
  const today = dayOf(ws.clock(), ws.config.timeZone);
  // Incidents by fingerprint once, so hundreds of active rules do not each scan 10,000 incidents.
  const byFingerprint = new Map<string, Incident[]>();
  for (const i of incidents) {
    const list = byFingerprint.get(i.fingerprint);
    if (list) list.push(i);
    else byFingerprint.set(i.fingerprint, [i]);
  }
  const mine = (r: Rule) => [...new Set(r.incidents.map((i) => i.fingerprint))].flatMap((fp) => byFingerprint.get(fp) ?? []);
  return Object.fromEntries(rules.filter((r) => r.status === 'active').map((r) => [r.id, effectiveness(r, mine(r), blocks, today, ws.config.rules.effectivenessDays, team)]));
}

export async function readEffectiveness(ws: Workspace, rules: Rule[], team?: TeamDaily): Promise<Record<string, Effectiveness>> {
  const incidents = await linkedIncidents(ws.store.incidents, rules.filter((r) => r.status === 'active').flatMap((r) => r.incidents));
  return effectivenessOfActive(ws, rules, incidents, await ws.store.blocks.list(), team);
}

/** When Claude Code last loaded each exported rule, and how often, from its InstructionsLoaded events. */
export type Loaded = { count: number; first: string; last: string; reasons: Record<string, number> };

export async function readLoads(ws: Workspace): Promise<Record<string, Loaded>> {
  return Object.fromEntries((await ws.store.loads.list()).map((l) => [l.id, { count: l.count, first: l.first, last: l.last, reasons: l.reasons }]));
}

/** One line on whether the agent got the rule: loaded, how often and why, or not seen yet. */
export function describeLoaded(rule: Rule, loaded: Loaded | undefined): string {
  if (loaded) return `${loaded.count} time(s) by Claude Code, last ${loaded.last} (${Object.entries(loaded.reasons).sort((a, b) => b[1] - a[1]).map(([r, n]) => `${r} ${n}`).join(', ')})`;
  if (rule.status !== 'active') return 'no (only active rules are exported)';
  return 'not seen yet: it loads at the next session start (path-scoped rules when a matching file is read); the InstructionsLoaded hook reports it';
}

export function lintWorkspaceRules(ws: Workspace, rules: Rule[], unparseable: { file: string; line: number; detail: string }[], eff: Record<string, Effectiveness>): LintFinding[] {
  return finish(lintWorkspaceSteps(ws, rules, unparseable, eff));
}

/** lintWorkspaceRules as steps, for a caller that runs them in slices (the TUI). */
export function* lintWorkspaceSteps(ws: Workspace, rules: Rule[], unparseable: { file: string; line: number; detail: string }[], eff: Record<string, Effectiveness>): Generator<void, LintFinding[]> {
  const saved = readPairMemo(ws.root);
  const findings = yield* lintSteps(rules, unparseable, { ...projectEnvironment(ws.projectRoot), effectiveness: eff, pairs: saved.memo }, ws.config.rules.overlapThreshold);
  savePairMemo(ws.root, saved);
  return findings;
}

/**
 * The pairs an earlier lint compared (`.cache/lint-pairs.json`): derived data, never committed; a
 * missing, old or broken file only means every pair is compared again.
 */
const PAIRS_FILE = join('.cache', 'lint-pairs.json');

/** The memo, and the file's text it was read from (written again only when the lint changed it). */
function readPairMemo(root: string): { memo: PairMemo; text: string } {
  try {
    const text = readFileSync(join(root, PAIRS_FILE), 'utf8');
    const data = JSON.parse(text) as { version: number; rules: string[]; found: [string, number | null, string | null][] };
    if (data.version === PAIR_MEMO_VERSION) return { text, memo: { rules: new Set(data.rules), found: new Map(data.found.map(([key, score, contradiction]) => [key, { score, contradiction }])) } };
  } catch {
    // none yet, or broken: every pair is compared
  }
  return { text: '', memo: { rules: new Set(), found: new Map() } };
}

function savePairMemo(root: string, { memo, text }: { memo: PairMemo; text: string }): void {
  const now = JSON.stringify({ version: PAIR_MEMO_VERSION, rules: [...memo.rules].sort(), found: [...memo.found].map(([key, f]) => [key, f.score, f.contradiction]) });
  // A cache: a read-only workspace lints, only compares every pair again next time.
  if (now !== text) writeCacheFileSync(join(root, PAIRS_FILE), now);
}
