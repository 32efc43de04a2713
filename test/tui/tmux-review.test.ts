// A review session in the real binary at 80x24, one key a decision: approve, reject with a recent
// reason, skip, undo; then the store and the CLI say what happened.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { REPO } from '../helpers/scripts.js';
import { quitAndCheckRestored, Terminal, terminalEnv, widthOf } from '../helpers/tmux.js';
import { freshWorkspace } from '../helpers/workspace.js';

/** The sample sessions `npm start` shows: five proposals, AGENT-004 to PROJ-003. */
const SAMPLES = join(REPO, 'journal/samples');

const status = (project: string) => Object.fromEntries((JSON.parse(cli(['rules', 'list', '--json'], { cwd: project }).stdout).rules as { id: string; status: string }[]).map((r) => [r.id, r.status]));

describe('reviewing proposals in the real TUI at 80x24 (tmux)', () => {
  it('approves, rejects with a recent reason, skips and undoes with single keys; each decision is a commit', async () => {
    const ws = await freshWorkspace();
    expect(cli(['import', SAMPLES], { cwd: ws.project }).code).toBe(0);
    // A reason given before: the one the review reuses with a digit.
    expect(cli(['rules', 'reject', 'AGENT-004', '--reason', 'not a mistake of the agent'], { cwd: ws.project }).code).toBe(0);
    expect(JSON.parse(cli(['review', '--json'], { cwd: ws.project }).stdout).proposals.map((p: { id: string }) => p.id)).toEqual(['AGENT-005', 'PROJ-001', 'PROJ-002', 'PROJ-003']);

    const term = new Terminal(80, 24, terminalEnv({ HOME: ws.project })).start(['--workspace', ws.root, 'tui', '--screen', 'review', '--no-jobs']);
    const first = await term.waitFor('the first proposal with its evidence', (s) => s.includes('AGENT-005 Read large files in parts') && s.includes('1 of 4') && s.includes('closest'));
    expect(first).toContain('count        1 in 1 session(s)');
    const rows = term.screen({ join: true }).replace(/\n$/, '').split('\n');
    expect(rows.filter((l) => widthOf(l) > 80)).toEqual([]);
    expect(rows).toHaveLength(24);

    term.keys('a');
    await term.waitFor('AGENT-005 approved, PROJ-001 next', (s) => s.includes('AGENT-005 active (commit ') && s.includes('1 of 3') && s.includes('PROJ-001 Ask before changing'));

    term.keys('r');
    const asked = await term.waitForText('Why reject PROJ-001?');
    expect(asked).toMatch(/1 not a mistake of the agent/);
    expect(asked).toContain('1-9 recent reason · enter reject · esc cancel');
    term.keys('1');
    await term.waitFor('PROJ-001 rejected, PROJ-002 next', (s) => s.includes('PROJ-001 rejected (commit ') && s.includes('PROJ-002 Look paths up'));

    term.keys('s');
    await term.waitFor('PROJ-002 skipped, PROJ-003 next', (s) => s.includes('Skipped PROJ-002') && s.includes('PROJ-003 tree is not installed here') && s.includes('1 of 2'));

    term.keys('u');
    await term.waitFor('the rejection undone, PROJ-001 back on screen', (s) => s.includes('PROJ-001 is back: reverted rules: reject PROJ-001') && s.includes('PROJ-001 Ask before changing'));

    term.keys('a');
    await term.waitFor('PROJ-001 approved', (s) => s.includes('PROJ-001 active (commit '));
    await quitAndCheckRestored(term, 'q');

    expect(status(ws.project)).toMatchObject({ 'AGENT-004': 'rejected', 'AGENT-005': 'active', 'PROJ-001': 'active', 'PROJ-002': 'proposed', 'PROJ-003': 'proposed' });
    const queue = JSON.parse(cli(['review', '--json'], { cwd: ws.project }).stdout);
    expect(queue.proposals.map((p: { id: string }) => p.id)).toEqual(['PROJ-002', 'PROJ-003']);
    expect(queue.reasons).toEqual(['not a mistake of the agent']);
    // The review's commits, newest first (an approval also records its lesson in memory, batched).
    const subjects = execFileSync('git', ['-C', ws.root, 'log', '--format=%s'], { encoding: 'utf8' }).trim().split('\n').filter((s) => /^(rules|revert): /.test(s));
    expect(subjects.slice(0, 4)).toEqual([
      expect.stringMatching(/^rules: approve PROJ-001 \(/),
      expect.stringMatching(/^revert: rules: reject PROJ-001 \(.*not a mistake of the agent/),
      expect.stringMatching(/^rules: reject PROJ-001 \(.*not a mistake of the agent\)$/),
      expect.stringMatching(/^rules: approve AGENT-005 \(/),
    ]);
  }, 60_000);
});
