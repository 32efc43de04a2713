import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { approveSkill, deactivateSkill, inventory, reactivateSkill, redeploySkill, showSkill } from '../../src/skills/deploy.js';
import { diffFiles, driftOf, hashFiles, INEFFECTIVE_RECURRENCES, recurrenceOf, type SkillFiles } from '../../src/skills/inventory.js';
import type { Incident, SkillRecord } from '../../src/store/schemas.js';
import { freshWorkspace } from '../helpers/workspace.js';
import { skillMd, snapshot, writeTree } from './helpers.js';

const enc = (s: string) => new TextEncoder().encode(s);
const files = (o: Record<string, string>): SkillFiles => new Map(Object.entries(o).map(([k, v]) => [k, enc(v)]));

function incident(fingerprint: string, daily: Record<string, number>, skills: string[] = []): Incident {
  return {
    id: `2026-03-01-${fingerprint.padEnd(4, '0').slice(0, 4)}`,
    fingerprint,
    signature: 'command not found: tree',
    category: 'command not found',
    signal: 'hook',
    tool: 'Bash',
    sample: { error: 'Exit code 127', event: 'PostToolUseFailure', time: '2026-03-01T09:00:00Z' },
    count: Math.max(1, Object.values(daily).reduce((a, b) => a + b, 0)),
    sessions: ['a'],
    firstSeen: '2026-03-01T09:00:00Z',
    lastSeen: '2026-03-01T09:00:00Z',
    recurring: true,
    status: 'analyzed',
    rules: [],
    skills,
    reopened: 0,
    daily,
  };
}

const record = (over: Partial<SkillRecord> = {}): SkillRecord => ({
  id: 'tree-free',
  created: '2026-03-01T10:00:00.000Z',
  reason: 'tree is not installed',
  fingerprints: ['fa11'],
  status: 'active',
  hash: null,
  deployed: '2026-03-01T10:00:00.000Z',
  ...over,
});

describe('skill inventory (pure)', () => {
  it('hashes sorted relative paths and contents: order-independent, content- and name-sensitive', () => {
    const a = hashFiles(files({ 'SKILL.md': 'x', 'scripts/run.sh': 'y' }));
    expect(a).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(hashFiles(new Map([...files({ 'scripts/run.sh': 'y', 'SKILL.md': 'x' })]))).toBe(a);
    expect(hashFiles(files({ 'SKILL.md': 'x', 'scripts/run.sh': 'z' }))).not.toBe(a);
    expect(hashFiles(files({ 'SKILL.md': 'x', 'scripts/go.sh': 'y' }))).not.toBe(a);
    // Path and content boundaries cannot be shifted into each other.
    expect(hashFiles(files({ ab: 'c' }))).not.toBe(hashFiles(files({ a: 'bc' })));
  });

  it('detects drift of the workspace copy and of the deployed copy against the recorded hash', () => {
    const v1 = files({ 'SKILL.md': 'one\n' });
    const v2 = files({ 'SKILL.md': 'two\n' });
    const rec = record({ hash: hashFiles(v1) });
    expect(driftOf(rec, v1, v1)).toMatchObject({ workspace: false, deployed: false, missing: false });
    expect(driftOf(rec, v2, v1)).toMatchObject({ workspace: true, deployed: false });
    expect(driftOf(rec, v1, v2)).toMatchObject({ workspace: false, deployed: true });
    expect(driftOf(rec, v1, null)).toMatchObject({ deployed: true, missing: true });
    // Not deployed: no drift.
    expect(driftOf(record({ hash: hashFiles(v1), status: 'inactive' }), v2, null)).toMatchObject({ workspace: false, deployed: false });
    expect(driftOf(undefined, v2, null)).toMatchObject({ workspace: false, deployed: false });
    expect(diffFiles(v1, v2, 'a', 'b')).toContain('--- a/SKILL.md\n+++ b/SKILL.md\n@@ -1,1 +1,1 @@\n-one\n+two\n');
  });

  it(`is ineffective when the fingerprints recur ${INEFFECTIVE_RECURRENCES}+ times within the days after the deploy day`, () => {
    const rec = record();
    // The deploy day's own count (what led to the skill) and other fingerprints do not count.
    const before = [incident('fa11', { '2026-02-20': 5, '2026-03-01': 4 }), incident('other', { '2026-03-02': 9 })];
    expect(recurrenceOf(rec, before, '2026-03-10', 14, 'UTC')).toMatchObject({ since: '2026-03-01', total: 0, window: 0, ineffective: false });
    const once = [incident('fa11', { '2026-03-01': 4, '2026-03-03': 1 })];
    expect(recurrenceOf(rec, once, '2026-03-10', 14, 'UTC')).toMatchObject({ total: 1, window: 1, ineffective: false });
    const twice = [incident('fa11', { '2026-03-03': 1, '2026-03-09': 1 })];
    expect(recurrenceOf(rec, twice, '2026-03-10', 14, 'UTC')).toMatchObject({ total: 2, window: 2, ineffective: true });
    // Outside the window: counted since deploy, but not a verdict on the skill.
    const late = [incident('fa11', { '2026-03-20': 3 })];
    expect(recurrenceOf(rec, late, '2026-03-25', 14, 'UTC')).toMatchObject({ total: 3, window: 0, ineffective: false });
    // Days after today (a skewed clock) are not counted; never deployed: nothing.
    expect(recurrenceOf(rec, twice, '2026-03-05', 14, 'UTC')).toMatchObject({ total: 1, ineffective: false });
    expect(recurrenceOf(record({ deployed: undefined }), twice, '2026-03-10', 14, 'UTC')).toMatchObject({ since: null, total: 0 });
  });
});

/** A clock the test moves. */
function movingClock(start: string) {
  let now = new Date(start);
  const clock = () => new Date(now);
  return { clock, set: (iso: string) => (now = new Date(iso)) };
}

async function setup(start = '2026-03-01T10:00:00Z') {
  const t = movingClock(start);
  const ws = await freshWorkspace({ clock: t.clock });
  writeTree(join(ws.root, 'skills'), { 'tree-free/SKILL.md': skillMd('tree-free'), 'tree-free/references/why.md': 'tree is missing here.\n' });
  return { ws, ...t, deployed: join(ws.project, '.claude/skills/tree-free'), source: join(ws.root, 'skills/tree-free') };
}

describe('skill deploy and drift', () => {
  it('lists workspace skills not in the inventory (seeded ones included) as untracked drafts', async () => {
    const { ws } = await setup();
    const views = await inventory(ws);
    expect(views.map((v) => [v.name, v.status, v.tracked, v.valid, v.driftLabel])).toEqual([
      ['nevo-analyst', 'draft', false, true, '-'],
      ['nevo-memory', 'draft', false, true, '-'],
      ['nevo-tui', 'draft', false, true, '-'],
      ['tree-free', 'draft', false, true, '-'],
    ]);
    expect(existsSync(join(ws.project, '.claude/skills'))).toBe(false);
  });

  it('approve deploys to .claude/skills/<name>, records the hash and commits once', async () => {
    const { ws, deployed, source } = await setup();
    const head = await ws.history.head();
    const c = await approveSkill(ws, 'tree-free', { reason: 'tree is not installed', fingerprints: ['fa11'] });
    expect(c).toMatchObject({ action: 'approve', from: 'draft', record: { status: 'active', fingerprints: ['fa11'], reason: 'tree is not installed', deployed: '2026-03-01T10:00:00.000Z' } });
    expect(readFileSync(join(deployed, 'SKILL.md'), 'utf8')).toBe(readFileSync(join(source, 'SKILL.md'), 'utf8'));
    expect(readFileSync(join(deployed, 'references/why.md'), 'utf8')).toBe('tree is missing here.\n');
    const log = await ws.history.log({ depth: 2 });
    expect(log[0]!.message.trim()).toBe('skills: approve tree-free');
    expect(log[1]!.oid).toBe(head);
    const changed = (await ws.history.commitChanges(log[0]!.oid)).map((f) => f.path).sort();
    expect(changed).toEqual(['skills/tree-free/SKILL.md', 'skills/tree-free/references/why.md', 'store/skills.json']);
    const doc = await ws.store.read('skills');
    expect(doc.records).toHaveLength(1);
    expect(doc.records[0]!.hash).toBe(c.hash);
    const [view] = (await inventory(ws)).filter((v) => v.name === 'tree-free');
    expect(view).toMatchObject({ status: 'active', tracked: true, valid: true, driftLabel: 'none' });
    await expect(approveSkill(ws, 'tree-free')).rejects.toThrow(/tree-free is active; approve applies to draft skills/);
  });

  it('refuses an invalid skill with its errors and writes nothing', async () => {
    const { ws } = await setup();
    writeTree(join(ws.root, 'skills'), { 'Bad_One/SKILL.md': '---\nname: Bad_One\ndescription: x\n---\nBody\n' });
    const head = await ws.history.head();
    const before = snapshot(ws.project);
    await expect(approveSkill(ws, 'Bad_One')).rejects.toThrow(/Bad_One is not valid; nothing was deployed:\n {2}- .*SKILL\.md:2: Skill name 'Bad_One' must be lowercase/);
    expect(snapshot(ws.project)).toEqual(before);
    expect(await ws.history.head()).toBe(head);
    expect(existsSync(join(ws.project, '.claude', 'skills'))).toBe(false);
  });

  it('shows a hand edit of the workspace copy or of the deployed copy as drift with its diff; redeploy clears it', async () => {
    const { ws, deployed, source } = await setup();
    await approveSkill(ws, 'tree-free', { fingerprints: ['fa11'] });

    writeFileSync(join(source, 'SKILL.md'), skillMd('tree-free').replace('Steps.', 'Steps, edited.'));
    let s = await showSkill(ws, 'tree-free');
    expect(s.driftLabel).toBe('workspace');
    expect(s.diff).toContain('--- .claude/skills/tree-free/SKILL.md\n+++ skills/tree-free/SKILL.md\n');
    expect(s.diff).toContain('-Steps.\n+Steps, edited.\n');

    const c = await redeploySkill(ws, 'tree-free');
    expect(c.record.deployed).toBe('2026-03-01T10:00:00.000Z');
    expect((await ws.history.log({ depth: 1 }))[0]!.message.trim()).toBe('skills: deploy tree-free');
    expect(readFileSync(join(deployed, 'SKILL.md'), 'utf8')).toContain('Steps, edited.');
    s = await showSkill(ws, 'tree-free');
    expect([s.driftLabel, s.diff]).toEqual(['none', '']);

    writeFileSync(join(deployed, 'references/why.md'), 'changed by hand\n');
    s = await showSkill(ws, 'tree-free');
    expect(s.driftLabel).toBe('deployed');
    expect(s.diff).toContain('--- skills/tree-free/references/why.md\n+++ .claude/skills/tree-free/references/why.md\n');
    expect(s.diff).toContain('-tree is missing here.\n+changed by hand\n');
    await redeploySkill(ws, 'tree-free');
    expect(readFileSync(join(deployed, 'references/why.md'), 'utf8')).toBe('tree is missing here.\n');
    expect((await showSkill(ws, 'tree-free')).driftLabel).toBe('none');

    rmSync(deployed, { recursive: true });
    expect((await showSkill(ws, 'tree-free')).driftLabel).toBe('missing');
  });

  it('flags a skill whose fingerprints recur after deploy as ineffective; deactivate removes the deployed copy, reactivate puts it back', async () => {
    const { ws, set, deployed, source } = await setup();
    await ws.store.transact((tx) => {
      return tx.doc('incidents').then((doc) => {
        doc.records.push(incident('fa11', { '2026-03-01': 3 }, ['tree-free']));
        tx.touch('incidents');
      });
    });
    const approved = await approveSkill(ws, 'tree-free');
    expect(approved.record.fingerprints).toEqual(['fa11']);
    expect((await ws.store.read('incidents')).records[0]!.status).toBe('skilled');

    // Two days later the mistake is back, twice.
    set('2026-03-04T10:00:00Z');
    await ws.store.transact(async (tx) => {
      const doc = await tx.doc('incidents');
      doc.records[0]!.daily = { '2026-03-01': 3, '2026-03-02': 1, '2026-03-04': 1 };
      tx.touch('incidents');
    });
    const [view] = (await inventory(ws)).filter((v) => v.name === 'tree-free');
    expect(view).toMatchObject({ status: 'ineffective', recurrence: { since: '2026-03-01', total: 2, window: 2, ineffective: true } });
    expect(view!.record!.status).toBe('active');

    const d = await deactivateSkill(ws, 'tree-free', 'keeps recurring');
    expect(d).toMatchObject({ from: 'ineffective', record: { status: 'inactive', deactivated: '2026-03-04T10:00:00.000Z', deactivatedReason: 'keeps recurring', flagged: '2026-03-04T10:00:00.000Z' } });
    expect(existsSync(deployed)).toBe(false);
    expect(existsSync(join(source, 'SKILL.md'))).toBe(true);
    expect((await ws.history.log({ depth: 1 }))[0]!.message).toMatch(/^skills: deactivate tree-free/);
    expect((await ws.store.read('incidents')).records[0]!.status).toBe('analyzed');
    expect((await showSkill(ws, 'tree-free')).status).toBe('inactive');

    set('2026-03-05T10:00:00Z');
    const r = await reactivateSkill(ws, 'tree-free');
    expect(r.record).toMatchObject({ status: 'active', deployed: '2026-03-05T10:00:00.000Z' });
    expect(r.record.flagged).toBeUndefined();
    expect(readFileSync(join(deployed, 'SKILL.md'), 'utf8')).toBe(readFileSync(join(source, 'SKILL.md'), 'utf8'));
    expect((await showSkill(ws, 'tree-free')).recurrence).toMatchObject({ since: '2026-03-05', total: 0, ineffective: false });
    expect((await ws.history.log({ depth: 1 }))[0]!.message).toMatch(/^skills: reactivate tree-free/);
  });
});

describe('names and files that try to reach outside', () => {
  it('refuse a path for a skill name, a hand-edited record id, a symbolic link and an oversized file', async () => {
    const ws = await freshWorkspace();
    const outside = join(ws.project, 'src');
    writeTree(outside, { 'keep.ts': 'export {};\n' });
    await expect(approveSkill(ws, '../../src')).rejects.toThrow(/is not a skill name/);
    await expect(deactivateSkill(ws, '../../src')).rejects.toThrow(/is not a skill name/);
    expect(existsSync(join(outside, 'keep.ts'))).toBe(true);

    const path = ws.store.path('skills');
    writeFileSync(path, JSON.stringify({ version: 1, records: [{ id: '../../src', status: 'active' }] }));
    await expect(inventory(ws)).rejects.toThrow(/store\/skills\.json[\s\S]*records\[0\]\.id is "\.\.\/\.\.\/src"/);
    writeFileSync(path, JSON.stringify({ version: 1, records: [] }));

    writeTree(join(ws.root, 'skills', 'linky'), { 'real.md': skillMd('linky') });
    (await import('node:fs')).symlinkSync('real.md', join(ws.root, 'skills', 'linky', 'SKILL.md'));
    await expect(approveSkill(ws, 'linky')).rejects.toThrow(/SKILL\.md: a symbolic link/);
    expect(existsSync(join(ws.project, '.claude', 'skills', 'linky'))).toBe(false);

    writeTree(join(ws.root, 'skills', 'heavy'), { 'SKILL.md': skillMd('heavy'), 'assets/big.bin': 'x'.repeat(11 * 1024 * 1024) });
    await expect(approveSkill(ws, 'heavy')).rejects.toThrow(/big\.bin: \d+ bytes, more than a skill file may hold/);
  });
});

describe('a change that fails half-way', () => {
  it('puts the deployed copy back as it was', async () => {
    const { Transaction } = await import('../../src/store/store.js');
    const ws = await freshWorkspace();
    writeTree(join(ws.root, 'skills', 'steady'), { 'SKILL.md': skillMd('steady') });
    const stage = Transaction.prototype.stage;
    const failing = () => {
      Transaction.prototype.stage = () => {
        throw new Error('disk full');
      };
    };
    try {
      failing();
      await expect(approveSkill(ws, 'steady')).rejects.toThrow('disk full');
      expect(existsSync(join(ws.project, '.claude', 'skills', 'steady'))).toBe(false);
      Transaction.prototype.stage = stage;
      await approveSkill(ws, 'steady');
      failing();
      await expect(deactivateSkill(ws, 'steady')).rejects.toThrow('disk full');
      expect(readFileSync(join(ws.project, '.claude', 'skills', 'steady', 'SKILL.md'), 'utf8')).toBe(skillMd('steady'));
    } finally {
      Transaction.prototype.stage = stage;
    }
    expect((await inventory(ws)).find((v) => v.name === 'steady')).toMatchObject({ status: 'active' });
  });
});
