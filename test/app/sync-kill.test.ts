// `nevo-tui sync` killed with SIGKILL at each step that matters: after the fetch, after the push
// (before anything is written here), half-way through writing the change, before its commit, and
// with its push in flight at the server (not yet taken, and taken but not answered). Each kill
// lands exactly there: the process is held at a named point (NEVO_TEST_PAUSE_AT) or the test's git
// server holds the push, and the test kills it once it is held. The workspace must stay whole and
// the next sync must finish the job and converge.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sync } from '../../src/app/sync.js';
import { sharedIncidents } from '../../src/app/sync-counts.js';
import { loadRules } from '../../src/rules/load.js';
import { DOC_NAMES, docFiles } from '../../src/store/documents.js';
import { documentProblem } from '../../src/store/validate.js';
import { openWorkspace } from '../../src/workspace/workspace.js';
import { startGitHttpServer, type GitHttpServer } from '../helpers/git-http-server.js';
import { CLI } from '../helpers/scripts.js';
import { propose, teamMember, type Member } from '../helpers/team.js';

let srv: GitHttpServer;
let gitRoot: string;
beforeAll(async () => {
  // The server's folder lasts the whole file, not one test: made here, removed after the last.
  gitRoot = mkdtempSync(join(tmpdir(), 'nevo-git-'));
  srv = await startGitHttpServer(gitRoot);
});
afterAll(async () => {
  await srv?.close();
  rmSync(gitRoot, { recursive: true, force: true });
});

function run(args: string[], ws: Member, env: Record<string, string> = {}): { child: ChildProcess; done: Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ws.project, env: { ...process.env, NODE_ENV: 'production', NEVO_WORKSPACE: ws.root, NEVO_CLAUDE_VERSION: '', ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}

/** Resolves once the child has said it is held at its pause point. */
function pausedAt(child: ChildProcess, point: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (d) => {
      err += d;
      if (err.includes(`paused at ${point}`)) resolve();
    });
    child.on('close', () => reject(new Error(`exited before reaching ${point}: ${err}`)));
  });
}

async function incident(ws: Member, id: string, fingerprint: string, count: number, rules: string[]) {
  await ws.store.transact(async (tx) => {
    const time = '2026-12-01T10:00:00.000Z';
    await tx.incidents.upsert([
      { id, fingerprint, signature: `failure ${fingerprint}`, category: 'command-not-found', signal: 'hook', tool: 'Bash', sample: { error: 'tree: command not found', event: `e-${id}`, time }, count, sessions: Array.from({ length: count }, (_, i) => `s${i}`), firstSeen: time, lastSeen: time, recurring: count > 1, status: 'proposed', rules, skills: [], reopened: 0, daily: {} },
    ]);
    tx.message('detect', `incident ${id}`);
  });
}

const rulesOf = (ws: Member) =>
  loadRules(ws.root)
    .rules.map((r) => ({ id: r.id, title: r.title, body: r.body, status: r.status }))
    .sort((a, b) => a.id.localeCompare(b.id));

/** Every document, rule file and the team state parse as they are on disk. */
function intact(root: string, where: string) {
  for (const rel of DOC_NAMES.flatMap((name) => docFiles(root, name))) expect(documentProblem(rel, readFileSync(join(root, rel), 'utf8')), `${rel} ${where}`).toBeNull();
  expect(loadRules(root).errors, where).toEqual([]);
  const state = join(root, 'team', 'state.json');
  if (existsSync(state)) expect(() => JSON.parse(readFileSync(state, 'utf8')), where).not.toThrow();
}

const push = (method: string, path: string) => method === 'POST' && path.endsWith('/git-receive-pack');

/** Where the kill landed, as seen from outside: bob's branch on the remote, alice's rule here, the change's journal. */
interface Seen {
  pushed: boolean;
  written: boolean;
  journal: boolean;
}

const POINTS: { name: string; pause?: string; hold?: 'before' | 'after'; seen: Seen }[] = [
  { name: 'after the fetch', pause: 'sync:fetched', seen: { pushed: false, written: false, journal: false } },
  { name: 'with its push not yet taken by the server', hold: 'before', seen: { pushed: false, written: false, journal: false } },
  { name: 'with its push taken by the server and not yet answered', hold: 'after', seen: { pushed: true, written: false, journal: false } },
  { name: 'after the push, before anything is written here', pause: 'sync:pushed', seen: { pushed: true, written: false, journal: false } },
  { name: 'half-way through writing the change', pause: 'store:first-file', seen: { pushed: true, written: false, journal: true } },
  { name: 'with the change written and not yet committed', pause: 'store:before-commit', seen: { pushed: true, written: true, journal: false } },
];

describe('nevo-tui sync killed with SIGKILL', () => {
  it.each(POINTS.map((p) => [p.name, p] as const))('%s: the workspace stays whole, doctor finds it sound, and the next sync finishes and converges', async (_name, point) => {
    const repo = `kill-${POINTS.indexOf(point)}.git`;
    const bare = srv.repo(repo);
    const url = srv.url(repo);
    const alice = await teamMember('alice', url);
    const bob = await teamMember('bob', url);
    // Both propose PROJ-001 (different rules): bob's sync has a rule to add, one to renumber and
    // an incident whose link moves with it.
    const pnpm = await propose(alice, 'Use pnpm', 'Install packages with pnpm, never npm.', '2026-11-30');
    await incident(alice, '2026-12-01-aaaa', 'fp-npm', 2, [pnpm]);
    await sync(alice);
    const tree = await propose(bob, 'No tree', 'Use find instead of tree, which is not installed.');
    await incident(bob, '2026-12-01-bbbb', 'fp-tree', 3, [tree]);

    const held = point.hold ? srv.hold(push, point.hold) : null;
    const killed = run(['sync'], bob, point.pause ? { NEVO_TEST_PAUSE_AT: point.pause } : {});
    if (point.pause) await pausedAt(killed.child, point.pause);
    else await held;
    killed.child.kill('SIGKILL');
    expect((await killed.done).signal).toBe('SIGKILL');
    const branches = execFileSync('git', ['-C', bare, 'for-each-ref', '--format=%(refname)'], { encoding: 'utf8' });
    expect({ pushed: branches.includes('nevo/members/bob'), written: rulesOf(bob).some((r) => r.title === 'Use pnpm'), journal: existsSync(join(bob.root, '.tx-journal.json')) }).toEqual(point.seen);

    intact(bob.root, `after a kill ${point.name}`);
    const doctor = await run(['doctor'], bob).done;
    expect(doctor.code, doctor.stdout + doctor.stderr).toBe(0);
    intact(bob.root, `after doctor, ${point.name}`);

    const again = await run(['sync', '--json'], bob).done;
    expect(again.code, again.stdout + again.stderr).toBe(0);
    await sync(alice);
    const last = await sync(openWorkspace(bob.root));
    expect(last).toMatchObject({ conflicts: [], pushed: false, commit: null });
    expect(rulesOf(bob)).toEqual(rulesOf(alice));
    const titles = rulesOf(bob).filter((r) => r.id.startsWith('PROJ-'));
    expect(titles.map((r) => r.title).sort()).toEqual(['No tree', 'Use pnpm']);
    // bob's incident links to his rule wherever it ended up.
    const final = titles.find((r) => r.title === 'No tree')!.id;
    expect((await openWorkspace(bob.root).store.incidents.get('2026-12-01-bbbb'))?.rules).toEqual([final]);
    // Counts once each: 2 from alice, 3 from bob.
    expect(last.team.map((t) => [t.fingerprint, t.count, t.byMember])).toEqual([
      ['fp-tree', 3, { bob: 3 }],
      ['fp-npm', 2, { alice: 2 }],
    ]);
    expect(sharedIncidents(await openWorkspace(bob.root).store.incidents.list()).map((i) => [i.fingerprint, i.count, i.rules])).toEqual([['fp-tree', 3, [final]]]);
    expect(existsSync(join(bob.root, '.tx-journal.json'))).toBe(false);
  }, 120_000);
});
