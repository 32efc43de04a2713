import { describe, expect, it } from 'vitest';
import { fakeServices, fakeSnapshot, heldBack } from './fake-services.js';
import { KEY, renderApp, renderAppInTerminal, waitFor } from './helpers.js';

const incidents = () => renderApp({ screen: 'incidents' });
const ids = (frame: string) => [...frame.matchAll(/^[› ] (\d{4}-\d{2}-\d{2}-[0-9a-f]{4,})/gm)].map((m) => m[1]);
const row = (frame: string, id: string) => frame.split('\n').find((l) => l.includes(id)) ?? '';
const selected = (frame: string) => frame.split('\n').find((l) => l.startsWith('›')) ?? '';

const BY_COUNT = ['2026-03-05-1c1d', '2026-03-09-a1b2', '2026-03-08-e5f6', '2026-03-10-2e2f', '2026-03-10-c3d4', '2026-03-07-0a0b'];
const BY_LAST_SEEN = ['2026-03-10-c3d4', '2026-03-10-2e2f', '2026-03-09-a1b2', '2026-03-08-e5f6', '2026-03-07-0a0b', '2026-03-05-1c1d'];
// file-not-found, missing-dependency, permission-denied, syntax-error, timeout, type-error
const BY_CATEGORY = ['2026-03-10-c3d4', '2026-03-09-a1b2', '2026-03-08-e5f6', '2026-03-07-0a0b', '2026-03-05-1c1d', '2026-03-10-2e2f'];

describe('the Incidents screen', () => {
  it('lists incidents with status, count, sessions and category, most frequent first', async () => {
    const app = await incidents();
    expect(app.frame()).toContain('6 incident(s) · sorted by count (o to change)');
    expect(ids(app.frame())).toEqual(BY_COUNT);
    expect(row(app.frame(), '2026-03-09-a1b2')).toMatch(/proposed\s+14\s+4\s+\S+\s+missing-dependency\s+Bash\s+Error: Cannot find/);
    expect(row(app.frame(), '2026-03-07-0a0b')).toMatch(/dismissed\s+1\s+1/);
  });

  it('o sorts by count, then last seen, then category, then count again', async () => {
    const app = await incidents();
    await app.press('o');
    await app.waitForText('sorted by last seen');
    expect(ids(app.frame())).toEqual(BY_LAST_SEEN);
    await app.press('o');
    await app.waitForText('sorted by category');
    expect(ids(app.frame())).toEqual(BY_CATEGORY);
    await app.press('o');
    await app.waitForText('sorted by count');
    expect(ids(app.frame())).toEqual(BY_COUNT);
  });

  it('/ filters the incidents as you type', async () => {
    const app = await incidents();
    await app.press('/');
    await app.type('bash time');
    await app.waitForText('1 incident(s)');
    expect(ids(app.frame())).toEqual(['2026-03-05-1c1d']);
    await app.press(KEY.esc);
    await app.waitForText('6 incident(s)');
  });

  it('shows the error column only where it fits, under its header, and marks a cut row with …', async () => {
    const narrow = await renderAppInTerminal({ columns: 80, rows: 24, screen: 'incidents' });
    await narrow.waitForText('incident(s) · sorted by');
    const rows80 = narrow.frame().split('\n').filter((l) => /^[› ] \d{4}-\d{2}-\d{2}-/.test(l));
    expect(rows80.length).toBeGreaterThan(0);
    // Nothing after the tool column (from column 69): no headerless scrap of the error.
    for (const r of rows80) {
      expect(r.trimEnd().length, r).toBeLessThanOrEqual(79);
      expect(r.slice(69).trim(), r).toMatch(/^[\w-]+$/);
    }
    expect(narrow.frame()).not.toMatch(/tool\s+error/);
    const wide = await renderAppInTerminal({ columns: 120, rows: 30, screen: 'incidents' });
    await wide.waitForText('incident(s) · sorted by');
    expect(wide.frame()).toMatch(/tool\s+error/);
    expect(wide.frame()).toContain("Cannot find module '<name>'");
    const cut = wide.frame().split('\n').filter((l) => l.length >= 119 && /^[› ] \d{4}/.test(l));
    for (const r of cut) expect(r.endsWith('…'), r).toBe(true);
  });

  it("gives first and last seen in the workspace's time zone", async () => {
    const services = fakeServices();
    services.state.timeZone = 'America/New_York';
    const app = await renderApp({ screen: 'incidents', services });
    await app.press('j');
    await waitFor(() => selected(app.frame()).includes('2026-03-09-a1b2'), 'j', { frame: app.frame });
    await app.press(KEY.enter);
    // 08:15 and 09:40 UTC are 03:15 and 05:40 in New York (EST, then EDT from March 8).
    await app.waitForText('first 2026-03-02 03:15 · last 2026-03-10 05:40');
  });

  it('enter opens the detail: sample error, linked rules, analysis and recent events', async () => {
    const app = await incidents();
    await app.press('j');
    await waitFor(() => selected(app.frame()).includes('2026-03-09-a1b2'), 'j', { frame: app.frame });
    await app.press(KEY.enter);
    await app.waitForText('2026-03-09-a1b2 proposed · recurring');
    const f = app.frame();
    expect(f).toContain('missing-dependency · Bash · 14x in 4 session(s) · first 2026-03-02 08:15 · last 2026-03-10 09:40');
    expect(f).toContain("signature: Error: Cannot find module '<name>'");
    expect(f).toContain("Error: Cannot find module 'express'");
    expect(f).toContain('Require stack:');
    expect(f).toContain('target: npm test');
    expect(f).toMatch(/Rules PROJ-004 \(proposed\)/);
    expect(f).toContain('Why: the worktree had no node_modules');
    // its events, newest first
    const counted = f.indexOf('2026-03-10 09:40:11 s-41 counted 2026-03-09-a1b2');
    const opened = f.indexOf('2026-03-10 09:12:03 s-41 opened 2026-03-09-a1b2');
    expect(counted).toBeGreaterThan(0);
    expect(opened).toBeGreaterThan(counted);
    expect(f).not.toContain('blocked by PROJ-001');
  });

  it('wraps the analysis\'s why at 80 columns instead of cutting it at one line', async () => {
    const snapshot = fakeSnapshot();
    const why = 'The agent ran npm test in a fresh worktree before npm ci, so node_modules was missing and every suite failed with Cannot find module; installing first is what the rule asks.';
    const incident = snapshot.incidents.find((i) => i.id === '2026-03-09-a1b2')!;
    incident.analysis = { ...incident.analysis!, why };
    const t = await renderAppInTerminal({ services: fakeServices(snapshot), columns: 80, rows: 24, screen: 'incidents' });
    await t.press('j');
    await waitFor(() => selected(t.frame()).includes('2026-03-09-a1b2'), 'j', { frame: t.frame });
    await t.press(KEY.enter);
    await t.waitForText('Why: The agent ran npm test');
    const lines = t.frame().split('\n');
    const at = lines.findIndex((l) => l.startsWith('Why: '));
    expect(lines.slice(at, at + 3).join(' ').replace(/ +/g, ' ')).toContain(`Why: ${why}`);
    expect(lines.length).toBeLessThan(24);
    // Its events still show below it.
    expect(t.frame()).toContain('s-41 counted 2026-03-09-a1b2');
  });

  it('reads an incident it lists only by its row when it is opened, and again after each reload', async () => {
    const services = fakeServices();
    const load = services.load.bind(services);
    // As over a year of incidents: the snapshot holds their rows, and none in full.
    services.load = async () => ({ ...(await load()), incidents: [] });
    const app = await renderApp({ services, screen: 'incidents' });
    await app.press('j');
    await waitFor(() => selected(app.frame()).includes('2026-03-09-a1b2'), 'j', { frame: app.frame });
    await app.press(KEY.enter);
    await app.waitForText("Error: Cannot find module 'express'");
    expect(app.frame()).toContain('missing-dependency · Bash · 14x in 4 session(s)');
    services.state.incidents.find((i) => i.id === '2026-03-09-a1b2')!.sample.error = "Error: Cannot find module 'lodash'";
    services.fire('data');
    await app.waitForText("Error: Cannot find module 'lodash'");
    await app.press('x');
    await app.waitForText('Why is 2026-03-09-a1b2 noise?');
  });

  it('/ finds words anywhere in a signature, its last line too', async () => {
    const services = fakeServices();
    services.state.incidents.find((i) => i.id === '2026-03-08-e5f6')!.signature = 'Exit code 1\nerror: build failed\nin module core\ncaused by: ENOSPC writing dist';
    const app = await renderApp({ services, screen: 'incidents' });
    await app.press('/');
    await app.type('ENOSPC');
    await app.waitForText('1 incident(s)');
    expect(ids(app.frame())).toEqual(['2026-03-08-e5f6']);
  });

  it('says why an incident it opened cannot be read, and esc goes back', async () => {
    const services = fakeServices();
    const load = services.load.bind(services);
    services.load = async () => ({ ...(await load()), incidents: [] });
    services.incident = async () => {
      throw new Error('store/incidents/2026-03.json is not valid JSON: line 4\nmore');
    };
    const app = await renderApp({ services, screen: 'incidents' });
    await app.press(KEY.enter);
    await app.waitForText('Cannot read it: store/incidents/2026-03.json is not valid JSON: line 4');
    await app.press(KEY.esc);
    await app.waitForText('incident(s) · sorted by count');
  });

  it('esc goes back from the detail to the list, where it was', async () => {
    const app = await incidents();
    await app.press('j', 'j', KEY.enter);
    await app.waitForText('2026-03-08-e5f6 ruled');
    expect(app.frame()).toContain('PROJ-001 (active)');
    await app.press(KEY.esc);
    await app.waitForText('sorted by count');
    expect(selected(app.frame())).toContain('2026-03-08-e5f6');
  });

  it('x asks why the incident is noise, then dismisses it with that reason', async () => {
    const app = await incidents();
    await app.press('j', 'j', 'j');
    await waitFor(() => selected(app.frame()).includes('2026-03-10-2e2f'), 'the type-error incident', { frame: app.frame });
    await app.press('x');
    await app.waitForText('Why is 2026-03-10-2e2f noise?');
    await app.type('flaky runner');
    await app.press(KEY.enter);
    await app.waitForText('2026-03-10-2e2f dismissed');
    expect(app.services.callsOf('dismiss')).toEqual([['2026-03-10-2e2f', 'flaky runner']]);
    await waitFor(() => /dismissed/.test(row(app.frame(), '2026-03-10-2e2f')), 'the row to show it dismissed', { frame: app.frame });
    expect(app.frame()).toContain('4 Incidents (1)');
  });

  it('x in the detail dismisses the incident shown', async () => {
    const app = await incidents();
    await app.press('G', KEY.enter);
    await app.waitForText('2026-03-07-0a0b dismissed');
    await app.press(KEY.esc, 'g', KEY.enter);
    await app.waitForText('2026-03-05-1c1d analyzed');
    await app.press('x');
    await app.waitForText('Why is 2026-03-05-1c1d noise?');
    await app.type('the database was down');
    await app.press(KEY.enter);
    await app.waitForText('2026-03-05-1c1d dismissed');
    expect(app.services.callsOf('dismiss')).toEqual([['2026-03-05-1c1d', 'the database was down']]);
  });

  it('does not dismiss without a reason', async () => {
    const app = await incidents();
    await app.press('x');
    await app.waitForText('noise?');
    await app.press(KEY.enter);
    await app.waitForText('Not dismissed: a reason is needed.');
    expect(app.services.callsOf('dismiss')).toEqual([]);
  });
});

describe('the Incidents screen before every row is read', () => {
  it("counts every incident from the months' heads, says it is reading the rest, then lists them all", async () => {
    // The first snapshot holds the two most frequent rows of six; the counts are of all six.
    const { services, release } = heldBack('incidentRows', (s) => ({ incidentRows: s.incidentRows.filter((r) => BY_COUNT.slice(0, 2).includes(r.id)), incidentCounts: { total: 6, byStatus: { new: 3, proposed: 1, dismissed: 1, ruled: 1 } }, rowsLater: true }));
    const app = await renderApp({ screen: 'incidents', services, ready: false });
    await app.waitForText('6 incident(s) · sorted by count (o to change) · reading the rest…');
    expect(ids(app.frame())).toEqual(BY_COUNT.slice(0, 2));
    release();
    await waitFor(() => ids(app.frame()).length === 6, 'every row', { frame: app.frame });
    expect(ids(app.frame())).toEqual(BY_COUNT);
    expect(app.frame()).toContain('6 incident(s) · sorted by count (o to change)');
    expect(app.frame()).not.toContain('reading the rest');
  });
});
