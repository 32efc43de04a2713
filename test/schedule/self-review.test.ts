import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeIncident } from '../../src/analyze/analyze.js';
import { ingestTriggers } from '../../src/detect/ingest.js';
import { handleInput } from '../../src/hook.js';
import { upsertFacts } from '../../src/memory/facts.js';
import { approveRule } from '../../src/rules/review.js';
import { loadRules } from '../../src/rules/load.js';
import type { Rule } from '../../src/rules/rule.js';
import { findingFacts, planSelfReview, renderReport, type SelfReviewInput } from '../../src/schedule/self-review.js';
import { runSelfReview } from '../../src/schedule/self-review-run.js';
import { recurringDeclines } from '../../src/schedule/recurring-noise.js';
import { validateRule } from '../../src/rules/review.js';
import type { Doc, Fact, Incident, TelemetryDay } from '../../src/store/schemas.js';
import { openWorkspace } from '../../src/workspace/workspace.js';
import { docRecords, freshWorkspace } from '../helpers/workspace.js';

function incident(id: string, fingerprint: string, daily: Record<string, number>, extra: Partial<Incident> = {}): Incident {
  const days = Object.keys(daily).sort();
  return {
    id,
    fingerprint,
    signature: `Exit code 1\nError: Cannot find module <q> (${fingerprint})`,
    category: 'module not found',
    signal: 'hook',
    tool: 'Bash',
    sample: { error: "Exit code 1\nError: Cannot find module 'vitest'", event: 'e1', time: `${days[0]}T10:00:00.000Z` },
    count: Object.values(daily).reduce((a, b) => a + b, 0),
    sessions: ['s1'],
    firstSeen: `${days[0]}T10:00:00.000Z`,
    lastSeen: `${days.at(-1)}T10:00:00.000Z`,
    recurring: false,
    status: 'new',
    rules: [],
    skills: [],
    reopened: 0,
    daily,
    ...extra,
  };
}

function rule(id: string, status: Rule['status'], fingerprints: string[], extra: Partial<Rule> = {}): Rule {
  return {
    id,
    title: `Rule ${id}`,
    scope: 'project',
    status,
    trigger: '',
    enforcement: '',
    verification: '',
    incidents: fingerprints.map((fingerprint, n) => ({ id: `2026-11-01-000${n}`, fingerprint })),
    novelty: '',
    created: '2026-11-01',
    updated: '2026-11-01',
    hits: 0,
    body: 'Do the right thing.',
    file: `rules/${id}.md`,
    ...extra,
  };
}

const tele = (id: string, calls: number, failures = 0): TelemetryDay => ({ id, calls: { Bash: calls }, failures: failures ? { Bash: failures } : {}, noisy: {} });

function input(over: Partial<SelfReviewInput>): SelfReviewInput {
  return { now: new Date('2026-11-21T12:00:00Z'), timeZone: 'UTC', telemetry: [], incidents: [], rules: [], days: 14, proposals: 3, effectivenessDays: 14, ...over };
}

describe('planSelfReview', () => {
  it('groups incidents sharing a fingerprint: their occurrences add up, their sessions are one set, the latest is sent', () => {
    const a1 = incident('2026-11-15-aaaa', 'fpA', { '2026-11-15': 1, '2026-11-16': 1 }, { sessions: ['s1', 's2'] });
    const a2 = incident('2026-11-19-aaab', 'fpA', { '2026-11-19': 2 }, { sessions: ['s2', 's3'] });
    const b = incident('2026-11-20-bbbb', 'fpB', { '2026-11-20': 2 }, { category: 'type error', tool: 'Edit', signature: "error TS<n>: Type <q> is not assignable to type <q>" });
    const once = incident('2026-11-21-cccc', 'fpC', { '2026-11-21': 1 });
    const r = planSelfReview(input({ incidents: [a1, once, b, a2] }));
    expect(r.repeated.map((g) => [g.fingerprint, g.occurrences, g.sessions])).toEqual([
      ['fpA', 4, 3],
      ['fpB', 2, 1],
    ]);
    expect(r.repeated[0]).toMatchObject({ incidents: ['2026-11-15-aaaa', '2026-11-19-aaab'], latest: '2026-11-19-aaab', category: 'module not found', tool: 'Bash', coveredBy: null, dismissed: false });
    // The `Exit code 1` line names nothing; the line after it does.
    expect(r.repeated[0]!.signature).toBe('Error: Cannot find module <q> (fpA)');
    expect(r.uncovered.map((g) => g.fingerprint)).toEqual(['fpA', 'fpB']);
    expect(planSelfReview(input({ incidents: [a1, b, a2], proposals: 1 })).uncovered.map((g) => g.fingerprint)).toEqual(['fpA']);
  });

  it('breaks ties by the most recent error', () => {
    const old = incident('2026-11-15-aaaa', 'fpOld', { '2026-11-15': 2 });
    const recent = incident('2026-11-20-bbbb', 'fpNew', { '2026-11-20': 2 });
    expect(planSelfReview(input({ incidents: [old, recent] })).repeated.map((g) => g.fingerprint)).toEqual(['fpNew', 'fpOld']);
  });

  it('counts only the 7 days ending today', () => {
    const edge = incident('2026-11-10-aaaa', 'fpA', { '2026-11-14': 5, '2026-11-15': 1, '2026-11-21': 1 });
    const outside = incident('2026-11-10-bbbb', 'fpB', { '2026-11-14': 3, '2026-11-15': 1 });
    const r = planSelfReview(input({ incidents: [edge, outside] }));
    expect(r.repeated.map((g) => [g.fingerprint, g.occurrences])).toEqual([['fpA', 2]]);
  });

  it('takes the day, and so the window, in the configured time zone', () => {
    const at = new Date('2026-11-21T23:30:00Z');
    const inc = incident('2026-11-15-aaaa', 'fpA', { '2026-11-15': 1, '2026-11-21': 1 });
    const tele22 = tele('2026-11-22', 10, 5);
    const newYork = planSelfReview(input({ now: at, timeZone: 'America/New_York', incidents: [inc], telemetry: [tele22] }));
    expect(newYork.day).toBe('2026-11-21');
    expect(newYork.repeated).toHaveLength(1);
    expect(newYork.today).toMatchObject({ day: '2026-11-21', calls: 0 });
    // Already the 22nd in Tokyo: the 15th has left the window, and today's telemetry is the 22nd's.
    const tokyo = planSelfReview(input({ now: at, timeZone: 'Asia/Tokyo', incidents: [inc], telemetry: [tele22] }));
    expect(tokyo.day).toBe('2026-11-22');
    expect(tokyo.repeated).toEqual([]);
    expect(tokyo.today).toMatchObject({ day: '2026-11-22', calls: 10, failures: 5, rate: 0.5, tools: [{ tool: 'Bash', failures: 5, calls: 10 }] });
    expect(tokyo.yesterday.day).toBe('2026-11-21');
  });

  it('shows the failure rate of each of the last `days` days, and the failing tools of today, yesterday and the day before', () => {
    const telemetry: TelemetryDay[] = [
      { id: '2026-11-19', calls: { Read: 4 }, failures: { Read: 1 }, noisy: {} },
      { id: '2026-11-20', calls: { Bash: 8, Read: 2 }, failures: { Bash: 2 }, noisy: {} },
      { id: '2026-11-21', calls: { Bash: 5, Edit: 5 }, failures: { Edit: 3, Bash: 1 }, noisy: {} },
    ];
    const r = planSelfReview(input({ telemetry, days: 3 }));
    expect(r.days).toEqual([
      { day: '2026-11-19', calls: 4, failures: 1, rate: 0.25 },
      { day: '2026-11-20', calls: 10, failures: 2, rate: 0.2 },
      { day: '2026-11-21', calls: 10, failures: 4, rate: 0.4 },
    ]);
    expect(r.today.tools).toEqual([
      { tool: 'Edit', failures: 3, calls: 5 },
      { tool: 'Bash', failures: 1, calls: 5 },
    ]);
    expect(r.yesterday).toMatchObject({ day: '2026-11-20', failures: 2, tools: [{ tool: 'Bash', failures: 2, calls: 8 }] });
    expect(r.dayBefore).toMatchObject({ day: '2026-11-19', calls: 4, failures: 1, rate: 0.25, tools: [{ tool: 'Read', failures: 1, calls: 4 }] });
  });

  it('counts an error as covered by a proposed or active rule, by fingerprint or by the incident\'s own rules, never by a rejected one', () => {
    const a = incident('2026-11-20-aaaa', 'fpA', { '2026-11-20': 2 });
    const b = incident('2026-11-20-bbbb', 'fpB', { '2026-11-20': 2 }, { rules: ['AGENT-001'] });
    const c = incident('2026-11-20-cccc', 'fpC', { '2026-11-20': 2 }, { rules: ['PROJ-009'] });
    const rules = [rule('PROJ-001', 'proposed', ['fpA']), rule('AGENT-001', 'active', []), rule('PROJ-009', 'rejected', ['fpC'])];
    const r = planSelfReview(input({ incidents: [a, b, c], rules }));
    expect(Object.fromEntries(r.repeated.map((g) => [g.fingerprint, g.coveredBy]))).toEqual({ fpA: 'PROJ-001', fpB: 'AGENT-001', fpC: null });
    expect(r.uncovered.map((g) => g.fingerprint)).toEqual(['fpC']);
  });

  it('lists a dismissed error but sends it to no analyst; one live incident of the fingerprint is enough to send it', () => {
    const gone = incident('2026-11-20-aaaa', 'fpA', { '2026-11-20': 3 }, { status: 'dismissed' });
    const back1 = incident('2026-11-18-bbbb', 'fpB', { '2026-11-18': 1 }, { status: 'dismissed' });
    const back2 = incident('2026-11-20-bbbc', 'fpB', { '2026-11-20': 1 });
    const r = planSelfReview(input({ incidents: [gone, back1, back2] }));
    expect(r.repeated.map((g) => [g.fingerprint, g.dismissed])).toEqual([
      ['fpA', true],
      ['fpB', false],
    ]);
    expect(r.uncovered.map((g) => g.fingerprint)).toEqual(['fpB']);
  });

  it('compares each active rule before and after activation, per error type, as occurrences per 100 calls', () => {
    const telemetry = ['2026-11-12', '2026-11-13', '2026-11-14'].map((d) => tele(d, 100)).concat([tele('2026-11-15', 50), tele('2026-11-16', 50), tele('2026-11-17', 999)]);
    const mod = incident('2026-11-11-aaaa', 'fpA', { '2026-11-11': 7, '2026-11-12': 3, '2026-11-14': 3, '2026-11-15': 4, '2026-11-16': 1, '2026-11-17': 5 });
    const lint = incident('2026-11-12-bbbb', 'fpB', { '2026-11-13': 2 }, { category: 'lint' });
    const active = rule('PROJ-001', 'active', ['fpA', 'fpB'], { activated: '2026-11-15' });
    const r = planSelfReview(input({ now: new Date('2026-11-16T12:00:00Z'), telemetry, incidents: [mod, lint], rules: [active, rule('PROJ-002', 'proposed', ['fpA']), rule('PROJ-003', 'active', ['fpA'])], effectivenessDays: 3 }));
    // Before: the 3 days up to the activation day (the 15th, whose 4 are the mistakes the rule was
    // made from); the 12th is outside. After: the 16th only; the 17th is tomorrow.
    expect(r.ruled).toEqual([
      { rule: 'PROJ-001', title: 'Rule PROJ-001', activated: '2026-11-15', errorType: 'lint', fingerprints: ['fpB'], before: 2, after: 0, callsBefore: 250, callsAfter: 50, rateBefore: 0.8, rateAfter: 0, daysAfter: 1, window: 3 },
      { rule: 'PROJ-001', title: 'Rule PROJ-001', activated: '2026-11-15', errorType: 'module not found', fingerprints: ['fpA'], before: 7, after: 1, callsBefore: 250, callsAfter: 50, rateBefore: 2.8, rateAfter: 2, daysAfter: 1, window: 3 },
    ]);
  });

  it('gives no rate when no tool call was recorded in a window', () => {
    const inc = incident('2026-11-20-aaaa', 'fpA', { '2026-11-20': 2, '2026-11-21': 1 });
    const r = planSelfReview(input({ incidents: [inc], rules: [rule('PROJ-001', 'active', ['fpA'], { activated: '2026-11-20' })], telemetry: [tele('2026-11-21', 10)] }));
    expect(r.ruled[0]).toMatchObject({ before: 2, after: 1, callsBefore: 0, rateBefore: null, callsAfter: 10, rateAfter: 10, daysAfter: 1 });
  });
});

describe('renderReport', () => {
  const a = incident('2026-11-20-aaaa', 'fpA', { '2026-11-20': 2, '2026-11-21': 1 }, { sessions: ['s1', 's2'], signature: 'Exit code 2\nerror: a | b\nmore' });
  const b = incident('2026-11-20-bbbb', 'fpB', { '2026-11-21': 2 }, { category: 'type error' });
  const c = incident('2026-11-10-cccc', 'fpC', { '2026-11-12': 4, '2026-11-20': 2 }, { category: 'command not found', signature: 'Exit code 127\n(eval):<n>: command not found: tree' });
  const rules = [rule('PROJ-001', 'active', ['fpC'], { activated: '2026-11-15', title: 'Do not rely on `tree`' })];
  const telemetry = [tele('2026-11-12', 40, 4), tele('2026-11-20', 20, 4), tele('2026-11-21', 10, 3)];
  const review = planSelfReview(input({ incidents: [a, b, c], rules, telemetry }));
  const proposals = [
    { fingerprint: 'fpA', incident: '2026-11-20-aaaa', decision: 'propose' as const, rule: 'PROJ-002' },
    { fingerprint: 'fpB', incident: '2026-11-20-bbbb', error: 'the analyst command timed out after 120 s | retry' },
  ];
  const md = renderReport(review, proposals);

  it('names each repeated error with its tool, type, counts and the rule that covers it', () => {
    expect(md.startsWith('# Self-review 2026-11-21\n')).toBe(true);
    expect(md).toContain('3 repeated errors in 7 days, 2 sent to the analyst, 1 rule proposed.');
    expect(md).toContain('| `error: a \\| b` | Bash | module not found | 3 | 2 | PROJ-002 (proposed tonight) |');
    expect(md).toContain('| `Error: Cannot find module <q> (fpB)` | Bash | type error | 2 | 1 | — |');
    expect(md).toContain('| `(eval):<n>: command not found: tree` | Bash | command not found | 2 | 1 | PROJ-001 |');
  });

  it('shows the failure rate per day, yesterday against the day before and today so far, the proposals and the rules before and after', () => {
    expect(md).toContain('| 2026-11-21 | 10 | 3 | 30.0% |');
    expect(md).toContain('| 2026-11-09 | 0 | 0 | 0.0% |');
    expect(md).not.toContain('| 2026-11-07 |');
    // The nightly run comes minutes into the day: it leads with the whole day that just ended.
    expect(md).toContain('Yesterday 20 tool calls, 4 failures (20.0%), against 0.0% the day before; today so far 10 tool calls, 3 failures (30.0%).');
    expect(md).toContain('| Today so far (2026-11-21) | 10 | 3 | 30.0% | Bash 3/10 |');
    expect(md).toContain('| Yesterday (2026-11-20) | 20 | 4 | 20.0% | Bash 4/20 |');
    expect(md).toContain('| The day before (2026-11-19) | 0 | 0 | 0.0% | — |');
    expect(md).toContain('- `error: a \\| b` (incident 2026-11-20-aaaa): proposed PROJ-002');
    expect(md).toContain('- `Error: Cannot find module <q> (fpB)` (incident 2026-11-20-bbbb): analyst failed: the analyst command timed out after 120 s \\| retry');
    expect(md).toContain('| PROJ-001: Do not rely on `tree` | command not found | 2026-11-15 | 4 in 14 days | 2 in 6 days | 10.00 / 100 calls | 6.67 / 100 calls |');
  });

  it('keeps every table row on one line with the same number of cells, and gives the same bytes twice', () => {
    const cells = (line: string) => line.replace(/\\\|/g, '').split('|').length;
    const tables = md.split(/\n(?!\|)/).map((block) => block.split('\n').filter((l) => l.startsWith('|'))).filter((rows) => rows.length);
    expect(tables).toHaveLength(4);
    for (const rows of tables) for (const row of rows) expect(cells(row), row).toBe(cells(rows[0]!));
    expect(renderReport(review, proposals)).toBe(md);
  });
});

describe('findingFacts', () => {
  const a = incident('2026-11-20-aaaa', 'fpA', { '2026-11-20': 2 });
  const proposals = [{ fingerprint: 'fpA', incident: a.id, decision: 'propose' as const, rule: 'PROJ-002' }];

  it('states each repeated error without its counts, so the next night refreshes the same fact with new meta', () => {
    const first = findingFacts(planSelfReview(input({ incidents: [a] })), proposals, '2026-11-21T12:00:00.000Z');
    expect(first).toEqual([
      {
        statement: 'Repeated error in Bash (module not found): Error: Cannot find module <q> (fpA)',
        category: 'event',
        confidence: 0.5,
        time: '2026-11-21T12:00:00.000Z',
        source: { by: 'self-review' },
        meta: { errorType: 'module not found', fingerprint: 'fpA', occurrences: 2, sessions: 1, proposal: 'PROJ-002' },
      },
    ]);
    const more = { ...a, daily: { '2026-11-20': 2, '2026-11-21': 6 }, sessions: ['s1', 's2', 's3'] };
    const covered = [rule('PROJ-002', 'proposed', ['fpA'])];
    const next = findingFacts(planSelfReview(input({ now: new Date('2026-11-22T12:00:00Z'), incidents: [more], rules: covered })), [], '2026-11-22T12:00:00.000Z');
    expect(next[0]!.statement).toBe(first[0]!.statement);
    expect(next[0]!.confidence).toBe(0.9);
    expect(next[0]!.meta).toEqual({ errorType: 'module not found', fingerprint: 'fpA', occurrences: 8, sessions: 3, rule: 'PROJ-002' });

    const doc: Doc<'facts'> = { version: 1, records: [] };
    const ttl = { preference: null, lesson: null, config: null, project: null, decision: null, event: 30 };
    expect(upsertFacts(doc.records, first, ttl).added).toHaveLength(1);
    expect(upsertFacts(doc.records, next, ttl)).toEqual({ added: [], refreshed: [doc.records[0]!.id], moved: [] });
    expect(doc.records).toHaveLength(1);
    expect(doc.records[0]).toMatchObject({ seen: 2, lastConfirmed: '2026-11-22T12:00:00.000Z', meta: { occurrences: 8, rule: 'PROJ-002' } });
    expect(doc.records[0]!.meta).not.toHaveProperty('proposal');
  });

  it('never passes 0.95 however often an error repeats', () => {
    const many = incident('2026-11-20-aaaa', 'fpA', { '2026-11-20': 90 }, { sessions: Array.from({ length: 30 }, (_, i) => `s${i}`) });
    expect(findingFacts(planSelfReview(input({ incidents: [many] })), [], '2026-11-21T12:00:00.000Z')[0]!.confidence).toBe(0.95);
  });
});

// The real shape of a PostToolUseFailure and a PostToolUse payload (spotter transcript, see
// test/fixtures/claude-code/SOURCES.md), sent through the hook's own code into triggers/.
const FAILURE = {
  session_id: '6c2214d7-b87e-4432-8e41-22ba294ea584',
  transcript_path: '/home/USER/.claude/projects/spotter/6c2214d7-b87e-4432-8e41-22ba294ea584.jsonl',
  hook_event_name: 'PostToolUseFailure',
  tool_name: 'Bash',
  tool_input: { command: 'tree /home/USER/projects/spotter/lib -L 3' },
  tool_use_id: 'toolu_01SVBQTs2MZr5hJdeSs98kf8',
  error: 'Exit code 127\n(eval):1: command not found: tree',
  is_interrupt: false,
};
const SUCCESS = { ...FAILURE, hook_event_name: 'PostToolUse', tool_input: { command: 'ls lib' }, tool_response: null, error: undefined, is_interrupt: undefined };

const TREE = { tool_input: { command: 'tree src -L 2' }, error: 'Exit code 127\n(eval):1: command not found: tree' };
const MODULE = { tool_input: { command: 'npm test' }, error: "Exit code 1\nError: Cannot find module 'vitest/config'\nRequire stack:\n- /home/USER/projects/spotter/vite.config.ts" };
const TYPES = { tool_input: { command: 'npx ts-node src/app.ts' }, error: "Exit code 2\nsrc/app.ts(3,5): error TS2322: Type 'string' is not assignable to type 'number'." };

describe('runSelfReview on a real workspace', () => {
  it('reports the repeated errors, proposes rules for the uncovered ones, measures the active rule and remembers its findings in one commit', { timeout: 20_000 }, async () => {
    let now = new Date('2026-11-08T09:00:00Z');
    const clock = () => new Date(now.getTime());
    const made = await freshWorkspace({ clock });
    // UTC, so the planted days are the days the review sees whatever zone the machine is in.
    const ws = openWorkspace(made.root, { clock, config: { ...made.config, timeZone: 'UTC', analyst: { ...made.config.analyst, auto: false } } });
    let n = 0;
    const plant = async (day: string, session: string, failures: (typeof TREE)[], ok = 3) => {
      now = new Date(`${day}T10:00:00Z`);
      const payloads = [...Array.from({ length: ok }, () => SUCCESS), ...failures.map((f) => ({ ...FAILURE, ...f }))];
      for (const p of payloads) {
        const at = new Date(now.getTime() + n * 1000).toISOString();
        const body = JSON.stringify({ ...p, session_id: session, cwd: made.project, tool_use_id: `toolu_${String(n++).padStart(4, '0')}`, timestamp: at });
        expect(handleInput({ head: Buffer.from(body), bytes: body.length, timedOut: false }, { CLAUDE_PROJECT_DIR: made.project })).not.toBeNull();
      }
      await ingestTriggers(ws);
    };

    // `tree` fails on three days, its rule is proposed and approved on the 12th, then it slips twice.
    await plant('2026-11-08', 'sess-a', [TREE]);
    await plant('2026-11-09', 'sess-b', [TREE]);
    await plant('2026-11-10', 'sess-c', [TREE]);
    now = new Date('2026-11-11T09:00:00Z');
    const tree = (await ws.store.read('incidents')).records.find((i) => i.category === 'command not found')!;
    expect(await analyzeIncident(ws, tree)).toMatchObject({ decision: 'propose', rule: 'PROJ-001' });
    now = new Date('2026-11-12T09:00:00Z');
    await approveRule(ws, 'PROJ-001');
    await plant('2026-11-16', 'sess-d', [TREE]);
    await plant('2026-11-17', 'sess-1', [MODULE]);
    await plant('2026-11-19', 'sess-2', [MODULE]);
    await plant('2026-11-20', 'sess-e', [TREE, TYPES, TYPES]);
    await plant('2026-11-21', 'sess-3', [TYPES, MODULE]);
    const planted = (await ws.store.read('incidents')).records;
    const signature = (category: string) => planted.find((i) => i.category === category)!.signature.split('\n')[1]!;

    now = new Date('2026-11-21T22:00:00Z');
    const r = await runSelfReview(ws);
    expect(r).toMatchObject({ day: '2026-11-21', file: 'journal/reports/2026-11-21.md', repeated: 3, factsAdded: 3, factsRefreshed: 0 });
    expect(r.summary).toBe('2026-11-21: 3 repeated errors, 2 rules proposed, report journal/reports/2026-11-21.md');
    expect(r.proposals.map((p) => [p.decision, p.rule])).toEqual([
      ['propose', 'PROJ-002'],
      ['propose', 'PROJ-003'],
    ]);

    // The proposed rules are real rule files answering the planted errors.
    const rules = loadRules(ws.root).rules;
    const byFp = (category: string) => planted.find((i) => i.category === category)!.fingerprint;
    expect(rules.find((x) => x.id === 'PROJ-002')).toMatchObject({ status: 'proposed', incidents: [{ fingerprint: byFp('module not found') }] });
    expect(rules.find((x) => x.id === 'PROJ-003')).toMatchObject({ status: 'proposed', incidents: [{ fingerprint: byFp('type error') }] });

    const report = readFileSync(join(ws.root, r.file), 'utf8');
    expect(signature('module not found')).toContain('Cannot find module');
    expect(signature('type error')).toContain('is not assignable to type');
    expect(report).toContain(`| \`${signature('module not found')}\` | Bash | module not found | 3 | 3 | PROJ-002 (proposed tonight) |`);
    expect(report).toContain(`| \`${signature('type error')}\` | Bash | type error | 3 | 2 | PROJ-003 (proposed tonight) |`);
    expect(report).toContain('| `(eval):<n>: command not found: tree` | Bash | command not found | 2 | 5 | PROJ-001 |');
    expect(report).toMatch(/- `Error: Cannot find module <q>` \(incident [\d-]+[0-9a-f]+\): proposed PROJ-002/);
    expect(report).toContain(': proposed PROJ-003');
    // 3 + 1 calls a day; the 20th had three failures, the 21st two.
    expect(report).toContain('| 2026-11-20 | 6 | 3 | 50.0% |');
    expect(report).toContain('| 2026-11-21 | 5 | 2 | 40.0% |');
    expect(report).toContain('| 2026-11-13 | 0 | 0 | 0.0% |');
    // Before: 3 failures in 12 calls. After (the 13th to the 21st, the day after the approval on):
    // 2 in 4 + 4 + 4 + 6 + 5 = 23 calls.
    expect(report).toContain('| 2026-11-12 | 3 in 14 days | 2 in 9 days | 25.00 / 100 calls | 8.70 / 100 calls |');

    // One commit, after the analyst's own commits, holding the report and the facts.
    const log = await ws.history.log({ depth: 3 });
    expect(log.map((c) => c.subject)).toEqual([
      'self-review: 2026-11-21: 3 repeated error(s), 2 proposal(s)',
      expect.stringMatching(/^rules: propose PROJ-003 /),
      expect.stringMatching(/^rules: propose PROJ-002 /),
    ]);
    expect(r.commit).toBe(log[0]!.oid);
    expect((await ws.history.commitChanges(r.commit!)).map((c) => c.path).sort()).toEqual(['journal/reports/2026-11-21.md', 'store/facts/2026-11.json']);

    const facts = docRecords(ws.root, 'facts').filter((f: Fact) => f.source.by === 'self-review');
    expect(facts).toHaveLength(3);
    expect(facts.every((f) => f.category === 'event')).toBe(true);
    expect(facts.find((f) => f.meta?.errorType === 'module not found')).toMatchObject({
      statement: `Repeated error in Bash (module not found): ${signature('module not found')}`,
      meta: { fingerprint: byFp('module not found'), occurrences: 3, sessions: 3, proposal: 'PROJ-002' },
    });
    expect(facts.find((f) => f.meta?.errorType === 'command not found')!.meta).toMatchObject({ occurrences: 2, rule: 'PROJ-001' });

    // Again the same night: the same report file, no new rule, the same facts refreshed.
    now = new Date('2026-11-21T23:00:00Z');
    const again = await runSelfReview(ws);
    expect(again).toMatchObject({ file: r.file, repeated: 3, proposals: [], factsAdded: 0, factsRefreshed: 3 });
    expect(readdirSync(join(ws.root, 'rules')).filter((f) => f.startsWith('PROJ-')).sort()).toEqual(['PROJ-001.md', 'PROJ-002.md', 'PROJ-003.md']);
    const second = readFileSync(join(ws.root, r.file), 'utf8');
    expect(second).toContain(`| \`${signature('module not found')}\` | Bash | module not found | 3 | 3 | PROJ-002 |`);
    expect(second).toContain('No uncovered repeated error was sent to the analyst.');
    const after = docRecords(ws.root, 'facts').filter((f: Fact) => f.source.by === 'self-review');
    expect(after.map((f) => f.id).sort()).toEqual(facts.map((f) => f.id).sort());
    expect((await ws.history.log({ depth: 1 }))[0]!.subject).toBe('self-review: 2026-11-21: 3 repeated error(s), 0 proposal(s)');
    expect(existsSync(join(ws.root, 'journal', 'reports', '2026-11-22.md'))).toBe(false);
  });
});

describe('noise asked about once', () => {
  const DECLINED = (command: string, said = '') => ({
    tool_input: { command },
    error: `The user doesn't want to proceed with this tool use. The tool use was rejected (eg. if it was a file edit, the new_string was NOT written to the file).${said ? ` To tell you how to proceed, the user said:\n${said}` : ''}`,
  });

  it('groups the commands a person declined by command, across sessions, and leaves other noise alone', () => {
    const ev = (id: string, session: string, command: string, reason = 'declined') => ({ id, time: `2026-11-0${id}T10:00:00.000Z`, source: 'hook' as const, kind: 'PostToolUseFailure', session, tool: 'Bash', target: command, ok: false, error: 'declined', fate: { kind: 'noise' as const, reason } });
    const events = [ev('1', 'a', 'git push origin main'), ev('2', 'b', 'git push'), ev('3', 'b', 'git push -f'), ev('4', 'c', 'cd app && git push'), ev('5', 'd', 'npm publish'), ev('6', 'e', 'ls x', 'probe'), ev('7', 'f', 'ls x', 'probe'), ev('8', 'g', 'ls x', 'probe')];
    const groups = recurringDeclines(events, 3);
    expect(groups.map((g) => [g.program, g.count, g.sessions])).toEqual([['git push', 4, ['a', 'b', 'c']]]);
    expect(groups[0]!.latest.id).toBe('4');
    expect(recurringDeclines(events, 0)).toEqual([]);
  });

  it('turns a command declined in three sessions into one proposal the person reviews, never asked again', { timeout: 30_000 }, async () => {
    let now = new Date('2026-11-08T09:00:00Z');
    const clock = () => new Date(now.getTime());
    const made = await freshWorkspace({ clock });
    const ws = openWorkspace(made.root, { clock, config: { ...made.config, timeZone: 'UTC', analyst: { ...made.config.analyst, auto: false } } });
    let n = 0;
    const plant = async (day: string, session: string, failures: { tool_input: { command: string }; error: string }[]) => {
      now = new Date(`${day}T10:00:00Z`);
      for (const p of [SUCCESS, ...failures.map((f) => ({ ...FAILURE, ...f }))]) {
        const at = new Date(now.getTime() + n * 1000).toISOString();
        const body = JSON.stringify({ ...p, session_id: session, cwd: made.project, tool_use_id: `toolu_${String(n++).padStart(4, '0')}`, timestamp: at });
        expect(handleInput({ head: Buffer.from(body), bytes: body.length, timedOut: false }, { CLAUDE_PROJECT_DIR: made.project })).not.toBeNull();
      }
      await ingestTriggers(ws);
    };
    await plant('2026-11-08', 'sess-a', [DECLINED('git push origin main')]);
    await plant('2026-11-09', 'sess-b', [DECLINED('git push'), DECLINED('rm -rf build')]);
    // Noise: nothing reaches review as it happens.
    expect((await ws.store.read('incidents')).records).toEqual([]);
    now = new Date('2026-11-09T22:00:00Z');
    expect((await runSelfReview(ws)).proposals).toEqual([]);

    await plant('2026-11-10', 'sess-c', [DECLINED('git push -u origin feat/x', 'never push, I push after I read the diff. Thanks')]);
    now = new Date('2026-11-10T22:00:00Z');
    const r = await runSelfReview(ws);
    expect(r.proposals).toMatchObject([{ decision: 'propose', rule: 'PROJ-001', declinedSessions: 3 }]);
    const rule = loadRules(ws.root).rules.find((x) => x.id === 'PROJ-001')!;
    expect(rule).toMatchObject({ status: 'proposed', title: 'Ask in the conversation before running git push' });
    expect(rule.body).toContain('declined `git push` in 3 sessions (once saying "never push, I push after I read the diff")');
    expect(validateRule(rule)).toEqual([]);
    // Asking is the fix: no guard blocks the command the person may still want run.
    expect(rule.guard).toBeUndefined();
    expect(readFileSync(join(ws.root, r.file), 'utf8')).toContain(`- asked once: declined in 3 sessions (incident ${r.proposals[0]!.incident}): proposed PROJ-001`);

    // Asked once: a fourth session declining it, and the next night, ask nothing more.
    await plant('2026-11-11', 'sess-d', [DECLINED('git push')]);
    now = new Date('2026-11-11T22:00:00Z');
    expect((await runSelfReview(ws)).proposals).toEqual([]);
    expect((await ws.store.read('incidents')).records).toHaveLength(1);
  });
});
