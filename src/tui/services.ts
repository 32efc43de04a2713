import { existsSync, readdirSync, watch, type FSWatcher } from 'node:fs';
import { analyzeOpened } from '../analyze/auto.js';
import { dismissIncident } from '../detect/dismiss.js';
import { ingestTriggers } from '../detect/ingest.js';
import { computeStats, type Stats } from '../detect/stats.js';
import type { Effectiveness } from '../rules/effectiveness.js';
import { activeTokens, effectivenessOfActive, lintWorkspaceRules } from '../rules/report.js';
import { loadRules } from '../rules/load.js';
import { approveRule, deprecateRule, editRule, rejectRule, restoreRule, validateRule, type ReviewResult, type RuleEdit } from '../rules/review.js';
import type { Rule } from '../rules/rule.js';
import type { CommitInfo } from '../store/history.js';
import { revertCommit, type RevertResult } from '../store/revert.js';
import type { EventRecord, Incident } from '../store/schemas.js';
import { dayOf } from '../util/day.js';
import type { Workspace } from '../workspace/workspace.js';

/** Everything the screens show, read in one go; components never touch disk, git or lowdb. */
export interface Snapshot {
  workspace: string;
  events: EventRecord[];
  incidents: Incident[];
  rules: Rule[];
  unparseable: { file: string; line: number; detail: string }[];
  lint: Record<string, string[]>;
  effectiveness: Record<string, Effectiveness>;
  stats: Stats;
  tokens: { active: number; budget: number };
  triggersWaiting: number;
  commits: CommitInfo[];
}

/** What the TUI can do: the same core functions the CLI commands call. */
export interface TuiServices {
  /** Everything but lint, which is slower with hundreds of rules and comes after the first frame. */
  load(): Promise<Snapshot>;
  lint(snapshot: Snapshot): Record<string, string[]>;
  /** Ingests waiting triggers and analyzes new incidents; returns how many events were stored. */
  ingest(): Promise<number>;
  approve(id: string): Promise<ReviewResult>;
  reject(id: string, reason: string): Promise<ReviewResult>;
  edit(id: string, edit: RuleEdit): Promise<ReviewResult>;
  deprecate(id: string): Promise<ReviewResult>;
  restore(id: string): Promise<ReviewResult>;
  revert(oid: string): Promise<RevertResult>;
  dismiss(id: string, reason: string): Promise<Incident>;
  diff(oid: string): Promise<string>;
  validate(rule: Rule): string[];
  /** Calls `onChange` when triggers/, store/ or rules/ change; returns the stop function. */
  watch(onChange: (what: 'triggers' | 'data') => void): () => void;
}

const RECENT_EVENTS = 300;
const COMMITS = 200;

export function workspaceServices(ws: Workspace): TuiServices {
  let lintCache: { key: string; lint: Record<string, string[]> } | null = null;
  // Most reloads follow new events, which change no commit: the log is read again only when HEAD moves.
  let logCache: { head: string | null; commits: CommitInfo[] } | null = null;
  const commits = async () => {
    const head = await ws.history.head();
    if (logCache?.head !== head) logCache = { head, commits: await ws.history.log({ depth: COMMITS }) };
    return logCache.commits;
  };
  return {
    async load() {
      const [events, incidents, telemetry, blocks] = await Promise.all([ws.store.read('events'), ws.store.read('incidents'), ws.store.read('telemetry'), ws.store.read('blocks')]);
      const { rules, errors } = loadRules(ws.root);
      const today = dayOf(ws.clock(), ws.config.timeZone);
      const eff = effectivenessOfActive(ws, rules, incidents.records, blocks.records);
      const triggersWaiting = existsSync(ws.layout.triggers) ? readdirSync(ws.layout.triggers).filter((n) => n.endsWith('.json') && !n.startsWith('.')).length : 0;
      return {
        workspace: ws.root,
        events: events.records.slice(-RECENT_EVENTS),
        incidents: incidents.records,
        rules,
        unparseable: errors.map((e) => ({ file: e.file, line: e.line, detail: e.detail })),
        lint: {},
        effectiveness: eff,
        stats: computeStats(telemetry.records, incidents.records, today, 7),
        tokens: { active: activeTokens(rules), budget: ws.config.rules.tokenBudget },
        triggersWaiting,
        commits: await commits(),
      };
    },
    lint(snapshot) {
      // Pairwise checks over hundreds of rules take a while; the answer only changes with the rules
      // or their effectiveness, so a reload for a new event reuses it.
      const key = JSON.stringify([snapshot.rules.map((r) => [r.id, r.status, r.updated, r.title, r.body, r.trigger, r.enforcement, r.verification]), snapshot.unparseable, snapshot.effectiveness]);
      if (lintCache?.key === key) return lintCache.lint;
      const findings = lintWorkspaceRules(ws, snapshot.rules, snapshot.unparseable, snapshot.effectiveness);
      const lint: Record<string, string[]> = {};
      for (const f of findings) if (f.rule) (lint[f.rule] ??= []).push(f.kind);
      lintCache = { key, lint };
      return lint;
    },
    async ingest() {
      const r = await ingestTriggers(ws);
      await analyzeOpened(ws, r.opened);
      return r.events;
    },
    approve: (id) => approveRule(ws, id),
    reject: (id, reason) => rejectRule(ws, id, reason),
    edit: (id, e) => editRule(ws, id, e),
    deprecate: (id) => deprecateRule(ws, id),
    restore: (id) => restoreRule(ws, id),
    revert: (oid) => revertCommit(ws, oid),
    dismiss: (id, reason) => dismissIncident(ws, id, reason),
    diff: (oid) => ws.history.diff(oid),
    validate: validateRule,
    watch(onChange) {
      const watchers: FSWatcher[] = [];
      const add = (dir: string, what: 'triggers' | 'data') => {
        if (!existsSync(dir)) return;
        try {
          watchers.push(watch(dir, (_event, name) => {
            // Temp files come and go on every atomic write; only the renamed result matters.
            if (name && String(name).startsWith('.')) return;
            onChange(what);
          }));
        } catch {
          // a folder that cannot be watched is shown as of the last load
        }
      };
      add(ws.layout.triggers, 'triggers');
      add(ws.layout.store, 'data');
      add(ws.layout.rules, 'data');
      return () => watchers.forEach((w) => w.close());
    },
  };
}
