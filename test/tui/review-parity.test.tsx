// The Review screen and `nevo-tui review --json` show one queue with one evidence: what a script
// reads is what the person sees.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { REPO } from '../helpers/scripts.js';
import { freshWorkspace } from '../helpers/workspace.js';
import { renderWorkspaceApp } from './workspace-app.js';

const flat = (text: string) => text.replace(/\s+/g, ' ');

describe('Review and nevo-tui review --json', () => {
  it('show the same proposal first, with the same count, closest rule and why, and the same recent reasons', async () => {
    const ws = await freshWorkspace();
    expect(cli(['import', join(REPO, 'journal/samples')], { cwd: ws.project }).code).toBe(0);
    const first = JSON.parse(cli(['review', '--json'], { cwd: ws.project }).stdout).proposals[0];
    expect(cli(['rules', 'reject', first.id, '--reason', 'not this project'], { cwd: ws.project }).code).toBe(0);
    const queue = JSON.parse(cli(['review', '--json'], { cwd: ws.project }).stdout);
    const p = queue.proposals[0];
    // Under 100 columns the evidence has the whole width: its lines read on.
    const app = await renderWorkspaceApp(ws, 'review', { columns: 99, rows: 40 });
    await app.waitForText(`${p.id} ${p.title}`);
    const f = flat(app.frame());
    expect(f).toContain(`1 of ${queue.proposals.length}`);
    expect(f).toContain(`count ${p.count} in ${p.sessions} session(s)`);
    expect(f).toContain(flat(`closest ${p.closest.id} (${p.closest.status}): ${p.closest.why}`));
    await app.press('r');
    await app.waitForText(`Why reject ${p.id}?`);
    expect(queue.reasons).toEqual(['not this project']);
    expect(app.frame()).toMatch(/1 not this project/);
    app.unmount();
  });
});
