import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyInTransaction } from '../../src/detect/ingest.js';
import type { IncomingEvent } from '../../src/detect/normalise.js';
import { consolidateMemory } from '../../src/memory/consolidate.js';
import { factId } from '../../src/memory/facts.js';
import { searchWorkspaceMemory } from '../../src/memory/search.js';
import { rememberSessions } from '../../src/memory/remember.js';
import { addDays } from '../../src/util/day.js';
import { freshWorkspace } from '../helpers/workspace.js';

const START = '2026-01-05'; // a Monday
const DAYS = 90;

function session(day: string, n: number, opts: { fail?: boolean; decide?: boolean }): IncomingEvent[] {
  const s = `sess-${day}`;
  const at = (h: number) => `${day}T${String(9 + h).padStart(2, '0')}:00:00.000Z`;
  const base = { source: 'hook' as const, signal: 'hook' as const, session: s };
  const evs: IncomingEvent[] = [
    { ...base, id: `${s}-p`, time: at(0), kind: 'UserPromptSubmit', target: 'Fix the flaky test', text: `Fix the flaky test in day ${n}. Always use pnpm, never npm.${opts.decide ? ' We decided to keep vitest as the test runner.' : ''}` },
    { ...base, id: `${s}-t`, time: at(1), kind: 'PostToolUse', tool: 'Bash', target: 'pnpm test', ok: true },
    { ...base, id: `${s}-e`, time: at(1), kind: 'PostToolUse', tool: 'Edit', target: `/p/src/day${n % 5}.ts`, ok: true },
  ];
  if (opts.fail) evs.push({ ...base, id: `${s}-f`, time: at(2), kind: 'PostToolUseFailure', tool: 'Bash', target: `make out/day${n}.o`, ok: false, error: `Exit code 2\nmake: *** No rule to make target 'src/day${n}.c', needed by 'out/day${n}.o'.  Stop.` });
  evs.push({ ...base, id: `${s}-stop`, time: at(3), kind: 'Stop' });
  return evs;
}

describe('memory over 90 days (injected clock)', () => {
  it('expires facts by their TTL, dedups them, and folds narratives into weekly then monthly digests', async () => {
    let now = new Date(`${START}T08:00:00Z`);
    const ws = await freshWorkspace({ clock: () => now });
    ws.config.timeZone = 'UTC';
    const firstFailure = `sess-${START}`;
    const snapshots: string[] = [];
    for (let n = 0; n < DAYS; n++) {
      const day = addDays(START, n);
      now = new Date(`${day}T20:00:00Z`);
      const r = await applyInTransaction(ws, session(day, n, { fail: n === 0 || n === 60, decide: n === 5 }), [], 'test');
      expect(r.written.ended).toEqual([`sess-${day}`]);
      await rememberSessions(ws, r.written.ended);
      if (n % 7 === 6) {
        const c = await consolidateMemory(ws);
        snapshots.push(c.fitness.id);
      }
      if (n === 29) {
        // Day 29: the day-0 failure (an event fact, 30 days) is still live.
        expect((await ws.store.read('facts')).records.some((f) => f.category === 'event' && f.source.session === firstFailure)).toBe(true);
      }
      if (n === 34) {
        // Day 34: it expired on day 30 and the consolidation of day 34 took it out of the live store...
        const facts = (await ws.store.read('facts')).records;
        expect(facts.some((f) => f.category === 'event' && f.source.session === firstFailure)).toBe(false);
        // ...into git history, where it can still be read.
        const log = await ws.history.log({ path: 'store/facts' });
        const expiredIn = log.find((c) => /expired fact/.test(c.subject))!;
        expect(expiredIn.subject).toMatch(/memory: consolidate: .*1 expired fact\(s\) out/);
        const parent = (await ws.history.readCommit(expiredIn.oid)).parents[0]!;
        const shards = (await ws.history.changes(parent, expiredIn.oid)).filter((c) => c.path.startsWith('store/facts/'));
        const before = await Promise.all(shards.map((c) => ws.history.readFileAt(parent, c.path)));
        expect(before.join('\n')).toContain("No rule to make target 'src/day0.c'");
      }
    }
    const facts = (await ws.store.read('facts')).records;
    const byStatement = (s: string) => facts.find((f) => f.id === factId(s));

    // Dedup: 90 sessions said the same thing; one fact, seen 90 times, more certain, permanent.
    const always = byStatement('Always use pnpm, never npm.')!;
    expect(facts.filter((f) => f.statement === always.statement)).toHaveLength(1);
    expect(always).toMatchObject({ category: 'preference', seen: DAYS, expires: null });
    expect(always.confidence).toBeGreaterThan(0.9);
    expect(always.created.slice(0, 10)).toBe(START);
    expect(always.lastConfirmed.slice(0, 10)).toBe(addDays(START, DAYS - 1));

    // A config fact lives 180 days after it was last confirmed.
    const tests = byStatement('Tests run with `pnpm test`.')!;
    expect(tests.category).toBe('config');
    expect(tests.expires!.slice(0, 10)).toBe(addDays(addDays(START, DAYS - 1), 180));
    // The package manager is a project fact (365 days).
    expect(byStatement('The project uses pnpm.')!.expires!.slice(0, 10)).toBe(addDays(addDays(START, DAYS - 1), 365));
    // A decision (90 days) from day 5 is still live on day 89.
    expect(byStatement('We decided to keep vitest as the test runner.')).toMatchObject({ category: 'decision', expires: expect.stringMatching(new RegExp(`^${addDays(START, 95)}`)) });
    // The day-60 failure is 29 days old: still live.
    expect(facts.filter((f) => f.category === 'event').map((f) => f.source.session)).toEqual([`sess-${addDays(START, 60)}`]);

    // Consolidate on the last day: narratives older than 7 days are in weekly digests, weeklies
    // older than 30 days in monthly ones, and every session is in exactly one place.
    const last = await consolidateMemory(ws);
    const narratives = (await ws.store.read('narratives')).records;
    const digests = (await ws.store.read('digests')).records;
    const lastDay = addDays(START, DAYS - 1);
    for (const n of narratives) expect(n.end.slice(0, 10) >= addDays(lastDay, -7)).toBe(true);
    const weeklies = digests.filter((d) => d.period === 'weekly');
    const monthlies = digests.filter((d) => d.period === 'monthly');
    expect(monthlies.map((d) => d.id).sort()).toEqual(['monthly:2026-01', 'monthly:2026-02']);
    for (const w of weeklies) expect(w.to >= addDays(lastDay, -30)).toBe(true);
    const everywhere = [...narratives.map((n) => n.id), ...digests.flatMap((d) => (d.period === 'weekly' ? d.sessions : d.sessions.filter((s) => !weeklies.some((w) => w.sessions.includes(s)))))];
    expect(everywhere.sort()).toEqual(Array.from({ length: DAYS }, (_, n) => `sess-${addDays(START, n)}`).sort());
    expect(new Set(everywhere).size).toBe(DAYS);

    // The digests say what happened: sessions, failures and the files changed most.
    const jan = digests.find((d) => d.id === 'monthly:2026-01')!;
    const md = readFileSync(join(ws.root, jan.file), 'utf8');
    expect(md).toMatch(/^# Month 2026-01 · \d+ sessions/);
    expect(md).toContain("No rule to make target 'src/day0.c'");
    expect(md).toContain('## Files changed most');
    for (const w of jan.weeklies) expect(existsSync(join(ws.root, `journal/digests/weekly/${w.slice(7)}.md`))).toBe(false);
    for (const w of weeklies) expect(readFileSync(join(ws.root, w.file), 'utf8')).toMatch(/^# Week 2026-W\d\d · [1-7] sessions?,/);

    // Idempotent: a second run the same day changes and commits nothing.
    const head = await ws.history.head();
    const again = await consolidateMemory(ws);
    expect(again.commit).toBeNull();
    expect(again.foldedNarratives).toEqual([]);
    expect(await ws.history.head()).toBe(head);

    // A fitness snapshot per run.
    const fitness = (await ws.store.read('fitness')).records;
    expect(fitness.map((f) => f.id)).toEqual([...snapshots, last.fitness.id].filter((d, i, a) => a.indexOf(d) === i));
    // Both missing make targets are one mistake: one incident, seen twice.
    expect(fitness.at(-1)).toMatchObject({ facts: facts.length, incidents: { total: 1 }, failureRate: 0 });
    // The week of the day-60 failure: 1 failed call of the 15 made in 7 days (2 a day, and the failure).
    expect(fitness.find((f) => f.id === addDays(START, 62))!.failureRate).toBeCloseTo(1 / 15, 3);

    // Search finds what was folded away, through the digests, words in any order. (The live event
    // fact of the same incident, re-made by the day-60 failure, is shorter and ranks first.)
    const { hits } = await searchWorkspaceMemory(ws, 'target day0 rule');
    expect(hits.map((h) => h.item.id).slice(0, 3)).toContain('digest:monthly:2026-01');
    const digestsOnly = await searchWorkspaceMemory(ws, 'day0 rule target', { kinds: ['digest'] });
    expect(digestsOnly.hits[0]?.item.id).toBe('digest:monthly:2026-01');
  }, 120_000);
});
