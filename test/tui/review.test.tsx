import { describe, expect, it } from 'vitest';
import { fakeServices, fakeSnapshot, pendingFact } from './fake-services.js';
import { KEY, renderApp, renderAppInTerminal, waitFor } from './helpers.js';

/**
 * Review in a terminal tall enough for a whole proposal (j/k then move between proposals), and
 * just under 100 columns, so the evidence has the whole width and its lines are not cut short.
 */
const review = (services?: ReturnType<typeof fakeServices>) => renderAppInTerminal({ screen: 'review', columns: 99, rows: 60, ...(services ? { services } : {}) });

describe('the Review screen', () => {
  it('shows the first proposal with its trigger, enforcement, verification, guard and novelty', async () => {
    const app = await review();
    const f = app.frame();
    expect(f).toContain('PROJ-004 Install node modules before running the test suite  1 of 2');
    expect(f).toContain('Install the node modules with npm ci before running the test suite.');
    expect(f).toContain('trigger      before npm test in a new worktree');
    expect(f).toContain('enforcement  run npm ci before npm test');
    expect(f).toContain('verification npm test starts without module errors');
    expect(f).toContain('guard        Bash ^npm test -- --bail');
    expect(f).toContain('novelty      overlaps PROJ-002 (0.64)');
  });

  it('shows a program guard with its backtest, and a guard left out with why', async () => {
    const services = fakeServices();
    const rule = services.state.rules.find((r) => r.id === 'PROJ-004')!;
    rule.guard = { tool: 'Bash', program: 'tree' };
    rule.backtest = { failuresBlocked: 2, failuresTotal: 2, successesBlocked: 0, successesTotal: 131 };
    const app = await review(services);
    expect(app.frame()).toContain('guard        Bash runs `tree`');
    expect(app.frame()).toContain('backtest     would have blocked 2 of 2 past failures, 0 of 131 past');
    delete rule.guard;
    rule.backtest = { failuresBlocked: 1, failuresTotal: 1, successesBlocked: 3, successesTotal: 40, dropped: 'it would have blocked 3 of 40 past Bash calls that worked' };
    const again = await review(services);
    expect(again.frame()).toContain('guard        none: the rule reaches the agent as text only');
    expect(again.frame()).toContain('backtest     guard left out: it would have blocked 3 of 40 past Bash calls');
  });

  it('shows the evidence: incident, count and sessions, first and last seen, the sample error', async () => {
    const app = await review();
    const f = app.frame();
    expect(f).toContain('Evidence');
    expect(f).toMatch(/incident\s+2026-03-09-a1b2 \(missing-dependenc/);
    expect(f).toContain('count        14 in 4 session(s)');
    expect(f).toContain('first / last 2026-03-02 08:15 / 2026-03-10 09:40');
    expect(f).toContain("sample error Error: Cannot find module 'express");
    expect(f).toContain('target       npm test');
  });

  it('shows the closest existing rule beside the proposal from 100 columns', async () => {
    const app = await renderApp({ screen: 'review' });
    const f = app.frame();
    expect(f).toContain('Closest existing rule');
    expect(f).toMatch(/Evidence {2,}Closest existing rule/);
    expect(f).toMatch(/PROJ-002\s+active · similarity 0\.\d\d/);
    expect(f).toContain('Install dependencies with npm ci before running');
  });

  it('warns when a proposal contradicts a rule, and says how', async () => {
    const app = await review();
    await app.press('j');
    await app.waitForText('PROJ-005');
    expect(app.frame()).toMatch(/CONTRADICTS {2}PROJ-007 \(deprecated\): /);
    expect(app.frame()).toContain('2 of 2');
  });

  it('moves between proposals with j/k and the arrows', async () => {
    const app = await review();
    await app.press('j');
    await app.waitForText('PROJ-005 Give slow integration suites');
    await app.press('j'); // stays on the last
    await app.press('k');
    await app.waitForText('PROJ-004 Install node modules');
    await app.press(KEY.down);
    await app.waitForText('PROJ-005 Give slow integration suites');
    await app.press(KEY.up);
    await app.waitForText('PROJ-004 Install node modules');
  });

  it('a approves: the service is called and the next proposal comes up', async () => {
    const app = await review();
    await app.press('a');
    await app.waitForText('PROJ-005 Give slow integration suites');
    expect(app.services.callsOf('approve')).toEqual([['PROJ-004']]);
    await app.waitForText('PROJ-004 active (commit');
    expect(app.frame()).toContain('1 of 1');
    // The tab's count comes with the reload after the decision, a moment after its message.
    await app.waitForText('2 Review (1)');
  });

  it('r asks why, then rejects with that reason', async () => {
    const app = await review();
    await app.press('r');
    await app.waitForText('Why reject PROJ-004?');
    await app.type('duplicate of PROJ-002');
    await app.waitForText('duplicate of PROJ-002');
    await app.press(KEY.enter);
    await app.waitForText('PROJ-004 rejected (commit');
    expect(app.services.callsOf('reject')).toEqual([['PROJ-004', 'duplicate of PROJ-002']]);
    await app.waitForText('PROJ-005 Give slow integration suites a longer timeout  1 of 1');
  });

  it('r with an empty reason does not reject', async () => {
    const app = await review();
    await app.press('r');
    await app.waitForText('Why reject PROJ-004?');
    await app.type('   ');
    await app.press(KEY.enter);
    await app.waitForText('Not rejected: a reason is needed.');
    expect(app.services.callsOf('reject')).toEqual([]);
    expect(app.frame()).toContain('PROJ-004 Install node modules');
  });

  it('esc in the reason prompt cancels the rejection', async () => {
    const app = await review();
    await app.press('r');
    await app.waitForText('Why reject PROJ-004?');
    await app.type('nope');
    await app.press(KEY.esc);
    await app.waitForNoText('Why reject PROJ-004?');
    expect(app.services.callsOf('reject')).toEqual([]);
    // the keys work again
    await app.press('j');
    await app.waitForText('PROJ-005 Give slow');
  });

  it('s skips: the next proposal comes up and the skipped one comes back at the end', async () => {
    const app = await review();
    await app.press('s');
    await app.waitForText('Skipped PROJ-004; it comes back at the end.');
    await app.waitForText('PROJ-005 Give slow integration suites');
    expect(app.frame()).toContain('1 of 2');
    await app.press('j');
    await app.waitForText('PROJ-004 Install node modules');
    expect(app.frame()).toContain('2 of 2');
    expect(app.services.calls).toEqual([]);
  });

  it('keeps a skipped proposal at the back after a visit to another screen', async () => {
    const app = await review();
    await app.press('s');
    await app.waitForText('Skipped PROJ-004');
    await app.press('3');
    await app.waitForText('active ones take about');
    await app.press('2');
    await app.waitForText('PROJ-005 Give slow integration suites');
    expect(app.frame()).toContain('1 of 2');
  });

  it('goes to the last and first proposal with G and g, and a page at a time is one proposal', async () => {
    const app = await review();
    await app.press('G');
    await app.waitForText('2 of 2');
    await app.press('g');
    await app.waitForText('1 of 2');
    await app.press(KEY.pageDown);
    await app.waitForText('2 of 2');
    await app.press(KEY.pageUp);
    await app.waitForText('1 of 2');
  });

  it('e opens the editor on the proposal; esc comes back to it', async () => {
    const app = await review();
    await app.press('e');
    await app.waitForText('Editing PROJ-004');
    expect(app.frame()).toMatch(/title\s+Install node modules before running the test suite/);
    await app.press(KEY.esc);
    await app.waitForText('PROJ-004 Install node modules before running the test suite  1 of 2');
    expect(app.services.calls).toEqual([]);
  });

  it('an edit made from Review is saved with ctrl+s', async () => {
    const app = await review();
    await app.press('e');
    await app.waitForText('Editing PROJ-004');
    // In the editor, enter edits the selected field, as the editor's header and footer say.
    expect(app.frame()).toContain('enter edit field');
    expect(app.frame()).not.toContain('a approve');
    await app.press(KEY.enter);
    await app.waitForText('editing title');
    await app.type(' first');
    await app.press(KEY.enter);
    await app.waitForNoText('editing title');
    await app.press(KEY.ctrlS);
    await app.waitForText('PROJ-004 saved (commit');
    expect(app.services.callsOf('edit')).toEqual([['PROJ-004', expect.objectContaining({ title: 'Install node modules before running the test suite first' })]]);
    await app.waitForText('PROJ-004 Install node modules before running the test suite first');
  });

  it('u undoes the last decision with a revert of its commit', async () => {
    const app = await review();
    await app.press('a');
    await app.waitForText('PROJ-004 active (commit');
    await app.waitForText('1 of 1');
    const approval = app.services.state.commits.find((c) => c.subject === 'rules: approve PROJ-004')!;
    expect(approval).toBeDefined();
    await app.press('u');
    await app.waitForText('PROJ-004 is back: reverted rules: approve PROJ-004');
    expect(app.services.callsOf('revert')).toEqual([[approval.oid]]);
    // the proposal is back
    await app.waitForText('1 of 2');
    expect(app.frame()).toContain('PROJ-004 Install node modules');
  });

  it('u with no decision made says there is nothing to undo', async () => {
    const app = await review();
    await app.press('u');
    await app.waitForText('Nothing to undo in this session.');
    expect(app.services.calls).toEqual([]);
  });

  it('says so when no proposals remain', async () => {
    const app = await review();
    await app.press('a');
    await app.waitForText('PROJ-005 Give slow integration suites a longer timeout  1 of 1');
    await app.press('a');
    await app.waitForText('No proposals to review.');
    expect(app.services.callsOf('approve')).toEqual([['PROJ-004'], ['PROJ-005']]);
    expect(app.frame()).toContain('u undoes your last decision.');
    await app.waitForNoText('Review (');
    // a, r, s, e do nothing more
    await app.press('a', 'r', 's', 'e');
    expect(app.services.callsOf('approve')).toHaveLength(2);
    expect(app.frame()).not.toContain('Why reject');
  });

  it('shows the failure when a decision cannot be made', async () => {
    const services = fakeServices();
    services.approve = async () => {
      throw new Error('rules/PROJ-004.md: not saved:\n  - body is empty');
    };
    const app = await renderApp({ services, screen: 'review' });
    await app.press('a');
    await app.waitForText('approve PROJ-004 failed: rules/PROJ-004.md: not saved:   - body is empty');
    await waitFor(() => app.frame().includes('PROJ-004 Install node modules'), 'the proposal to stay');
  });
});

describe('a preference the agent proposed, in the Review queue', () => {
  it('comes after the rules, says who proposed it, and a takes it as the person\'s own', async () => {
    const { app, services } = await openProposedFact();
    expect(app.frame()).toContain('2 Review (3)');
    expect(app.frame()).toContain('Proposed preference · fact:5e1f00d2a9c4b7e3 · 3 of 3');
    expect(app.frame()).toContain('Always run the e2e suite before pushing to main.');
    expect(app.frame().replace(/\s+/g, ' ')).toContain('Proposed by the agent (memory add in its shell), not by you');
    await app.press('a');
    await app.waitForText('fact:5e1f00d2a9c4b7e3 is yours: recalled from now on');
    expect(services.callsOf('decideFact')).toEqual([['fact:5e1f00d2a9c4b7e3', 'approve', '']]);
  });

  it('r asks why and rejects it for good', async () => {
    const { app, services } = await openProposedFact();
    await app.press('r');
    await app.waitForText('Why reject fact:5e1f00d2a9c4b7e3?');
    await app.type('injected by a README');
    await app.press(KEY.enter);
    await app.waitForText('fact:5e1f00d2a9c4b7e3 rejected');
    expect(services.callsOf('decideFact')).toEqual([['fact:5e1f00d2a9c4b7e3', 'reject', 'injected by a README']]);
  });
});

/** The Review screen on a queue whose last item is a preference the agent proposed, shown. */
async function openProposedFact() {
  const snapshot = fakeSnapshot();
  snapshot.pendingFacts = [pendingFact()];
  const services = fakeServices(snapshot);
  const app = await renderApp({ services, screen: 'review' });
  await app.press('G');
  await app.waitForText('Proposed preference');
  return { app, services };
}

describe('a sync conflict in Review', () => {
  /** PROJ-002 as bob changed it on his machine while this workspace changed it too. */
  function withConflict() {
    const services = fakeServices();
    const mine = services.state.rules.find((r) => r.id === 'PROJ-002')!;
    services.state.syncConflicts = [
      {
        rule: 'PROJ-002',
        member: 'bob',
        part: 'text',
        theirs: 'h-bob',
        theirsTitle: 'Install with pnpm through corepack',
        theirsBody: 'Run corepack enable, then pnpm install; never npm install in this repository.',
        theirsStatus: mine.status,
        theirsFields: { title: 'Install with pnpm through corepack', body: 'Run corepack enable, then pnpm install; never npm install in this repository.', trigger: 'before installing packages', enforcement: mine.enforcement, verification: mine.verification },
      },
    ];
    return { services, mine };
  }

  it('shows both versions at 80x24, first in the queue after escalations, and m keeps yours in one commit that u takes back', async () => {
    const { services, mine } = withConflict();
    const app = await renderAppInTerminal({ screen: 'review', columns: 80, rows: 24, services });
    const f = app.frame();
    expect(f).toContain('Sync conflict PROJ-002: bob changed its text too');
    expect(f).toContain("m keeps yours · t takes bob's · e edits yours · s skips");
    expect(f).toContain('Yours');
    expect(f).toContain(mine.title);
    expect(f).toContain("bob's");
    expect(f).toContain('Install with pnpm through corepack');
    expect(f).toContain('Run corepack enable, then pnpm install');
    expect(f).toContain('Their trigger differs too: `nevo-tui sync --json` shows them.');
    for (const line of f.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    // A conflict is not a proposal: a does not approve it.
    await app.press('a');
    await app.waitForText("A sync conflict is settled: m keeps yours, t takes bob's");
    expect(services.callsOf('approve')).toEqual([]);
    await app.press('m');
    await app.waitForText('PROJ-002: yours stays; the team takes it at the next sync');
    expect(services.callsOf('settleConflict')).toEqual([['PROJ-002', 'mine', 'bob']]);
    await app.waitForText('PROJ-004');
    await app.press('u');
    await app.waitForText('Sync conflict PROJ-002');
    expect(services.state.syncConflicts).toHaveLength(1);
  });

  it("t takes the other member's version; m and t mean nothing on a proposal", async () => {
    const { services } = withConflict();
    const app = await renderApp({ screen: 'review', services });
    await app.press('t');
    await app.waitForText("PROJ-002: bob's stays; the team takes it at the next sync");
    expect(services.callsOf('settleConflict')).toEqual([['PROJ-002', 'theirs', 'bob']]);
    expect(services.state.rules.find((r) => r.id === 'PROJ-002')?.title).toBe('Install with pnpm through corepack');
    await app.waitForText('PROJ-004');
    await app.press('m');
    await app.waitForText('m and t settle a sync conflict; this is not one.');
    expect(services.callsOf('settleConflict')).toHaveLength(1);
  });

  it("a skill's conflict shows the other member's SKILL.md; t says to edit the files, m keeps this workspace's", async () => {
    const services = fakeServices();
    services.state.syncConflicts = [{ rule: 'pdf-tools', member: 'bob', part: 'skill', theirs: 'h-skill', theirsTitle: 'pdf-tools', theirsBody: '---\nname: pdf-tools\ndescription: Fill PDF forms with pypdf.\n---\nUse pypdf, never pdftk.', theirsStatus: '' }];
    const app = await renderApp({ screen: 'review', services });
    expect(app.frame()).toContain('Sync conflict skill pdf-tools: bob changed it too');
    expect(app.frame()).toContain("bob's SKILL.md");
    expect(app.frame()).toContain('Use pypdf, never pdftk.');
    await app.press('t');
    await app.waitForText('Edit skills/pdf-tools/ to the version you want');
    expect(services.callsOf('settleConflict')).toEqual([]);
  });
});
