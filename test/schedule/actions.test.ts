// What each job does on a real workspace, through the same runJob the runner and `jobs run` use.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runJob } from '../../src/schedule/run-job.js';
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
    expect(cli(['demo', '--dir', dir, '--no-tui']).code).toBe(0);
    const r = cli(['jobs', 'run', 'consolidate'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^✓ consolidate \(\d+ ms\): folded 3 narratives and 2 weekly digests; wrote 2 monthly digests; \d+ expired facts out\n$/);
    expect(cli(['jobs', 'run', 'consolidate'], { cwd: dir }).stdout).toMatch(/: nothing to fold\n$/);
  });
});
