// Text wrapped over lines never starts a line with the space it broke at. Ink's own wrapping
// (wrap-ansi, trim off) carries that space to the next line when a line is exactly full; the
// screens wrap their sentences themselves.
import { describe, expect, it } from 'vitest';
import { NEVO_HOOK_EVENTS } from '../../src/detect/hooks-settings.js';
import { SCREENS } from '../../src/tui/keymap.js';
import { fakeServices, pendingFact } from './fake-services.js';
import { KEY, renderAppInTerminal, SCREEN_TEXT, tick, waitFor } from './helpers.js';

type Term = Awaited<ReturnType<typeof renderAppInTerminal>>;

/** Lines (the header of tabs left out, which starts with a space by design) that start with one space and then a word. */
const startingWithASpace = (frame: string) => frame.split('\n').slice(1).filter((l) => /^ \S/.test(l));

/** Every width from `from` to `to`: resizes, waits for the new frame, and collects the lines that start with a space. */
async function acrossWidths(t: Term, from: number, to: number, rows: number, text: string): Promise<string[]> {
  const bad: string[] = [];
  for (let w = from; w <= to; w++) {
    const n = t.stdout.frames.length;
    t.stdout.resize(w, rows);
    await waitFor(() => t.stdout.frames.length > n, `a frame at ${w} columns`, { frame: t.frame });
    await tick();
    await waitFor(() => t.frame().replace(/\s+/g, ' ').includes(text), `${JSON.stringify(text)} at ${w} columns`, { frame: t.frame });
    bad.push(...startingWithASpace(t.frame()).map((l) => `${w}: ${l}`));
  }
  return bad;
}

describe('wrapped text', () => {
  it("Watch's empty state, hooks installed or not, at every width from 60 to 100 columns", async () => {
    for (const installed of [true, false]) {
      const services = fakeServices();
      services.state.events = [];
      if (!installed) services.state.hooks = { files: [], missing: [...NEVO_HOOK_EVENTS], unreadable: [] };
      const t = await renderAppInTerminal({ columns: 100, rows: 24, services });
      expect(await acrossWidths(t, 60, 100, 24, 'No events yet')).toEqual([]);
    }
  });

  it('the notice below the smallest size, at every width under it', async () => {
    const t = await renderAppInTerminal({ columns: 59, rows: 12, ready: false });
    expect(await acrossWidths(t, 20, 59, 12, 'nevo-tui needs at least')).toEqual([]);
  });

  it("Review's proposed fact and the empty queue, at every width from 60 to 100 columns", async () => {
    const services = fakeServices();
    services.state.rules = services.state.rules.filter((r) => r.status !== 'proposed');
    services.state.pendingFacts = [{ ...pendingFact(), statement: 'Always run the end-to-end suite against a fresh database before pushing to the main branch of shop-api.' }];
    const t = await renderAppInTerminal({ columns: 100, rows: 24, services, screen: 'review' });
    expect(await acrossWidths(t, 60, 100, 24, 'Proposed preference')).toEqual([]);
    await t.press('a');
    expect(await acrossWidths(t, 60, 100, 24, 'No proposals to review')).toEqual([]);
  });

  it('on every screen, at every width from 60 to 100 columns', async () => {
    const t = await renderAppInTerminal({ columns: 100, rows: 24 });
    const bad: string[] = [];
    for (const s of SCREENS) {
      await t.press(s.key);
      await t.waitForText(SCREEN_TEXT[s.id]);
      bad.push(...(await acrossWidths(t, 60, 100, 24, SCREEN_TEXT[s.id])).map((l) => `${s.id} ${l}`));
    }
    expect(bad).toEqual([]);
  });
});

describe('a field being edited', () => {
  it('breaks after a space, so no line starts with it, and keeps every character on one line', async () => {
    const { fieldLines } = await import('../../src/tui/components/TextField.js');
    const value = 'Call the Task tool with exactly the parameters and types its schema requires; check them before the call.';
    for (let room = 8; room <= 60; room++) {
      const lines = fieldLines(value, room);
      expect(lines.map((l) => value.slice(l.start, l.end)).join(''), `room ${room}`).toBe(value);
      for (const l of lines) {
        expect(value.slice(l.start, l.end).trimEnd().length, `room ${room}`).toBeLessThanOrEqual(room);
        expect(l.end - l.start, `room ${room}`).toBeLessThanOrEqual(room + 1);
        expect(value[l.start], `room ${room}`).not.toBe(' ');
      }
    }
    expect(fieldLines('', 10)).toEqual([{ start: 0, end: 0 }]);
    expect(fieldLines('abcdefghijkl', 5).map((l) => l.end - l.start)).toEqual([5, 5, 2]);
  });
});

describe('at 80 columns nothing of a sentence is cut', () => {
  it("Watch's counts and an incident's detail: every number whole, shortened wording instead of an ellipsis", async () => {
    const t = await renderAppInTerminal({ columns: 80, rows: 24 });
    await t.waitForText('to review');
    const counts = t.frame().split('\n').find((l) => l.includes('to review'))!;
    expect(counts).toMatch(/\d+ (?:active rule\(s\)|rules)\s*$/);
    await t.press('4');
    await t.waitForText('incident(s)');
    await t.press(KEY.enter);
    await t.waitForText('Sample');
    const top = t.frame().split('\n').slice(1, 5).join('\n');
    expect(top).toMatch(/last \d{4}-\d\d-\d\d \d\d:\d\d/);
    expect(top).not.toContain('…');
  });
});
