import stripAnsi from 'strip-ansi';
import { describe, expect, it } from 'vitest';
import { SCREENS } from '../../src/tui/keymap.js';
import { colourTheme, monoTheme, themeFor } from '../../src/tui/theme.js';
import { COLOUR, forceColour, KEY, renderApp, SCREEN_TEXT } from './helpers.js';

describe('colour and NO_COLOR', () => {
  forceColour();

  it('picks the mono theme when NO_COLOR is set to anything but empty', () => {
    expect(themeFor({ NO_COLOR: '1' })).toBe(monoTheme);
    expect(themeFor({ NO_COLOR: '' })).toBe(colourTheme);
    expect(themeFor({})).toBe(colourTheme);
  });

  it('the colour theme does draw colours (so the check below means something)', async () => {
    const app = await renderApp();
    expect(app.frame()).toMatch(COLOUR);
  });

  it('the mono theme draws every screen without a colour code, with marks instead', async () => {
    const app = await renderApp({ theme: monoTheme });
    for (const s of SCREENS) {
      await app.press(s.key);
      await app.waitForText(SCREEN_TEXT[s.id]);
      const f = app.frame();
      expect(f, s.id).not.toMatch(COLOUR);
      expect(stripAnsi(f), s.id).toContain(`[${s.key} ${s.title}`);
      if (s.id !== 'review') expect(stripAnsi(f), `${s.id}: the > selection mark`).toMatch(/^> /m);
    }
  });

  it('the mono theme marks rule states and the editor selection with plain characters', async () => {
    const app = await renderApp({ theme: monoTheme, screen: 'rules' });
    expect(app.frame()).not.toMatch(COLOUR);
    // bold and inverse stay (they are not colour); strip them to read the text
    const f = stripAnsi(app.frame());
    expect(f).not.toMatch(/[✓✗●⊘›]/);
    expect(f).toMatch(/^> \+ PROJ-001/m);
    expect(f).toMatch(/\* PROJ-004\s+proposed/);
    expect(f).toMatch(/x PROJ-006\s+rejected/);
    expect(f).toContain('9→0 3#');
    await app.press(KEY.enter);
    await app.waitForText('Editing PROJ-001');
    expect(stripAnsi(app.frame())).toMatch(/^> title/m);
    expect(stripAnsi(app.frame())).toContain('+ valid; ctrl+s saves');
    expect(app.frame()).not.toMatch(COLOUR);
  });

  it('the mono theme keeps modals and messages colourless', async () => {
    const app = await renderApp({ theme: monoTheme, screen: 'review' });
    await app.press('a');
    await app.waitForText('+ PROJ-004 active (commit');
    await app.waitForText('1 of 1');
    await app.press('r');
    await app.waitForText('Why reject PROJ-005?');
    expect(app.frame()).not.toMatch(COLOUR);
    await app.press(KEY.enter);
    await app.waitForText('! Not rejected: a reason is needed.');
    expect(app.frame()).not.toMatch(COLOUR);
  });
});
