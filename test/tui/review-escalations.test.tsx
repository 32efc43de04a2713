import { describe, expect, it } from 'vitest';
import { breakerText } from '../../src/gate/gate.js';
import type { Incident } from '../../src/store/schemas.js';
import { helpRows } from '../../src/tui/keymap.js';
import { parseEscalation, wrapLines } from '../../src/gate/escalations.js';
import { fakeServices, fakeSnapshot } from './fake-services.js';
import { KEY, renderApp, renderAppInTerminal } from './helpers.js';

const OUTPUT = ['Exit code 1', 'FAIL test/api.test.ts > GET /health', 'AssertionError: expected 500 to be 200', ...Array.from({ length: 30 }, (_, n) => `  at line ${n + 1} of a long stack`)].join('\n');

function escalation(over: Partial<Incident> = {}): Incident {
  return {
    id: '2026-03-10-9e9e',
    fingerprint: 'fp-breaker-gate',
    signature: 'Circuit breaker: the gate stage <name> did not pass',
    category: 'breaker',
    signal: 'breaker',
    tool: 'breaker:gate',
    sample: { error: breakerText('test', 3, OUTPUT), event: 'e-gate', time: '2026-03-10T12:00:00.000Z' },
    count: 2,
    sessions: ['s-41', 's-42'],
    firstSeen: '2026-03-09T10:00:00.000Z',
    lastSeen: '2026-03-10T12:00:00.000Z',
    recurring: true,
    status: 'new',
    rules: [],
    skills: [],
    reopened: 0,
    daily: {},
    ...over,
  };
}

function servicesWith(...incidents: Incident[]) {
  const snapshot = fakeSnapshot();
  snapshot.incidents.push(...incidents);
  return fakeServices(snapshot);
}

describe('gate escalations in the Review screen', () => {
  it('come first, with the stage, the iterations, count, last seen and the last output', async () => {
    const app = await renderApp({ services: servicesWith(escalation()), screen: 'review' });
    const f = app.frame();
    expect(f).toContain('Gate escalation');
    expect(f).toContain('2026-03-10-9e9e (new)  1 of 3, then 2 proposal(s)');
    expect(f).toContain('stage        test');
    expect(f).toContain('iterations   3 (2 refine run(s)), still failing');
    expect(f).toContain('count        2 in 2 session(s)');
    expect(f).toContain('first / last 2026-03-09 10:00 / 2026-03-10 12:00');
    expect(f).toContain('Last output');
    expect(f).toContain('AssertionError: expected 500 to be 200');
    expect(f).not.toContain('PROJ-004 Install node modules');
    expect(f).toContain('2 Review (3)');
  });

  it('x asks a reason and dismisses it; then the proposals follow', async () => {
    const app = await renderApp({ services: servicesWith(escalation()), screen: 'review' });
    await app.press('x');
    await app.waitForText('Why dismiss the gate escalation 2026-03-10-9e9e?');
    await app.type('flaky CI runner');
    await app.waitForText('flaky CI runner');
    await app.press(KEY.enter);
    await app.waitForText('2026-03-10-9e9e dismissed');
    expect(app.services.callsOf('dismiss')).toEqual([['2026-03-10-9e9e', 'flaky CI runner']]);
    await app.waitForText('PROJ-004 Install node modules before running the test suite  1 of 2');
    expect(app.frame()).not.toContain('Gate escalation');
  });

  it('u undoes the dismissal: the escalation comes back, shown', async () => {
    const app = await renderApp({ services: servicesWith(escalation()), screen: 'review' });
    await app.press('x');
    await app.waitForText('Why dismiss the gate escalation 2026-03-10-9e9e?');
    await app.type('flaky');
    await app.press(KEY.enter);
    await app.waitForText('2026-03-10-9e9e dismissed');
    await app.waitForText('PROJ-004 Install node modules');
    await app.press('u');
    await app.waitForText('2026-03-10-9e9e is back: reverted incidents: dismiss 2026-03-10-9e9e');
    await app.waitForText('Gate escalation');
    expect(app.services.state.incidents.find((i) => i.id === '2026-03-10-9e9e')!.status).toBe('new');
  });

  it('x with an empty reason dismisses nothing', async () => {
    const app = await renderApp({ services: servicesWith(escalation()), screen: 'review' });
    await app.press('x');
    await app.waitForText('Why dismiss the gate escalation');
    await app.type('  ');
    await app.press(KEY.enter);
    await app.waitForText('Not dismissed: a reason is needed.');
    expect(app.services.callsOf('dismiss')).toEqual([]);
    expect(app.frame()).toContain('Gate escalation');
  });

  it('s skips to the proposals; the escalation comes back at the end', async () => {
    const app = await renderApp({ services: servicesWith(escalation()), screen: 'review' });
    await app.press('s');
    await app.waitForText('PROJ-004 Install node modules before running the test suite  1 of 3');
    await app.press('G');
    await app.press('j', 'j');
    await app.waitForText('Gate escalation');
    expect(app.frame()).toContain('3 of 3');
    expect(app.services.calls).toEqual([]);
  });

  it('a, r and e do not act on an escalation; x does not act on a proposal', async () => {
    const app = await renderApp({ services: servicesWith(escalation()), screen: 'review' });
    await app.press('a');
    await app.waitForText('A gate escalation is not a proposal');
    await app.press('r', 'e');
    expect(app.frame()).not.toContain('Why reject');
    expect(app.frame()).not.toContain('Editing');
    await app.press('s');
    await app.waitForText('PROJ-004 Install node modules');
    await app.press('x');
    await app.waitForText('x dismisses a gate escalation; r rejects a proposal.');
    expect(app.services.calls).toEqual([]);
  });

  it('leaves out dismissed, ruled and skilled breaker incidents and other signals', async () => {
    const closed = (['dismissed', 'ruled', 'skilled'] as const).map((status, n) => escalation({ id: `2026-03-10-000${n}`, status }));
    const app = await renderApp({ services: servicesWith(...closed, escalation({ id: '2026-03-10-0009', signal: 'quality' })), screen: 'review' });
    expect(app.frame()).toContain('PROJ-004 Install node modules before running the test suite  1 of 2');
    expect(app.frame()).not.toContain('Gate escalation');
  });

  it('shows analyzed and proposed escalations too, the newest first', async () => {
    const older = escalation({ id: '2026-03-08-aaaa', status: 'analyzed', lastSeen: '2026-03-08T09:00:00.000Z', sample: { error: breakerText('lint', 2, 'Exit code 2\nno-unused-vars'), event: 'e', time: '2026-03-08T09:00:00.000Z' } });
    const app = await renderApp({ services: servicesWith(older, escalation({ status: 'proposed' })), screen: 'review' });
    expect(app.frame()).toContain('stage        test');
    expect(app.frame()).toContain('2026-03-10-9e9e (proposed)  1 of 4, then 2 proposal(s)');
    await app.press('j');
    await app.waitForText('stage        lint');
    expect(app.frame()).toContain('iterations   2 (1 refine run(s)), still failing');
    expect(app.frame()).toContain('2026-03-08-aaaa (analyzed)  2 of 4');
    expect(app.frame()).toContain('no-unused-vars');
  });

  it('fits 80x24, the long output cut with a note', async () => {
    const t = await renderAppInTerminal({ columns: 80, rows: 24, screen: 'review', services: servicesWith(escalation({ sample: { error: breakerText('test', 3, `${'x'.repeat(200)}\n${OUTPUT}`), event: 'e', time: '2026-03-10T12:00:00.000Z' } })) });
    const lines = t.frame().split('\n');
    expect(lines.length).toBeLessThan(24);
    for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(80);
    expect(t.frame()).toContain('Gate escalation');
    expect(t.frame()).toMatch(/… \d+ more row\(s\)/);
    await t.press('x');
    await t.waitForText('Why dismiss');
    expect(t.frame().split('\n').length).toBeLessThan(24);
  });

  it('are counted on the Watch screen with the proposals', async () => {
    const app = await renderApp({ services: servicesWith(escalation()) });
    // Whole, in the shorter wording when the long one does not fit the line.
    expect(app.frame()).toMatch(/1 (?:gate )?escalation\(s\), 2 proposal\(s\) to review · 3 new incident\(s\)/);
  });

  it('x dismiss is in Review help, which stays within 19 rows', () => {
    const rows = helpRows('review');
    expect(rows.map((r) => r.keys)).toContain('x');
    expect(rows.length).toBeLessThanOrEqual(19);
  });
});

describe('the breaker text', () => {
  it('is read back into stage, iterations, refines and output', () => {
    expect(parseEscalation(breakerText('build', 4, 'Exit code 1\nboom'))).toEqual({ stage: 'build', iterations: 4, refines: 3, output: 'Exit code 1\nboom' });
    expect(parseEscalation('something else')).toEqual({ stage: null, iterations: null, refines: null, output: 'something else' });
  });

  it('output is wrapped at the width and cut to the rows', () => {
    expect(wrapLines('abcdefghijklmnop\nq', 10, 5)).toEqual(['abcdefghij', 'klmnop', 'q']);
    const cut = wrapLines(Array.from({ length: 10 }, (_, n) => `line ${n}`).join('\n'), 40, 4);
    expect(cut).toEqual(['line 0', 'line 1', 'line 2', '… 7 more row(s)']);
  });
});
