import { describe, expect, it } from 'vitest';
import { helpRows, SCREENS, type ScreenId } from '../../src/tui/keymap.js';
import { monoTheme } from '../../src/tui/theme.js';
import { fakeServices } from './fake-services.js';
import { KEY, renderApp, renderAppInTerminal, SCREEN_TEXT, tick, waitFor } from './helpers.js';

const ORDER: ScreenId[] = ['watch', 'review', 'rules', 'incidents', 'history', 'memory', 'skills', 'jobs'];

/** The one screen the frame shows. */
function shown(frame: string): ScreenId[] {
  return ORDER.filter((s) => frame.includes(SCREEN_TEXT[s]));
}

describe('the App', () => {
  it('says it is loading, then starts on Watch with the tab marked', async () => {
    const app = await renderApp({ theme: monoTheme, ready: false });
    expect(app.frames[0]).toContain('Loading the workspace');
    await app.waitForText('tool calls');
    expect(shown(app.frame())).toEqual(['watch']);
    expect(app.frame()).toContain('[1 Watch]');
    expect(app.frame()).toContain('shop-api/.nevo');
  });

  it('counts proposals and new incidents in the tabs', async () => {
    const app = await renderApp();
    expect(app.frame()).toContain('2 Review (2)');
    expect(app.frame()).toContain('4 Incidents (2)');
  });

  it('goes to the next screen with tab, round to the first', async () => {
    const app = await renderApp();
    for (const next of [...ORDER.slice(1), 'watch' as const]) {
      await app.press(KEY.tab);
      await waitFor(() => shown(app.frame())[0] === next, `tab to reach ${next}`, { frame: app.frame });
      expect(shown(app.frame())).toEqual([next]);
    }
  });

  it('goes to the previous screen with shift+tab, round to the last', async () => {
    const app = await renderApp();
    for (const prev of [...ORDER].reverse()) {
      if (prev === 'watch') continue;
      await app.press(KEY.shiftTab);
      await waitFor(() => shown(app.frame())[0] === prev, `shift+tab to reach ${prev}`, { frame: app.frame });
    }
    await app.press(KEY.shiftTab);
    await app.waitForText(SCREEN_TEXT.watch);
  });

  it('jumps to a screen with its number key 1-8', async () => {
    const app = await renderApp({ theme: monoTheme });
    for (const s of [...SCREENS].reverse()) {
      await app.press(s.key);
      await waitFor(() => shown(app.frame())[0] === s.id, `${s.key} to open ${s.id}`, { frame: app.frame });
      expect(app.frame()).toContain(`[${s.key} ${s.title}`);
    }
  });

  it('can open any screen first', async () => {
    const app = await renderApp({ screen: 'history' });
    expect(shown(app.frame())).toEqual(['history']);
  });

  it('shows the keys of the current screen with ?, and closes the help with ? or esc', async () => {
    const app = await renderApp();
    for (const s of SCREENS) {
      await app.press(s.key);
      await app.waitForText(SCREEN_TEXT[s.id]);
      await app.press('?');
      await app.waitForText('Keys on this screen');
      // A help taller than the screen scrolls: j reads the rest.
      let seen = app.frame();
      for (let n = 0; n < 40 && app.frame().includes('more line(s) below'); n++) {
        const before = app.frame();
        await app.press('j');
        await waitFor(() => app.frame() !== before, 'the help to scroll', { frame: app.frame });
        seen += app.frame();
      }
      for (const row of helpRows(s.id)) expect(seen, `${row.keys} on ${s.id}`).toContain(row.help);
      expect(app.frame()).not.toContain(SCREEN_TEXT[s.id]);
      await app.press(s.id === 'watch' || s.id === 'rules' ? '?' : KEY.esc);
      await app.waitForNoText('Keys on this screen');
      await app.waitForText(SCREEN_TEXT[s.id]);
    }
  });

  it('ignores screen keys while the help is open', async () => {
    const app = await renderApp({ screen: 'review' });
    await app.press('?');
    await app.waitForText('Keys on this screen');
    await app.press('a', KEY.tab, '3');
    expect(app.services.callsOf('approve')).toEqual([]);
    await app.press(KEY.esc);
    await app.waitForText(SCREEN_TEXT.review);
  });

  it('redraws the screen on ctrl+l and keeps where you were', async () => {
    const app = await renderApp({ screen: 'rules' });
    await app.press('j', 'j');
    await app.waitForText('› ✓ PROJ-003');
    const before = app.frame();
    const n = app.frames.length;
    await app.press(KEY.ctrlL);
    await waitFor(() => app.frames.length > n && app.frame() === before, 'the same frame again', { frame: app.frame });
    // what a terminal gets: clear the screen and go home, then the whole frame
    expect(app.frames.slice(n).some((f) => f.includes('\u001B[2J\u001B[H'))).toBe(true);
    expect(app.frame()).toContain('› ✓ PROJ-003');
  });

  it('after ctrl+l a real terminal gets the frame again, not a blank screen', async () => {
    // Not debug mode: Ink writes only what changed, as it does in a terminal (not in CI mode).
    const app = await renderAppInTerminal({ debug: false, columns: 100, rows: 24 });
    await waitFor(() => app.stdout.frames.join('').includes('tool calls'), 'the first frame');
    const n = app.stdout.frames.length;
    await app.press(KEY.ctrlL);
    const since = () => app.stdout.frames.slice(n).join('');
    await waitFor(() => since().includes('\u001B[2J'), 'the screen to be cleared');
    await waitFor(() => since().slice(since().lastIndexOf('\u001B[2J')).includes('tool calls'), 'the frame after the clear', { frame: since });
  });

  it('shows why the workspace cannot be read', async () => {
    const services = fakeServices();
    services.load = async () => {
      services.counts.load += 1;
      throw new Error('store/events.json: unexpected end of JSON');
    };
    const app = await renderApp({ services, ready: false });
    await app.waitForText('Cannot read the workspace: store/events.json: unexpected end of JSON');
    expect(app.frame()).toContain('Last reload failed');
  });
});

describe('quitting', () => {
  it('q ends the app (the render exits)', async () => {
    const app = await renderAppInTerminal({ columns: 100, rows: 24 });
    let exited = false;
    const done = app.instance.waitUntilExit().then(() => (exited = true));
    await tick();
    expect(exited).toBe(false);
    await app.press('q');
    await done;
    expect(exited).toBe(true);
    // nothing reacts any more
    const frames = app.stdout.frames.length;
    await app.press(KEY.tab, '3');
    expect(app.stdout.frames.length).toBe(frames);
  });

  it('q quits from the help overlay and from any screen; ctrl+c quits too', async () => {
    for (const [screen, keys] of [
      ['rules', ['?', 'q']],
      ['incidents', ['q']],
      ['history', [KEY.ctrlC]],
    ] as const) {
      const app = await renderAppInTerminal({ screen, columns: 100, rows: 24 });
      const done = app.instance.waitUntilExit();
      await app.press(...keys);
      await expect(done).resolves.toBeUndefined();
    }
  });

  it('q in a text field is a letter, not quit', async () => {
    const app = await renderAppInTerminal({ screen: 'rules', columns: 100, rows: 24 });
    let exited = false;
    void app.instance.waitUntilExit().then(() => (exited = true));
    await app.press('/');
    await app.type('q');
    await app.waitForText('/ q');
    await tick();
    expect(exited).toBe(false);
  });
});
