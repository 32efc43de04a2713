import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { SCREENS } from '../../src/tui/keymap.js';
import { fakeServices } from './fake-services.js';
import { KEY, renderAppInTerminal, SCREEN_TEXT, waitFor } from './helpers.js';

const rowsOf = (frame: string) => frame.split('\n');
const widest = (frame: string) => Math.max(...rowsOf(frame).map((l) => stringWidth(l)));
const fits = (frame: string, columns: number, rows: number) => widest(frame) <= columns && rowsOf(frame).length < rows;

/** Asserts the frame fits a terminal of this size, saying which line does not. */
function expectFits(frame: string, columns: number, rows: number, what: string) {
  const lines = rowsOf(frame);
  const wide = lines.filter((l) => stringWidth(l) > columns);
  expect(wide, `${what}: lines wider than ${columns}`).toEqual([]);
  expect(lines.length, `${what}: ${lines.length} lines\n${frame}`).toBeLessThan(rows);
}

describe('an 80x24 terminal', () => {
  it('every screen fits: no line over 80 columns, fewer than 24 lines', async () => {
    const t = await renderAppInTerminal({ columns: 80, rows: 24 });
    for (const s of SCREENS) {
      await t.press(s.key);
      await t.waitForText(SCREEN_TEXT[s.id]);
      expectFits(t.frame(), 80, 24, s.id);
      // the footer is the last line and still ends with help and quit
      expect(rowsOf(t.frame()).at(-1), s.id).toMatch(/\? help · q quit$/);
    }
  });

  it('the help overlay, the editor, the detail views and the modals fit too', async () => {
    const t = await renderAppInTerminal({ columns: 80, rows: 24 });
    const check = async (keys: string[], text: string, what: string) => {
      await t.press(...keys);
      await t.waitForText(text);
      expectFits(t.frame(), 80, 24, what);
    };
    await check(['?'], 'Keys on this screen', 'help on Watch');
    await check(['?', '3', '?'], 'Keys on this screen', 'help on Rules');
    await check([KEY.esc, KEY.enter], 'Editing PROJ-001', 'the rule editor');
    await check(['j', KEY.enter, 'x'], 'editing body', 'a field being edited');
    await check([KEY.enter, KEY.esc], 'without saving', 'the leave-without-saving confirmation');
    await check(['y'], '7 rules', 'the rules after leaving the editor');
    await check(['d'], 'Deprecate PROJ-001?', 'the deprecate confirmation');
    await check(['n', '4', KEY.enter], 'Sample', 'the incident detail');
    await check([KEY.esc, 'x'], 'noise?', 'the dismiss prompt');
    await check([KEY.esc, '5', KEY.enter], 'diff --git', 'the commit diff');
    await check(['v'], '[y/N]', 'the revert confirmation');
    await check(['n', KEY.esc, '2'], 'PROJ-004', 'the first proposal');
    await check(['G'], 'CONTRADICTS', 'a proposal that contradicts a rule');
    await check(['r'], 'Why reject', 'the reject prompt');
  });

  it('shows every word of a long proposal at 80x24, a screen at a time, marking what is below', async () => {
    const services = fakeServices();
    const rule = services.state.rules.find((r) => r.status === 'proposed')!;
    rule.body = 'Before running the integration suite in a fresh worktree, install the dependencies with npm ci so that the lockfile is honoured, start the database container with docker compose up -d db, wait until pg_isready reports the server as accepting connections, and only then run npm run test:integration; stop the container afterwards so the port is free.';
    rule.paths = ['test/integration/**/*.ts'];
    expect(rule.body.length).toBeGreaterThanOrEqual(337);
    const t = await renderAppInTerminal({ columns: 80, rows: 24, screen: 'review', services });
    expect(t.frame()).toMatch(/▼ \d+ more line\(s\) below · j\/k scroll/);
    let seen = t.frame();
    for (let n = 0; n < 40 && !t.frame().includes(`end of ${rule.id}`); n++) {
      await t.press('j');
      seen += t.frame();
      expectFits(t.frame(), 80, 24, `scrolled ${n + 1}`);
    }
    expect(t.frame()).toContain(`1 of 2`);
    for (const word of [...rule.body.split(/\s+/), 'test/integration/**/*.ts', 'Closest existing rule', 'Require stack:']) expect(seen, word).toContain(word);
    // Past the end, j goes on to the next proposal.
    await t.press('j');
    await t.waitForText('2 of 2');
  });

  it('shows the whole title of a proposal at 80x24, not only the part the header line has room for', async () => {
    const services = fakeServices();
    const rule = services.state.rules.find((r) => r.status === 'proposed')!;
    rule.title = 'Give the Task tool the parameters its schema requires and no others';
    const t = await renderAppInTerminal({ columns: 80, rows: 24, screen: 'review', services });
    await t.waitForText(rule.id);
    expect(t.frame().replace(/\s+/g, ' ')).toContain(rule.title);
    expectFits(t.frame(), 80, 24, 'a long title');
  });

  it('stays at the end of the last proposal on j, and at the top of the first on k', async () => {
    const t = await renderAppInTerminal({ columns: 80, rows: 24, screen: 'review' });
    await t.press('G');
    await t.waitForText('2 of 2');
    for (let n = 0; n < 40 && !t.frame().includes('end of PROJ-'); n++) await t.press('j');
    const end = t.frame();
    expect(end).toContain('end of PROJ-');
    await t.press('j', 'j');
    expect(t.frame()).toBe(end);
    await t.press('g');
    await t.waitForText('1 of 2');
    const top = t.frame();
    await t.press('k');
    expect(t.frame()).toBe(top);
  });

  it('a proposal at 80 columns still shows its evidence', async () => {
    const t = await renderAppInTerminal({ columns: 80, rows: 24, screen: 'review' });
    for (const text of ['trigger', 'enforcement', 'verification', 'novelty', 'Evidence', 'count        14 in 4 session(s)', 'sample error']) expect(t.frame(), text).toContain(text);
  });

  it('follows a resize to 120x40 and back to 80x24', async () => {
    const t = await renderAppInTerminal({ columns: 80, rows: 24, screen: 'review' });
    expectFits(t.frame(), 80, 24, 'at first');
    expect(t.frame()).not.toContain('tab screens'); // no room for it at 80 columns

    t.stdout.resize(120, 40);
    await waitFor(() => rowsOf(t.frame()).length > 24 && t.frame().includes('tab screens'), 'the frame to grow to 120x40', { frame: t.frame });
    expectFits(t.frame(), 120, 40, 'at 120x40');
    expect(rowsOf(t.frame())).toHaveLength(39);
    // evidence and the closest rule side by side now
    expect(t.frame()).toMatch(/Evidence\s+Closest existing rule/);

    t.stdout.resize(80, 24);
    await waitFor(() => fits(t.frame(), 80, 24), 'the frame to shrink back to 80x24', { frame: t.frame });
    expect(t.frame()).not.toContain('tab screens');
    expect(rowsOf(t.frame())).toHaveLength(23);
  });

  it('a resize keeps the screen and the selection', async () => {
    const t = await renderAppInTerminal({ columns: 80, rows: 24, screen: 'rules' });
    await t.press('j', 'j');
    await t.waitForText('› ✓ PROJ-003');
    t.stdout.resize(100, 30);
    await waitFor(() => rowsOf(t.frame()).length === 29, 'the frame to be 29 lines', { frame: t.frame });
    expect(t.frame()).toContain('› ✓ PROJ-003');
    expect(t.frame()).toContain(SCREEN_TEXT.rules);
  });
});

describe('the tabs', () => {
  it('keep all eight screens on the header line at every width down to 60 columns, the current one named in full', async () => {
    const t = await renderAppInTerminal({ columns: 100, rows: 24, screen: 'jobs' });
    for (let w = 60; w <= 100; w++) {
      const n = t.stdout.frames.length;
      t.stdout.resize(w, 24);
      await waitFor(() => t.stdout.frames.length > n && widest(t.frame()) <= w, `a frame at ${w} columns`, { frame: t.frame });
      await t.waitForText(SCREEN_TEXT.jobs);
      const header = rowsOf(t.frame())[0]!;
      expect(stringWidth(header), `${w}: ${header}`).toBeLessThanOrEqual(w);
      expect(header, `${w}`).not.toContain('…');
      for (const s of SCREENS) expect(header, `${w}: ${s.key}`).toMatch(new RegExp(`(^|\\s|\\[)${s.key}( |$)`));
      expect(header, `${w}`).toContain('8 Jobs');
      // the review count is there whatever the width
      expect(header, `${w}`).toMatch(/\(2\)/);
    }
  });
});

describe('below the smallest size', () => {
  it('says so instead of drawing rows over each other, and the screens come back when it grows', async () => {
    const t = await renderAppInTerminal({ columns: 50, rows: 12 });
    await t.waitForText('nevo-tui needs at least 60x16');
    expect(t.frame().replace(/\s+/g, ' ')).toContain('this terminal is 50x12. Make it larger, or press q to quit.');
    expectFits(t.frame(), 50, 12, 'the notice');
    t.stdout.resize(80, 24);
    await t.waitForText('Today 120 tool calls');
    expectFits(t.frame(), 80, 24, 'after growing');
  });

  it('leaves no field taking the keys when it shrank while one was open: keys work again once it grows', async () => {
    const t = await renderAppInTerminal({ columns: 80, rows: 24, screen: 'memory' });
    await t.waitForText('result(s) of');
    await t.press('/');
    await t.waitForText('(enter keeps, esc clears');
    t.stdout.resize(50, 12);
    await t.waitForText('nevo-tui needs at least 60x16');
    t.stdout.resize(80, 24);
    await t.waitForText('result(s) of');
    await t.press('?');
    await t.waitForText('Keys on this screen');
  });
});

