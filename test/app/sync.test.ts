import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runJob } from '../../src/app/jobs.js';
import { sync, withHeadSymref } from '../../src/app/sync.js';
import { settleConflict } from '../../src/app/sync-settle.js';
import { textHash } from '../../src/app/sync-merge.js';
import { claimant } from '../../src/schedule/runs.js';
import { addFact } from '../../src/memory/add.js';
import { decidePendingFact } from '../../src/memory/pending.js';
import { statedPreferences } from '../../src/rules/preferences.js';
import { addDays, dayOf } from '../../src/util/day.js';
import { describeSchedule, jobSpecs } from '../../src/schedule/jobs.js';
import { loadRules } from '../../src/rules/load.js';
import { allocateRuleId, writeRule } from '../../src/rules/repository.js';
import { approveRule, editRule } from '../../src/rules/review.js';
import { openWorkspace, type Workspace } from '../../src/workspace/workspace.js';
import { CLI } from '../helpers/scripts.js';
import { startGitHttpServer, type GitHttpServer } from '../helpers/git-http-server.js';
import { quitAndCheckRestored, Terminal, terminalEnv, widthOf } from '../helpers/tmux.js';
import { freshWorkspace, scratch } from '../helpers/workspace.js';

/** The CLI as a user runs it, without blocking this process: the test's git server answers meanwhile. */
function cli(args: string[], opts: { cwd: string; env?: Record<string, string> }): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: opts.cwd, env: { ...process.env, NODE_ENV: 'production', NEVO_WORKSPACE: '', NEVO_CLAUDE_VERSION: '', ...opts.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

const servers: GitHttpServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function server(opts: { token?: string } = {}): Promise<{ srv: GitHttpServer; url: string; bare: string }> {
  const srv = await startGitHttpServer(scratch('nevo-git-'), opts);
  servers.push(srv);
  const bare = srv.repo('team.git');
  return { srv, url: srv.url('team.git'), bare };
}

type Member = Workspace & { project: string };

async function member(name: string, remote: string, tokenEnv = ''): Promise<Member> {
  const base = await freshWorkspace();
  const file = join(base.root, 'config.json');
  const raw = JSON.parse(readFileSync(file, 'utf8'));
  writeFileSync(file, JSON.stringify({ ...raw, sync: { remote, member: name, tokenEnv } }, null, 2));
  return { ...openWorkspace(base.root), project: base.project };
}

/** A proposal under the next free id, the way the analyst writes one. */
async function propose(ws: Workspace, title: string, body: string): Promise<string> {
  return ws.store.transact(async (tx) => {
    const id = await allocateRuleId(tx, ws, 'PROJ');
    writeRule(tx, { id, title, scope: 'project', status: 'proposed', trigger: '', enforcement: '', verification: '', incidents: [], novelty: '', created: '2026-12-01', updated: '2026-12-01', hits: 0, body });
    tx.message('rules', `propose ${id}`);
    return id;
  });
}

async function incident(ws: Workspace, id: string, fingerprint: string, count: number, daily: Record<string, number> = {}) {
  await ws.store.transact(async (tx) => {
    const time = '2026-12-01T10:00:00.000Z';
    await tx.incidents.upsert([
      { id, fingerprint, signature: `failure ${fingerprint}`, category: 'command-not-found', signal: 'hook', tool: 'Bash', sample: { error: 'tree: command not found', event: `e-${id}`, time }, count, sessions: Array.from({ length: count }, (_, i) => `s${i}`), firstSeen: time, lastSeen: time, recurring: count > 1, status: 'new', rules: [], skills: [], reopened: 0, daily },
    ]);
    tx.message('detect', `incident ${id}`);
  });
}

/** alice and bob share one proposal, PROJ-001, each has synced once: the start of every conflict. */
async function sharedProposal() {
  const { url, srv } = await server();
  const a = await member('alice', url);
  const b = await member('bob', url);
  const id = await propose(a, 'Use pnpm', 'Install packages with pnpm.');
  await sync(a);
  await sync(b);
  return { url, srv, a, b, id };
}

function rulesOf(ws: Workspace) {
  return loadRules(ws.root)
    .rules.map((r) => ({ id: r.id, title: r.title, body: r.body, status: r.status, decidedBy: r.decidedBy ?? null }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

/** Points a member at another remote, as a person would after the team's server moved. */
function writeConfigRemote(ws: Member, remote: string) {
  const file = join(ws.root, 'config.json');
  const raw = JSON.parse(readFileSync(file, 'utf8'));
  writeFileSync(file, JSON.stringify({ ...raw, sync: { ...raw.sync, remote } }, null, 2));
  Object.assign(ws, { config: openWorkspace(ws.root).config });
}

const head = (ws: Workspace) => execFileSync('git', ['-C', ws.root, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
const remoteRefs = (bare: string) => execFileSync('git', ['-C', bare, 'for-each-ref', '--format=%(refname)'], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).sort();

describe('team sync over a real git smart-HTTP remote', () => {
  it.each([
    ['alice', 'bob', 'carol'],
    ['carol', 'bob', 'alice'],
  ])('three members propose, approve and count; synced in the order %s, %s, %s they end with the same rules and team counts, and a second sync changes nothing', async (...order) => {
    const { url, bare } = await server();
    const a = await member('alice', url);
    const b = await member('bob', url);
    const c = await member('carol', url);
    // alice and bob propose different rules at the same time: both get PROJ-001 locally.
    expect(await propose(a, 'Use pnpm', 'Install packages with pnpm, never npm.')).toBe('PROJ-001');
    expect(await propose(b, 'No tree', 'Use find instead of tree, which is not installed.')).toBe('PROJ-001');
    await incident(a, '2026-12-01-aaaa', 'fp-tree', 2);
    await incident(b, '2026-12-01-bbbb', 'fp-tree', 3);
    await incident(c, '2026-12-01-cccc', 'fp-npm', 1);

    const byName: Record<string, Member> = { alice: a, bob: b, carol: c };
    const sequence = order.map((name) => byName[name]!);
    for (const ws of sequence) await sync(ws);
    // carol approves what she sees of alice's rule, then everyone syncs twice more in the same order.
    await sync(c);
    const pnpm = rulesOf(c).find((r) => r.title === 'Use pnpm')!;
    await approveRule(c, pnpm.id);
    for (const ws of [...sequence, ...sequence]) await sync(ws);

    const expected = rulesOf(a);
    expect(rulesOf(b)).toEqual(expected);
    expect(rulesOf(c)).toEqual(expected);
    // Both proposals kept, under two ids; the approval travelled with who made it.
    const proposals = expected.filter((r) => r.id.startsWith('PROJ-'));
    expect(proposals.map((r) => r.title).sort()).toEqual(['No tree', 'Use pnpm']);
    expect(new Set(proposals.map((r) => r.id)).size).toBe(2);
    expect(proposals.find((r) => r.title === 'Use pnpm')).toMatchObject({ status: 'active', decidedBy: 'carol' });
    // The approved rule reaches every member's agent.
    const id = proposals.find((r) => r.title === 'Use pnpm')!.id;
    for (const ws of [a, b]) expect(readFileSync(join(ws.project, '.claude', 'rules', 'nevo', `${id}.md`), 'utf8')).toContain('pnpm');
    expect(remoteRefs(bare)).toEqual(['refs/heads/nevo/members/alice', 'refs/heads/nevo/members/bob', 'refs/heads/nevo/members/carol']);

    // Team counts: each member's own, summed once, however often it was fetched.
    // A member that syncs twice in a row: the second changes nothing, here or on the remote.
    const again: { before: string; result: Awaited<ReturnType<typeof sync>>; after: string }[] = [];
    for (const ws of sequence) {
      await sync(ws);
      const before = head(ws);
      again.push({ before, result: await sync(ws), after: head(ws) });
    }
    for (const g of again) {
      expect(g.result.team).toEqual([
        { fingerprint: 'fp-tree', signature: 'failure fp-tree', count: 5, sessions: 5, byMember: { alice: 2, bob: 3 } },
        { fingerprint: 'fp-npm', signature: 'failure fp-npm', count: 1, sessions: 1, byMember: { carol: 1 } },
      ]);
      expect(g.result).toMatchObject({ pushed: false, commit: null, added: [], updated: [], renamed: [], conflicts: [] });
      expect(g.after).toBe(g.before);
    }
    // What left the machine: rules, counts, skills; never the journal, events or sessions.
    const paths = again[0]!.result.files.map((f) => f.path);
    expect(paths).toContain('shared/incidents.json');
    expect(paths).toContain(`rules/${id}.md`);
    expect(paths.some((p) => p.startsWith('skills/'))).toBe(true);
    expect(paths.filter((p) => /^(journal|store)\//.test(p))).toEqual([]);
    expect(execFileSync('git', ['-C', bare, 'log', '-1', '--format=%s', 'nevo/members/alice'], { encoding: 'utf8' }).trim()).toBe('sync: shared state of alice');
  });

  it('a member whose rule moved to another id pushes its counts linked to the id the rule has now', async () => {
    const { url, bare } = await server();
    const a = await member('alice', url);
    const b = await member('bob', url);
    await propose(a, 'Use pnpm', 'Install packages with pnpm, never npm.');
    await sync(a);
    const mine = await propose(b, 'No tree', 'Use find instead of tree, which is not installed.');
    await incident(b, '2026-12-01-bbbb', 'fp-tree', 3);
    await b.store.transact(async (tx) => {
      await tx.incidents.update('2026-12-01-bbbb', (i) => {
        i.rules = [mine];
      });
      tx.message('detect', 'link');
    });
    const r = await sync(b);
    const moved = r.renamed.find((m) => m.from === mine)!.to;
    expect(moved).not.toBe(mine);
    const pushed = JSON.parse(execFileSync('git', ['-C', bare, 'show', 'nevo/members/bob:shared/incidents.json'], { encoding: 'utf8' }));
    expect(pushed.incidents.map((i: { fingerprint: string; rules: string[] }) => [i.fingerprint, i.rules])).toEqual([['fp-tree', [moved]]]);
    expect((await b.store.incidents.get('2026-12-01-bbbb'))?.rules).toEqual([moved]);
    // Nothing is left to push at the next sync.
    expect((await sync(b)).pushed).toBe(false);
  });

  it('two members\' proposals for the same mistake become one, the same on both; the incidents of the one that went link to the one kept', async () => {
    const { url } = await server();
    const a = await member('alice', url);
    const b = await member('bob', url);
    const key = 'command not found:jq';
    const keyed = async (ws: Member, body: string, incidentId: string, fp: string) => {
      const id = await propose(ws, 'jq is not installed', body);
      await incident(ws, incidentId, fp, 2);
      await ws.store.transact(async (tx) => {
        const rule = loadRules(ws.root).rules.find((r) => r.id === id)!;
        writeRule(tx, { ...rule, keys: [key], incidents: [{ id: incidentId, fingerprint: fp }] });
        await tx.incidents.update(incidentId, (i) => {
          i.rules = [id];
        });
        tx.message('rules', `key ${id}`);
      });
      return id;
    };
    await keyed(a, 'jq is missing here: read JSON with node -e.', '2026-12-01-aaaa', 'fp-jq-a');
    await propose(b, 'Use pnpm', 'Install packages with pnpm, never npm.');
    await keyed(b, 'No jq on this machine; use python3 -m json.tool.', '2026-12-01-bbbb', 'fp-jq-b');
    await sync(a);
    const r = await cli(['sync'], { cwd: b.project, env: { NEVO_WORKSPACE: b.root } });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Merged (alice|bob)'s PROJ-\d+ into PROJ-\d+: same mistake \(command not found: jq\), proposed by two members\./);
    await sync(a);
    expect((await sync(b)).merged).toEqual([]);
    expect(rulesOf(a)).toEqual(rulesOf(b));
    const jq = loadRules(a.root).rules.filter((x) => x.keys?.includes(key));
    expect(jq).toHaveLength(1);
    expect(jq[0]!.incidents.map((i) => i.fingerprint)).toEqual(['fp-jq-a', 'fp-jq-b']);
    expect((await a.store.incidents.get('2026-12-01-aaaa'))?.rules).toEqual([jq[0]!.id]);
    expect((await b.store.incidents.get('2026-12-01-bbbb'))?.rules).toEqual([jq[0]!.id]);
    expect(rulesOf(a).map((x) => x.title).filter((t) => !t.startsWith('Read') && !t.startsWith('Follow') && !t.startsWith('Check'))).toEqual(expect.arrayContaining(['Use pnpm', 'jq is not installed']));
  });

  it('a proposal edited before its member\'s first sync is the newer version of the copy another member has, not a second rule', async () => {
    const { url } = await server();
    const a = await member('alice', url);
    const b = await member('bob', url);
    const original = 'Install packages with pnpm, never npm.';
    const keys = ['command not found:npm'];
    const ruleOf = (body: string) => ({ id: 'PROJ-001', title: 'Use pnpm', scope: 'project', status: 'proposed' as const, trigger: '', enforcement: '', verification: '', incidents: [], novelty: '', created: '2026-12-01', updated: '2026-12-01', hits: 0, body, keys });
    // An edit whose text hash sorts after the original's: a merge of the two as strangers would keep the original.
    const edited = ['Install packages with pnpm 9, never npm.', 'Install with pnpm; npm is not used here.', 'Use pnpm for every install.', 'pnpm only, never npm or yarn.'].find((body) => textHash(ruleOf(body)) > textHash(ruleOf(original)))!;
    for (const ws of [a, b]) {
      await ws.store.transact(async (tx) => {
        const id = await allocateRuleId(tx, ws, 'PROJ');
        writeRule(tx, { ...ruleOf(original), id });
        tx.message('rules', `propose ${id}`);
      });
    }
    await editRule(a, 'PROJ-001', { body: edited });
    await sync(b);
    const ra = await sync(a);
    await sync(b);
    expect(ra).toMatchObject({ merged: [], conflicts: [] });
    for (const ws of [a, b]) expect(rulesOf(ws).filter((r) => r.title === 'Use pnpm'), ws.root).toEqual([{ id: 'PROJ-001', title: 'Use pnpm', body: edited, status: 'proposed', decidedBy: null }]);
  });

  it('a skill one member wrote reaches the others (not deployed); the newer version wins; two different changes are a conflict until a person keeps one', async () => {
    const { url, bare } = await server();
    const a = await member('alice', url);
    const b = await member('bob', url);
    const skill = (ws: Member, text: string, extra?: string) => {
      mkdirSync(join(ws.root, 'skills', 'use-pnpm', 'scripts'), { recursive: true });
      writeFileSync(join(ws.root, 'skills', 'use-pnpm', 'SKILL.md'), `---\nname: use-pnpm\ndescription: Install packages with pnpm. Use when adding a dependency.\n---\n${text}\n`);
      if (extra !== undefined) writeFileSync(join(ws.root, 'skills', 'use-pnpm', 'scripts', 'check.sh'), extra);
    };
    const read = (ws: Member, rel: string) => readFileSync(join(ws.root, 'skills', 'use-pnpm', rel), 'utf8');
    skill(a, 'Run pnpm add.', 'pnpm --version\n');
    await sync(a);
    const first = await sync(b);
    expect(first.skills).toEqual({ added: ['use-pnpm'], updated: [] });
    expect(read(b, 'SKILL.md')).toContain('Run pnpm add.');
    expect(read(b, 'scripts/check.sh')).toBe('pnpm --version\n');
    expect(existsSync(join(b.project, '.claude', 'skills', 'use-pnpm'))).toBe(false);
    // alice's next version (the script dropped) replaces bob's copy, file for file.
    rmSync(join(a.root, 'skills', 'use-pnpm', 'scripts'), { recursive: true });
    skill(a, 'Run pnpm add, never npm install.');
    await sync(a);
    expect((await sync(b)).skills).toEqual({ added: [], updated: ['use-pnpm'] });
    expect(read(b, 'SKILL.md')).toContain('never npm install');
    expect(existsSync(join(b.root, 'skills', 'use-pnpm', 'scripts', 'check.sh'))).toBe(false);
    expect(execFileSync('git', ['-C', b.root, 'status', '--porcelain', 'skills'], { encoding: 'utf8' })).toBe('');
    // Both change it: a conflict on each side, nothing overwritten, until bob keeps his.
    skill(a, 'Alice: pnpm 9 only.');
    skill(b, 'Bob: pnpm through corepack.');
    await sync(a);
    const r = await cli(['sync'], { cwd: b.project, env: { NEVO_WORKSPACE: b.root } });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Conflict on skill use-pnpm: alice changed it too');
    expect(read(b, 'SKILL.md')).toContain('Bob: pnpm through corepack.');
    expect((await sync(a)).conflicts).toMatchObject([{ rule: 'use-pnpm', member: 'bob', part: 'skill' }]);
    expect(read(a, 'SKILL.md')).toContain('Alice: pnpm 9 only.');
    // Another member's skill files are not taken whole: the person edits theirs, then keeps it.
    const theirs = await cli(['sync', '--resolve', 'use-pnpm', '--keep', 'theirs'], { cwd: b.project, env: { NEVO_WORKSPACE: b.root } });
    expect(theirs.code).toBe(1);
    expect(theirs.stderr).toContain("use-pnpm: a skill's conflict is settled by keeping this workspace's files");
    const kept = await cli(['sync', '--resolve', 'use-pnpm'], { cwd: b.project, env: { NEVO_WORKSPACE: b.root } });
    expect(kept.code, kept.stdout + kept.stderr).toBe(0);
    expect((await sync(a)).conflicts).toEqual([]);
    expect((await sync(b)).conflicts).toEqual([]);
    expect(read(a, 'SKILL.md')).toContain('Bob: pnpm through corepack.');
    expect(execFileSync('git', ['-C', bare, 'show', 'nevo/members/alice:skills/use-pnpm/SKILL.md'], { encoding: 'utf8' })).toContain('Bob: pnpm through corepack.');
  });

  it('two edits of one rule are a conflict: sync exits 1 naming the rule and the fix, until a person keeps one version', async () => {
    const { a, b, id } = await sharedProposal();
    await editRule(a, id, { body: 'Install packages with pnpm 9.' });
    await editRule(b, id, { body: 'Install packages with pnpm through corepack.' });
    await sync(a);
    const before = rulesOf(b);
    const r = await cli(['sync'], { cwd: b.project, env: { NEVO_WORKSPACE: b.root } });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`Conflict on ${id}: alice changed its text too`);
    expect(r.stdout).toContain(`nevo-tui sync --resolve ${id}`);
    expect(rulesOf(b)).toEqual(before);
    const json = JSON.parse((await cli(['sync', '--json'], { cwd: b.project, env: { NEVO_WORKSPACE: b.root } })).stdout);
    expect(json.conflicts).toMatchObject([{ rule: id, member: 'alice', part: 'text', theirsBody: 'Install packages with pnpm 9.' }]);
    // bob keeps his version; alice takes it at her next sync, and no conflict is left anywhere.
    const resolved = await cli(['sync', '--resolve', id], { cwd: b.project, env: { NEVO_WORKSPACE: b.root } });
    expect(resolved.code, resolved.stdout + resolved.stderr).toBe(0);
    expect((await sync(a)).conflicts).toEqual([]);
    expect((await sync(b)).conflicts).toEqual([]);
    expect(rulesOf(a)).toEqual(rulesOf(b));
    expect(rulesOf(a).find((x) => x.id === id)?.body).toBe('Install packages with pnpm through corepack.');
  });

  it("a person may take the other member's version instead, here with no network (as Review does) or with sync --resolve --keep theirs", async () => {
    const { url, srv, a, b, id } = await sharedProposal();
    const c = await member('carol', url);
    await sync(c);
    await editRule(a, id, { body: 'Install packages with pnpm 9.', trigger: 'adding a dependency' });
    await editRule(b, id, { body: 'Install packages with pnpm through corepack.' });
    await sync(a);
    expect((await sync(b)).conflicts).toMatchObject([{ rule: id, member: 'alice', part: 'text' }]);
    // bob takes alice's text from Review while the remote is down: one commit, nothing sent.
    await srv.close();
    const settled = await settleConflict(b, id, 'theirs', 'alice');
    expect(settled.settled.map((x) => x.member)).toEqual(['alice']);
    expect(rulesOf(b).find((x) => x.id === id)?.body).toBe('Install packages with pnpm 9.');
    expect(readFileSync(join(b.root, 'rules', `${id}.md`), 'utf8')).toContain('adding a dependency');
    expect(execFileSync('git', ['-C', b.root, 'log', '-1', '--format=%s'], { encoding: 'utf8' }).trim()).toBe(`sync: take alice's text (${id})`);
    const back = await server();
    for (const ws of [a, b, c]) writeConfigRemote(ws, back.url);
    for (const ws of [a, b, c, a, b, c]) expect((await sync(ws)).conflicts).toEqual([]);
    expect(rulesOf(b)).toEqual(rulesOf(a));
    expect(rulesOf(c)).toEqual(rulesOf(a));
    expect(rulesOf(c).find((x) => x.id === id)?.body).toBe('Install packages with pnpm 9.');

    // The same through the CLI: carol and alice edit again, carol takes alice's version.
    await editRule(a, id, { body: 'Install packages with pnpm 10.' });
    await editRule(c, id, { body: 'Install packages with pnpm, pinned in packageManager.' });
    await sync(a);
    const env = { NEVO_WORKSPACE: c.root };
    const r = await cli(['sync'], { cwd: c.project, env });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`take theirs with \`nevo-tui sync --resolve ${id} --keep theirs\``);
    const wrong = await cli(['sync', '--resolve', id, '--keep', 'theirs', '--from', 'bob'], { cwd: c.project, env });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain(`No sync conflict on ${id} with bob: its conflicts are with alice.`);
    const took = await cli(['sync', '--resolve', id, '--keep', 'theirs', '--json'], { cwd: c.project, env });
    expect(took.code, took.stdout + took.stderr).toBe(0);
    expect(JSON.parse(took.stdout)).toMatchObject({ resolved: [{ rule: id, member: 'alice' }], conflicts: [] });
    for (const ws of [a, b, c]) expect((await sync(ws)).conflicts).toEqual([]);
    for (const ws of [a, b, c]) expect(rulesOf(ws).find((x) => x.id === id)?.body).toBe('Install packages with pnpm 10.');
  });

  it('a conflict waits in the real TUI\'s Review at 80x24 (tmux): t takes the other version, u takes it back, t again; the next sync agrees', async () => {
    const { a, b, id } = await sharedProposal();
    await editRule(a, id, { title: 'Use pnpm 9', body: 'Install packages with pnpm 9.' });
    await editRule(b, id, { body: 'Install packages with pnpm through corepack.' });
    await sync(a);
    expect((await sync(b)).conflicts).toHaveLength(1);
    const queue = JSON.parse((await cli(['review', '--json'], { cwd: b.project, env: { NEVO_WORKSPACE: b.root } })).stdout);
    expect(queue.conflicts).toMatchObject([{ rule: id, member: 'alice', part: 'text', theirsTitle: 'Use pnpm 9' }]);

    const term = new Terminal(80, 24, terminalEnv({ HOME: b.project })).start(['--workspace', b.root, 'tui', '--screen', 'review', '--no-jobs']);
    const shown = await term.waitFor('the conflict with both versions', (x) => x.includes(`Sync conflict ${id}: alice changed its text too`) && x.includes('pnpm through corepack') && x.includes('Install packages with pnpm 9.'));
    expect(shown).toContain("m keeps yours · t takes alice's · e edits yours · s skips");
    const rows = term.screen({ join: true }).replace(/\n$/, '').split('\n');
    expect(rows.filter((l) => widthOf(l) > 80)).toEqual([]);
    term.keys('t');
    await term.waitForText(`${id}: alice's stays; the team takes it at the next sync`);
    expect(rulesOf(b).find((x) => x.id === id)?.body).toBe('Install packages with pnpm 9.');
    term.keys('u');
    await term.waitFor('the conflict back after undo', (x) => x.includes(`Sync conflict ${id}`) && x.includes('is back: reverted'));
    expect(rulesOf(b).find((x) => x.id === id)?.body).toBe('Install packages with pnpm through corepack.');
    term.keys('t');
    await term.waitForText(`${id}: alice's stays; the team takes it at the next sync`);
    await quitAndCheckRestored(term, 'q');

    for (const ws of [b, a, b]) expect((await sync(ws)).conflicts).toEqual([]);
    expect(rulesOf(a)).toEqual(rulesOf(b));
    expect(rulesOf(a).find((x) => x.id === id)).toMatchObject({ title: 'Use pnpm 9', body: 'Install packages with pnpm 9.' });
  });

  it("a rule is judged on every member's sessions: bob's slips after alice's rule went active show in her rules show and make it not working", async () => {
    const { url } = await server();
    const a = await member('alice', url);
    const b = await member('bob', url);
    const activated = addDays(dayOf(new Date()), -5);
    await a.store.transact(async (tx) => {
      writeRule(tx, { id: 'PROJ-001', title: 'No tree', scope: 'project', status: 'active', activated, trigger: 'before listing a directory', enforcement: 'use find', verification: 'no tree failures', incidents: [{ id: '2026-12-01-aaaa', fingerprint: 'fp-tree' }], novelty: '', created: activated, updated: activated, hits: 0, body: 'Use find instead of tree, which is not installed.' });
      tx.message('rules', 'approve PROJ-001');
    });
    await incident(a, '2026-12-01-aaaa', 'fp-tree', 3, { [addDays(activated, -1)]: 3 });
    await incident(b, '2026-12-01-bbbb', 'fp-tree', 3, { [addDays(activated, 2)]: 2, [addDays(activated, 3)]: 1, [addDays(activated, -400)]: 9 });
    const show = async () => JSON.parse((await cli(['rules', 'show', 'PROJ-001', '--json'], { cwd: a.project, env: { NEVO_WORKSPACE: a.root } })).stdout).effectiveness;
    // Alone, it looks as if it works.
    expect(await show()).toMatchObject({ before: 3, after: 0, working: true });
    expect(await show()).not.toHaveProperty('team');
    await sync(b);
    await sync(a);
    // bob's day 400 days back is older than what members share.
    expect(await show()).toMatchObject({ before: 3, after: 0, team: { before: 3, after: 3, members: 2 }, working: false });
    const list = await cli(['rules', 'list'], { cwd: a.project, env: { NEVO_WORKSPACE: a.root } });
    expect(list.stdout).toMatch(/PROJ-001 .*3→0 \(team 3→3\).*NOT WORKING/);
  });

  it("a preference one member gave reaches the others' Review, from whom; taken, it is theirs, and rejected it never comes back", async () => {
    const { url } = await server();
    const a = await member('alice', url);
    const b = await member('bob', url);
    const c = await member('carol', url);
    await addFact(a, 'Use pnpm, never npm, in this repository', 'preference');
    await addFact(a, 'We deploy from the release branch only', 'decision');
    // What the agent proposed and no person took is not shared.
    await addFact(a, 'Prefer tabs over spaces', 'preference', 'agent');
    await sync(a);
    const got = await sync(b);
    expect(got.facts).toHaveLength(2);
    const queue = JSON.parse((await cli(['review', '--json'], { cwd: b.project, env: { NEVO_WORKSPACE: b.root } })).stdout);
    expect(queue.facts.map((f: { statement: string; by: string }) => [f.statement, f.by]).sort()).toEqual([
      ['Use pnpm, never npm, in this repository', 'team:alice'],
      ['We deploy from the release branch only', 'team:alice'],
    ]);
    // Not recalled, and no guard is held back by it, until bob takes it.
    expect(statedPreferences(await b.store.facts.list())).toEqual([]);
    const pnpm = queue.facts.find((f: { statement: string }) => f.statement.startsWith('Use pnpm'));
    const deploy = queue.facts.find((f: { statement: string }) => f.statement.startsWith('We deploy'));
    await decidePendingFact(b, pnpm.id, 'approve');
    await decidePendingFact(b, deploy.id, 'reject');
    expect(statedPreferences(await b.store.facts.list())).toEqual(['Use pnpm, never npm, in this repository']);
    // A second sync offers nothing again; carol, who syncs later, still gets both from alice alone.
    expect((await sync(b)).facts).toEqual([]);
    const fromC = await sync(c);
    expect(fromC.facts).toHaveLength(2);
    const cFacts = (await c.store.facts.list()).filter((f) => f.pending);
    expect(cFacts.map((f) => f.source.by)).toEqual(['team:alice', 'team:alice']);
    expect((await sync(b)).facts).toEqual([]);
    expect((await b.store.facts.list()).map((f) => f.statement)).not.toContain('We deploy from the release branch only');
  });

  it('what a member does not share (sync.share) neither leaves its machine nor comes in', async () => {
    const { url } = await server();
    const a = await member('alice', url);
    const b = await member('bob', url);
    const file = join(a.root, 'config.json');
    const raw = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify({ ...raw, sync: { ...raw.sync, share: { facts: false, incidents: false } } }, null, 2));
    const quiet = Object.assign(a, { config: openWorkspace(a.root).config });
    await addFact(quiet, 'Use pnpm, never npm, in this repository', 'preference');
    await addFact(b, 'Run the e2e suite before pushing', 'lesson');
    await incident(quiet, '2026-12-01-aaaa', 'fp-tree', 2);
    await incident(b, '2026-12-01-bbbb', 'fp-npm', 1);
    const dry = await sync(quiet, { dryRun: true });
    expect(dry.files.map((f) => f.path)).toContain('shared/facts.json');
    await sync(quiet);
    const got = await sync(b);
    expect(got.facts).toEqual([]);
    expect(got.team.map((t) => t.fingerprint)).toEqual(['fp-npm']);
    const back = await sync(quiet);
    expect(back.facts).toEqual([]);
    expect(back.team.map((t) => t.fingerprint)).toEqual(['fp-tree']);
    // Rules still travel.
    expect(rulesOf(b)).toEqual(rulesOf(quiet));
  });

  it('runs on the clock as the job sync once a remote is set: what came in, in one line; a conflict fails the run with its fix', async () => {
    const { url } = await server();
    const a = await member('alice', url);
    const b = await member('bob', url);
    expect(jobSpecs(b.config).find((j) => j.name === 'sync')).toMatchObject({ enabled: true, cron: '*/15 * * * *' });
    const id = await propose(a, 'Use pnpm', 'Install packages with pnpm.');
    await sync(a);
    const first = await runJob(b, 'sync', { reason: 'schedule', by: claimant('test') });
    expect(first.ran && first.run).toMatchObject({ outcome: 'ok', summary: `1 other member(s); in: ${id}; pushed` });
    await editRule(a, id, { body: 'Install packages with pnpm 9.' });
    await editRule(b, id, { body: 'Install packages with pnpm through corepack.' });
    await sync(a);
    const second = await runJob(b, 'sync', { reason: 'schedule', by: claimant('test') });
    expect(second.ran && second.run.outcome).toBe('failed');
    expect(second.ran && second.run.summary).toContain(`${id} was changed by alice too: settle it in Review (m keeps yours, t takes theirs) or with \`nevo-tui sync --resolve ID\``);
    // Without a remote the job is off, and the Jobs list says why.
    const alone = await freshWorkspace();
    expect(describeSchedule(jobSpecs(alone.config).find((j) => j.name === 'sync')!)).toBe('off (no sync.remote)');
  });

  it('--dry-run lists what would leave the machine and sends nothing; with no remote it says how to set one', async () => {
    const { srv, url, bare } = await server();
    const ws = await freshWorkspace();
    const before = head(ws);
    const none = await cli(['sync'], { cwd: ws.project });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('No remote to sync with');
    expect(none.stderr).toContain('nevo-tui sync --remote');
    const dry = await cli(['sync', '--remote', url, '--dry-run'], { cwd: ws.project });
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('Would push');
    expect(dry.stdout).toContain('shared/incidents.json');
    expect(dry.stdout).toContain('rules/AGENT-001.md');
    expect(dry.stdout).not.toMatch(/journal\/|store\//);
    expect(srv.requests).toEqual([]);
    expect(remoteRefs(bare)).toEqual([]);
    expect(head(ws)).toBe(before);
    expect(JSON.parse(readFileSync(join(ws.root, 'config.json'), 'utf8')).sync.remote).toBe('');
    // The first real sync with --remote keeps it.
    const real = await cli(['sync', '--remote', url], { cwd: ws.project });
    expect(real.code, real.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(ws.root, 'config.json'), 'utf8')).sync.remote).toBe(url);
    expect(remoteRefs(bare)).toEqual(['refs/heads/nevo/members/nevo-tui-localhost']);
    // The workspace is still a sound one after a sync.
    const doctor = await cli(['doctor'], { cwd: ws.project });
    expect(doctor.code, doctor.stdout + doctor.stderr).toBe(0);
  });

  it('an unreachable remote or a refused credential is a clear error naming the remote and the fix, and changes nothing', async () => {
    const { url, srv } = await server({ token: 's3cret-token' });
    const gone = await startGitHttpServer(scratch('nevo-git-'));
    const deadUrl = gone.url('team.git');
    await gone.close();
    const a = await member('alice', deadUrl);
    await propose(a, 'Use pnpm', 'Install packages with pnpm.');
    const before = head(a);
    await expect(sync(a)).rejects.toThrow(new RegExp(`sync with ${deadUrl.replace(/[.]/g, '\\.')} failed.*could not be reached.*Nothing was changed`, 's'));
    expect(head(a)).toBe(before);

    const b = await member('bob', url, 'NEVO_TEST_SYNC_TOKEN');
    process.env.NEVO_TEST_SYNC_TOKEN = 'wrong';
    try {
      await expect(sync(b)).rejects.toThrow(/refused the credentials.*set NEVO_TEST_SYNC_TOKEN/s);
      process.env.NEVO_TEST_SYNC_TOKEN = 's3cret-token';
      const ok = await sync(b);
      expect(ok.pushed).toBe(true);
    } finally {
      delete process.env.NEVO_TEST_SYNC_TOKEN;
    }
    expect(srv.requests.length).toBeGreaterThan(0);
    // A token in the URL would be written to config.json: refused, and the URL shown without it.
    const inUrl = url.replace('http://', 'http://x:s3cret-token@');
    await expect(sync(b, { remote: inUrl })).rejects.toThrow(/without a user or token in it.*sync\.tokenEnv/s);
    await expect(sync(b, { remote: inUrl })).rejects.not.toThrow(/s3cret/);
  });

  it('a refused push changes nothing here, though the others\' state was fetched; what leaves is redacted', async () => {
    const { url, bare } = await server();
    const a = await member('alice', url);
    const b = await member('bob', url);
    const secret = 'ghp_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8';
    await propose(a, 'Use pnpm', 'Install packages with pnpm.');
    await incident(a, '2026-12-01-aaaa', 'fp-token', 1);
    await a.store.transact(async (tx) => {
      await tx.incidents.update('2026-12-01-aaaa', (i) => {
        i.signature = `auth failed for token ${secret}`;
      });
      tx.message('detect', 'signature');
    });
    const dry = await sync(a, { dryRun: true });
    expect(dry.files.map((f) => f.path)).toContain('shared/incidents.json');
    await sync(a);
    const pushed = execFileSync('git', ['-C', bare, 'show', 'nevo/members/alice:shared/incidents.json'], { encoding: 'utf8' });
    expect(pushed).toContain('auth failed for token');
    expect(pushed).not.toContain(secret);

    execFileSync('git', ['-C', bare, 'config', 'http.receivepack', 'false']);
    const before = { head: head(b), rules: rulesOf(b) };
    await expect(sync(b)).rejects.toThrow(/failed while pushing refs\/heads\/nevo\/members\/bob.*Nothing was changed/s);
    expect(head(b)).toBe(before.head);
    expect(rulesOf(b)).toEqual(before.rules);
    expect(remoteRefs(bare)).toEqual(['refs/heads/nevo/members/alice']);
  });
});

describe('the ref advertisement of a remote whose HEAD names no branch', () => {
  const pkt = (text: string) => `${(Buffer.byteLength(text) + 4).toString(16).padStart(4, '0')}${text}`;
  const oid = 'a'.repeat(40);

  it('gets HEAD named as its first branch, and an advertisement that names HEAD is left as it is', () => {
    const bare = Buffer.from(`${pkt('# service=git-upload-pack\n')}0000${pkt(`${oid} refs/heads/nevo/members/alice\0multi_ack side-band-64k\n`)}${pkt(`${oid} refs/heads/nevo/members/bob\n`)}0000`);
    const fixed = withHeadSymref(bare).toString('utf8');
    expect(fixed).toContain(pkt(`${oid} refs/heads/nevo/members/alice\0multi_ack side-band-64k symref=HEAD:refs/heads/nevo/members/alice\n`));
    expect(fixed.endsWith(`${pkt(`${oid} refs/heads/nevo/members/bob\n`)}0000`)).toBe(true);
    const named = Buffer.from(`${pkt('# service=git-upload-pack\n')}0000${pkt(`${oid} HEAD\0symref=HEAD:refs/heads/main\n`)}0000`);
    expect(withHeadSymref(named).equals(named)).toBe(true);
  });
});
