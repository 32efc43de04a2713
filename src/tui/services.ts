import { describeLost, readLostTally } from '../detect/lost-tally.js';
import { readHooksState, type HooksState } from '../detect/hooks-state.js';
import { existsSync, watch, type FSWatcher } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname } from 'node:path';
import { SCOPES, settingsPath } from '../detect/hooks-settings.js';
import { approveAndRemember, ingestAndLearn } from '../app/loop.js';
import { dismissIncident } from '../detect/dismiss.js';
import { computeStats, type Stats } from '../detect/stats.js';
import { forgetMemory, markMemory, readMemoryRecord, type ForgetResult, type Mark } from '../memory/curate.js';
import { indexKey, openMemoryIndex } from '../memory/index-file.js';
import type { MemoryKind } from '../memory/item.js';
import { splitItemId } from '../memory/items.js';
import { searchIndex } from '../memory/search.js';
import type { MemoryIndex } from '../memory/search/index.js';
import type { SearchHit } from '../memory/search/rank.js';
import type { Effectiveness } from '../rules/effectiveness.js';
import { activeTokens, effectivenessOfActive, lintWorkspaceSteps, readLoads, type Loaded } from '../rules/report.js';
import { loadRules } from '../rules/load.js';
import { deprecateRule, editRule, rejectRule, restoreRule, validateRule, type ReviewResult, type RuleEdit } from '../rules/review.js';
import type { Rule } from '../rules/rule.js';
import type { CommitInfo } from '../store/history.js';
import { changeSkill, inventory, showSkill, type SkillAction, type SkillChange, type SkillChangeOpts, type SkillView } from '../skills/deploy.js';
import { revertCommit, type RevertResult } from '../app/revert.js';
import { withCommit } from '../store/with-commit.js';
import type { Digest, EventRecord, Fact, Incident, Narrative } from '../store/schemas.js';
import type { IncidentRow } from '../store/incident-rows.js';
import { countRows, type IncidentHead } from '../store/incident-heads.js';
import { linkedIncidents } from '../store/repositories.js';
import { shownInFull } from '../app/shown-incidents.js';
import { dayOf } from '../util/day.js';
import { finishInSlices } from '../util/steps.js';
import type { Workspace } from '../workspace/workspace.js';
import type { JobStatus } from '../schedule/jobs.js';
import { latestReport, latestReportDay, reportPath, type Report } from '../schedule/reports.js';
import { runJob, type JobRunner } from '../app/jobs.js';
import type { JobResult } from '../schedule/run-job.js';
import { waitingTriggers } from '../schedule/runner.js';
import { currentRunner, type RunnerOwner } from '../schedule/runner-lock.js';
import { claimant, jobsNow } from '../schedule/runs.js';
import type { JobRecord } from '../store/schemas.js';
import type { JobName } from '../store/vocabulary.js';
import { decidePendingFact } from '../memory/pending.js';
import { statedPreferences } from '../rules/preferences.js';
import type { SyncConflict } from '../app/sync-merge.js';
import type { Keep, Settlement } from '../app/sync-settle.js';
import { readStateAt, teamDaily } from '../app/sync-state.js';

/** Everything the screens show, read in one go; components never touch disk, git or lowdb. */
export interface Snapshot {
  workspace: string;
  /** The workspace's time zone ('' = the system's): the screens show times in it. */
  timeZone: string;
  events: EventRecord[];
  /**
   * The incidents the screens show in full without asking: those a rule links to (Review's
   * evidence, the rules' effectiveness) and open escalations. Any other is read when it is opened
   * (`incident`); the lists and counts read `incidentRows`.
   */
  incidents: Incident[];
  /**
   * Every incident's row, as the Incidents list shows it (a year of them without parsing a record);
   * in the first snapshot, while `rowsLater`, only the rows of each month's head (`IncidentHead`).
   */
  incidentRows: IncidentRow[];
  /** How many incidents there are, by status: all of them, also while `rowsLater` (`countsOf`). */
  incidentCounts?: Pick<IncidentHead, 'total' | 'byStatus'>;
  /** `incidentRows` holds the heads only: the rest come after the first frame (`TuiServices.incidentRows`). */
  rowsLater?: boolean;
  rules: Rule[];
  unparseable: { file: string; line: number; detail: string }[];
  lint: Record<string, string[]>;
  effectiveness: Record<string, Effectiveness>;
  /** When Claude Code last loaded each exported rule (its InstructionsLoaded events). */
  loads: Record<string, Loaded>;
  stats: Stats;
  tokens: { active: number; budget: number };
  triggersWaiting: number;
  /** What the hook could not write (a full disk), as one line; null when nothing was lost. */
  lost: string | null;
  commits: CommitInfo[];
  /** The history moved since `commits` were read: they come after the first frame (`TuiServices.commits`). */
  commitsLater?: boolean;
  jobs: JobsView;
  /** Preferences and lessons the agent or an extractor proposed: they wait in Review with the rules. */
  pendingFacts: Fact[];
  /** Rules another member of the team changed too (team/state.json): Review asks whose version stays. */
  syncConflicts: SyncConflict[];
  /** The person's stated preferences (memory): Review shows a proposal that goes against one. */
  preferences: string[];
  /** rules.overlapThreshold: wording this close links a proposal to a rule that names no mistake. */
  overlapThreshold: number;
  /** The agent's project (where Claude Code runs and its settings live). */
  project: string;
  /** Whether Claude Code's settings call nevo's hook: what Watch says while no event has come. */
  hooks: HooksState;
}

/** The scheduled jobs as the Jobs screen and the Watch pane show them. */
export interface JobsView {
  /**
   * `runner`: this TUI runs the jobs; `standby`: another process does (`owner`); `off`: no process
   * runs them (the TUI was told not to, and no daemon runs).
   */
  role: 'runner' | 'standby' | 'off';
  owner: RunnerOwner | null;
  /** The job this TUI is running now. */
  current: JobName | null;
  timeZone: string;
  jobs: JobStatus[];
  /** The latest self-review report (workspace-relative), if any. */
  latestReport: string | null;
  /** Why jobs cannot run: store/jobs.json is broken, or the runner's latest run could not start. */
  error: string | null;
}

/** What the Memory screen narrows results to; nothing set: everything but never-recalled items. */
export interface MemoryFilter {
  /** A fact category, `narrative`, `weekly` or `monthly`. */
  category?: string;
  kind?: MemoryKind;
  /** Never-recalled (hidden) items too. */
  all?: boolean;
}

export interface MemoryResults {
  hits: SearchHit[];
  /** How many items memory holds (hidden ones included). */
  total: number;
}

/** One memory item in full: its record, and the Markdown of a narrative or digest (null for a fact or a missing file). */
export type MemoryDetail = { id: string; markdown: string | null } & ({ kind: 'fact'; record: Fact } | { kind: 'narrative'; record: Narrative } | { kind: 'digest'; record: Digest });

/** One skill in full, as `nevo-tui skills show NAME`: the view and the unified diff of its drift. */
export type SkillDetail = SkillView & { diff: string };

/** How many results the Memory screen lists: a few pages; the search stays a few milliseconds. */
export const MEMORY_RESULTS = 50;

/** What the TUI can do: the same core functions the CLI commands call. */
export interface TuiServices {
  /** Everything but lint, which is slower with hundreds of rules and comes after the first frame. */
  load(): Promise<Snapshot>;
  /** One incident in full, as `nevo-tui incidents show ID`; null when there is none (any more). */
  incident(id: string): Promise<Incident | null>;
  /** Lint flags per rule id; the pairwise checks run in short slices, so keys stay quick meanwhile. */
  lint(snapshot: Snapshot): Promise<Record<string, string[]>>;
  /** The latest commits (History), read after the first frame when a snapshot says `commitsLater`. */
  commits(): Promise<CommitInfo[]>;
  /** Every incident's row, read after the first frame when a snapshot says `rowsLater`. */
  incidentRows(): Promise<IncidentRow[]>;
  /** Ingests waiting triggers and analyzes new incidents; returns how many events were stored. */
  ingest(): Promise<number>;
  approve(id: string): Promise<ReviewResult>;
  reject(id: string, reason: string): Promise<ReviewResult>;
  edit(id: string, edit: RuleEdit): Promise<ReviewResult>;
  deprecate(id: string): Promise<ReviewResult>;
  restore(id: string): Promise<ReviewResult>;
  revert(oid: string): Promise<RevertResult>;
  /** As `nevo-tui incidents dismiss ID`: one commit, which Review's undo reverts. */
  dismiss(id: string, reason: string): Promise<{ incident: Incident; commit: string | null }>;
  /** As `nevo-tui memory approve|reject ID`: one commit, which Review's undo reverts. */
  decideFact(id: string, decision: 'approve' | 'reject', reason?: string): Promise<{ fact: Fact; commit: string | null }>;
  /** As `nevo-tui sync --resolve RULE --keep mine|theirs [--from MEMBER]`, without the network: one commit, which Review's undo reverts. */
  settleConflict(rule: string, keep: Keep, member: string): Promise<Settlement & { commit: string | null }>;
  diff(oid: string): Promise<string>;
  validate(rule: Rule): string[];
  /** Ranked memory items for a query (empty: most relevant first), as `nevo-tui memory search`. */
  memorySearch(query: string, filter: MemoryFilter): Promise<MemoryResults>;
  /** As `nevo-tui memory show ID`; null when there is no such item (any more). */
  memoryDetail(id: string): Promise<MemoryDetail | null>;
  /** As `nevo-tui memory pin|unpin|hide|unhide ID`: one commit. */
  memoryMark(id: string, mark: Mark): Promise<{ id: string; pinned: boolean; hidden: boolean }>;
  /** As `nevo-tui memory forget --id ID`: one commit, revertable. */
  memoryForget(id: string): Promise<ForgetResult>;
  /** The skills of the inventory and of skills/, as `nevo-tui skills list`. */
  skillsList(): Promise<SkillView[]>;
  /** As `nevo-tui skills show NAME`. */
  skillShow(name: string): Promise<SkillDetail>;
  /** As `nevo-tui skills approve|deploy|deactivate|reactivate NAME`: one commit. */
  skillAction(name: string, action: SkillAction, opts?: SkillChangeOpts): Promise<SkillChange>;
  /** As `nevo-tui jobs run NAME`: runs it now in this process (refused while another runs it). */
  jobRun(name: JobName): Promise<JobResult>;
  /** The latest self-review report of journal/reports/, or null when there is none yet. */
  latestReport(): Promise<Report | null>;
  /** Calls `onChange` when triggers/, store/ or rules/ change, or the job runner's state does; returns the stop function. */
  watch(onChange: (what: 'triggers' | 'data') => void): () => void;
}

const RECENT_EVENTS = 300;
const COMMITS = 200;

export function workspaceServices(ws: Workspace, opts: { runner?: JobRunner } = {}): TuiServices {
  const runner = opts.runner;
  const jobsView = async (): Promise<JobsView> => {
    // A broken jobs.json takes the Jobs view down, not every screen: it says why, like doctor.
    let records: JobRecord[] = [];
    let broken: string | null = null;
    try {
      records = await ws.store.shared.jobs.list();
    } catch (err) {
      broken = (err as Error).message;
    }
    const owner = runner?.role === 'runner' ? null : currentRunner(ws.layout);
    const day = latestReportDay(ws.root);
    return {
      role: runner?.role === 'runner' ? 'runner' : owner ? 'standby' : 'off',
      owner,
      current: runner?.current ?? null,
      ...jobsNow(ws, records),
      latestReport: day ? reportPath(day) : null,
      error: broken ?? runner?.lastError ?? null,
    };
  };
  let lintCache: { key: string; lint: Record<string, string[]> } | null = null;
  // Until every row was read once, a load lists from the months' heads.
  let rowsRead = false;
  // Most reloads follow new events, which change no commit: the log is read again only when HEAD moves.
  let logCache: { head: string | null; commits: CommitInfo[] } | null = null;
  const commits = async () => {
    const head = await ws.history.head();
    if (logCache?.head !== head) logCache = { head, commits: await ws.history.log({ depth: COMMITS }) };
    return logCache.commits;
  };
  // Reading the log grows with it (200 commits took 115 ms at a heavy year's end), and the first frame
  // does not need it: a snapshot holds the commits last read, and says when they are behind.
  const commitsNow = async (): Promise<Pick<Snapshot, 'commits' | 'commitsLater'>> => {
    const fresh = logCache !== null && logCache.head === (await ws.history.head());
    return fresh ? { commits: logCache!.commits } : { commits: logCache?.commits ?? [], commitsLater: true };
  };
  // The memory index is opened once and kept until the memory documents change (indexKey); a search
  // on it is synchronous and takes milliseconds, so every keystroke can search.
  let memory: { key: string; index: Promise<MemoryIndex> } | null = null;
  const memoryIndex = (): Promise<MemoryIndex> => {
    const key = indexKey(ws.root);
    if (memory?.key !== key) {
      const opening = openMemoryIndex(ws).then((r) => r.index);
      memory = { key, index: opening };
      // a failed open is not kept: the next search tries again
      opening.catch(() => {
        if (memory?.index === opening) memory = null;
      });
    }
    return memory.index;
  };
  return {
    async load() {
      const { shared } = ws.store;
      // The shared snapshot: a reload after every event parses only the shards that changed. The
      // incidents are listed from their rows; only those shown in full are read, from their months.
      // The linked incidents first: a month they are read from is kept by its stamp, and the rows of
      // a month that changed are then made from that parse, not from a second one.
      const { rules, errors } = loadRules(ws.root);
      const linked = await linkedIncidents(shared.incidents, rules.flatMap((r) => r.incidents));
      // The first frame lists from the months' heads (a tenth of a heavy year's rows); every row is
      // read after it, and by every later load from rows kept by their months' stamps.
      const listing = rowsRead ? ws.store.incidentRows().then((rows) => ({ ...countRows(rows), rows, later: false })) : ws.store.incidentHeads().then((head) => ({ ...head, later: true }));
      const [events, listed, telemetry, blocks] = await Promise.all([shared.events.recent(RECENT_EVENTS), listing, shared.telemetry.list(), shared.blocks.list()]);
      const incidentRows = listed.rows;
      const facts = await shared.facts.list();
      const incidents = await shownInFull(shared.incidents, linked, incidentRows);
      const today = dayOf(ws.clock(), ws.config.timeZone);
      const team = readStateAt(ws.root);
      const eff = effectivenessOfActive(ws, rules, incidents, blocks, teamDaily(team));
      return {
        workspace: ws.root,
        timeZone: ws.config.timeZone,
        events,
        incidents,
        incidentRows,
        incidentCounts: { total: listed.total, byStatus: listed.byStatus },
        ...(listed.later ? { rowsLater: true } : {}),
        rules,
        unparseable: errors.map((e) => ({ file: e.file, line: e.line, detail: e.detail })),
        lint: {},
        effectiveness: eff,
        loads: await readLoads(ws),
        stats: computeStats(telemetry, incidentRows, today, 7),
        tokens: { active: activeTokens(ws, rules), budget: ws.config.rules.tokenBudget },
        triggersWaiting: waitingTriggers(ws),
        lost: describeLost(readLostTally(ws.layout.triggers)),
        ...(await commitsNow()),
        jobs: await jobsView(),
        pendingFacts: facts.filter((f) => f.pending),
        syncConflicts: team.conflicts,
        preferences: statedPreferences(facts),
        overlapThreshold: ws.config.rules.overlapThreshold,
        project: ws.projectRoot,
        hooks: readHooksState(ws.projectRoot),
      };
    },
    async incident(id) {
      return (await ws.store.shared.incidents.withIds([id]))[0] ?? null;
    },
    commits,
    async incidentRows() {
      const rows = await ws.store.incidentRows();
      rowsRead = true;
      return rows;
    },
    async lint(snapshot) {
      // Pairwise checks over hundreds of rules take a while; the answer only changes with the rules
      // or their effectiveness, so a reload for a new event reuses it.
      const key = JSON.stringify([snapshot.rules.map((r) => [r.id, r.status, r.updated, r.title, r.body, r.trigger, r.enforcement, r.verification]), snapshot.unparseable, snapshot.effectiveness]);
      if (lintCache?.key === key) return lintCache.lint;
      const findings = await finishInSlices(lintWorkspaceSteps(ws, snapshot.rules, snapshot.unparseable, snapshot.effectiveness));
      const lint: Record<string, string[]> = {};
      for (const f of findings) if (f.rule) (lint[f.rule] ??= []).push(f.kind);
      lintCache = { key, lint };
      return lint;
    },
    async ingest() {
      // One process ingests: the runner of the jobs. With none at all (the TUI was told not to run
      // jobs and no daemon runs), the TUI still ingests what arrives, as it always did.
      if (runner?.role === 'runner') {
        const r = await runner.enqueue('ingest', 'change');
        return r?.ran ? 1 : 0;
      }
      if (currentRunner(ws.layout)) return 0;
      return (await ingestAndLearn(ws)).events;
    },
    approve: (id) => approveAndRemember(ws, id),
    reject: (id, reason) => rejectRule(ws, id, reason),
    edit: (id, e) => editRule(ws, id, e),
    deprecate: (id) => deprecateRule(ws, id),
    restore: (id) => restoreRule(ws, id),
    revert: (oid) => revertCommit(ws, oid),
    dismiss: async (id, reason) => {
      const { value: incident, commit } = await withCommit(ws, () => dismissIncident(ws, id, reason));
      return { incident, commit };
    },
    decideFact: async (id, decision, reason) => {
      const { value: fact, commit } = await withCommit(ws, () => decidePendingFact(ws, id, decision, reason));
      return { fact, commit };
    },
    settleConflict: async (rule, keep, member) => {
      // Loaded when a person settles one: the merge code is no part of the TUI's start.
      const { settleConflict } = await import('../app/sync-settle.js');
      const { value, commit } = await withCommit(ws, () => settleConflict(ws, rule, keep, member));
      return { ...value, commit };
    },
    diff: (oid) => ws.history.diff(oid),
    validate: validateRule,
    async memorySearch(query, filter) {
      const index = await memoryIndex();
      const hits = searchIndex(index, query, ws.clock(), ws.config.memory.halfLifeDays, {
        ...(filter.category ? { category: filter.category } : {}),
        ...(filter.kind ? { kinds: [filter.kind] } : {}),
        all: filter.all ?? false,
        limit: MEMORY_RESULTS,
      });
      return { hits, total: index.size };
    },
    async memoryDetail(id) {
      const split = splitItemId(id);
      if (!split) return null;
      const found = await readMemoryRecord(ws, split);
      return found ? ({ id, markdown: found.markdown, kind: split.kind, record: found.record } as MemoryDetail) : null;
    },
    memoryMark: (id, mark) => markMemory(ws, id, mark),
    memoryForget: (id) => forgetMemory(ws, { ids: [id] }),
    skillsList: () => inventory(ws),
    skillShow: (name) => showSkill(ws, name),
    skillAction: (name, action, opts) => changeSkill(ws, name, action, opts),
    jobRun: (name) => (runner ? runner.enqueue(name, 'manual').then((r) => r!) : runJob(ws, name, { reason: 'manual', by: claimant('tui') })),
    latestReport: async () => latestReport(ws.root),
    watch(onChange) {
      const watchers: FSWatcher[] = [];
      const watched = new Set<string>();
      const unsubscribe = runner?.subscribe(() => onChange('data'));
      // Temp files come and go on every atomic write; only the renamed result matters.
      const visible = (name: string) => !name.startsWith('.');
      const add = (dir: string, what: 'triggers' | 'data', wanted: (name: string) => boolean = visible) => {
        if (watched.has(dir) || !existsSync(dir)) return;
        try {
          watchers.push(
            watch(dir, (_event, name) => {
              if (name === null || wanted(String(name))) onChange(what);
            }),
          );
          watched.add(dir);
        } catch {
          // a folder that cannot be watched is shown as of the last load
        }
      };
      add(ws.layout.triggers, 'triggers');
      add(ws.layout.store, 'data');
      add(ws.layout.rules, 'data');
      add(ws.layout.skills, 'data');
      // Claude Code's settings files, which say whether it calls the hook (what Watch says while no
      // event has come): their .claude folders, and the folders above for a .claude made later.
      const settings = SCOPES.map((scope) => settingsPath(scope, ws.projectRoot, homedir()));
      for (const folder of new Set(settings.map((f) => dirname(f)))) {
        const names = new Set(settings.filter((f) => dirname(f) === folder).map((f) => basename(f)));
        const settingsOf = () => add(folder, 'data', (name) => names.has(name));
        settingsOf();
        add(dirname(folder), 'data', (name) => {
          if (name !== basename(folder)) return false;
          settingsOf();
          return true;
        });
      }
      return () => {
        watchers.forEach((w) => w.close());
        unsubscribe?.();
      };
    },
  };
}

/** How many incidents a snapshot knows of, by status: all of them, whether or not it holds every row. */
export function countsOf(s: Pick<Snapshot, 'incidentRows' | 'incidentCounts'>): Pick<IncidentHead, 'total' | 'byStatus'> {
  return s.incidentCounts ?? countRows(s.incidentRows);
}
