// The Jobs view of the TUI's services over a real workspace: who runs the jobs, and what a person
// sees when store/jobs.json is broken (the other screens still load).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JobRunner } from '../../src/app/jobs.js';
import { workspaceServices } from '../../src/tui/services.js';
import { runnerLine } from '../../src/tui/screens/job-format.js';
import { freshWorkspace } from '../helpers/workspace.js';

const runners: JobRunner[] = [];
afterEach(async () => {
  for (const r of runners.splice(0)) await r.stop();
});

const noTimers = { timer: () => ({ next: () => null, cancel: () => undefined }) };

describe('the Jobs view', () => {
  it('says this TUI runs the jobs, and a second one names it and stands by', async () => {
    const ws = await freshWorkspace();
    const mine = new JobRunner(ws, { kind: 'tui', actions: { ingest: async () => '', consolidate: async () => 'ok', 'validate-skills': async () => 'ok', 'self-review': async () => 'ok', fitness: async () => 'ok', sync: async () => 'ok' }, ...noTimers });
    runners.push(mine);
    await mine.start();
    await mine.idle();
    const view = (await workspaceServices(ws, { runner: mine }).load()).jobs;
    expect(view).toMatchObject({ role: 'runner', error: null });
    expect(view.jobs.find((j) => j.name === 'fitness')).toMatchObject({ outcome: 'ok', runs: 1 });
    const other = new JobRunner(ws, { kind: 'tui', ...noTimers });
    runners.push(other);
    expect(await other.start()).toBe('standby');
    const second = (await workspaceServices(ws, { runner: other }).load()).jobs;
    expect(second).toMatchObject({ role: 'standby', owner: { kind: 'tui', pid: process.pid } });
    expect(runnerLine(second).text).toMatch(new RegExp(`^Jobs run by tui pid ${process.pid} since .*; this TUI does not run them$`));
  });

  it('with a broken store/jobs.json, every other screen still loads and the Jobs view says why and how to fix it', async () => {
    const ws = await freshWorkspace();
    writeFileSync(join(ws.root, 'store', 'jobs.json'), '{"version":1,"records":[');
    const runner = new JobRunner(ws, { kind: 'tui', ...noTimers });
    runners.push(runner);
    await runner.start();
    await runner.idle();
    expect(runner.lastError).toMatch(/store\/jobs\.json/);
    const snapshot = await workspaceServices(ws, { runner }).load();
    expect(snapshot.rules.length).toBeGreaterThan(0);
    expect(snapshot.jobs.error).toMatch(/store\/jobs\.json.*doctor --restore store\/jobs\.json/s);
    expect(runnerLine(snapshot.jobs)).toMatchObject({ tone: 'error', text: expect.stringMatching(/^Jobs cannot run: store\/jobs\.json/) });
  });
});
