import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { SCREENS } from '../../src/tui/keymap.js';
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
    await check(['j'], 'CONTRADICTS', 'a proposal that contradicts a rule');
    await check(['r'], 'Why reject', 'the reject prompt');
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
