import { Text, useInput } from 'ink';
import { render } from 'ink-testing-library';
import { useState } from 'react';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { Footer, HelpOverlay } from '../../src/tui/components/Chrome.js';
import { actionFor, applies, BINDINGS, footerItems, helpRows, keyName, ownBindings, SCREENS, type KeyEvent, type ScreenId } from '../../src/tui/keymap.js';
import { KEY, tick, waitFor } from './helpers.js';

const SCREEN_IDS = SCREENS.map((s) => s.id);

/** The event Ink hands useInput for a key named as the table names it. */
function eventFor(name: string): KeyEvent {
  const named: Record<string, KeyEvent['key']> = {
    up: { upArrow: true },
    down: { downArrow: true },
    left: { leftArrow: true },
    right: { rightArrow: true },
    pageup: { pageUp: true },
    pagedown: { pageDown: true },
    home: { home: true },
    end: { end: true },
    enter: { return: true },
    escape: { escape: true, meta: true },
    tab: { tab: true },
    'shift+tab': { tab: true, shift: true },
  };
  if (named[name]) return { input: '', key: named[name]! };
  if (name.startsWith('ctrl+')) return { input: name.slice(5), key: { ctrl: true } };
  return { input: name, key: /^[A-Z]$/.test(name) ? { shift: true } : {} };
}

/** What a terminal sends for each key name of the table. */
const RAW: Record<string, string> = {
  up: KEY.up,
  down: KEY.down,
  pageup: KEY.pageUp,
  pagedown: KEY.pageDown,
  home: KEY.home,
  end: KEY.end,
  enter: KEY.enter,
  escape: KEY.esc,
  tab: KEY.tab,
  'shift+tab': KEY.shiftTab,
  'ctrl+c': KEY.ctrlC,
  'ctrl+d': KEY.ctrlD,
  'ctrl+l': KEY.ctrlL,
  'ctrl+s': KEY.ctrlS,
  'ctrl+u': KEY.ctrlU,
};

describe('the keymap table', () => {
  it('maps every key of every binding to its action on each screen where the binding applies', () => {
    for (const b of BINDINGS) {
      for (const screen of SCREEN_IDS.filter((s) => applies(b, s))) {
        for (const key of b.keys) expect(actionFor(eventFor(key), screen), `${key} on ${screen}`).toBe(b.action);
      }
    }
  });

  it('gives a screen key no meaning on the screens it does not belong to', () => {
    for (const b of BINDINGS.filter((x) => x.where !== 'global')) {
      for (const screen of SCREEN_IDS.filter((s) => !applies(b, s))) {
        // The same action bound to the same key for this screen too (enter opens on Rules and in the editor).
        const alsoHere = BINDINGS.some((o) => o !== b && o.action === b.action && applies(o, screen) && o.keys.some((k) => b.keys.includes(k)));
        if (alsoHere) continue;
        for (const key of b.keys) expect(actionFor(eventFor(key), screen), `${key} on ${screen}`).not.toBe(b.action);
      }
    }
    expect(actionFor(eventFor('a'), 'watch')).toBeNull();
    expect(actionFor(eventFor('d'), 'review')).toBeNull();
  });

  it('never binds one key twice on a screen, nor a screen number key, in the list or with an item open', () => {
    const global = (screen: ScreenId) => BINDINGS.filter((b) => b.where === 'global' && applies(b, screen));
    for (const screen of SCREEN_IDS) {
      const keys = [...ownBindings(screen), ...global(screen)].flatMap((b) => b.keys);
      expect(new Set(keys).size, screen).toBe(keys.length);
      for (const s of SCREENS) expect(keys).not.toContain(s.key);
      // With an item open, a key of the screen's own may name a global one's action again (j scrolls, esc goes back), never another.
      const open = ownBindings(screen, true);
      const openKeys = open.flatMap((b) => b.keys);
      expect(new Set(openKeys).size, `${screen}, an item open`).toBe(openKeys.length);
      for (const b of global(screen)) for (const k of b.keys) expect(open.find((o) => o.keys.includes(k))?.action ?? b.action, `${k} on ${screen}, an item open`).toBe(b.action);
      for (const s of SCREENS) expect(openKeys).not.toContain(s.key);
    }
  });

  it('tells shift+tab from tab, R from r, G from g and ctrl+s from s', () => {
    expect(keyName(eventFor('shift+tab'))).toBe('shift+tab');
    expect(actionFor(eventFor('shift+tab'), 'watch')).toBe('prevScreen');
    expect(actionFor(eventFor('tab'), 'watch')).toBe('nextScreen');
    expect(actionFor(eventFor('R'), 'rules')).toBe('restore');
    expect(actionFor(eventFor('r'), 'rules')).toBeNull();
    expect(actionFor(eventFor('G'), 'incidents')).toBe('bottom');
    expect(actionFor(eventFor('g'), 'incidents')).toBe('top');
    expect(actionFor(eventFor('ctrl+s'), 'editor')).toBe('save');
    expect(actionFor(eventFor('ctrl+s'), 'rules')).toBeNull();
    expect(actionFor(eventFor('s'), 'rules')).toBeNull();
    expect(actionFor(eventFor('s'), 'review')).toBe('skip');
  });

  it('understands every key of the table as Ink parses it from the terminal', async () => {
    const seen: KeyEvent[] = [];
    function Probe() {
      const [n, setN] = useState(0);
      useInput((input, key) => {
        seen.push({ input, key });
        setN((x) => x + 1);
      });
      return <Text>{`keys ${n}`}</Text>;
    }
    const r = render(<Probe />);
    await tick();
    for (const b of BINDINGS) {
      for (const key of b.keys) {
        const before = seen.length;
        r.stdin.write(RAW[key] ?? key);
        await waitFor(() => seen.length > before, `Ink to deliver ${key}`);
        await tick();
        const e = seen.at(-1)!;
        expect(keyName(e), key).toBe(key);
        const screen = b.where === 'global' ? 'watch' : b.where[0]!;
        expect(actionFor(e, screen), `${key} on ${screen}`).toBe(b.action);
      }
    }
    r.unmount();
  });
});

describe('the reason asked for a rejection', () => {
  it('takes 1-9 as a recent reason, enter and esc; every other key is typed', () => {
    for (const d of '123456789') expect(actionFor(eventFor(d), 'reason'), d).toBe('pickReason');
    expect(actionFor(eventFor('enter'), 'reason')).toBe('open');
    expect(actionFor(eventFor('escape'), 'reason')).toBe('back');
    for (const k of ['q', 'j', 'a', '?', 'tab']) expect(actionFor(eventFor(k), 'reason'), k).toBeNull();
    expect(footerItems('reason')).toEqual(['1-9 recent reason', 'enter reject', 'esc cancel']);
    expect(helpRows('reason').map((r) => r.keys)).toEqual(['1-9', 'enter', 'escape']);
    // on a screen a digit still jumps to a screen
    expect(actionFor(eventFor('1'), 'review')).toBeNull();
  });
});

describe('the footer', () => {
  const footerAt = async (screen: ScreenId, width: number, detail = false) => {
    const r = render(<Footer screen={screen} detail={detail} width={width} />);
    await tick();
    const text = r.lastFrame() ?? '';
    r.unmount();
    return text;
  };

  it('fits in 80 columns on every screen and always ends with "? help · q quit"', async () => {
    for (const screen of SCREEN_IDS) {
      const text = await footerAt(screen, 80);
      expect(text.split('\n')).toHaveLength(1);
      expect(stringWidth(text), screen).toBeLessThanOrEqual(80);
      expect(text, screen).toMatch(/\? help · q quit$/);
    }
  });

  it('drops hints, never help and quit, when the terminal is narrow', async () => {
    for (const screen of SCREEN_IDS) {
      const text = await footerAt(screen, 30);
      expect(stringWidth(text)).toBeLessThanOrEqual(30);
      expect(text).toMatch(/\? help · q quit$/);
    }
  });

  it('shows the screen’s own keys first, then the global ones', () => {
    expect(footerItems('review')).toEqual(['a approve', 'r reject', 'e edit', 's skip', 'u undo', 'x dismiss', 'j/k move', 'tab screens', '? help', 'q quit']);
    expect(footerItems('watch')).toEqual(['enter open', 'j/k move', 'tab screens', '? help', 'q quit']);
  });

  it('with an item open, names the keys that work there, not the list\'s', async () => {
    expect(footerItems('memory', true)).toEqual(['j/k scroll', 'esc back', 'p pin', 'n never', 'x forget', 'tab screens', '? help', 'q quit']);
    expect(footerItems('incidents', true)).toEqual(['esc back', 'x dismiss', 'tab screens', '? help', 'q quit']);
    expect(footerItems('history', true)).toEqual(['j/k scroll', 'esc back', 'v revert', 'tab screens', '? help', 'q quit']);
    for (const screen of ['incidents', 'history', 'memory', 'skills', 'jobs'] as const) {
      const items = footerItems(screen, true);
      expect(items, screen).not.toContain('enter open');
      expect(items, screen).toContain('esc back');
      expect(helpRows(screen, true).map((r) => r.keys), screen).not.toContain('enter');
    }
    expect(footerItems('memory', true).join(' ')).not.toMatch(/search|filter|hidden/);
    // At 80 columns, how to leave the item is never what gives way.
    for (const screen of ['incidents', 'history', 'memory', 'skills', 'jobs'] as const) expect(await footerAt(screen, 80, true), screen).toContain('esc back');
    // An incident's detail does not scroll: j/k are not offered there.
    expect(helpRows('incidents', true).map((r) => r.keys)).not.toContain('j, down');
    expect(helpRows('memory', true)).toContainEqual({ keys: 'j/k', help: 'scroll the open item (pages, g/G too)' });
  });

  it('shows only labels of bindings that apply to the screen', async () => {
    for (const screen of SCREEN_IDS) {
      const allowed = new Set(
        BINDINGS.filter((b) => b.label && applies(b, screen)).flatMap((b) => [b.label, `${b.keys[0]} ${b.label}`]),
      );
      for (const item of footerItems(screen)) expect(allowed, `${item} on ${screen}`).toContain(item);
      for (const item of (await footerAt(screen, 200)).split(' · ')) expect(allowed, `${item} on ${screen}`).toContain(item);
    }
  });
});

describe('the help rows', () => {
  it('list every binding of a screen, with all its keys, and nothing else', () => {
    for (const screen of SCREEN_IDS) {
      const mine = [...ownBindings(screen), ...BINDINGS.filter((b) => b.where === 'global' && applies(b, screen))];
      const rows = helpRows(screen);
      for (const b of mine) expect(rows.some((r) => r.help === b.help && (r.keys === b.keys.join(', ') || (!!b.row && r.keys.split(', ').includes(b.keys.join(', '))))), `${b.action} on ${screen}`).toBe(true);
      // One row a binding, except those that share one.
      expect(rows).toHaveLength(new Set(mine.map((b) => b.row ?? b)).size);
    }
    // The two ways to settle a sync conflict are one row, so Review's help fits 24 rows.
    expect(helpRows('review')).toContainEqual({ keys: 'm, t', help: "sync conflict: m keeps your version, t takes the other member's" });
    expect(helpRows('rules').map((r) => r.keys)).toEqual(expect.arrayContaining(['enter', '/', 'd', 'R', 'escape', 'q, ctrl+c']));
    // The editor's own keys, and its esc instead of the global one.
    const editor = helpRows('editor');
    expect(editor.map((r) => r.keys)).toEqual(expect.arrayContaining(['enter', 'ctrl+s', 'escape', 'j, down', 'q, ctrl+c']));
    expect(editor.filter((r) => r.keys === 'escape')).toEqual([{ keys: 'escape', help: 'leave the editor (asks first when there are changes)' }]);
    expect(editor.map((r) => r.keys)).not.toContain('a');
    expect(helpRows('watch').map((r) => r.keys)).not.toContain('a');
  });

  it('are what the help overlay shows, the screen\'s own first; one taller than its 20 rows scrolls to the rest', async () => {
    for (const screen of SCREEN_IDS) {
      let text = '';
      for (const scroll of [0, 100]) {
        const r = render(<HelpOverlay screen={screen} height={20} width={100} scroll={scroll} />);
        await tick();
        text += r.lastFrame() ?? '';
        if (scroll === 0) expect(text, screen).toContain(`${helpRows(screen)[0]!.keys.padEnd(18)} ${helpRows(screen)[0]!.help}`);
        r.unmount();
      }
      for (const row of helpRows(screen)) expect(text, `${row.keys} on ${screen}`).toContain(`${row.keys.padEnd(18)} ${row.help}`);
    }
  });
});

describe('keys that arrive in one chunk', () => {
  it('splits typed characters and arrow sequences into one key press each', async () => {
    const { splitKeys, keyName } = await import('../../src/tui/keymap.js');
    expect(splitKeys({ input: 'jjj', key: {} }).map(keyName)).toEqual(['j', 'j', 'j']);
    // Ink drops the first ESC of a chunk it cannot name.
    expect(splitKeys({ input: '[B\u001b[B\u001b[A', key: {} }).map(keyName)).toEqual(['down', 'down', 'up']);
    expect(splitKeys({ input: 'Gg', key: { shift: true } }).map(keyName)).toEqual(['G', 'g']);
    expect(splitKeys({ input: 'c', key: { ctrl: true } })).toHaveLength(1);
    expect(splitKeys({ input: '', key: { downArrow: true } })).toEqual([{ input: '', key: { downArrow: true } }]);
  });

  it('moves three rows for "jjj" written at once, as a key repeat or fast typing sends it', async () => {
    const { renderApp, waitFor } = await import('./helpers.js');
    const app = await renderApp({ screen: 'incidents' });
    const rows = app.frame().split('\n').filter((l) => /^[› ] \d{4}-\d{2}-\d{2}-/.test(l));
    expect(rows.length).toBeGreaterThanOrEqual(4);
    await app.press('jjj');
    const fourth = rows[3]!.slice(2, 17);
    await waitFor(() => (app.frame().split('\n').find((l) => l.startsWith('›')) ?? '').includes(fourth), `the 4th row (${fourth}) selected`, { frame: app.frame });
  });

  it('counts keys that come one by one faster than the screen redraws: three j move three rows', async () => {
    const { renderApp, waitFor } = await import('./helpers.js');
    const app = await renderApp({ screen: 'incidents' });
    const rows = app.frame().split('\n').filter((l) => /^[› ] \d{4}-\d{2}-\d{2}-/.test(l));
    // three separate writes before Ink or React had a turn: each its own input event
    app.stdin.write('j');
    app.stdin.write('j');
    app.stdin.write('j');
    const fourth = rows[3]!.slice(2, 17);
    await waitFor(() => (app.frame().split('\n').find((l) => l.startsWith('›')) ?? '').includes(fourth), `the 4th row (${fourth}) selected`, { frame: app.frame });
  });

  it('gives keys that come right after one that opened a prompt to the prompt', async () => {
    const { renderApp, waitFor } = await import('./helpers.js');
    const { fakeServices } = await import('./fake-services.js');
    const services = fakeServices();
    services.state.rules = services.state.rules.filter((r) => r.status !== 'rejected');
    const app = await renderApp({ screen: 'review', services });
    for (const key of ['r', 'n', 'o', 'i', 's', 'e', '\r']) app.stdin.write(key);
    await waitFor(() => services.callsOf('reject').length > 0, 'the rejection', { frame: app.frame });
    expect(services.callsOf('reject')).toEqual([['PROJ-004', 'noise']]);
    expect(app.frame()).not.toContain('Today');
  });
});

