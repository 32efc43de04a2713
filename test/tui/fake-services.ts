/**
 * Fake services for the TUI tests: a realistic snapshot kept in memory (no disk, no git), actions
 * that record their calls and change that snapshot the way the real ones change the workspace, and
 * a watch() whose trigger the test pulls by hand.
 */
import { NEVO_HOOK_EVENTS } from '../../src/detect/hooks-settings.js';
import type { DayStats } from '../../src/detect/stats.js';
import type { ForgetResult } from '../../src/memory/curate.js';
import { memoryItems, splitItemId } from '../../src/memory/items.js';
import { searchIndex } from '../../src/memory/search.js';
import { buildIndex, type MemoryIndex } from '../../src/memory/search/index.js';
import type { Effectiveness } from '../../src/rules/effectiveness.js';
import type { ExportResult } from '../../src/rules/export.js';
import { ruleMove, validateRule, type ReviewAction, type ReviewResult, type RuleEdit } from '../../src/rules/review.js';
import type { Rule } from '../../src/rules/rule.js';
import type { SkillAction, SkillChange, SkillView } from '../../src/skills/deploy.js';
import type { Problem } from '../../src/skills/validate.js';
import type { CommitInfo } from '../../src/store/history.js';
import { incidentRow } from '../../src/store/incident-rows.js';
import type { RevertResult } from '../../src/store/revert.js';
import { type Digest, type EventRecord, type Fact, type Incident, type Narrative } from '../../src/store/schemas.js';
import { FACT_CATEGORIES, type JobName } from '../../src/store/vocabulary.js';
import { MEMORY_RESULTS, type MemoryDetail, type MemoryFilter, type Snapshot, type TuiServices } from '../../src/tui/services.js';
import { fakeJobs, jobRunFake, reportOf } from './fake-jobs.js';

export const TODAY = '2026-03-10';

// ---------------------------------------------------------------- rules

function rule(r: Partial<Rule> & Pick<Rule, 'id' | 'title' | 'status' | 'body'>): Rule {
  return {
    scope: 'project',
    trigger: '',
    enforcement: '',
    verification: '',
    incidents: [],
    novelty: '',
    created: '2026-02-01',
    updated: '2026-02-01',
    hits: 0,
    file: `rules/${r.id}.md`,
    ...r,
  };
}

export const RULES: Rule[] = [
  rule({
    id: 'PROJ-001',
    title: 'Never delete the dist folder with rm -rf',
    status: 'active',
    body: 'Clean the build with `npm run clean` instead of deleting dist by hand. The release script needs dist/manifest.json.',
    trigger: 'when the build output looks stale',
    enforcement: 'run npm run clean',
    verification: 'dist/manifest.json still exists',
    incidents: [{ id: '2026-03-08-e5f6', fingerprint: 'fp-perm' }],
    novelty: 'checked no rules: no overlap',
    activated: '2026-02-20',
    guard: { tool: 'Bash', command: '^rm -rf' },
  }),
  rule({
    id: 'PROJ-002',
    title: 'Install dependencies with npm ci before running tests',
    status: 'active',
    body: 'Run `npm ci` before `npm test` in a fresh checkout. Missing modules mean the install step was skipped.',
    trigger: 'before running tests in a fresh checkout',
    enforcement: 'run npm ci first',
    verification: 'npm test finds its modules',
    novelty: 'checked PROJ-001: no overlap',
    activated: '2026-02-22',
  }),
  rule({
    id: 'PROJ-003',
    title: 'Read a file before editing it',
    status: 'active',
    body: 'Read the current content of a file before an Edit. Edits made from memory fail on stale text.',
    trigger: 'before an Edit',
    enforcement: 'Read the file first',
    verification: 'the Edit applies cleanly',
    activated: '2026-02-25',
  }),
  rule({
    id: 'PROJ-004',
    title: 'Install node modules before running the test suite',
    status: 'proposed',
    body: 'Install the node modules with npm ci before running the test suite. Tests fail with Cannot find module when the install was skipped.',
    trigger: 'before npm test in a new worktree',
    enforcement: 'run npm ci before npm test',
    verification: 'npm test starts without module errors',
    incidents: [{ id: '2026-03-09-a1b2', fingerprint: 'fp-express' }],
    novelty: 'overlaps PROJ-002 (0.64)',
    guard: { tool: 'Bash', command: '^npm test -- --bail' },
    created: '2026-03-09',
    updated: '2026-03-09',
  }),
  rule({
    id: 'PROJ-005',
    title: 'Give slow integration suites a longer timeout',
    status: 'proposed',
    body: 'Pass --timeout 120000 to the integration suite. It talks to a local database that starts slowly.',
    trigger: 'when running test/integration',
    enforcement: 'add --timeout 120000',
    verification: 'the suite finishes without a timeout error',
    incidents: [{ id: '2026-03-05-1c1d', fingerprint: 'fp-timeout' }],
    novelty: 'checked PROJ-001 to PROJ-007: no overlap; contradicts PROJ-007',
    contradicts: ['PROJ-007'],
    created: '2026-03-06',
    updated: '2026-03-06',
  }),
  rule({
    id: 'PROJ-006',
    title: 'Always be careful with files',
    status: 'rejected',
    body: 'Be careful with files.',
    reason: 'too vague to act on',
  }),
  rule({
    id: 'PROJ-007',
    title: 'Keep the default test timeout',
    status: 'deprecated',
    activated: '2026-02-01',
    body: 'Do not change the test timeout. Slow tests should be fixed instead.',
    trigger: 'when a test times out',
    enforcement: 'leave the timeout alone',
    verification: 'no --timeout flag in scripts',
  }),
];

export const LINT: Record<string, string[]> = { 'PROJ-003': ['overlap', 'stale'] };

export const EFFECTIVENESS: Record<string, Effectiveness> = {
  'PROJ-001': { rule: 'PROJ-001', activated: '2026-02-20', days: 14, before: 9, after: 0, blocks: 3, working: true },
  'PROJ-002': { rule: 'PROJ-002', activated: '2026-02-22', days: 14, before: 6, after: 4, blocks: 0, working: false },
  'PROJ-003': { rule: 'PROJ-003', activated: '2026-02-25', days: 14, before: 2, after: 1, blocks: 0, working: true },
};

// ---------------------------------------------------------------- incidents

function incident(i: Partial<Incident> & Pick<Incident, 'id' | 'fingerprint' | 'category' | 'tool' | 'count' | 'status'>): Incident {
  return {
    signature: `${i.tool}: ${i.category}`,
    signal: 'hook',
    sample: { error: `${i.category} failure`, event: `ev-${i.id}`, time: `${i.id.slice(0, 10)}T08:00:00.000Z` },
    sessions: ['s1'],
    firstSeen: `${i.id.slice(0, 10)}T08:00:00.000Z`,
    lastSeen: `${i.id.slice(0, 10)}T08:00:00.000Z`,
    recurring: i.count > 1,
    rules: [],
    skills: [],
    reopened: 0,
    daily: {},
    ...i,
  };
}

export const INCIDENTS: Incident[] = [
  incident({
    id: '2026-03-09-a1b2',
    fingerprint: 'fp-express',
    category: 'missing-dependency',
    tool: 'Bash',
    count: 14,
    status: 'proposed',
    signature: "Error: Cannot find module '<name>'",
    sample: { error: "Error: Cannot find module 'express'\nRequire stack:\n- src/server.ts", target: 'npm test', session: 's-41', event: 'e1', time: '2026-03-09T16:20:00.000Z' },
    sessions: ['s-38', 's-39', 's-40', 's-41'],
    firstSeen: '2026-03-02T08:15:00.000Z',
    lastSeen: '2026-03-10T09:40:11.000Z',
    rules: ['PROJ-004'],
    analysis: { at: '2026-03-09T16:30:00.000Z', analyst: 'nevo', what: 'npm test ran before npm ci', why: 'the worktree had no node_modules', seenBefore: true, decision: 'propose', detail: 'proposed PROJ-004', rule: 'PROJ-004' },
  }),
  incident({
    id: '2026-03-10-c3d4',
    fingerprint: 'fp-enoent',
    category: 'file-not-found',
    tool: 'Read',
    count: 3,
    status: 'new',
    sample: { error: "ENOENT: no such file or directory, open 'src/config.ts'", target: 'src/config.ts', event: 'e6', time: '2026-03-10T11:15:30.000Z' },
    sessions: ['s-41'],
    lastSeen: '2026-03-10T11:15:30.000Z',
  }),
  incident({
    id: '2026-03-08-e5f6',
    fingerprint: 'fp-perm',
    category: 'permission-denied',
    tool: 'Bash',
    count: 7,
    status: 'ruled',
    sample: { error: "rm: cannot remove 'dist/manifest.json': Permission denied", target: 'rm -rf dist', event: 'e0', time: '2026-03-08T12:00:00.000Z' },
    sessions: ['s-30', 's-33'],
    lastSeen: '2026-03-08T12:00:00.000Z',
    rules: ['PROJ-001'],
  }),
  incident({ id: '2026-03-07-0a0b', fingerprint: 'fp-syntax', category: 'syntax-error', tool: 'Edit', count: 1, status: 'dismissed', dismissedReason: 'a typo, fixed at once' }),
  incident({
    id: '2026-03-05-1c1d',
    fingerprint: 'fp-timeout',
    category: 'timeout',
    tool: 'Bash',
    count: 22,
    status: 'analyzed',
    sample: { error: 'Error: Timeout of 2000ms exceeded', target: 'npm run test:integration', event: 'e-t', time: '2026-03-06T10:00:00.000Z' },
    sessions: ['s-20', 's-21', 's-25'],
    lastSeen: '2026-03-06T10:00:00.000Z',
    rules: ['PROJ-005'],
  }),
  incident({ id: '2026-03-10-2e2f', fingerprint: 'fp-type', category: 'type-error', tool: 'Bash', count: 5, status: 'new', lastSeen: '2026-03-10T10:50:00.000Z' }),
];

// ---------------------------------------------------------------- events

function event(e: Partial<EventRecord> & Pick<EventRecord, 'id' | 'time' | 'kind' | 'fate'>): EventRecord {
  return { source: 'hook', session: 's-41', ...e };
}

/** Oldest first, as the store keeps them. */
export const EVENTS: EventRecord[] = [
  event({ id: 'e1', time: '2026-03-10T09:12:03.000Z', kind: 'PostToolUseFailure', tool: 'Bash', target: 'npm test', ok: false, fingerprint: 'fp-express', fate: { kind: 'opened', incident: '2026-03-09-a1b2' } }),
  event({ id: 'e2', time: '2026-03-10T09:40:11.000Z', kind: 'PostToolUseFailure', tool: 'Bash', target: 'npm test', ok: false, fingerprint: 'fp-express', fate: { kind: 'counted', incident: '2026-03-09-a1b2' } }),
  event({ id: 'e3', time: '2026-03-10T10:05:00.000Z', kind: 'PreToolUse', tool: 'Bash', target: 'rm -rf dist', fate: { kind: 'blocked', rule: 'PROJ-001' } }),
  event({ id: 'e4', time: '2026-03-10T10:30:42.000Z', kind: 'PostToolUseFailure', tool: 'Edit', ok: false, fate: { kind: 'rejected', reason: 'duplicate delivery' } }),
  event({ id: 'e5', time: '2026-03-10T11:02:17.000Z', kind: 'Stop', fate: { kind: 'journal' } }),
  event({ id: 'e6', time: '2026-03-10T11:15:30.000Z', kind: 'PostToolUseFailure', tool: 'Read', target: 'src/config.ts', ok: false, fingerprint: 'fp-enoent', fate: { kind: 'opened', incident: '2026-03-10-c3d4' } }),
];

// ---------------------------------------------------------------- stats, commits

const CALLS = [80, 95, 60, 140, 110, 70, 120];
const FAILURES = [2, 0, 5, 9, 3, 7, 9];

function days(): DayStats[] {
  return CALLS.map((calls, i) => {
    const failures = FAILURES[i]!;
    return { day: `2026-03-${String(4 + i).padStart(2, '0')}`, calls, failures, failureRate: calls ? Math.round((failures / calls) * 10000) / 10000 : 0, noisy: 0, perTool: [{ tool: 'Bash', calls, failures }] };
  });
}

let oidCounter = 0;
/** A 40-hex-digit id, different on every call. */
export function fakeOid(): string {
  oidCounter += 1;
  // distinct in the first 7 digits, which is what the screens show
  return `${(0xa100000 + oidCounter * 0x1011).toString(16)}${'c0ffee'.repeat(6)}`.slice(0, 40);
}

function commit(subject: string, time: string): CommitInfo {
  return { oid: fakeOid(), message: `${subject}\n`, subject, author: 'nevo', email: 'nevo@localhost', time, parents: [] };
}

function seedCommits(): CommitInfo[] {
  // newest first, as `git log` lists them; each the child of the next, the first with no parent
  const list = [
    commit('incidents: analyze 2026-03-09-a1b2, propose PROJ-004', '2026-03-09T16:30:00.000Z'),
    commit('rules: approve PROJ-003', '2026-02-25T09:00:00.000Z'),
    commit('rules: approve PROJ-002', '2026-02-22T09:00:00.000Z'),
    commit('rules: approve PROJ-001', '2026-02-20T09:00:00.000Z'),
    commit('init workspace', '2026-02-01T09:00:00.000Z'),
  ];
  return list.map((c, i) => ({ ...c, parents: list[i + 1] ? [list[i + 1]!.oid] : [] }));
}

/** A diff long enough to scroll: a header and 40 numbered lines. */
/** A preference the agent proposed, waiting in Review. */
export function pendingFact(): Snapshot['pendingFacts'][number] {
  return { id: '5e1f00d2a9c4b7e3', statement: 'Always run the e2e suite before pushing to main.', category: 'preference', source: { by: 'agent' }, confidence: 1, created: '2026-03-10T08:00:00.000Z', lastConfirmed: '2026-03-10T08:00:00.000Z', expires: null, seen: 1, sessions: [], pinned: false, hidden: false, provenance: 'assistant', pending: true };
}

export function fakeDiff(oid: string): string {
  const lines = [`diff --git a/rules/PROJ-004.md b/rules/PROJ-004.md (${oid.slice(0, 7)})`, '--- a/rules/PROJ-004.md', '+++ b/rules/PROJ-004.md', '@@ -1,40 +1,40 @@'];
  for (let n = 1; n <= 40; n++) lines.push(`${n % 2 ? '+' : '-'}diff line ${String(n).padStart(2, '0')}`);
  return lines.join('\n');
}

// ---------------------------------------------------------------- the snapshot

/** `incidents`: how many incidents; more than the handful above are generated. */
export function fakeSnapshot(opts: { incidents?: number } = {}): Snapshot {
  const incidents = structuredClone(INCIDENTS);
  for (let n = incidents.length; n < (opts.incidents ?? 0); n++) {
    incidents.push(
      incident({
        id: `2026-03-10-${n.toString(16).padStart(5, '0')}`,
        fingerprint: `fp-gen-${n}`,
        category: ['timeout', 'syntax-error', 'network', 'permission-denied'][n % 4]!,
        tool: n % 3 ? 'Bash' : 'Edit',
        count: 1 + (n % 50),
        status: n % 5 ? 'analyzed' : 'new',
        lastSeen: `2026-03-10T${String(n % 24).padStart(2, '0')}:00:00.000Z`,
      }),
    );
  }
  const ds = days();
  const calls = CALLS.reduce((a, b) => a + b, 0);
  const failures = FAILURES.reduce((a, b) => a + b, 0);
  return {
    workspace: 'shop-api/.nevo',
    timeZone: 'UTC',
    events: structuredClone(EVENTS),
    incidents,
    incidentRows: incidents.map(incidentRow),
    rules: structuredClone(RULES),
    unparseable: [],
    lint: {},
    effectiveness: structuredClone(EFFECTIVENESS),
    loads: { 'PROJ-001': { count: 3, first: '2026-03-01T09:00:00.000Z', last: '2026-03-09T09:00:00.000Z', reasons: { session_start: 2, compact: 1 } } },
    stats: { days: ds, total: { calls, failures, failureRate: Math.round((failures / calls) * 10000) / 10000 }, topRepeated: [] },
    tokens: { active: 310, budget: 2000 },
    triggersWaiting: 0,
    lost: null,
    pendingFacts: [],
    syncConflicts: [],
    preferences: ['Use pnpm, not npm, in this repository'],
    overlapThreshold: 0.6,
    project: 'shop-api',
    hooks: { files: [{ scope: 'local', file: '.claude/settings.local.json', events: [...NEVO_HOOK_EVENTS] }], missing: [], unreadable: [] },
    commits: seedCommits(),
    jobs: fakeJobs(),
  };
}

// ---------------------------------------------------------------- memory

/** The clock of the fake memory: noon of TODAY. */
export const NOW = new Date(`${TODAY}T12:00:00.000Z`);
export const HALF_LIFE_DAYS = 30;

function fact(f: Partial<Fact> & Pick<Fact, 'id' | 'statement' | 'category'>): Fact {
  return {
    source: { session: 's-41', line: 12, by: 'prompt' },
    confidence: 0.8,
    created: '2026-03-01T09:00:00.000Z',
    lastConfirmed: '2026-03-08T09:00:00.000Z',
    expires: null,
    seen: 1,
    sessions: ['s-41'],
    pinned: false,
    hidden: false,
    ...f,
  };
}

export const FACTS: Fact[] = [
  fact({ id: 'a1a1a1a1a1a1a1a1', statement: 'Use pnpm, not npm, in this repository', category: 'preference', confidence: 0.9, lastConfirmed: '2026-03-09T10:00:00.000Z', seen: 4, sessions: ['s-38', 's-39', 's-40', 's-41'] }),
  fact({ id: 'b2b2b2b2b2b2b2b2', statement: 'Run npm ci before npm test in a fresh worktree: "Cannot find module" means the install was skipped', category: 'lesson', source: { session: 's-41', line: 40, by: 'lesson' } }),
  fact({ id: 'c3c3c3c3c3c3c3c3', statement: 'The integration database listens on port 5433', category: 'config', confidence: 0.7, lastConfirmed: '2026-02-20T09:00:00.000Z' }),
  fact({ id: 'd4d4d4d4d4d4d4d4', statement: 'shop-api serves its REST endpoints from src/server.ts with express', category: 'project', confidence: 0.6 }),
  fact({ id: 'e5e5e5e5e5e5e5e5', statement: 'Decided to keep the default test timeout and fix slow tests instead', category: 'decision', confidence: 0.7, lastConfirmed: '2026-03-05T09:00:00.000Z' }),
  fact({ id: 'f6f6f6f6f6f6f6f6', statement: 'Release v1.4.0 of shop-api shipped on 2026-03-02', category: 'event', confidence: 0.5, lastConfirmed: '2026-03-02T18:00:00.000Z', expires: '2026-06-01T00:00:00.000Z' }),
  fact({ id: '0707070707070707', statement: 'Prefer tabs over spaces in Makefiles', category: 'preference', hidden: true, source: { by: 'manual' } }),
  fact({ id: '0808080808080808', statement: 'Read a file before editing it: edits made from memory fail on stale text', category: 'lesson', pinned: true, confidence: 0.95, lastConfirmed: '2026-01-15T09:00:00.000Z' }),
];

export const NARRATIVES: Narrative[] = [
  {
    id: 's-41',
    file: 'journal/narratives/2026-03-09/s-41.md',
    title: 'Fix the missing express module in the test run',
    summary: 'npm test failed with Cannot find module express; npm ci installed it and the tests passed. Files: src/server.ts, package.json.',
    start: '2026-03-09T16:00:00.000Z',
    end: '2026-03-09T16:40:00.000Z',
    calls: 40,
    failures: 3,
    files: ['src/server.ts', 'package.json'],
    bytesIn: 52000,
    bytesOut: 900,
    by: 'builtin',
    builtAt: '2026-03-09T16:41:00.000Z',
    pinned: false,
    hidden: false,
  },
  {
    id: 's-38',
    file: 'journal/narratives/2026-03-06/s-38.md',
    title: 'Speed up the integration suite',
    summary: 'The integration suite timed out against the local database; raised the timeout for test/integration only.',
    start: '2026-03-06T09:00:00.000Z',
    end: '2026-03-06T10:15:00.000Z',
    calls: 75,
    failures: 6,
    files: ['test/integration/db.test.ts'],
    bytesIn: 80000,
    bytesOut: 1100,
    by: 'builtin',
    builtAt: '2026-03-06T10:16:00.000Z',
    pinned: false,
    hidden: false,
  },
];

function digest(d: Partial<Digest> & Pick<Digest, 'id' | 'period' | 'title' | 'summary' | 'from' | 'to'>): Digest {
  return { file: `journal/digests/${d.id.replace(':', '/')}.md`, sessions: ['s-30', 's-33'], weeklies: [], calls: 210, failures: 12, files: {}, failed: {}, lessons: [], lines: [], builtAt: `${d.to}T23:59:59.000Z`, pinned: false, hidden: false, ...d };
}

export const DIGESTS: Digest[] = [
  digest({ id: 'weekly:2026-W09', period: 'weekly', title: 'Week 2026-W09: the pnpm migration', summary: 'Moved shop-api from npm to pnpm; two sessions fixed lockfile errors.', from: '2026-02-23', to: '2026-03-01' }),
  digest({ id: 'monthly:2026-02', period: 'monthly', title: 'February 2026: rules for the build and the test setup', summary: 'Approved the rules about dist and npm ci; timeouts in the integration suite.', from: '2026-02-01', to: '2026-02-28', weeklies: ['weekly:2026-W06', 'weekly:2026-W07'] }),
];

/** The Markdown files of narratives and digests, by path; s-38's is missing on purpose. */
export const MARKDOWN: Record<string, string> = {
  'journal/narratives/2026-03-09/s-41.md': '# Fix the missing express module in the test run\n\nSession s-41, 40 calls, 3 failures.\n\n## What happened\n\n- npm test failed: Cannot find module express\n- ran npm ci\n- the tests passed\n\n## Lessons\n\n- Run npm ci before npm test in a fresh worktree\n',
  'journal/digests/weekly/2026-W09.md': '# Week 2026-W09: the pnpm migration\n\n- s-30: moved to pnpm\n- s-33: fixed the lockfile\n',
  'journal/digests/monthly/2026-02.md': '# February 2026\n\n- Approved PROJ-001 and PROJ-002\n',
};

export interface FakeMemory {
  facts: Fact[];
  narratives: Narrative[];
  digests: Digest[];
  markdown: Record<string, string>;
}

/** The memory above; `facts`: how many facts in all (more are generated). */
export function fakeMemory(opts: { facts?: number } = {}): FakeMemory {
  const facts = structuredClone(FACTS);
  for (let n = facts.length; n < (opts.facts ?? 0); n++) {
    facts.push(fact({ id: n.toString(16).padStart(16, '0'), statement: `Generated fact number ${n} about module ${n % 37} and the ${['cache', 'router', 'schema', 'worker'][n % 4]} layer`, category: FACT_CATEGORIES[n % FACT_CATEGORIES.length]!, confidence: 0.3 + (n % 7) / 10, lastConfirmed: `2026-0${1 + (n % 3)}-${String(1 + (n % 28)).padStart(2, '0')}T09:00:00.000Z` }));
  }
  return { facts, narratives: structuredClone(NARRATIVES), digests: structuredClone(DIGESTS), markdown: { ...MARKDOWN } };
}

// ---------------------------------------------------------------- skills

const NO_DRIFT = { workspace: false, deployed: false, missing: false, hashes: { recorded: null, workspace: null, deployed: null } };
const NO_RECURRENCE = { since: null, total: 0, window: 0, days: 14, ineffective: false };

function skill(name: string, v: Partial<SkillView> & { diff?: string; errors?: Problem[]; warnings?: Problem[] } = {}): SkillView & { diff: string } {
  const { errors = [], warnings = [], ...rest } = v;
  return {
    name,
    status: 'draft',
    tracked: false,
    record: null,
    valid: errors.length === 0,
    validation: { name, path: `skills/${name}`, valid: errors.length === 0, errors, warnings, scripts: [] },
    drift: NO_DRIFT,
    driftLabel: '-',
    recurrence: NO_RECURRENCE,
    diff: '',
    ...rest,
  };
}

const rec = (id: string, status: SkillView['status'], extra: Partial<NonNullable<SkillView['record']>> = {}) => ({ id, created: '2026-02-20T10:00:00.000Z', reason: `answers ${id} failures`, fingerprints: ['fp-express'], status, hash: status === 'draft' ? null : 'sha256:abc', ...extra });

/** Skills in every state: a valid draft, an invalid draft, an active one with drift, an ineffective one, an inactive one. */
export function fakeSkills(): (SkillView & { diff: string })[] {
  return [
    skill('deploy-checklist', { tracked: true, status: 'active', record: rec('deploy-checklist', 'active', { deployed: '2026-03-01T09:00:00.000Z' }), driftLabel: 'workspace', drift: { ...NO_DRIFT, workspace: true }, recurrence: { since: '2026-03-01', total: 1, window: 1, days: 14, ineffective: false }, diff: '--- .claude/skills/deploy-checklist/SKILL.md\n+++ skills/deploy-checklist/SKILL.md\n@@ -1 +1 @@\n-Run the checklist\n+Run the whole checklist\n' }),
    skill('fix-imports', { errors: [{ rule: 'name-lowercase', file: 'SKILL.md', line: 2, field: 'name', message: 'name must be lowercase', fix: 'rename it to fix-imports' }], warnings: [{ rule: 'description-short', file: 'SKILL.md', line: 3, message: 'the description is very short', fix: 'say when to use the skill' }] }),
    skill('npm-ci-first', { tracked: true, status: 'ineffective', record: rec('npm-ci-first', 'active', { deployed: '2026-03-02T09:00:00.000Z' }), driftLabel: 'none', recurrence: { since: '2026-03-02', total: 4, window: 4, days: 14, ineffective: true } }),
    skill('old-lint', { tracked: true, status: 'inactive', record: rec('old-lint', 'inactive', { deactivated: '2026-03-05T09:00:00.000Z' }) }),
    skill('read-before-edit'),
  ];
}

// ---------------------------------------------------------------- the services

export type Method = 'approve' | 'reject' | 'edit' | 'deprecate' | 'restore' | 'revert' | 'dismiss' | 'decideFact' | 'settleConflict' | 'diff' | 'memoryDetail' | 'memoryMark' | 'memoryForget' | 'skillAction' | 'jobRun' | 'latestReport';

export interface FakeServices extends TuiServices {
  /** The workspace as it is now; actions change it, load() hands out copies of it. */
  state: Snapshot;
  /** Every action call in order. */
  calls: { method: Method; args: unknown[] }[];
  /** The argument lists of one method's calls. */
  callsOf(method: Method): unknown[][];
  /** How many times load(), lint(), ingest(), memorySearch() ran, and how often the memory index was built. */
  counts: { load: number; lint: number; ingest: number; search: number; index: number };
  /** Memory as it is now: mark and forget change it, revert puts it back. */
  memory: FakeMemory;
  /** The skills as they are now: skillAction changes them. */
  skills: (SkillView & { diff: string })[];
  /** Every memorySearch() call, in order. */
  searches: { query: string; filter: MemoryFilter }[];
  /** Simulates a file change under triggers/ ('triggers') or store/ and rules/ ('data'). */
  fire(what?: 'triggers' | 'data'): void;
  /** How many watch() subscriptions are live. */
  watching(): number;
  /** Events that arrive as trigger files: the next ingest() stores them. */
  waiting: EventRecord[];
  /** Jobs whose next run fails, with the error it throws. */
  jobFailures: Partial<Record<JobName, string>>;
  /** Resolves the runs jobRun() holds back while set (to see a job `running`); null: runs finish at once. */
  holdJobs: Promise<void> | null;
}

const NO_EXPORT: ExportResult = { dir: '.claude/rules/nevo', written: [], removed: [], tokens: 0, budget: 2000, over: false, guards: 0, hooks: [] };


export function fakeServices(snapshot: Snapshot = fakeSnapshot(), memory: FakeMemory = fakeMemory(), skills = fakeSkills()): FakeServices {
  const state = snapshot;
  const calls: FakeServices['calls'] = [];
  const counts = { load: 0, lint: 0, ingest: 0, search: 0, index: 0 };
  const searches: FakeServices['searches'] = [];
  // Built from the items as the real one is, and again only when memory changed.
  let index: { key: string; index: MemoryIndex } | null = null;
  const memoryIndex = () => {
    const key = JSON.stringify([memory.facts, memory.narratives, memory.digests]);
    if (index?.key !== key) {
      counts.index += 1;
      index = { key, index: buildIndex(memoryItems(memory.facts, memory.narratives, memory.digests, NOW)) };
    }
    return index.index;
  };
  const memoryRecords = (kind: 'fact' | 'narrative' | 'digest'): (Fact | Narrative | Digest)[] => (kind === 'fact' ? memory.facts : kind === 'narrative' ? memory.narratives : memory.digests);
  const listeners = new Set<(what: 'triggers' | 'data') => void>();
  /** What reverting each commit made by these services puts back. */
  const undo = new Map<string, () => void>();
  const reverted = new Set<string>();

  const record = (method: Method, ...args: unknown[]) => calls.push({ method, args });
  /** Puts an object back as it was, dropping keys added since. */
  const putBack = <T extends object>(target: T, before: T) => () => {
    for (const k of Object.keys(target) as (keyof T)[]) delete target[k];
    Object.assign(target, before);
  };
  const addCommit = (subject: string, back?: () => void): string => {
    const c = commit(subject, `${TODAY}T12:${String(state.commits.length % 60).padStart(2, '0')}:00.000Z`);
    if (state.commits[0]) c.parents = [state.commits[0].oid];
    state.commits.unshift(c);
    if (back) undo.set(c.oid, back);
    return c.oid;
  };
  const findRule = (id: string): Rule => {
    const r = state.rules.find((x) => x.id === id);
    if (!r) throw new Error(`No rule ${id}`);
    return r;
  };
  const move = async (action: Exclude<ReviewAction, 'edit'>, id: string, reason?: string): Promise<ReviewResult> => {
    const r = findRule(id);
    const m = ruleMove(r, action);
    if (m.refused) throw new Error(m.refused);
    const before = structuredClone(r);
    r.status = m.to;
    if (r.status === 'active' && !r.activated) r.activated = TODAY;
    r.updated = TODAY;
    if (reason) r.reason = reason;
    const oid = addCommit(`rules: ${action} ${id}`, putBack(r, before));
    return { rule: structuredClone(r), action, from: before.status, export: NO_EXPORT, commit: oid };
  };

  const services: FakeServices = {
    state,
    calls,
    counts,
    memory,
    skills,
    searches,
    waiting: [],
    jobFailures: {},
    holdJobs: null,
    callsOf: (method) => calls.filter((c) => c.method === method).map((c) => c.args),
    fire(what = 'data') {
      for (const l of [...listeners]) l(what);
    },
    watching: () => listeners.size,

    async load() {
      counts.load += 1;
      // The rows as the store makes them, from the incidents as they are now (tests change those).
      return structuredClone({ ...state, incidentRows: state.incidents.map(incidentRow), lint: {} });
    },
    async incident(id) {
      return structuredClone(state.incidents.find((i) => i.id === id)) ?? null;
    },
    async commits() {
      return state.commits;
    },
    async incidentRows() {
      return structuredClone(state.incidents.map(incidentRow));
    },
    async lint(s) {
      counts.lint += 1;
      return Object.fromEntries(Object.entries(LINT).filter(([id]) => s.rules.some((r) => r.id === id)));
    },
    async ingest() {
      counts.ingest += 1;
      const n = services.waiting.length;
      state.events.push(...services.waiting.splice(0));
      return n;
    },
    approve(id) {
      record('approve', id);
      return move('approve', id);
    },
    reject(id, reason) {
      record('reject', id, reason);
      return move('reject', id, reason);
    },
    deprecate(id) {
      record('deprecate', id);
      return move('deprecate', id);
    },
    restore(id) {
      record('restore', id);
      return move('restore', id);
    },
    async edit(id, e: RuleEdit) {
      record('edit', id, e);
      const r = findRule(id);
      const before = structuredClone(r);
      for (const k of ['title', 'body', 'trigger', 'enforcement', 'verification'] as const) if (e[k] !== undefined) r[k] = e[k];
      if (e.paths) {
        if (e.paths.length) r.paths = e.paths;
        else delete r.paths;
      }
      if (e.guard === null) delete r.guard;
      else if (e.guard) r.guard = e.guard;
      r.updated = TODAY;
      const problems = validateRule(r);
      if (problems.length) {
        putBack(r, before)();
        throw new Error(`not saved: ${problems.join('; ')}`);
      }
      const oid = addCommit(`rules: edit ${id}`, putBack(r, before));
      return { rule: structuredClone(r), action: 'edit', from: before.status, export: NO_EXPORT, commit: oid };
    },
    async revert(oid): Promise<RevertResult> {
      record('revert', oid);
      const c = state.commits.find((x) => x.oid === oid);
      if (!c) throw new Error(`No commit ${oid}`);
      if (reverted.has(oid)) return { reverted: oid, subject: c.subject, commit: null, files: [] };
      reverted.add(oid);
      undo.get(oid)?.();
      const made = addCommit(`Revert "${c.subject}"`);
      return { reverted: oid, subject: c.subject, commit: made, files: ['rules/'] };
    },
    async decideFact(id, decision, reason) {
      record('decideFact', id, decision, reason ?? '');
      const f = state.pendingFacts.find((x) => `fact:${x.id}` === id || x.id === id);
      if (!f) throw new Error(`no fact ${id}`);
      state.pendingFacts = state.pendingFacts.filter((x) => x !== f);
      const oid = addCommit(`memory: ${decision} proposed ${f.category} fact:${f.id}`, () => state.pendingFacts.push(f));
      return { fact: { ...f, pending: false }, commit: oid };
    },
    async settleConflict(id, keep, member) {
      record('settleConflict', id, keep, member);
      const settled = state.syncConflicts.filter((c) => c.rule === id && c.member === member);
      if (!settled.length) throw new Error(`No sync conflict on ${id}`);
      const r = state.rules.find((x) => x.id === id);
      if (!r) throw new Error(`No rule ${id}`);
      const before = { conflicts: state.syncConflicts, rule: structuredClone(r) };
      state.syncConflicts = state.syncConflicts.filter((c) => !settled.includes(c));
      if (keep === 'theirs') for (const c of settled) Object.assign(r, { title: c.theirsTitle, body: c.theirsBody, status: c.theirsStatus });
      const oid = addCommit(`sync: ${keep === 'mine' ? `keep this workspace's text over ${member}'s` : `take ${member}'s text`} (${id})`, () => {
        state.syncConflicts = before.conflicts;
        putBack(r, before.rule)();
      });
      return { rule: structuredClone(r), keep, settled, commit: oid };
    },
    async dismiss(id, reason) {
      record('dismiss', id, reason);
      const i = state.incidents.find((x) => x.id === id);
      if (!i) throw new Error(`No incident ${id}`);
      const before = structuredClone(i);
      i.status = 'dismissed';
      i.dismissedReason = reason;
      const oid = addCommit(`incidents: dismiss ${id}`, putBack(i, before));
      return { incident: structuredClone(i), commit: oid };
    },
    async diff(oid) {
      record('diff', oid);
      return fakeDiff(oid);
    },
    validate: validateRule,
    async memorySearch(query, filter) {
      counts.search += 1;
      searches.push({ query, filter: { ...filter } });
      const idx = memoryIndex();
      const hits = searchIndex(idx, query, NOW, HALF_LIFE_DAYS, { ...(filter.category ? { category: filter.category } : {}), ...(filter.kind ? { kinds: [filter.kind] } : {}), all: filter.all ?? false, limit: MEMORY_RESULTS });
      return { hits, total: idx.size };
    },
    async memoryDetail(id) {
      record('memoryDetail', id);
      const split = splitItemId(id);
      if (!split) return null;
      const rec = memoryRecords(split.kind).find((r) => r.id === split.record);
      if (!rec) return null;
      const markdown = 'file' in rec ? (memory.markdown[rec.file] ?? null) : null;
      return { id, kind: split.kind, record: structuredClone(rec), markdown } as MemoryDetail;
    },
    async memoryMark(id, mark) {
      record('memoryMark', id, mark);
      const split = splitItemId(id);
      const rec = split && memoryRecords(split.kind).find((r) => r.id === split.record);
      if (!rec) throw new Error(`no memory item ${id}`);
      const before = structuredClone(rec);
      if (mark === 'pin' || mark === 'unpin') rec.pinned = mark === 'pin';
      else rec.hidden = mark === 'hide';
      addCommit(`memory: ${mark} ${id}`, putBack(rec, before));
      return { id, pinned: rec.pinned, hidden: rec.hidden };
    },
    async memoryForget(id): Promise<ForgetResult> {
      record('memoryForget', id);
      const split = splitItemId(id);
      const list = split ? memoryRecords(split.kind) : [];
      const at = list.findIndex((r) => r.id === split?.record);
      if (at < 0) return { items: [], files: [], commit: null, dryRun: false };
      const [gone] = list.splice(at, 1);
      const files = 'file' in gone! ? [gone.file] : [];
      const oid = addCommit(`memory: forget 1 item(s)`, () => list.splice(at, 0, gone!));
      return { items: [{ id, kind: split!.kind, title: 'statement' in gone! ? gone.statement : gone!.title }], files, commit: oid, dryRun: false };
    },
    async skillsList() {
      return structuredClone(skills.map(({ diff: _diff, ...v }) => v));
    },
    async skillShow(name) {
      const v = skills.find((x) => x.name === name);
      if (!v) throw new Error(`No skill ${name}; \`nevo-tui skills list\` shows them.`);
      return structuredClone(v);
    },
    async skillAction(name, action: SkillAction, opts = {}): Promise<SkillChange> {
      record('skillAction', name, action, ...(opts.reason ? [opts.reason] : []));
      const v = skills.find((x) => x.name === name);
      if (!v) throw new Error(`No skill ${name}`);
      const need: Record<SkillAction, string[]> = { approve: ['draft'], deploy: ['active', 'ineffective'], deactivate: ['active', 'ineffective'], reactivate: ['inactive'] };
      if (!need[action].includes(v.status)) throw new Error(`${name} is ${v.status}; ${action} applies to ${need[action].join(' or ')} skills.`);
      if (action !== 'deactivate' && !v.valid) throw new Error(`${name} is not valid; nothing was deployed:\n  - ${v.validation!.errors.map((e) => e.message).join('\n  - ')}`);
      const before = structuredClone(v);
      const now = `${TODAY}T12:00:00.000Z`;
      const r = v.record ?? rec(name, 'draft', { fingerprints: [] });
      if (action === 'deactivate') Object.assign(r, { status: 'inactive', deactivated: now });
      else Object.assign(r, { status: 'active', hash: 'sha256:new', deployed: now });
      Object.assign(v, { record: r, tracked: true, status: r.status, driftLabel: r.status === 'active' ? 'none' : '-', drift: NO_DRIFT, diff: '', recurrence: r.status === 'active' ? { ...NO_RECURRENCE, since: TODAY } : NO_RECURRENCE });
      const oid = addCommit(`skills: ${action} ${name}`, putBack(v, before));
      return { name, action, from: before.status, record: structuredClone(r), deployedTo: r.status === 'active' ? `.claude/skills/${name}` : null, hash: r.hash, commit: oid };
    },
    async jobRun(name) {
      record('jobRun', name);
      return jobRunFake(state, name, services);
    },
    async latestReport() {
      record('latestReport');
      return reportOf(state.jobs.latestReport);
    },
    watch(onChange) {
      listeners.add(onChange);
      return () => listeners.delete(onChange);
    },
  };
  return services;
}

/**
 * Fake services whose loads return a snapshot read in part (`patch`), and whose `method`, the part
 * the TUI reads after the first frame, answers only once `release()` is called.
 */
export function heldBack(method: 'commits' | 'incidentRows', patch: (s: Snapshot) => Partial<Snapshot>): { services: FakeServices; release: () => void } {
  const services = fakeServices();
  const load = services.load.bind(services);
  services.load = async () => {
    const s = await load();
    return { ...s, ...patch(s) };
  };
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  const answer = services[method].bind(services) as () => Promise<never>;
  Object.assign(services, { [method]: async () => (await held, answer()) });
  return { services, release };
}
