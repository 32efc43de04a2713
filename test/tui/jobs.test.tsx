import { hostname } from 'node:os';
import stringWidth from 'string-width';
import stripAnsi from 'strip-ansi';
import { describe, expect, it } from 'vitest';
import { localTime } from '../../src/tui/screens/job-format.js';
import { monoTheme } from '../../src/tui/theme.js';
import { SELF_REVIEW_ERROR, TIME_ZONE } from './fake-jobs.js';
import { fakeServices, type FakeServices } from './fake-services.js';
import { COLOUR, forceColour, KEY, renderApp, renderAppInTerminal, waitFor } from './helpers.js';

const jobs = async (opts: Parameters<typeof renderApp>[0] = {}) => {
  const app = await renderApp({ screen: 'jobs', ...opts });
  await app.waitForText('time zone Europe/Paris');
  return app;
};
const row = (frame: string, name: string) => frame.split('\n').find((l) => new RegExp(`^. ${name} `).test(l)) ?? '';
const SINCE = '2026-03-10T08:00:00.000Z';

function standby(host: string): FakeServices {
  const s = fakeServices();
  Object.assign(s.state.jobs, { role: 'standby', owner: { pid: 4242, host, kind: 'daemon', since: SINCE } });
  return s;
}

describe('the Jobs screen', () => {
  it('opens with 8 and says this TUI runs the jobs, in which time zone', async () => {
    const app = await renderApp({ theme: monoTheme });
    await app.press('8');
    await app.waitForText('Jobs run here (this TUI)');
    const f = stripAnsi(app.frame());
    expect(f).toContain('[8 Jobs]');
    expect(f).toContain('time zone Europe/Paris · latest report journal/reports/2026-03-09.md');
  });

  it('lists each job with its schedule, next run, last run, duration and outcome', async () => {
    const app = await jobs();
    const f = app.frame();
    expect(row(f, 'ingest')).toMatch(/ingest\s+on change\s+on change\s+2m ago\s+42 ms\s+✓ 1 event\(s\) stored/);
    expect(row(f, 'consolidate')).toMatch(/consolidate\s+daily 03:00\s+\d\d-\d\d 03:00\s+21h ago\s+1\.2 s\s+✓ 2 narrative/);
    expect(row(f, 'validate-skills')).toMatch(/validate-skills\s+daily 03:30\s+\d\d-\d\d 03:30\s+20h ago\s+310 ms\s+✓ 5 skill/);
    expect(row(f, 'self-review')).toMatch(/self-review\s+daily 00:17\s+\d\d-\d\d 00:17\s+3h ago\s+2\.0 s\s+✗ git commit failed: the workspace lock/);
    expect(row(f, 'fitness')).toMatch(/fitness\s+daily 23:55\s+\d\d-\d\d 23:55\s+never\s+-\s+-$/);
    // the next run is the one after now, in the workspace's zone
    const next = app.services.state.jobs.jobs.find((j) => j.name === 'consolidate')!.next!;
    expect(row(f, 'consolidate')).toContain(localTime(next, TIME_ZONE));
    expect(Date.parse(next)).toBeGreaterThan(Date.now());
  });

  it('names the process that runs the jobs when this TUI stands by', async () => {
    const here = await jobs({ services: standby(hostname()) });
    expect(here.frame()).toContain(`Jobs run by daemon pid 4242 since ${localTime(SINCE, TIME_ZONE)}; this TUI does not run them`);
    expect(here.frame()).not.toContain('4242 on ');
    const there = await jobs({ services: standby('build-server') });
    expect(there.frame()).toContain('Jobs run by daemon pid 4242 on build-server since');
  });

  it('says when no process runs the jobs, and how to start one', async () => {
    const services = fakeServices();
    services.state.jobs.role = 'off';
    const app = await jobs({ services });
    expect(app.frame()).toContain('No process runs the jobs: start `nevo-tui daemon` or open the TUI without --no-jobs');
  });

  it('says when the jobs cannot run and why, above the list; Watch says it too', async () => {
    const services = fakeServices();
    services.state.jobs.error = 'store/jobs.json: not valid JSON at line 1, column 26. Fix it by hand or run `nevo-tui doctor --restore store/jobs.json`';
    const app = await jobs({ services });
    expect(app.frame()).toContain('Jobs cannot run: store/jobs.json: not valid JSON at line 1, column 26.');
    expect(app.frame()).toMatch(/doctor --restore\s+store\/jobs\.json/);
    expect(app.frame()).toMatch(/consolidate\s+daily 03:00/);
    await app.press('1');
    await app.waitForText('Jobs cannot run: store/jobs.json');
  });

  it('shows the selected job’s last runs below the list, and its error when it failed', async () => {
    const app = await jobs();
    expect(app.frame()).toContain('ingest · hook events waiting in triggers/');
    expect(app.frame()).toMatch(/\d\d-\d\d \d\d:\d\d {2}change {4}✓ 42 ms {3}1 event\(s\) stored, 1 incident\(s\) opened/);
    await app.press('j', 'j', 'j');
    await app.waitForText('self-review · repeated errors');
    expect(app.frame()).toContain('✗ git commit failed: the workspace lock is held by pid 777');
    expect(app.frame()).toMatch(/schedule {2}✗ 2\.0 s {3}git commit failed/);
    expect(app.frame()).toMatch(/schedule {2}✓ 1\.8 s {3}report journal\/reports\/2026-03-09\.md/);
    await app.press('G');
    await app.waitForText('Never ran: r runs it now.');
  });

  it('enter shows a job in full: schedule, every recent run and the whole error; esc comes back', async () => {
    const app = await jobs();
    await app.press('j', 'j', 'j', KEY.enter);
    await app.waitForText('self-review [✗ failed]');
    const f = app.frame();
    expect(f).toContain('schedule: daily 00:17 (cron 17 0 * * *, time zone Europe/Paris)');
    expect(f).toContain('last run: ');
    expect(f).toContain('2 run(s) in all');
    expect(f).toContain('✗ the last run failed:');
    // the error in full, wrapped, to its last words
    expect(f.replace(/\s+/g, ' ')).toContain(SELF_REVIEW_ERROR);
    expect(f).toContain('last 2 run(s), newest first');
    expect(f).toMatch(/schedule {2}✓ 1\.8 s/);
    await app.press(KEY.esc);
    await app.waitForText('time zone Europe/Paris');
    expect(row(app.frame(), 'self-review')).toMatch(/^›/);
  });

  it('r runs the selected job now and reports how it went; the row shows the new run', async () => {
    const app = await jobs();
    await app.press('j', 'r');
    await app.waitForText('✓ consolidate (1.2 s): nothing to consolidate');
    expect(app.services.callsOf('jobRun')).toEqual([['consolidate']]);
    await waitRow(app, 'consolidate', /consolidate\s+daily 03:00\s+\S+ 03:00\s+\d+s ago\s+1\.2 s\s+✓ nothing to consolidate/);
    expect(app.frame()).toMatch(/manual {4}✓ 1\.2 s {3}nothing to consolidate/);
  });

  it('r reports a failed run with its error, and a refused one with the reason', async () => {
    const services = fakeServices();
    services.jobFailures.fitness = 'cannot write store/fitness.json: disk full';
    const app = await jobs({ services });
    await app.press('G', 'r');
    await app.waitForText('✗ fitness failed (1.2 s): cannot write store/fitness.json: disk full');
    await waitRow(app, 'fitness', /fitness\s+daily 23:55\s+\S+ 23:55\s+\d+s ago\s+1\.2 s\s+✗ cannot write/);

    services.state.jobs.jobs.find((j) => j.name === 'ingest')!.running = { pid: 4242, host: 'dev-box', since: SINCE, by: 'daemon pid 4242' };
    await app.press('g', 'r');
    await app.waitForText(`! not run: ingest is running in daemon pid 4242 since ${SINCE}`);
  });

  it('shows `running` while a job runs, then its outcome', async () => {
    const services = fakeServices();
    let release!: () => void;
    services.holdJobs = new Promise((r) => (release = r));
    const app = await jobs({ services });
    await app.press('j', 'j', 'r');
    await app.waitForText('Running validate-skills…');
    services.fire('data');
    await waitRow(app, 'validate-skills', /validate-skills\s+daily 03:30\s+\S+ 03:30\s+20h ago\s+310 ms\s+running$/);
    release();
    await app.waitForText('✓ validate-skills (1.2 s): 5 skill(s)');
    await waitRow(app, 'validate-skills', /\d+s ago\s+1\.2 s\s+✓ 5 skill/);
  });

  it('o opens the latest self-review report full screen, j/G/g scroll it, esc comes back', async () => {
    const app = await jobs();
    await app.press('o');
    await app.waitForText('journal/reports/2026-03-09.md · lines 1-');
    expect(app.services.callsOf('latestReport')).toEqual([[]]);
    expect(app.frame()).toContain('# Self-review 2026-03-09');
    expect(app.frame()).toContain('## Failure rate per day');
    expect(app.frame()).not.toContain('End of the report.');
    await app.press('G');
    await app.waitForText('End of the report.');
    expect(app.frame()).not.toContain('# Self-review 2026-03-09');
    await app.press('g', 'j');
    await app.waitForText('· lines 2-');
    await app.press(KEY.esc);
    await app.waitForText('time zone Europe/Paris');
    expect(app.frame()).toContain('consolidate');
  });

  it('o says how a report comes about when there is none yet', async () => {
    const services = fakeServices();
    services.state.jobs.latestReport = null;
    const app = await jobs({ services });
    await app.press('o');
    const said = 'No report yet: the self-review writes one to journal/reports/ each night (r on self-review runs it now)';
    await waitFor(() => app.frame().replace(/\s+/g, ' ').includes(said), 'the no-report text', { frame: app.frame });
    await app.press(KEY.esc);
    await app.waitForText('time zone Europe/Paris');
  });

  it('a self-review run makes its report the latest one', async () => {
    const app = await jobs();
    await app.press('j', 'j', 'j', 'r');
    await app.waitForText('✓ self-review (1.2 s): report journal/reports/');
    const day = new Date().toISOString().slice(0, 10);
    await app.waitForText(`latest report journal/reports/${day}.md`);
    await app.press('o');
    await app.waitForText(`# Self-review ${day}`);
  });

  it('r in the report runs the self-review again and shows its new report; o reads the latest again', async () => {
    const services = fakeServices();
    const app = await jobs({ services });
    await app.press('o');
    await app.waitForText('journal/reports/2026-03-09.md · lines 1-');
    await app.press('r');
    const day = new Date().toISOString().slice(0, 10);
    await app.waitForText(`journal/reports/${day}.md · lines 1-`);
    expect(services.callsOf('jobRun')).toEqual([['self-review']]);
    await app.press('o');
    await app.waitForText(`# Self-review ${day}`);
  });

  it('a report left while its self-review runs again stays closed when the run ends', async () => {
    const services = fakeServices();
    let release!: () => void;
    services.holdJobs = new Promise((r) => (release = r));
    const app = await jobs({ services });
    await app.press('o');
    await app.waitForText('journal/reports/2026-03-09.md · lines 1-');
    await app.press('r');
    await app.waitForText('Running self-review…');
    await app.press(KEY.esc);
    await app.waitForText('time zone Europe/Paris');
    release();
    await app.waitForText('✓ self-review (1.2 s)');
    await app.waitForText(`latest report journal/reports/${new Date().toISOString().slice(0, 10)}.md`);
    expect(app.frame()).not.toContain('· lines 1-');
  });
});

async function waitRow(app: Awaited<ReturnType<typeof jobs>>, name: string, re: RegExp) {
  await waitFor(() => re.test(row(app.frame(), name)), `${name} row to match ${re}`, { frame: app.frame });
}

describe('the Jobs screen at 80x24 and without colour', () => {
  const fits = (frame: string, what: string) => {
    const lines = frame.split('\n');
    expect(lines.filter((l) => stringWidth(l) > 80), `${what}: lines wider than 80`).toEqual([]);
    expect(lines.length, what).toBeLessThan(24);
    expect(lines.at(-1), what).toMatch(/\? help · q quit$/);
  };

  it('fits the list, the detail, the report and every header, in colour and in mono', async () => {
    for (const theme of [undefined, monoTheme]) {
      for (const role of ['runner', 'standby', 'off'] as const) {
        const services = role === 'standby' ? standby('a-rather-long-build-server-name.example.com') : fakeServices();
        if (role === 'off') services.state.jobs.role = 'off';
        const t = await renderAppInTerminal({ columns: 80, rows: 24, screen: 'jobs', services, ...(theme ? { theme } : {}) });
        await t.waitForText('time zone');
        fits(t.frame(), `${role} list`);
        expect(t.frame(), 'all tabs on screen').toMatch(/8 Jobs/);
        expect(t.frame()).toContain('fitness');
      }
      const t = await renderAppInTerminal({ columns: 80, rows: 24, screen: 'jobs', ...(theme ? { theme } : {}) });
      await t.waitForText('time zone');
      await t.press('j', 'j', 'j');
      await t.waitForText('self-review · ');
      fits(t.frame(), 'list with the error below');
      await t.press(KEY.enter);
      await t.waitForText('the last run failed');
      fits(t.frame(), 'detail');
      await t.press('o');
      await t.waitForText('# Self-review');
      fits(t.frame(), 'report');
      await t.press(KEY.esc, '?');
      await t.waitForText('Keys on this screen');
      fits(t.frame(), 'help');
      expect(t.frame()).toContain('run the selected job now (CLI: jobs run NAME)');
      expect(t.frame()).toContain('open the latest self-review report (journal/reports/)');
    }
  });

  describe('NO_COLOR', () => {
    forceColour();

    it('draws the list, the detail, the report and the outcome without a colour code, with plain marks', async () => {
      const colour = await jobs();
      expect(colour.frame(), 'the colour theme does colour').toMatch(COLOUR);
      const services = fakeServices();
      services.jobFailures.consolidate = 'boom';
      const app = await jobs({ services, theme: monoTheme });
      const plain = () => stripAnsi(app.frame());
      expect(app.frame()).not.toMatch(COLOUR);
      expect(plain()).not.toMatch(/[✓✗›]/);
      expect(row(plain(), 'ingest')).toMatch(/^> ingest .*2m ago\s+42 ms\s+\+ 1 event/);
      expect(row(plain(), 'self-review')).toMatch(/\s+x git commit failed/);
      await app.press('j', 'r');
      await app.waitForText('x consolidate failed (1.2 s): boom');
      expect(app.frame()).not.toMatch(COLOUR);
      await app.press(KEY.enter);
      await app.waitForText('consolidate [x failed]');
      expect(app.frame()).not.toMatch(COLOUR);
      expect(plain()).toMatch(/manual {4}x 1\.2 s {3}boom/);
      await app.press('o');
      await app.waitForText('# Self-review');
      expect(app.frame()).not.toMatch(COLOUR);
    });
  });
});
