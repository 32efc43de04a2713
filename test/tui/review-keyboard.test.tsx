// Working through a queue at the keyboard, one key a decision: a approves, r and a digit rejects
// for a reason given before, s skips, u undoes the last decision of the session.
import { describe, expect, it } from 'vitest';
import type { Rule } from '../../src/rules/rule.js';
import { fakeServices, fakeSnapshot, pendingFact, RULES } from './fake-services.js';
import { KEY, renderAppInTerminal } from './helpers.js';

const at80x24 = (services = fakeServices()) => renderAppInTerminal({ screen: 'review', columns: 80, rows: 24, services });

/** A queue of `n` proposals (PROJ-101...), after the fixture's rules, two of them rejected with reasons. */
function queueOf(n: number) {
  const snapshot = fakeSnapshot();
  const base = RULES.find((r) => r.id === 'PROJ-004')!;
  const proposals: Rule[] = Array.from({ length: n }, (_, k) => ({ ...structuredClone(base), id: `PROJ-${101 + k}`, title: `Proposal number ${101 + k}`, file: `rules/PROJ-${101 + k}.md`, incidents: [] }));
  snapshot.rules = [...snapshot.rules.filter((r) => r.status !== 'proposed'), { ...structuredClone(base), id: 'PROJ-090', title: 'Old one', status: 'rejected', reason: 'the agent did not cause it' }, ...proposals];
  snapshot.commits.unshift({ oid: 'f'.repeat(40), message: 'rules: reject PROJ-090 (x)\n', subject: 'rules: reject PROJ-090 (x)', author: 'nevo', email: 'nevo@localhost', time: '2026-03-10T11:00:00.000Z', parents: [snapshot.commits[0]!.oid] });
  return fakeServices(snapshot);
}

describe('reviewing with the keyboard alone', () => {
  it('r offers the recent reject reasons by number; one digit rejects with it', async () => {
    const app = await at80x24(queueOf(3));
    await app.press('r');
    await app.waitForText('Why reject PROJ-101? 1-9 or type:');
    // Newest rejection first: PROJ-090's (its reject is the newest commit), then PROJ-006's.
    expect(app.frame()).toMatch(/│ ?1 the agent did not cause it/);
    expect(app.frame()).toMatch(/│ ?2 too vague to act on/);
    // The footer says what the keys do here; the screen's keys do not apply while typing.
    expect(app.frame()).toContain('1-9 recent reason · enter reject · esc cancel');
    expect(app.frame()).not.toContain('q quit');
    await app.press('2');
    await app.waitForText('PROJ-101 rejected (commit');
    expect(app.services.callsOf('reject')).toEqual([['PROJ-101', 'too vague to act on']]);
    await app.waitForText('Proposal number 102');
  });

  it('before any rejection, r asks for a reason to type, with no numbers to pick', async () => {
    const services = fakeServices();
    services.state.rules = services.state.rules.filter((r) => r.status !== 'rejected');
    const app = await at80x24(services);
    await app.press('r');
    await app.waitForText('Why reject PROJ-004?');
    expect(app.frame()).not.toContain('1-9');
    await app.type('1 is not enough');
    await app.press(KEY.enter);
    await app.waitForText('PROJ-004 rejected (commit');
    expect(app.services.callsOf('reject')).toEqual([['PROJ-004', '1 is not enough']]);
  });

  it('takes a reason typed quickly with its enter in one chunk, as a key repeat or a busy app delivers it', async () => {
    const app = await at80x24(fakeServices());
    await app.press('r');
    await app.waitForText('Why reject PROJ-004?');
    await app.press('not a mistake of the agent\r');
    await app.waitForText('PROJ-004 rejected (commit');
    expect(app.services.callsOf('reject')).toEqual([['PROJ-004', 'not a mistake of the agent']]);
  });

  it('a digit typed after other text is text, and enter rejects with what was typed', async () => {
    const app = await at80x24(queueOf(2));
    await app.press('r');
    await app.waitForText('Why reject PROJ-101?');
    await app.type('dup of 2');
    await app.waitForText('dup of 2');
    await app.press(KEY.enter);
    await app.waitForText('PROJ-101 rejected (commit');
    expect(app.services.callsOf('reject')).toEqual([['PROJ-101', 'dup of 2']]);
  });

  it('works through 20 proposals: approve, reject with a recent reason, skip, each one key; the skipped come back at the end', async () => {
    const app = await at80x24(queueOf(20));
    await app.waitForText('1 of 20');
    const plan: ('a' | 'r' | 's')[] = Array.from({ length: 20 }, (_, k) => (k % 3 === 0 ? 'a' : k % 3 === 1 ? 'r' : 's'));
    for (const [k, key] of plan.entries()) {
      await app.waitForText(`Proposal number ${101 + k}`);
      if (key === 'r') {
        await app.press('r');
        await app.waitForText('Why reject');
        await app.press('1');
      } else await app.press(key);
      await app.waitForNoText(`Proposal number ${101 + k} `);
    }
    const skipped = plan.flatMap((key, k) => (key === 's' ? [`PROJ-${101 + k}`] : []));
    await app.waitForText(`Proposal number ${skipped[0]!.slice(5)}`);
    expect(app.frame()).toContain(`1 of ${skipped.length}`);
    expect(app.services.callsOf('approve').map(([id]) => id)).toEqual(plan.flatMap((key, k) => (key === 'a' ? [`PROJ-${101 + k}`] : [])));
    expect(app.services.callsOf('reject')).toEqual(plan.flatMap((key, k) => (key === 'r' ? [[`PROJ-${101 + k}`, 'the agent did not cause it']] : [])));
  }, 120_000);

  it('u undoes a rejection: the proposal comes back, shown, and its reason leaves the recent ones', async () => {
    const app = await at80x24(queueOf(3));
    await app.press('r');
    await app.waitForText('Why reject PROJ-101?');
    await app.press('1');
    await app.waitForText('PROJ-101 rejected (commit');
    await app.press('a');
    await app.waitForText('PROJ-102 active (commit');
    await app.waitForText('Proposal number 103');
    await app.press('u');
    await app.waitForText('PROJ-102 is back: reverted rules: approve PROJ-102');
    await app.waitForText('Proposal number 102');
    await app.press('u');
    await app.waitForText('PROJ-101 is back: reverted rules: reject PROJ-101');
    await app.waitForText('Proposal number 101');
    expect(app.services.callsOf('revert')).toHaveLength(2);
    expect(app.services.state.rules.find((r) => r.id === 'PROJ-101')).toMatchObject({ status: 'proposed' });
    await app.press('u');
    await app.waitForText('Nothing to undo in this session.');
  });

  it('u undoes an edit made from Review, and a decided fact', async () => {
    const snapshot = fakeSnapshot();
    snapshot.pendingFacts = [pendingFact()];
    const app = await at80x24(fakeServices(snapshot));
    await app.press('e');
    await app.waitForText('Editing PROJ-004');
    await app.press(KEY.enter);
    await app.type(' now');
    await app.press(KEY.enter, KEY.ctrlS);
    await app.waitForText('PROJ-004 saved (commit');
    await app.press('u');
    await app.waitForText('PROJ-004 is back: reverted rules: edit PROJ-004');
    expect(app.services.state.rules.find((r) => r.id === 'PROJ-004')!.title).toBe('Install node modules before running the test suite');
    await app.press('G');
    await app.waitForText('Proposed preference');
    await app.press('a');
    await app.waitForText('is yours: recalled from now on');
    await app.press('u');
    await app.waitForText('fact:5e1f00d2a9c4b7e3 is back: reverted memory: approve proposed preference');
    await app.waitForText('Proposed preference');
  });
});
