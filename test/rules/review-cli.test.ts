// `nevo-tui review`: the queue the Review screen works through, with the same evidence, for scripts.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { REPO } from '../helpers/scripts.js';
import { freshWorkspace } from '../helpers/workspace.js';

/** The sample sessions `npm start` shows: five proposals. */
const SAMPLES = join(REPO, 'journal/samples');

async function reviewedWorkspace() {
  const ws = await freshWorkspace();
  const imported = cli(['import', SAMPLES, '--json'], { cwd: ws.project });
  expect(imported.code, imported.stderr).toBe(0);
  return ws;
}

describe('nevo-tui review', () => {
  it('--json lists the proposals with their evidence and the recent reject reasons', async () => {
    const ws = await reviewedWorkspace();
    const before = JSON.parse(cli(['review', '--json'], { cwd: ws.project }).stdout);
    expect(before.escalations).toEqual([]);
    expect(before.proposals.length).toBeGreaterThanOrEqual(2);
    const [first, second] = before.proposals;
    for (const p of before.proposals) {
      expect(p).toMatchObject({ id: expect.stringMatching(/^(PROJ|AGENT)-\d{3}$/), count: expect.any(Number), sessions: expect.any(Number), firstSeen: expect.any(String), lastSeen: expect.any(String), keys: [expect.any(String)], preferences: [], contradicts: [] });
      expect(p).toHaveProperty('backtest');
      expect(p).toHaveProperty('guard');
      expect(p.closest).toMatchObject({ id: expect.any(String), similarity: expect.any(Number), sameMistake: expect.any(Boolean), why: expect.any(String) });
      expect(p.sample.error.length).toBeGreaterThan(0);
    }
    expect(before.reasons).toEqual([]);

    const rejected = JSON.parse(cli(['rules', 'reject', first.id, '--reason', 'the sample project is not ours', '--json'], { cwd: ws.project }).stdout);
    expect(rejected.commit).toMatch(/^[0-9a-f]{40}$/);
    const after = JSON.parse(cli(['review', '--json'], { cwd: ws.project }).stdout);
    expect(after.proposals.map((p: { id: string }) => p.id)).not.toContain(first.id);
    expect(after.proposals[0].id).toBe(second.id);
    expect(after.reasons).toEqual(['the sample project is not ours']);

    // undo is the revert of the decision's commit: the proposal is back, and its reason gone
    expect(cli(['revert', rejected.commit, '--json'], { cwd: ws.project }).code).toBe(0);
    const undone = JSON.parse(cli(['review', '--json'], { cwd: ws.project }).stdout);
    expect(undone.proposals.map((p: { id: string }) => p.id)).toEqual(before.proposals.map((p: { id: string }) => p.id));
    expect(undone.reasons).toEqual([]);
  });

  it('prints the same for people, with how to decide and undo', async () => {
    const ws = await reviewedWorkspace();
    const data = JSON.parse(cli(['review', '--json'], { cwd: ws.project }).stdout);
    const r = cli(['review'], { cwd: ws.project });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^To review: 0 gate escalation\(s\), \d+ proposed rule\(s\), 0 proposed fact\(s\)\./);
    for (const p of data.proposals) {
      expect(r.stdout).toContain(`${p.id}  ${p.title}`);
      expect(r.stdout).toContain(`${p.closest.id} (${p.closest.status}, similarity ${p.closest.similarity.toFixed(2)}): ${p.closest.why}`);
    }
    expect(r.stdout).toMatch(/count {8}1 in 1 session\(s\), first \d{4}-\d\d-\d\d \d\d:\d\d, last /);
    expect(r.stdout).toContain('Undo a decision: nevo-tui revert COMMIT');
  });

  it('a dismissal and a fact decision print their commit too, which revert takes back', async () => {
    const ws = await reviewedWorkspace();
    const incident = JSON.parse(cli(['review', '--json'], { cwd: ws.project }).stdout).proposals[0].incidents[0].id;
    const dismissed = JSON.parse(cli(['incidents', 'dismiss', incident, '--reason', 'noise', '--json'], { cwd: ws.project }).stdout);
    expect(dismissed).toMatchObject({ incident: { id: incident, status: 'dismissed' }, commit: expect.stringMatching(/^[0-9a-f]{40}$/) });
    expect(cli(['revert', dismissed.commit], { cwd: ws.project }).code).toBe(0);
    expect(JSON.parse(cli(['incidents', 'show', incident, '--json'], { cwd: ws.project }).stdout).incident.status).not.toBe('dismissed');
    // The agent's own preference waits for a person.
    expect(cli(['memory', 'add', 'Always use pnpm', '--category', 'preference'], { cwd: ws.project, env: { CLAUDECODE: '1' } }).code).toBe(0);
    const [fact] = JSON.parse(cli(['review', '--json'], { cwd: ws.project }).stdout).facts;
    expect(fact).toMatchObject({ category: 'preference', statement: 'Always use pnpm' });
    const approved = JSON.parse(cli(['memory', 'approve', fact.id, '--json'], { cwd: ws.project }).stdout);
    expect(approved.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(JSON.parse(cli(['review', '--json'], { cwd: ws.project }).stdout).facts).toEqual([]);
    expect(cli(['revert', approved.commit], { cwd: ws.project }).code).toBe(0);
    expect(JSON.parse(cli(['review', '--json'], { cwd: ws.project }).stdout).facts).toEqual([fact]);
  });

  it('says when nothing waits', async () => {
    const ws = await freshWorkspace();
    expect(cli(['review'], { cwd: ws.project }).stdout.trim()).toBe('Nothing to review.');
    expect(JSON.parse(cli(['review', '--json'], { cwd: ws.project }).stdout)).toEqual({ escalations: [], conflicts: [], proposals: [], facts: [], reasons: [] });
  });
});
