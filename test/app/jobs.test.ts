// What each job does on a real workspace, through the same runJob the runner and `jobs run` use.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runJob } from '../../src/app/jobs.js';
import { approveSkill } from '../../src/skills/deploy.js';
import type { Incident } from '../../src/store/schemas.js';
import { claimant } from '../../src/schedule/runs.js';
import { dayOf } from '../../src/util/day.js';
import { cli } from '../helpers/cli.js';
import { freshWorkspace, scratch } from '../helpers/workspace.js';
import { skillMd, writeTree } from '../skills/helpers.js';

const by = claimant('test');

describe('validate-skills', () => {
  it('fails on an invalid skill, naming the skill, the file, the field and the fix; passes once it is fixed', async () => {
    const ws = await freshWorkspace();
    writeTree(ws.layout.skills, { 'deploy-docs/SKILL.md': '---\nname: Deploy_Docs\ndescription: Deploys the docs. Use when asked to publish.\n---\n# Deploy\n' });
    const bad = await runJob(ws, 'validate-skills', { reason: 'manual', by });
    expect(bad.ran && bad.run.outcome).toBe('failed');
    const summary = bad.ran ? bad.run.summary : '';
    expect(summary).toMatch(/^1 invalid skill: deploy-docs: .*SKILL\.md name: /);
    expect(summary).toMatch(/\(.*\)/); // the fix
    const rec = JSON.parse(readFileSync(join(ws.root, 'store/jobs.json'), 'utf8')).records.find((r: { id: string }) => r.id === 'validate-skills');
    expect(rec.error).toBe(summary);

    writeTree(ws.layout.skills, { 'deploy-docs/SKILL.md': skillMd('deploy-docs') });
    const good = await runJob(ws, 'validate-skills', { reason: 'manual', by });
    expect(good.ran && good.run).toMatchObject({ outcome: 'ok', summary: '4 skills valid' });
  });
});

describe('validate-skills and the skills that do not work', () => {
  it('stores the ineffective flag of a deployed skill whose error keeps coming back, once, in one commit', async () => {
    let now = new Date('2026-03-01T12:00:00Z');
    const ws = await freshWorkspace({ clock: () => now });
    writeTree(ws.layout.skills, { 'tree-free/SKILL.md': skillMd('tree-free') });
    const incident = (daily: Record<string, number>): Incident => ({
      id: '2026-03-01-fa11', fingerprint: 'fa11', signature: 'command not found: tree', category: 'command not found', signal: 'hook', tool: 'Bash',
      sample: { error: 'Exit code 127', event: 'PostToolUseFailure', time: '2026-03-01T09:00:00Z' }, count: 3, sessions: ['a'],
      firstSeen: '2026-03-01T09:00:00Z', lastSeen: '2026-03-01T09:00:00Z', recurring: true, status: 'analyzed', rules: [], skills: ['tree-free'], reopened: 0, daily,
    });
    const setIncident = (daily: Record<string, number>) =>
      ws.store.transact(async (tx) => {
        (await tx.doc('incidents')).records = [incident(daily)];
        tx.touch('incidents');
      });
    await setIncident({ '2026-03-01': 3 });
    await approveSkill(ws, 'tree-free', { fingerprints: ['fa11'] });

    // Deployed on the 1st; the mistake comes back on the 2nd and the 4th.
    now = new Date('2026-03-04T12:00:00Z');
    await setIncident({ '2026-03-01': 3, '2026-03-02': 1, '2026-03-04': 1 });
    const r = await runJob(ws, 'validate-skills', { reason: 'schedule', by });
    expect(r.ran && r.run).toMatchObject({ outcome: 'ok', summary: '4 skills valid; flagged ineffective now: tree-free (their errors keep coming back; deactivate or improve them)' });
    const rec = (await ws.store.read('skills')).records.find((x) => x.id === 'tree-free')!;
    expect(rec).toMatchObject({ status: 'ineffective', flagged: '2026-03-04T12:00:00.000Z' });
    expect((await ws.history.log({ depth: 1 }))[0]!.subject).toBe('skills: flag ineffective tree-free');

    const head = await ws.history.head();
    const again = await runJob(ws, 'validate-skills', { reason: 'schedule', by });
    expect(again.ran && again.run.summary).toBe('4 skills valid; ineffective: tree-free');
    expect(await ws.history.head()).toBe(head);
  });
});

describe('fitness', () => {
  it("writes the day's snapshot as one commit, replaced by a later run the same day", async () => {
    let now = new Date('2026-11-21T22:55:00Z');
    const ws = await freshWorkspace({ clock: () => now });
    const first = await runJob(ws, 'fitness', { reason: 'schedule', by });
    const day = dayOf(now);
    expect(first.ran && first.run.summary).toBe(`${day}: failure rate 0.0% over 7 days, 0 open incidents, 3 active rules`);
    now = new Date('2026-11-21T22:56:00Z');
    await runJob(ws, 'fitness', { reason: 'schedule', by });
    const fitness = (await ws.store.read('fitness')).records;
    expect(fitness).toHaveLength(1);
    expect(fitness[0]!.at).toBe('2026-11-21T22:56:00.000Z');
    const log = await ws.history.log({ depth: 5 });
    expect(log.filter((c) => c.message.startsWith(`fitness: snapshot ${day}`))).toHaveLength(2);
  });
});

describe('consolidate', () => {
  it('says what it folded and wrote, on the demo workspace of real sample sessions', async () => {
    const dir = join(scratch(), 'demo');
    expect(cli(['demo', '--dir', dir, '--no-tui', '--as-recorded']).code).toBe(0);
    const r = cli(['jobs', 'run', 'consolidate'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^✓ consolidate \(\d+ ms\): folded 3 narratives and 2 weekly digests; wrote 2 monthly digests; \d+ expired facts out\n$/);
    expect(cli(['jobs', 'run', 'consolidate'], { cwd: dir }).stdout).toMatch(/: nothing to fold\n$/);
  });
});
