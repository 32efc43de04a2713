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
    await term.waitFor('PROJ-002 skipped, PROJ-003 next', (s) => s.includes('Skipped PROJ-002') && s.includes('PROJ-003 ') && s.includes('tree is not installed here') && s.includes('1 of 2'));

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

describe('keys typed faster than the screen redraws (tmux)', () => {
  it('r, a reason and enter sent at once reject with the whole reason', async () => {
    const ws = await freshWorkspace();
    expect(cli(['import', SAMPLES], { cwd: ws.project }).code).toBe(0);
    const term = new Terminal(80, 24, terminalEnv({ HOME: ws.project })).start(['--workspace', ws.root, 'tui', '--screen', 'review', '--no-jobs']);
    await term.waitFor('the first proposal', (s) => s.includes('AGENT-004 ') && s.includes('1 of 5'));
    for (const [n, reason] of ['not a mistake of the agent', 'too vague to act on'].entries()) {
      term.keys('-l', `r${reason}`);
      term.keys('Enter');
      await term.waitFor(`rejection ${n + 1}`, (s) => s.includes(`1 of ${4 - n}`) && / rejected \(commit /.test(s));
    }
    await quitAndCheckRestored(term, 'q');
    const rejected = JSON.parse(cli(['review', '--json'], { cwd: ws.project }).stdout).reasons;
    expect(rejected).toEqual(['too vague to act on', 'not a mistake of the agent']);
  }, 60_000);
});

describe('the real TUI below 80x24 (tmux)', () => {
  /** Lines of a capture, wrapped lines joined: an over-wide line shows up as one long line. */
  const captured = (term: Terminal) => term.screen({ join: true }).replace(/\n$/, '').split('\n');

  /** What a layout must never do: more or fewer rows than the terminal, a row wider than it, a wrapped line starting with a space. */
  function expectSound(term: Terminal, what: string) {
    const rows = captured(term);
    expect(rows, `${what}: rows`).toHaveLength(term.rows);
    expect(rows.filter((l) => widthOf(l) > term.cols), `${what}: wider than ${term.cols}`).toEqual([]);
    expect(rows.slice(1).filter((l) => /^ \S/.test(l)), `${what}: starting with a space`).toEqual([]);
  }

  for (const [cols, rows] of [
    [60, 18],
    [70, 24],
    [80, 20],
  ] as const) {
    it(`at ${cols}x${rows}, every word of a proposal and every section are there, a screen at a time; every screen fits`, async () => {
      const ws = await freshWorkspace();
      expect(cli(['import', SAMPLES], { cwd: ws.project }).code).toBe(0);
      const proposal = JSON.parse(cli(['review', '--json'], { cwd: ws.project }).stdout).proposals[0] as Record<string, string>;
      const term = new Terminal(cols, rows, terminalEnv({ HOME: ws.project })).start(['--workspace', ws.root, 'tui', '--screen', 'review', '--no-jobs']);
      let screen = await term.waitFor('the first proposal', (s) => s.includes(`${proposal.id} `) && s.includes('1 of '));
      expectSound(term, 'the first page');
      let seen = screen;
      // A page at a time (ctrl+d), as a person reads it: a line the paging skipped would lose its words.
      for (let n = 0; n < 30 && !screen.includes(`end of ${proposal.id}`); n++) {
        const before = screen;
        term.keys('C-d');
        screen = await term.waitFor('the proposal to scroll', (s) => s !== before);
        expectSound(term, `scrolled ${n + 1}`);
        seen += `\n${screen}`;
      }
      expect(screen).toContain(`end of ${proposal.id}`);
      const flat = seen.replace(/\s+/g, ' ');
      for (const field of ['title', 'body', 'trigger', 'enforcement', 'verification', 'novelty']) expect(flat, field).toContain(proposal[field]!.replace(/\s+/g, ' '));
      for (const section of ['Evidence', 'guard', 'closest', 'sample error', 'Closest existing rule']) expect(flat, section).toContain(section);

      // ctrl+l draws the same screen again
      term.keys('C-l');
      await term.waitFor('the redraw', (s) => s === screen);
      for (const key of ['1', '3', '4', '5', '6', '7', '8', '?']) {
        term.keys(key);
        await term.waitFor(`screen ${key}`, (s) => (key === '?' ? s.includes('Keys on this screen') : s !== screen));
        await term.waitFor(`screen ${key} to settle`, (s) => s.split('\n')[0]!.includes(key === '?' ? '8' : key));
        expectSound(term, `screen ${key}`);
        screen = term.screen();
      }
      await quitAndCheckRestored(term, 'Escape', 'q');
    }, 60_000);
  }

  it('at 60x18, a long body being edited stays in its rows: the other fields keep theirs', async () => {
    const ws = await freshWorkspace();
    expect(cli(['import', SAMPLES], { cwd: ws.project }).code).toBe(0);
    const proposal = JSON.parse(cli(['review', '--json'], { cwd: ws.project }).stdout).proposals[0] as Record<string, string>;
    const term = new Terminal(60, 18, terminalEnv({ HOME: ws.project })).start(['--workspace', ws.root, 'tui', '--screen', 'review', '--no-jobs']);
    await term.waitFor('the first proposal', (s) => s.includes(`${proposal.id} `));
    term.keys('e');
    await term.waitForText(`Editing ${proposal.id}`);
    term.keys('j');
    term.keys('Enter');
    await term.waitForText('editing body');
    term.keys('-l', ' Also check the optional parameters and their types, every time.');
    const screen = await term.waitFor('the typed words', (s) => s.replace(/\s+/g, ' ').includes('their types, every time.'));
    expectSound(term, 'the body being edited');
    const lines = screen.split('\n');
    for (const f of ['title', 'body', 'trigger', 'enforcement', 'verification', 'paths', 'guard']) expect(lines.filter((l) => new RegExp(`^[›> ] ${f} +\\S`).test(l)), f).toHaveLength(1);
    expect(lines.find((l) => l.startsWith('  trigger'))).toBe(`  trigger      ${proposal.trigger}`);
    // esc ends the field, a second esc leaves the editor, which asks first
    term.keys('Escape');
    await term.waitFor('the field to end', (s) => !s.includes('editing body'));
    term.keys('Escape');
    await term.waitForText('[y/N]');
    term.keys('y');
    await term.waitFor('the proposal again', (s) => s.includes(`${proposal.id} `) && !s.includes('Editing'));
    await quitAndCheckRestored(term, 'q');
  }, 60_000);
});
