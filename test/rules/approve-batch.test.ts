import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { approveAndRemember } from '../../src/app/loop.js';
import { revertCommit } from '../../src/app/revert.js';
import { applyInTransaction } from '../../src/detect/ingest.js';
import type { IncomingEvent } from '../../src/detect/normalise.js';
import { serialiseRule } from '../../src/rules/rule.js';
import type { Incident } from '../../src/store/schemas.js';
import { freshWorkspace } from '../helpers/workspace.js';

const git = (dir: string, ...args: string[]) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' });

let t = Date.parse('2026-12-01T09:00:00Z');
const clock = () => new Date(t);

const failure = (n: number, session: string, module: string): IncomingEvent => ({ id: `ev-${n}`, time: new Date(t + n * 1000).toISOString(), source: 'hook', signal: 'hook', kind: 'PostToolUseFailure', session, tool: 'Bash', target: 'node app.js', ok: false, error: `Exit code 1\nError: Cannot find module '${module}'` });
const call = (n: number, session: string): IncomingEvent => ({ id: `ev-${n}`, time: new Date(t + n * 1000).toISOString(), source: 'hook', signal: 'hook', kind: 'PostToolUse', session, tool: 'Read', target: `src/f${n}.ts`, ok: true });

const recordsOf = (text: string | null) => new Map(((text ? JSON.parse(text) : { records: [] }) as { records: Incident[] }).records.map((r) => [r.id, JSON.stringify(r)]));

describe('approving a rule while a batch waits', () => {
  it('commits the approval on its own, reverts it without taking back the batch, and leaves git status clean after the next flush', async () => {
    const ws = await freshWorkspace({ clock });
    await applyInTransaction(ws, [failure(0, 's-0', 'express')], [], 'test');
    await ws.store.flush();
    const [linked] = await ws.store.incidents.list();
    writeFileSync(
      join(ws.root, 'rules', 'PROJ-001.md'),
      serialiseRule({ id: 'PROJ-001', title: 'Install express first', scope: 'project', status: 'proposed', trigger: 'Before requiring express', enforcement: 'Install it first', verification: 'No missing-module failures', incidents: [{ id: linked!.id, fingerprint: linked!.fingerprint }], novelty: 'checked: no overlap', created: '2026-12-01', updated: '2026-12-01', hits: 0, body: 'Install express before you require it.' }),
    );
    await ws.store.transact((tx) => {
      tx.stage(['rules/PROJ-001.md']);
      tx.message('rules', 'propose PROJ-001');
    });

    // A busy hour: calls, new failures, and the linked failure again, all waiting in the batch.
    t += 3_600_000;
    let n = 1;
    for (let s = 1; s <= 4; s++) {
      const events: IncomingEvent[] = [];
      for (let i = 0; i < 100; i++, n++) events.push(i % 10 === 0 ? failure(n, `s-${s}`, `mod-${n}`) : call(n, `s-${s}`));
      events.push(failure(n++, `s-${s}`, 'express'));
      await applyInTransaction(ws, events, [], 'test');
    }
    const waiting = ws.store.readPending();
    expect(waiting.records).toBeGreaterThan(400);
    expect(waiting.paths).toEqual(expect.arrayContaining(['store/events.json', `store/incidents/${linked!.id.slice(0, 7)}.json`]));
    const afterBatch = (await ws.store.incidents.withIds([linked!.id]))[0]!;
    expect(afterBatch.count).toBe(5);
    const incidentsBefore = await ws.store.incidents.count();

    const approved = await approveAndRemember(ws, 'PROJ-001');
    const shard = `store/incidents/${linked!.id.slice(0, 7)}.json`;
    const approval = approved.commit!;
    const parent = (await ws.history.readCommit(approval)).parents[0]!;
    // The approval's commit holds the rule, what the agent reads, and the one incident it rules.
    const files = (await ws.history.commitChanges(approval)).map((c) => c.path);
    expect(files).toContain('rules/PROJ-001.md');
    expect(files.filter((f) => f.startsWith('journal/') || f === 'store/events.json')).toEqual([]);
    const [was, is] = [recordsOf(await ws.history.readFileAt(parent, shard)), recordsOf(await ws.history.readFileAt(approval, shard))];
    expect([...is.keys()].filter((id) => was.get(id) !== is.get(id))).toEqual([linked!.id]);
    // The batch is in the history, in a commit of its own before the approval.
    expect((await ws.history.readCommit(parent)).subject).toMatch(/record change\(s\) in .*\(batch\)$/);
    expect((await ws.history.commitChanges(parent)).map((c) => c.path)).toEqual(expect.arrayContaining(['store/events.json', shard]));

    // The sessions that met the incident learn the rule as a lesson.
    expect((await ws.store.facts.list()).filter((f) => f.category === 'lesson').map((f) => f.statement)).toContain('Install express before you require it.');

    await revertCommit(ws, approval);
    const [back] = await ws.store.incidents.withIds([linked!.id]);
    expect(back).toMatchObject({ status: afterBatch.status, rules: afterBatch.rules, count: 5 });
    expect(await ws.store.incidents.count()).toBe(incidentsBefore);
    expect((await ws.store.events.list()).some((e) => e.id === `ev-${n - 1}`)).toBe(true);
    expect(git(ws.root, 'show', 'HEAD:rules/PROJ-001.md')).toMatch(/status: proposed/);

    await ws.store.flush();
    expect(git(ws.root, 'status', '--porcelain', '-uall')).toBe('');
    git(ws.root, 'fsck', '--strict');
  });
});
