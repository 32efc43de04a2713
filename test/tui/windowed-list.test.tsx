import { describe, expect, it } from 'vitest';
import { windowStart, move } from '../../src/tui/components/list-window.js';
import { sortIncidents } from '../../src/detect/present.js';
import { fakeServices, fakeSnapshot } from './fake-services.js';
import { KEY, renderApp, waitFor } from './helpers.js';

const ID = /^[› ] (\d{4}-\d{2}-\d{2}-[0-9a-f]{4,})/;
const shownIds = (frame: string) => frame.split('\n').flatMap((l) => l.match(ID)?.[1] ?? []);
const selectedId = (frame: string) => frame.split('\n').find((l) => l.startsWith('›'))?.match(ID)?.[1];

describe('10,000 incidents', () => {
  const big = async () => {
    const services = fakeServices(fakeSnapshot({ incidents: 10_000 }));
    const app = await renderApp({ services, screen: 'incidents' });
    const order = sortIncidents(services.state.incidents, 'count').map((i) => i.id);
    return { app, order };
  };

  it('renders only the rows that fit', async () => {
    const { app, order } = await big();
    expect(app.frame()).toContain('10000 incident(s)');
    const lines = app.frame().split('\n');
    expect(lines.length).toBeLessThan(24);
    const ids = shownIds(app.frame());
    expect(ids.length).toBeGreaterThan(5);
    expect(ids.length).toBeLessThan(24);
    expect(ids).toEqual(order.slice(0, ids.length));
    expect(selectedId(app.frame())).toBe(order[0]);
  });

  it('G goes to the last incident and g back to the first, the window following', async () => {
    const { app, order } = await big();
    await app.press('G');
    await waitFor(() => selectedId(app.frame()) === order.at(-1), 'G to select the last', { frame: app.frame });
    const ids = shownIds(app.frame());
    expect(ids).toEqual(order.slice(order.length - ids.length));
    expect(app.frame().split('\n').length).toBeLessThan(24);
    await app.press('g');
    await waitFor(() => selectedId(app.frame()) === order[0], 'g to select the first', { frame: app.frame });
    expect(shownIds(app.frame())).toEqual(order.slice(0, ids.length));
  });

  it('pagedown and pageup (and ctrl+d, ctrl+u) move a page at a time', async () => {
    const { app, order } = await big();
    const visible = shownIds(app.frame()).length;
    const index = () => order.indexOf(selectedId(app.frame()) ?? '');
    await app.press(KEY.pageDown);
    await waitFor(() => index() > 0, 'pagedown to move', { frame: app.frame });
    const page = index();
    // a page is about what is in view: the selection leaves the first window
    expect(page).toBeGreaterThanOrEqual(visible);
    expect(page).toBeLessThanOrEqual(visible + 1);
    expect(shownIds(app.frame())).toContain(order[page]);
    await app.press(KEY.ctrlD);
    await waitFor(() => index() === 2 * page, 'ctrl+d to move another page', { frame: app.frame });
    await app.press(KEY.pageUp);
    await waitFor(() => index() === page, 'pageup to go back a page', { frame: app.frame });
    await app.press(KEY.ctrlU);
    await waitFor(() => index() === 0, 'ctrl+u to go back to the top', { frame: app.frame });
    expect(app.frame().split('\n').length).toBeLessThan(24);
  });

  it('opening an incident deep in the list shows that one', async () => {
    const { app, order } = await big();
    await app.press('G', KEY.enter);
    await app.waitForText(`${order.at(-1)} `);
    expect(app.frame()).toContain('(esc back, x dismiss)');
  });
});

describe('the list window', () => {
  it('keeps the selection in view and moves as little as it can', () => {
    expect(windowStart(0, 0, 10, 5)).toBe(0);
    expect(windowStart(9, 0, 10, 100)).toBe(0);
    expect(windowStart(10, 0, 10, 100)).toBe(1);
    expect(windowStart(50, 45, 10, 100)).toBe(45);
    expect(windowStart(40, 45, 10, 100)).toBe(40);
    expect(windowStart(99, 0, 10, 100)).toBe(90);
  });

  it('moves and clamps the selection', () => {
    expect(move(0, 'up', 10, 5)).toBe(0);
    expect(move(9, 'down', 10, 5)).toBe(9);
    expect(move(3, 'pageDown', 10, 5)).toBe(8);
    expect(move(8, 'pageDown', 10, 5)).toBe(9);
    expect(move(3, 'pageUp', 10, 5)).toBe(0);
    expect(move(3, 'bottom', 10, 5)).toBe(9);
    expect(move(3, 'top', 10, 5)).toBe(0);
    expect(move(0, 'bottom', 0, 5)).toBe(0);
  });
});
