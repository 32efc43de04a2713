// Many random schedules of three members working and syncing through a real git smart-HTTP
// server: whatever the order, they end with the same rules and the same team counts, nothing lost
// or counted twice, and two members' different changes to one rule are reported, not overwritten.
// A failing schedule names its seed: NEVO_SYNC_SEED=<seed> NEVO_SYNC_RUNS=1 replays it alone.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestAndLearn } from '../../src/app/loop.js';
import { sync, type SyncResult } from '../../src/app/sync.js';
import { sharedIncidents } from '../../src/app/sync-counts.js';
import { MERGE_OVERLAP } from '../../src/app/sync-merge.js';
import { checkNovelty } from '../../src/rules/novelty.js';
import { loadRules } from '../../src/rules/load.js';
import { listFiles } from '../../src/util/list-files.js';
import { approveRule, deprecateRule, editRule, rejectRule } from '../../src/rules/review.js';
import { startGitHttpServer, type GitHttpServer } from '../helpers/git-http-server.js';
import { failedCall, propose, seeded, teamMember, type Member } from '../helpers/team.js';

// Three schedules of ~25 syncs each (one with a conflict, one with a merge of two proposals, one with a skill written by hand) keep the file near half a minute on a busy machine; NEVO_SYNC_RUNS=50 hunts further.
const RUNS = Number(process.env.NEVO_SYNC_RUNS ?? 3);
const FIRST_SEED = Number(process.env.NEVO_SYNC_SEED ?? 190203);
const STEPS = 16;

const FAILURES = [
  { command: 'tree src', error: 'Exit code 127\n(eval):1: command not found: tree' },
  { command: 'jq .name package.json', error: 'Exit code 127\nbash: jq: command not found' },
  { command: 'yarn install', error: 'Exit code 127\n/bin/sh: yarn: command not found' },
];
const KEYS = ['command not found:make', 'file not read first:src'];
const BODIES = ['Install packages with pnpm, never npm.', 'Run the unit tests before every commit.', 'Read a file before writing to it.', 'Keep migrations in db/migrations.'];

let srv: GitHttpServer;
let gitRoot: string;
beforeAll(async () => {
  // The server's folder lasts the whole file, not one test: made here, removed after the last.
  gitRoot = mkdtempSync(join(tmpdir(), 'nevo-git-'));
  srv = await startGitHttpServer(gitRoot);
});
afterAll(async () => {
  await srv?.close();
  rmSync(gitRoot, { recursive: true, force: true });
});

/** What every member must agree on about a rule. */
function rulesOf(ws: Member) {
  return loadRules(ws.root)
    .rules.map(({ file: _file, updated: _updated, novelty: _novelty, backtest: _backtest, absent: _absent, ...r }) => r)
    .sort((a, b) => a.id.localeCompare(b.id));
}

/** Every file under skills/, with its text. */
function skillsOf(ws: Member) {
  return Object.fromEntries(listFiles(ws.root, 'skills').sort().map((rel) => [rel, readFileSync(join(ws.root, rel), 'utf8')]));
}

interface Model {
  /** Per hand-made rule title: each edit, the body it replaced and the body it wrote. */
  edits: Map<string, { from: string; to: string; by: string }[]>;
  /** Per rule title: the decisions made, by whom. */
  decisions: Map<string, { status: 'active' | 'rejected' | 'deprecated'; by: string }[]>;
  /** Titles of rules a sync reported a conflict on. */
  conflicted: Set<string>;
  proposed: string[];
  /** The mistake a hand-made proposal names, when it names one. */
  keys: Map<string, string>;
  bodies: Map<string, string>;
  merges: number;
  log: string[];
}

async function runSchedule(seed: number): Promise<void> {
  const rnd = seeded(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  let now = Date.parse('2026-12-01T09:00:00.000Z');
  // Each member's clock a day apart: approvals and proposals of one rule carry different dates.
  const clockOf = (days: number) => () => new Date(now + days * 86_400_000);
  srv.repo(`team-${seed}.git`);
  const url = srv.url(`team-${seed}.git`);
  const members = [await teamMember('alice', url, { clock: clockOf(0) }), await teamMember('bob', url, { clock: clockOf(1) }), await teamMember('carol', url, { clock: clockOf(2) })];
  const model: Model = { edits: new Map(), decisions: new Map(), conflicted: new Set(), proposed: [], keys: new Map(), bodies: new Map(), merges: 0, log: [] };
  const note = (ws: Member, r: SyncResult) => {
    for (const c of r.conflicts) model.conflicted.add(c.theirsTitle);
    model.merges += r.merged.length;
    model.log.push(`${ws.name} sync: +${r.added.join(',')} ~${r.updated.join(',')} moved ${r.renamed.map((m) => `${m.from}>${m.to}`).join(',')} conflicts ${r.conflicts.map((c) => `${c.rule}/${c.part}/${c.member}`).join(',')} merged ${r.merged.map((m) => `${m.member}:${m.id}>${m.into}`).join(',')}`);
    return r;
  };
  let calls = 0;
  let k = 0;
  for (let step = 0; step < STEPS; step++) {
    now += 60_000;
    const ws = pick(members);
    const roll = rnd();
    const rules = loadRules(ws.root).rules.filter((r) => r.id.startsWith('PROJ-'));
    if (roll < 0.25) {
      const n = 1 + Math.floor(rnd() * 3);
      for (let i = 0; i < n; i++) {
        const f = pick(FAILURES);
        calls++;
        failedCall(ws, { session: `${ws.name}-s${Math.floor(rnd() * 3)}`, callId: `toolu_${seed}_${calls}`, command: f.command, error: f.error, at: ws.clock().toISOString() });
      }
      await ingestAndLearn(ws);
      model.log.push(`${ws.name} ${n} failed call(s)`);
    } else if (roll < 0.4) {
      const title = `Team rule ${++k}`;
      // Half name a mistake, as the analyst's do; a member proposes for a mistake only when no
      // rule of its own answers it yet (the analyst links the incident then), but two members may.
      const key = rnd() < 0.5 ? pick(KEYS) : undefined;
      if (key && rules.some((r) => r.keys?.includes(key) && (r.status === 'proposed' || r.status === 'active'))) continue;
      const body = key ? `${pick(BODIES)} (${title})` : pick(BODIES);
      const id = await propose(ws, title, body, '2026-12-01', key ? [key] : undefined);
      model.bodies.set(title, body);
      model.proposed.push(title);
      if (key) model.keys.set(title, key);
      model.log.push(`${ws.name} propose ${id} ${title}${key ? ` for ${key}` : ''}`);
    } else if (roll < 0.6) {
      const open = rules.filter((r) => r.status === 'proposed');
      if (roll < 0.45 && rules.some((r) => r.status === 'active')) {
        const r = pick(rules.filter((x) => x.status === 'active'));
        await deprecateRule(ws, r.id, 'replaced by a better one');
        model.decisions.set(r.title, [...(model.decisions.get(r.title) ?? []), { status: 'deprecated', by: ws.name }]);
        model.log.push(`${ws.name} deprecated ${r.id} ${r.title}`);
        continue;
      }
      if (!open.length) continue;
      const r = pick(open);
      const status = rnd() < 0.5 ? 'active' : 'rejected';
      if (status === 'active') await approveRule(ws, r.id);
      else await rejectRule(ws, r.id, 'not for this team');
      model.decisions.set(r.title, [...(model.decisions.get(r.title) ?? []), { status, by: ws.name }]);
      model.log.push(`${ws.name} ${status} ${r.id} ${r.title}`);
    } else if (roll < 0.75) {
      const mine = rules.filter((r) => r.title.startsWith('Team rule ') || rnd() < 0.3);
      if (!mine.length) continue;
      const r = pick(mine);
      const body = `${pick(BODIES)} (version ${++k})`;
      await editRule(ws, r.id, { body });
      model.edits.set(r.title, [...(model.edits.get(r.title) ?? []), { from: r.body.trim(), to: body, by: ws.name }]);
      model.log.push(`${ws.name} edit ${r.id} ${r.title}`);
    } else if (roll < 0.8) {
      // A skill written or changed by hand: two names, so members meet on one now and then.
      const name = pick(['use-pnpm', 'read-first']);
      mkdirSync(join(ws.root, 'skills', name), { recursive: true });
      writeFileSync(join(ws.root, 'skills', name, 'SKILL.md'), `---\nname: ${name}\ndescription: A team skill, version ${++k}. Use when asked.\n---\nStep ${k}.\n`);
      model.log.push(`${ws.name} writes skill ${name} version ${k}`);
    } else {
      note(ws, await sync(ws));
    }
  }

  // Everyone syncs until a whole round changes nothing; a conflict left is settled by a person.
  let last = new Map<string, SyncResult>();
  for (let round = 0; round < 12; round++) {
    let changed = false;
    for (const ws of members) {
      const r = note(ws, await sync(ws));
      last.set(ws.name, r);
      if (r.pushed || r.commit) changed = true;
    }
    if (changed) continue;
    const open = members.find((ws) => last.get(ws.name)!.conflicts.length);
    if (!open) break;
    for (const id of new Set(last.get(open.name)!.conflicts.map((c) => c.rule))) {
      note(open, await sync(open, { resolve: id }));
      model.log.push(`${open.name} resolves ${id}`);
    }
    last = new Map();
  }

  const context = `seed ${seed} (replay: NEVO_SYNC_SEED=${seed} NEVO_SYNC_RUNS=1)\n${model.log.join('\n')}`;
  for (const ws of members) expect(last.get(ws.name)?.conflicts, context).toEqual([]);
  const [a, b, c] = members.map(rulesOf);
  expect(b, context).toEqual(a);
  expect(c, context).toEqual(a);
  const [sa, sb, sc] = members.map(skillsOf);
  expect(sb, context).toEqual(sa);
  expect(sc, context).toEqual(sa);

  // Nothing lost, nothing twice: every hand-made proposal once, or merged into another for its mistake.
  const gone = new Set<string>();
  for (const title of model.proposed) {
    const n = a!.filter((r) => r.title === title).length;
    const key = model.keys.get(title);
    const versions = [model.bodies.get(title)!, ...(model.edits.get(title) ?? []).map((e) => e.to)];
    const answered = key ? a!.some((r) => r.keys?.includes(key)) : a!.some((r) => !r.keys && versions.some((body) => checkNovelty({ title, body }, [r], MERGE_OVERLAP).overlaps.length > 0));
    if (n === 0 && model.merges > 0 && answered) gone.add(title);
    else expect(n, `${title}\n${context}`).toBe(1);
  }
  // Never two open proposals for one mistake.
  for (const key of KEYS) expect(a!.filter((r) => r.status === 'proposed' && r.keys?.includes(key)).length, `${key}\n${context}`).toBeLessThanOrEqual(1);

  // Team counts: each member's own counts, summed once.
  const own = await Promise.all(members.map(async (ws) => sharedIncidents(await ws.store.incidents.list())));
  const expected = new Map<string, { count: number; byMember: Record<string, number> }>();
  members.forEach((ws, i) => {
    for (const row of own[i]!) {
      const e = expected.get(row.fingerprint) ?? { count: 0, byMember: {} };
      e.count += row.count;
      e.byMember[ws.name] = row.count;
      expected.set(row.fingerprint, e);
    }
  });
  for (const ws of members) {
    const team = last.get(ws.name)!.team;
    expect(Object.fromEntries(team.map((t) => [t.fingerprint, { count: t.count, byMember: t.byMember }])), `${ws.name}\n${context}`).toEqual(Object.fromEntries(expected));
  }
  const totalCalls = [...expected.values()].reduce((n, e) => n + e.count, 0);
  expect(totalCalls, context).toBe(calls);

  // Two different decisions on one rule were reported; the one kept is one a person made.
  for (const [title, made] of model.decisions) {
    const final = a!.filter((r) => r.title === title);
    if (final.length !== 1) continue;
    const kinds = new Set(made.map((d) => d.status));
    if (kinds.has('active') && kinds.has('rejected')) expect(model.conflicted.has(title), `decisions on ${title} not reported\n${context}`).toBe(true);
    expect(kinds.has(final[0]!.status as 'active') || final[0]!.status === 'proposed' && made.length === 0, `${title}\n${context}`).toBe(true);
  }
  // Two members making the same decision, on different days, is no conflict.
  for (const title of model.conflicted) {
    const kinds = new Set((model.decisions.get(title) ?? []).map((d) => d.status));
    if (!model.edits.has(title) && kinds.size === 1) expect.fail(`a conflict was reported on ${title}, which was only ever ${[...kinds][0]}\n${context}`);
  }
  // An edit is replaced only by one made over it, or after a reported conflict.
  for (const [title, edits] of model.edits) {
    if (gone.has(title)) continue;
    // Two rules may share a title (two members' analysts proposing for one mistake): an edit is kept if either holds it.
    const over = new Set<string>(a!.filter((r) => r.title === title).map((r) => r.body));
    for (let grew = true; grew; ) {
      grew = false;
      for (const e of edits) if (over.has(e.to) && !over.has(e.from)) over.add(e.from), (grew = true);
    }
    const lost = edits.filter((e) => !over.has(e.to));
    if (lost.length) expect(model.conflicted.has(title), `edits of ${title} lost without a conflict: ${lost.map((e) => `${e.by}: ${e.to}`).join('; ')}\n${context}`).toBe(true);
  }
}

describe('three members syncing in random orders through a real git server', () => {
  for (let run = 0; run < RUNS; run++) {
    const seed = FIRST_SEED + run;
    it(`converge to one shared state (seed ${seed})`, async () => {
      await runSchedule(seed);
    }, 120_000);
  }
});
