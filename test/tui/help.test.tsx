// The `?` help at 80x24: every line whole (wrapped, never cut), scrolled when it is taller than
// the screen, and in the rule editor only the keys that work there.
import { describe, expect, it } from 'vitest';
import { LINT_HELP } from '../../src/rules/lint.js';
import { helpRows, SCREENS } from '../../src/tui/keymap.js';
import { KEY, renderAppInTerminal, SCREEN_TEXT, waitFor } from './helpers.js';

type Term = Awaited<ReturnType<typeof renderAppInTerminal>>;

/** The help from its top to its end: j scrolls it while a mark says more is below. */
async function readHelp(t: Term): Promise<string> {
  let seen = t.frame();
  for (let n = 0; n < 40 && t.frame().includes('more line(s) below'); n++) {
    const before = t.frame();
    await t.press('j');
    await waitFor(() => t.frame() !== before, 'the help to scroll', { frame: t.frame });
    seen += `\n${t.frame()}`;
  }
  return seen;
}

/** Lines joined and spaces squeezed: a help line wrapped over two rows reads as one. */
const flat = (text: string) => text.replace(/\s+/g, ' ');

describe('the help (?) at 80x24', () => {
  it('shows every line of every screen whole, scrolling with j when it does not fit', async () => {
    const t = await renderAppInTerminal({ columns: 80, rows: 24 });
    for (const s of SCREENS) {
      await t.press(s.key);
      await t.waitForText(SCREEN_TEXT[s.id]);
      await t.press('?');
      await t.waitForText('Keys on this screen');
      const seen = flat(await readHelp(t));
      for (const row of helpRows(s.id)) expect(seen, `${row.keys} on ${s.id}`).toContain(flat(`${row.keys} ${row.help}`));
      // On Rules, every lint flag with what it means and how to clear it.
      if (s.id === 'rules') for (const [flag, help] of Object.entries(LINT_HELP)) expect(seen, flag).toContain(flat(`${flag} ${help}`));
      await t.press(KEY.esc);
      await t.waitForNoText('Keys on this screen');
    }
  });

  it('in the rule editor, lists the keys that work there: no screen switching', async () => {
    const t = await renderAppInTerminal({ columns: 120, rows: 30, screen: 'rules' });
    await t.press(KEY.enter);
    await t.waitForText('Editing PROJ-001');
    // The footer offers no key the editor refuses.
    expect(t.frame()).not.toContain('tab screens');
    await t.press('?');
    await t.waitForText('Keys on this screen');
    const seen = flat(await readHelp(t));
    expect(seen).toContain('ctrl+s save the rule');
    expect(seen).not.toContain('next screen');
    expect(seen).not.toContain('previous screen');
    await t.press(KEY.esc);
    await t.waitForText('Editing PROJ-001');
  });
});
