import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { cellWidth, fitCells, padCells, wrap } from '../../src/tui/components/cells.js';
import { age, detailLines, MEMORY_FILTERS } from '../../src/tui/screens/Memory.js';
import { MEMORY_RESULTS, type MemoryFilter } from '../../src/tui/services.js';
import { monoTheme } from '../../src/tui/theme.js';
import { fakeMemory, fakeServices, fakeSnapshot, type FakeServices } from './fake-services.js';
import { KEY, renderApp, renderAppInTerminal, waitFor } from './helpers.js';

const memory = (opts: Parameters<typeof renderApp>[0] = {}) => renderApp({ screen: 'memory', ...opts });

/** The result rows of the list: kind, category, age, marks, title, score. */
const results = (frame: string) => frame.split('\n').filter((l) => /^[›>  ] (fact|narrative|digest) /.test(l));
const row = (frame: string, text: string) => results(frame).find((l) => l.includes(text)) ?? '';
const selected = (frame: string) => frame.split('\n').find((l) => l.startsWith('›')) ?? '';
const count = (frame: string) => /(\d+\+?) result\(s\) of (\d+)/.exec(frame)?.slice(1, 3);

/**
 * Waits until the list shows the results of `query` (searches answer after the keystroke, so a
 * frame may still show those of the query before): as many rows as a search of the same memory
 * gives, the same first one.
 */
async function resultsOf(app: { frame(): string; services: FakeServices }, query: string, filter: MemoryFilter = {}) {
  const expected = (await fakeServices(fakeSnapshot(), structuredClone(app.services.memory)).memorySearch(query, filter)).hits;
  await waitFor(() => count(app.frame())?.[0] === `${expected.length}${expected.length >= MEMORY_RESULTS ? '+' : ''}` && (results(app.frame())[0] ?? '').includes(expected[0]?.item.title.slice(0, 30) ?? ''), `the results of "${query}"`, { frame: app.frame });
  return expected;
}

/** Waits for the filter `label` and for its results: the label shows at once, the results a moment later. */
async function filteredBy(app: { frame(): string; services: FakeServices; waitForText(text: string): Promise<void> }, label: string, query = '') {
  await app.waitForText(`filter ${label} (c)`);
  return resultsOf(app, query, MEMORY_FILTERS.find((f) => f.label === label)!.filter);
}

/** Searches `query`, keeps it (enter) and waits for its results; with `pick`, until that row is selected. */
async function searchFor(app: Awaited<ReturnType<typeof renderApp>>, query: string, pick?: string) {
  await app.press('/');
  await app.type(query);
  await resultsOf(app, query);
  await app.press(KEY.enter);
  if (pick) await waitFor(() => selected(app.frame()).includes(pick), JSON.stringify(pick), { frame: app.frame });
}

const PNPM = 'fact:a1a1a1a1a1a1a1a1';
const TABS = 'fact:0707070707070707';

describe('the Memory screen', () => {
  it('is screen 6 and lists memory, most relevant first, pinned on top, never-recalled left out', async () => {
    const app = await renderApp();
    await app.press('6');
    await app.waitForText('result(s) of');
    const f = app.frame();
    expect(f).toContain(' 6 Memory ');
    expect(count(f)).toEqual(['11', '12']);
    expect(f).toContain('filter all (c) · never-recalled left out (H)');
    expect(f).toMatch(/kind\s+category\s+age PH title\s+score/);
    // the pinned lesson first, with its mark, age and score
    expect(results(f)[0]).toMatch(/^› fact\s+lesson\s+54d P\s+Read a file before editing it.*0\.44$/);
    expect(f).toContain('fact:0808080808080808 · enter shows it in full');
    expect(row(f, 'Fix the missing express module')).toMatch(/narrative\s+narrative\s+19h/);
    expect(row(f, 'Week 2026-W09')).toMatch(/digest\s+weekly/);
    expect(f).not.toContain('Prefer tabs over spaces');
    expect(app.services.searches[0]).toEqual({ query: '', filter: { all: false } });
  });

  it('/ searches as you type: every keystroke updates the results, no enter needed', async () => {
    const app = await memory();
    await app.press('/');
    await app.waitForText('(enter keeps, esc clears, ↑↓ move)');
    await app.type('pnpm');
    await app.waitForText('/ pnpm');
    await resultsOf(app, 'pnpm');
    // exact matches first, then what is only close (Fuse forgives a few edits)
    expect(results(app.frame())[0]).toContain('Use pnpm, not npm, in this repository');
    expect(results(app.frame())[1]).toContain('Week 2026-W09: the pnpm migration');
    expect(app.frame()).not.toContain('The integration database');
    // one search per keystroke, in order, the newest last
    expect(app.services.searches.map((s) => s.query).filter(Boolean)).toEqual(['p', 'pn', 'pnp', 'pnpm']);
    // enter keeps the query and gives the keys back to the list
    await app.press(KEY.enter);
    await app.waitForText('(/ to change, esc to clear)');
    await app.press('j');
    await waitFor(() => selected(app.frame()).includes('Week 2026-W09'), 'j to move', { frame: app.frame });
  });

  it('forgives typos, and says so in the detail', async () => {
    const app = await memory();
    await app.press('/');
    await app.type('pnmp');
    expect((await resultsOf(app, 'pnmp'))[0]!.item.id).toBe(PNPM);
    await app.press(KEY.enter, KEY.enter);
    await app.waitForText('Why it ranks here for "pnmp"');
    expect(app.frame()).toContain('close match for "pnmp", 1 edit away');
    // esc closes the detail, the second esc clears the query.
    await app.press(KEY.esc, KEY.esc, '/');
    await app.type('expresss modul');
    expect((await resultsOf(app, 'expresss modul'))[0]!.item.id).toBe('narrative:s-41');
  });

  it('a query typed quickly with its enter in one chunk is kept, and j/k move in the results again', async () => {
    const app = await memory();
    await app.press('/');
    await app.press('pnpm\r');
    await app.waitForText('/ pnpm (/ to change, esc to clear)');
    await waitFor(() => selected(app.frame()).includes('Use pnpm'), 'the pnpm fact first', { frame: app.frame });
  });

  it('up and down move the selection while the query is being typed; esc clears it', async () => {
    const app = await memory();
    await app.press('/');
    await app.type('test');
    expect((await resultsOf(app, 'test')).length).toBeGreaterThan(2);
    const second = results(app.frame())[1]!.slice(2, 60);
    await app.press(KEY.down);
    await waitFor(() => selected(app.frame()).includes(second), 'down while typing', { frame: app.frame });
    await app.press(KEY.esc);
    await app.waitForText('type / to search memory');
    // The browse results come back after the query line clears: wait for them, not for a frame.
    await waitFor(() => count(app.frame())?.join('/') === '11/12', 'all 12 items listed again', { frame: app.frame });
  });

  it('q and digits are letters in the query, not quit or a screen jump', async () => {
    const app = await memory();
    await app.press('/');
    await app.type('q3 2026');
    await app.waitForText('/ q3 2026');
    expect(app.frame()).toContain(' 6 Memory ');
    expect(app.services.searches.at(-1)!.query).toBe('q3 2026');
  });

  it('c steps through the filters (C back), H shows never-recalled items, esc clears them', async () => {
    const app = await memory();
    await app.press('c');
    await app.waitForText('filter fact (c)');
    // The count and the rows may land in different frames: wait for both.
    await waitFor(() => count(app.frame())?.[0] === '7' && results(app.frame()).every((l) => /^[› ] fact /.test(l)), 'the seven facts recalled, facts only', { frame: app.frame });
    await app.press('c');
    await app.waitForText('filter preference (c)');
    await waitFor(() => results(app.frame()).length === 1, 'only the preference', { frame: app.frame });
    expect(app.frame()).toContain('Use pnpm, not npm');
    await app.press('H');
    await app.waitForText('never-recalled shown (H)');
    await waitFor(() => results(app.frame()).length === 2, 'the hidden preference', { frame: app.frame });
    expect(row(app.frame(), 'Prefer tabs over spaces')).toMatch(/ H Prefer tabs/);
    await waitFor(() => JSON.stringify(app.services.searches.at(-1)?.filter) === JSON.stringify({ category: 'preference', all: true }), 'the search with the hidden ones', { frame: app.frame });
    await app.press('C');
    await app.waitForText('filter fact (c)');
    // esc: the filter goes first, then the never-recalled items
    await app.press(KEY.esc);
    await app.waitForText('filter all (c) · never-recalled shown');
    await app.press(KEY.esc);
    await app.waitForText('never-recalled left out');
    // The line says so at the key; the count follows with the search's answer, maybe a frame later.
    await waitFor(() => JSON.stringify(count(app.frame())) === JSON.stringify(['11', '12']), '11 of 12 recalled', { frame: app.frame });
  });

  it('every filter is a kind or a category, and reaches every item', async () => {
    expect(MEMORY_FILTERS.map((f) => f.label)).toEqual(['all', 'fact', 'preference', 'lesson', 'config', 'project', 'decision', 'event', 'narrative', 'digest', 'weekly', 'monthly']);
    const services = fakeServices();
    for (const { label, filter } of MEMORY_FILTERS.slice(2)) {
      const r = await services.memorySearch('', { ...filter, all: true });
      expect(r.hits.length, label).toBeGreaterThan(0);
      expect(r.hits.every((h) => (filter.kind ? h.item.kind === filter.kind : h.item.category === filter.category)), label).toBe(true);
    }
  });

  it('a filter that matches nothing says so', async () => {
    const app = await memory();
    await app.press('c', 'c', 'c', 'c', 'c', 'c', 'c');
    await app.waitForText('filter event (c)');
    await app.press('/');
    await app.type('zzzz qqqq');
    await app.waitForText('Nothing matches "zzzz qqqq" as event; H shows never-recalled items.');
  });

  it('enter shows a fact in full: statement, source, confidence, dates, why it ranks here', async () => {
    const app = await memory();
    await searchFor(app, 'pnpm', 'Use pnpm');
    await app.press(KEY.enter);
    await app.waitForText('Why it ranks here for "pnpm"');
    // the ranking comes with the hit; the record itself is read a moment later
    await app.waitForText('a prompt the person typed');
    const f = app.frame();
    expect(f).toContain(`${PNPM} (j/k scroll, p pin, n never recall, x forget, esc back)`);
    expect(f).toContain('Use pnpm, not npm, in this repository');
    expect(f).toContain('fact · preference · confidence 0.90 · seen in 4 session(s)');
    expect(f).toContain('source: a prompt the person typed · session s-41, line 12');
    expect(f).not.toContain('found by');
    expect(f).toContain('created 2026-03-01 09:00 · last confirmed 2026-03-09 10:00');
    expect(f).toContain('expires never');
    expect(f).toContain('exact match for "pnpm"');
    expect(f).toContain('recency 0.98 (half-life 30 days)');
    expect(f).toMatch(/score 0\.7 × [\d.]+ \+ 0\.15 × 0\.98 \+ 0\.15 × 0\.90 = /);
    expect(app.services.callsOf('memoryDetail')).toContainEqual([PNPM]);
    await app.press(KEY.esc);
    await app.waitForText('result(s) of');
    expect(selected(app.frame())).toContain('Use pnpm');
    // the query is still there
    expect(app.frame()).toContain('/ pnpm');
  });

  it('enter shows a narrative with its Markdown, a digest too, and the summary when the file is missing', async () => {
    const app = await memory();
    await searchFor(app, 'express');
    await waitFor(() => row(app.frame(), 'Fix the missing express') !== '', 'the narrative', { frame: app.frame });
    while (!selected(app.frame()).includes('Fix the missing express')) await app.press('j');
    await app.press(KEY.enter);
    await app.waitForText('## What happened');
    expect(app.frame()).toContain('narrative of session s-41');
    expect(app.frame()).toContain('2026-03-09 16:00 → 2026-03-09 16:40 · 40 call(s), 3 failure(s) · by builtin');
    expect(app.frame()).toContain('source: journal/narratives/2026-03-09/s-41.md');
    expect(app.frame()).toContain('- npm test failed: Cannot find module express');
    await app.press(KEY.esc, KEY.esc, 'c', 'c', 'c', 'c', 'c', 'c', 'c', 'c', 'c', 'c');
    await filteredBy(app, 'weekly');
    await app.press(KEY.enter);
    await app.waitForText('weekly digest 2026-W09 · 2026-02-23 to 2026-03-01');
    expect(app.frame()).toContain('- s-33: fixed the lockfile');
    await app.press(KEY.esc, 'C', 'C');
    await filteredBy(app, 'narrative');
    await app.press('G', KEY.enter);
    await app.waitForText('is missing; the summary:');
    expect(app.frame()).toContain('The integration suite timed out against the local database');
  });

  it('j/k scroll a detail longer than the screen', async () => {
    const services = fakeServices();
    services.memory.markdown['journal/narratives/2026-03-09/s-41.md'] = Array.from({ length: 60 }, (_, n) => `line ${String(n).padStart(2, '0')}`).join('\n');
    const app = await memory({ services });
    await searchFor(app, 'express');
    await waitFor(() => row(app.frame(), 'Fix the missing express') !== '', 'the narrative', { frame: app.frame });
    while (!selected(app.frame()).includes('Fix the missing express')) await app.press('j');
    await app.press(KEY.enter);
    await app.waitForText('line 00');
    expect(app.frame()).not.toContain('line 59');
    await app.press('G');
    await app.waitForText('line 59');
    expect(app.frame()).not.toContain('Fix the missing express module in the test run\n');
    await app.press('g');
    await app.waitForText('narrative of session s-41');
  });

  it('p pins the selected item (it moves up and stays selected), p again unpins it', async () => {
    const app = await memory();
    await waitFor(() => row(app.frame(), 'Use pnpm') !== '', 'the pnpm fact', { frame: app.frame });
    while (!selected(app.frame()).includes('Use pnpm')) await app.press('j');
    await app.press('p');
    await app.waitForText('pinned fact "Use pnpm, not npm, in this repository": it ranks first');
    expect(app.services.callsOf('memoryMark')).toEqual([[PNPM, 'pin']]);
    await waitFor(() => /^› fact\s+preference\s+\S+ P\s+Use pnpm/.test(results(app.frame())[0] ?? ''), 'the pinned fact on top, selected', { frame: app.frame });
    expect(app.services.state.commits[0]!.subject).toBe(`memory: pin ${PNPM}`);
    await app.press('p');
    await app.waitForText('unpinned fact "Use pnpm');
    expect(app.services.callsOf('memoryMark')).toEqual([[PNPM, 'pin'], [PNPM, 'unpin']]);
    await waitFor(() => /preference\s+\S+\s{4}Use pnpm/.test(row(app.frame(), 'Use pnpm')), 'the P mark to go', { frame: app.frame });
  });

  it('n never recalls the item (it leaves the list), H shows it marked, n again recalls it', async () => {
    const app = await memory();
    await searchFor(app, 'port 5433', 'integration database');
    await app.press('n');
    await app.waitForText('never recalled: fact "The integration database listens on por…" (H shows such items)');
    expect(app.services.callsOf('memoryMark')).toEqual([['fact:c3c3c3c3c3c3c3c3', 'hide']]);
    await waitFor(() => row(app.frame(), 'integration database') === '', 'the fact to leave the list', { frame: app.frame });
    await app.press('H');
    await waitFor(() => / H\s+The integration database/.test(row(app.frame(), 'integration database')), 'the H mark', { frame: app.frame });
    await app.press('g', 'n');
    await app.waitForText('recalled again: fact "The integration database');
    expect(app.services.callsOf('memoryMark')).toEqual([['fact:c3c3c3c3c3c3c3c3', 'hide'], ['fact:c3c3c3c3c3c3c3c3', 'unhide']]);
    await waitFor(() => !/ H\s+The integration/.test(row(app.frame(), 'integration database')), 'the H mark to go', { frame: app.frame });
  });

  it('p and n in the detail act on the item shown and show its marks', async () => {
    const app = await memory();
    await app.press('/');
    await app.type('tabs');
    await app.press(KEY.enter, 'H');
    await resultsOf(app, 'tabs', { all: true });
    await waitFor(() => selected(app.frame()).includes('Prefer tabs'), 'the hidden fact', { frame: app.frame });
    await app.press(KEY.enter);
    await app.waitForText(`${TABS} [never recalled]`);
    await app.press('p');
    await app.waitForText(`${TABS} [pinned, never recalled]`);
    await app.press('n');
    await app.waitForText(`${TABS} [pinned]`);
    expect(app.frame()).toContain('expires never (pinned)');
    expect(app.services.callsOf('memoryMark')).toEqual([[TABS, 'pin'], [TABS, 'unhide']]);
  });

  it('p after leaving the detail goes by the item as it is now, not as the detail last saw it', async () => {
    const app = await memory();
    await searchFor(app, 'pnpm', 'Use pnpm');
    await app.press(KEY.enter);
    await app.waitForText('Why it ranks here');
    await app.press(KEY.esc, 'p');
    await app.waitForText('pinned fact "Use pnpm');
    await waitFor(() => / P\s+Use pnpm/.test(row(app.frame(), 'Use pnpm')), 'the P mark', { frame: app.frame });
    await app.press('p');
    await app.waitForText('unpinned fact "Use pnpm');
    expect(app.services.callsOf('memoryMark')).toEqual([[PNPM, 'pin'], [PNPM, 'unpin']]);
  });

  it('x asks before forgetting; n keeps the item, y forgets it with a revertable commit', async () => {
    const app = await memory();
    await searchFor(app, 'release', 'Release v1.4.0');
    await app.press('x');
    await app.waitForText('Forget fact "Release v1.4.0 of shop-api shipped on 2…"? One commit; revert brings it back. [y/N]');
    await app.press('n');
    await app.waitForNoText('[y/N]');
    expect(app.services.callsOf('memoryForget')).toEqual([]);
    expect(row(app.frame(), 'Release v1.4.0')).not.toBe('');
    await app.press('x');
    await app.waitForText('[y/N]');
    await app.press('y');
    await app.waitForText('undo with: nevo-tui revert ');
    expect(app.services.callsOf('memoryForget')).toEqual([['fact:f6f6f6f6f6f6f6f6']]);
    const commit = app.services.state.commits[0]!;
    expect(commit.subject).toBe('memory: forget 1 item(s)');
    expect(app.frame()).toContain(`undo with: nevo-tui revert ${commit.oid.slice(0, 7)} (forgot fact:f6f6f6f6f6f6f6f6)`);
    await waitFor(() => row(app.frame(), 'Release v1.4.0') === '', 'the fact to go', { frame: app.frame });
    // reverting the commit brings it back
    await app.services.revert(commit.oid);
    app.services.fire('data');
    await waitFor(() => row(app.frame(), 'Release v1.4.0') !== '', 'the fact to come back', { frame: app.frame });
  });

  it('x in the detail forgets the item shown and goes back to the list', async () => {
    const app = await memory();
    await app.press('c', 'c', 'c', 'c', 'c', 'c', 'c', 'c', 'c', 'c', 'c');
    await filteredBy(app, 'monthly');
    await app.press(KEY.enter);
    await app.waitForText('monthly digest 2026-02');
    await app.press('x');
    await app.waitForText('Forget digest "February 2026: rules for the build and …"?');
    await app.press('y');
    await app.waitForText('forgot digest:monthly:2026-02');
    expect(app.services.callsOf('memoryForget')).toEqual([['digest:monthly:2026-02']]);
    await app.waitForText('Nothing matches as monthly');
  });

  it('says when memory is empty, and how to fill it', async () => {
    const services = fakeServices(fakeSnapshot(), { facts: [], narratives: [], digests: [], markdown: {} });
    const app = await memory({ services });
    await app.waitForText('Memory is empty: `nevo-tui import` or `nevo-tui memory add` fills it.');
    await app.press('p', 'n', 'x', KEY.enter);
    expect(app.services.callsOf('memoryMark')).toEqual([]);
    expect(app.frame()).not.toContain('[y/N]');
  });

  it('shows why memory cannot be searched', async () => {
    const services = fakeServices();
    services.memorySearch = async () => {
      throw new Error('store/facts.json: unexpected end of JSON\nmore');
    };
    const app = await memory({ services });
    await app.waitForText('Cannot search memory: store/facts.json: unexpected end of JSON');
  });

  it('keeps up with a large memory: 5,000 facts, the index built once, a search per keystroke', async () => {
    const services = fakeServices(fakeSnapshot(), fakeMemory({ facts: 5000 }));
    const app = await memory({ services });
    await app.waitForText('50+ result(s) of 5004');
    await app.press('/');
    await app.type('modle 12 and the rooter');
    // Every word matches, in any order and place: "12" also matches inside "125", so the top hit
    // holds the words, not necessarily the phrase.
    expect((await resultsOf(app, 'modle 12 and the rooter'))[0]!.item.title).toMatch(/12.* module .* and the router|module 12 and the router/);
    expect(services.counts.index).toBe(1);
    expect(services.searches.map((s) => s.query).filter(Boolean)).toHaveLength('modle 12 and the rooter'.length);
    await app.press(KEY.enter, 'G');
    await waitFor(() => /^› /m.test(app.frame()) && !results(app.frame())[0]!.startsWith('›'), 'G to reach the last of 50', { frame: app.frame });
  });
});

describe('the Memory screen at 80x24', () => {
  const rowsOf = (frame: string) => frame.split('\n');
  function expectFits(frame: string, what: string) {
    const lines = rowsOf(frame);
    expect(lines.filter((l) => stringWidth(l) > 80), `${what}: lines wider than 80`).toEqual([]);
    expect(lines.length, `${what}: ${lines.length} lines\n${frame}`).toBeLessThan(24);
    expect(lines.at(-1), what).toMatch(/\? help · q quit$/);
  }

  it('the list, the query, the detail, the help and the confirmation fit', async () => {
    const t = await renderAppInTerminal({ columns: 80, rows: 24, screen: 'memory' });
    await t.waitForText('result(s) of');
    expectFits(t.frame(), 'the list');
    expect(t.frame()).toContain('enter open · / search · c filter · p pin · n never · x forget · ? help · q quit');
    await t.press('/');
    await t.type('run npm ci before npm test in a fresh worktree with a long query');
    await t.waitForText('/ run npm ci');
    // The count and the rows are those of the long query only once its search answered.
    await resultsOf(t, 'run npm ci before npm test in a fresh worktree with a long query');
    expectFits(t.frame(), 'a long query');
    const narrowed = t.frame().match(/\d+ result\(s\) of \d+/)![0];
    await t.press(KEY.esc);
    // The cleared query's results come a moment after esc; enter before them opens nothing.
    await waitFor(() => t.frame().includes('type / to search memory') && !t.frame().includes(narrowed) && t.frame().includes('enter shows it in full'), 'the whole list again', { frame: t.frame });
    await t.press(KEY.enter);
    await t.waitForText('Why it ranks here');
    // The ranking comes with the hit; the record itself is read a moment later, in place of loading….
    await t.waitForNoText('loading…');
    expectFits(t.frame(), 'the detail');
    await t.press(KEY.esc, '/');
    await t.type('express');
    await resultsOf(t, 'express');
    await t.press(KEY.enter);
    await waitFor(() => t.frame().includes('  narrative'), 'the narrative', { frame: t.frame });
    while (!t.frame().includes('› narrative')) await t.press('j');
    await t.press(KEY.enter);
    await t.waitForText('## What happened');
    expectFits(t.frame(), 'a narrative with Markdown');
    await t.press('x');
    await t.waitForText('[y/N]');
    expectFits(t.frame(), 'the forget confirmation');
    await t.press('n', KEY.esc, '?');
    await t.waitForText('Keys on this screen');
    expectFits(t.frame(), 'the help');
    expect(t.frame()).toContain('H                  show never-recalled items too, or not (memory search --all)');
  });

  it('the footer names the keys of the item open, and the list\'s again after esc', async () => {
    const t = await renderAppInTerminal({ columns: 80, rows: 24, screen: 'memory' });
    await t.waitForText('result(s) of');
    const footer = () => rowsOf(t.frame()).at(-1);
    expect(footer()).toBe('enter open · / search · c filter · p pin · n never · x forget · ? help · q quit');
    await t.press(KEY.enter);
    await t.waitForText('Why it ranks here');
    await waitFor(() => footer()!.includes('esc back'), 'the footer of the item open', { frame: t.frame });
    expect(footer()).toBe('j/k scroll · esc back · p pin · n never · x forget · ? help · q quit');
    await t.press('?');
    await t.waitForText('Keys on this screen');
    expect(t.frame()).toContain('back to the list');
    expect(t.frame()).not.toContain('search as you type');
    await t.press('?', KEY.esc);
    await waitFor(() => footer()!.startsWith('enter open'), 'the list\'s footer', { frame: t.frame });
  });

  it('the forget confirmation says all it has to say, wrapped, with its [y/N]', async () => {
    const t = await renderAppInTerminal({ columns: 80, rows: 24, screen: 'memory' });
    await t.waitForText('result(s) of');
    await t.press('x');
    await t.waitForText('[y/N]');
    expectFits(t.frame(), 'the forget confirmation');
    const box = t.frame().split('\n').filter((l) => l.startsWith('│')).map((l) => l.slice(1, -1).trim()).join(' ');
    expect(box).toMatch(/^Forget \S+ ".+"\? One commit; revert brings it back\. \[y\/N\]$/);
    await t.press('n');
    await t.waitForNoText('[y/N]');
    expect(t.services.callsOf('memoryForget')).toEqual([]);
  });

  it('a 60-column terminal keeps every row in bounds', async () => {
    const t = await renderAppInTerminal({ columns: 60, rows: 20, screen: 'memory', theme: monoTheme });
    await t.waitForText('result(s) of');
    expect(rowsOf(t.frame()).filter((l) => stringWidth(l) > 60)).toEqual([]);
    expect(t.frame()).toMatch(/^> fact/m);
  });
});

describe('the pieces of the Memory screen', () => {
  it('age reads minutes, hours, days and years', () => {
    expect([0.01, 0.5, 3.7, 400, Infinity].map(age)).toEqual(['14m', '12h', '3d', '1y', '?']);
  });

  it('wrap breaks on spaces, cuts words longer than a line, keeps indentation', () => {
    expect(wrap('one two three four', 9)).toEqual(['one two', 'three', 'four']);
    expect(wrap('abcdefghijklmnopq x', 8)).toEqual(['abcdefgh', 'ijklmnop', 'q x']);
    expect(wrap('a\n\nb', 20)).toEqual(['a', '', 'b']);
    expect(wrap('  - one two three', 10)).toEqual(['  - one', '  two', '  three']);
  });

  it('counts terminal cells: wide scripts take two, combining marks none', () => {
    expect(cellWidth('pnpm')).toBe(4);
    expect(cellWidth('最新の状態')).toBe(10);
    expect(cellWidth('e\u0301')).toBe(1);
    // emoji a terminal draws two cells wide, below U+1F000 too; marks such as ✓ and ● take one
    expect(cellWidth('⛔✅❌⭐')).toBe(8);
    expect(cellWidth('✓✗●›⊘')).toBe(5);
    expect(fitCells('最新の状態にアップデート', 9)).toBe('最新の状…');
    expect(cellWidth(padCells('最新の状態にアップデート', 9))).toBe(9);
    expect(cellWidth(padCells('ab', 9))).toBe(9);
    for (const line of wrap('CLAUDE.md を最新の状態にアップデートしてください。サブエージェントの構成も確認する', 20)) expect(cellWidth(line)).toBeLessThanOrEqual(20);
  });

  it('a title in a wide script keeps the score column in place', async () => {
    const services = fakeServices();
    services.memory.narratives[0]!.title = '/orchestrator @CLAUDE.md を最新の状態にアップデートしてください';
    const t = await renderAppInTerminal({ columns: 80, rows: 24, screen: 'memory', services });
    await t.waitForText('/orchestrator');
    const rows = results(t.frame());
    const widths = new Set(rows.map((r) => stringWidth(r)));
    expect(widths.size, [...widths].join(' ')).toBe(1);
    expect([...widths][0]).toBeLessThanOrEqual(80);
    expect(rows.find((r) => r.includes('/orchestrator'))).toMatch(/… {0,1} +0\.\d\d$/);
  });

  it("the detail of a self-review finding shows its metadata: error type, occurrences, the rule proposed", async () => {
    const services = fakeServices();
    const [hit] = (await services.memorySearch('pnpm', {})).hits;
    const record = { ...services.memory.facts[0]!, meta: { errorType: 'module not found', occurrences: 3, sessions: 3, proposal: 'PROJ-002' } };
    const lines = detailLines(hit!, { id: hit!.item.id, kind: 'fact', markdown: null, record }, 'pnpm', 120).map((l) => l.text);
    expect(lines).toContain('metadata: errorType module not found · occurrences 3 · sessions 3 · proposal PROJ-002');
    expect(detailLines(hit!, { id: hit!.item.id, kind: 'fact', markdown: null, record: services.memory.facts[0]! }, 'pnpm', 80).some((l) => l.text.startsWith('metadata'))).toBe(false);
  });

  it('the detail says when the item is gone', async () => {
    const services = fakeServices();
    const [hit] = (await services.memorySearch('pnpm', {})).hits;
    expect(detailLines(hit!, null, 'pnpm', 80)[0]!.text).toContain('no longer in memory');
    expect(detailLines(hit!, undefined, 'pnpm', 80)[0]!.text).toBe('loading…');
  });
});
