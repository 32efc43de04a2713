import { describe, expect, it } from 'vitest';
import { KEY, renderApp, waitFor } from './helpers.js';
import { heldBack } from './fake-services.js';

const history = () => renderApp({ screen: 'history' });
const selected = (frame: string) => frame.split('\n').find((l) => l.startsWith('›')) ?? '';
/** The first diff line in view. */
const topDiffLine = (frame: string) => frame.split('\n').find((l) => /^([-+]diff line|diff --git|--- a|\+\+\+ b|@@)/.test(l)) ?? '';

describe('the History screen', () => {
  it('lists the commits newest first with short id, time and subject', async () => {
    const app = await history();
    const commits = app.services.state.commits;
    expect(app.frame()).toContain('5 commit(s), newest first');
    let last = -1;
    for (const c of commits) {
      const at = app.frame().indexOf(`${c.oid.slice(0, 7)}  ${c.time.slice(0, 16).replace('T', ' ')}  ${c.subject}`);
      expect(at, c.subject).toBeGreaterThan(last);
      last = at;
    }
  });

  it('enter shows the diff of the selected commit', async () => {
    const app = await history();
    const c = app.services.state.commits[1]!;
    await app.press('j', KEY.enter);
    await app.waitForText('diff --git a/rules/PROJ-004.md');
    expect(app.services.callsOf('diff')).toEqual([[c.oid]]);
    expect(app.frame()).toContain(`${c.oid.slice(0, 7)} ${c.subject} (j/k scroll, v revert, esc back)`);
    expect(app.frame()).toContain('+diff line 01');
  });

  it('j/k scroll the diff, G and g go to its end and start', async () => {
    const app = await history();
    await app.press(KEY.enter);
    await app.waitForText('diff --git');
    expect(topDiffLine(app.frame())).toMatch(/^diff --git/);
    expect(app.frame()).not.toContain('diff line 40');
    await app.press('j');
    await waitFor(() => topDiffLine(app.frame()).startsWith('--- a/rules'), 'j to scroll one line', { frame: app.frame });
    await app.press('j', 'j');
    await waitFor(() => topDiffLine(app.frame()).startsWith('@@'), 'two more lines', { frame: app.frame });
    await app.press('k');
    await waitFor(() => topDiffLine(app.frame()).startsWith('+++ b/rules'), 'k to scroll back', { frame: app.frame });
    await app.press('G');
    await app.waitForText('-diff line 40');
    expect(app.frame()).not.toContain('diff --git');
    await app.press('g');
    await app.waitForText('diff --git');
  });

  it('pagedown scrolls a page of the diff', async () => {
    const app = await history();
    await app.press(KEY.enter);
    await app.waitForText('diff --git');
    await app.press(KEY.pageDown);
    await app.waitForNoText('diff --git');
    expect(topDiffLine(app.frame())).toMatch(/diff line 1\d/);
    await app.press(KEY.pageUp);
    await app.waitForText('diff --git');
  });

  it('esc goes back to the list', async () => {
    const app = await history();
    await app.press('j', 'j', KEY.enter);
    await app.waitForText('diff --git');
    await app.press(KEY.esc);
    await app.waitForText('commit(s), newest first');
    expect(selected(app.frame())).toContain('rules: approve PROJ-002');
  });

  it('v asks to confirm; y reverts the selected commit with a new one', async () => {
    const app = await history();
    const c = app.services.state.commits[2]!;
    await app.press('j', 'j', 'v');
    await app.waitForText(`Revert ${c.oid.slice(0, 7)} with a new commit? [y/N]`);
    await app.press('y');
    await app.waitForText('reverted with');
    expect(app.services.callsOf('revert')).toEqual([[c.oid]]);
    await app.waitForText('6 commit(s)');
    expect(app.frame()).toContain('Revert "rules: approve PROJ-002"');
  });

  it('v then n does not revert', async () => {
    const app = await history();
    await app.press('v');
    await app.waitForText('[y/N]');
    await app.press('n');
    await app.waitForNoText('[y/N]');
    expect(app.services.callsOf('revert')).toEqual([]);
    expect(app.frame()).toContain('5 commit(s)');
  });

  it('refuses to revert the first commit before asking, and says why', async () => {
    const app = await history();
    await app.press('G', 'v');
    await app.waitForText('made the workspace; it cannot be reverted.');
    expect(app.frame()).not.toContain('[y/N]');
    expect(app.services.callsOf('revert')).toEqual([]);
  });

  it('v in the diff reverts the commit shown', async () => {
    const app = await history();
    const c = app.services.state.commits[0]!;
    await app.press(KEY.enter);
    await app.waitForText('diff --git');
    await app.press('v');
    await app.waitForText(`Revert ${c.oid.slice(0, 7)}`);
    await app.press('y');
    await app.waitForText('reverted with');
    expect(app.services.callsOf('revert')).toEqual([[c.oid]]);
  });

  it('shows why a diff cannot be shown', async () => {
    const app = await history();
    app.services.diff = async () => {
      throw new Error('object not found');
    };
    await app.press(KEY.enter);
    await app.waitForText('(cannot show this commit: object not found)');
  });

  it('says it is reading the history while the commits come after the first frame, then lists them', async () => {
    const { services, release } = heldBack('commits', () => ({ commits: [], commitsLater: true }));
    const app = await renderApp({ screen: 'history', services, ready: false });
    await app.waitForText('reading the history…');
    release();
    await app.waitForText('5 commit(s), newest first');
  });
});
