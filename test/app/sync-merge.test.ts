import { describe, expect, it } from 'vitest';
import { settle } from '../../src/app/sync-settle.js';
import { sharedIncidents, teamCounts } from '../../src/app/sync-counts.js';
import { emptyState } from '../../src/app/sync-state.js';
import { mergeShared, textHash, ownShared, type MemberState, type SharedRule, type SharedRuleBody, type SyncState } from '../../src/app/sync-merge.js';

function rule(id: string, body: string, extra: Partial<SharedRuleBody> = {}): SharedRuleBody {
  return { id, title: `Title of ${body}`, scope: 'project', status: 'proposed', trigger: '', enforcement: '', verification: '', incidents: [], novelty: '', created: '2026-12-01', updated: '2026-12-01', hits: 0, body, ...extra };
}

/** One member: its rules and state, syncing the way the edge does (own view, merge, keep the result). */
class Member {
  rules: SharedRuleBody[] = [];
  state: SyncState = emptyState();
  pushed: SharedRule[] = [];
  constructor(readonly name: string) {}
  view(): SharedRule[] {
    return ownShared(this.rules, this.state, this.name);
  }
  sync(others: Member[]) {
    const r = mergeShared({ self: this.name, own: this.view(), others: others.map((o) => o.published()), state: this.state });
    this.rules = r.rules.map((x) => x.rule);
    this.state = r.state;
    this.pushed = r.rules;
    return r;
  }
  published(): MemberState {
    return { member: this.name, commit: `c-${this.name}`, rules: this.pushed, incidents: [] };
  }
  publish() {
    this.pushed = this.view();
  }
  get(id: string) {
    return this.rules.find((r) => r.id === id);
  }
  summary() {
    return this.rules.map((r) => `${r.id}:${r.status}:${r.body}`).sort();
  }
  /** Takes a settlement (`settle`) as the command does, and publishes it. */
  adopt(settled: { rule: SharedRuleBody; state: SyncState }) {
    this.rules = this.rules.map((r) => (r.id === settled.rule.id ? settled.rule : r));
    this.state = settled.state;
    this.publish();
  }
}

/** Members who all synced the first one's rule PROJ-001 before each changes it. */
function team(names: string[], body: string): Member[] {
  const members = names.map((n) => new Member(n));
  members[0]!.rules = [rule('PROJ-001', body)];
  members[0]!.sync([]);
  for (const m of members.slice(1)) m.sync([members[0]!]);
  return members;
}

describe('merge of shared states', () => {
  it('adds a rule another member has and this one has not', () => {
    const a = new Member('a');
    const b = new Member('b');
    a.rules = [rule('PROJ-001', 'Use pnpm.')];
    a.publish();
    const r = b.sync([a]);
    expect(r.added).toEqual(['PROJ-001']);
    expect(b.get('PROJ-001')?.body).toBe('Use pnpm.');
  });

  it('a decision made elsewhere wins over a proposal, and says who decided', () => {
    const [a, b] = team(['a', 'b'], 'Use pnpm.') as [Member, Member];
    b.get('PROJ-001')!.status = 'active';
    b.get('PROJ-001')!.activated = '2026-12-02';
    b.sync([a]);
    const r = a.sync([b]);
    expect(r.updated).toEqual(['PROJ-001']);
    expect(a.get('PROJ-001')).toMatchObject({ status: 'active', decidedBy: 'b' });
    expect(r.conflicts).toEqual([]);
    // A text edit on one side and a decision on the other merge too.
    a.get('PROJ-001')!.body = 'Use pnpm, never npm.';
    b.get('PROJ-001')!.status = 'deprecated';
    a.sync([b]);
    b.sync([a]);
    a.sync([b]);
    expect(a.summary()).toEqual(b.summary());
    expect(a.get('PROJ-001')).toMatchObject({ status: 'deprecated', body: 'Use pnpm, never npm.', decidedBy: 'b' });
  });

  it('two members who approve one proposal on different days made the same decision: no conflict, the earlier day on both', () => {
    const [a, b] = team(['a', 'b'], 'Use pnpm.') as [Member, Member];
    Object.assign(a.get('PROJ-001')!, { status: 'active', activated: '2026-12-03' });
    Object.assign(b.get('PROJ-001')!, { status: 'active', activated: '2026-12-02' });
    a.sync([b]);
    const rb = b.sync([a]);
    const ra = a.sync([b]);
    expect([...ra.conflicts, ...rb.conflicts]).toEqual([]);
    expect(a.rules).toEqual(b.rules);
    expect(a.get('PROJ-001')).toMatchObject({ status: 'active', activated: '2026-12-02', decidedBy: 'b' });
  });

  it('two edits of one text are a conflict on both sides, until a person keeps one', () => {
    const [a, b] = team(['a', 'b'], 'Use pnpm.') as [Member, Member];
    a.get('PROJ-001')!.body = 'Use pnpm 9.';
    b.get('PROJ-001')!.body = 'Use pnpm via corepack.';
    a.publish();
    const rb = b.sync([a]);
    expect(rb.conflicts).toMatchObject([{ rule: 'PROJ-001', member: 'a', part: 'text', theirsBody: 'Use pnpm 9.' }]);
    expect(b.get('PROJ-001')?.body).toBe('Use pnpm via corepack.');
    const ra = a.sync([b]);
    expect(ra.conflicts).toMatchObject([{ rule: 'PROJ-001', member: 'b', part: 'text' }]);
    // b keeps its own version: a takes it at its next sync, and the conflict is gone on both.
    b.state = settle(b.state, b.get('PROJ-001')!, 'mine').state;
    b.publish();
    expect(a.sync([b]).conflicts).toEqual([]);
    expect(b.sync([a]).conflicts).toEqual([]);
    expect(a.get('PROJ-001')?.body).toBe('Use pnpm via corepack.');
    expect(a.summary()).toEqual(b.summary());
  });

  it('a person may take the other version instead: after the next syncs both hold it, with no conflict and no edit claimed', () => {
    const a = new Member('a');
    const b = new Member('b');
    a.rules = [rule('PROJ-001', 'Use pnpm.', { trigger: 'installing packages' })];
    a.sync([]);
    b.sync([a]);
    a.get('PROJ-001')!.body = 'Use pnpm 9.';
    a.get('PROJ-001')!.trigger = 'adding a dependency';
    b.get('PROJ-001')!.body = 'Use pnpm via corepack.';
    a.publish();
    b.sync([a]);
    const taken = settle(b.state, b.get('PROJ-001')!, 'theirs');
    expect(taken.settled).toMatchObject([{ member: 'a', part: 'text' }]);
    expect(taken.rule).toMatchObject({ body: 'Use pnpm 9.', trigger: 'adding a dependency' });
    b.adopt(taken);
    expect(a.sync([b]).conflicts).toEqual([]);
    expect(b.sync([a]).conflicts).toEqual([]);
    expect(a.summary()).toEqual(b.summary());
    expect(a.get('PROJ-001')?.body).toBe('Use pnpm 9.');
  });

  it('taking the other decision keeps who made it; with two members in conflict, whose version must be named', () => {
    const [a, b, c] = team(['a', 'b', 'c'], 'Use pnpm.') as [Member, Member, Member];
    a.get('PROJ-001')!.status = 'active';
    b.get('PROJ-001')!.status = 'rejected';
    b.get('PROJ-001')!.reason = 'npm is fine here';
    c.get('PROJ-001')!.body = 'Use pnpm via corepack.';
    a.sync([]);
    a.publish();
    c.publish();
    // a's approval and b's rejection conflict; c changed only the text, which b did not touch: it comes in.
    const rb = b.sync([a, c]);
    expect(rb.conflicts).toMatchObject([{ rule: 'PROJ-001', member: 'a', part: 'decision', theirsStatus: 'active' }]);
    const taken = settle(b.state, b.get('PROJ-001')!, 'theirs');
    expect(taken.rule).toMatchObject({ status: 'active', body: 'Use pnpm via corepack.' });
    expect(taken.rule.reason).toBeUndefined();
    // b shares a's decision as a's, not as an approval b made.
    expect(ownShared([taken.rule], taken.state, 'b')[0]?.rule.decidedBy).toBe('a');
    b.adopt(taken);
    expect(a.sync([b, c]).conflicts).toEqual([]);
    expect(a.get('PROJ-001')?.decidedBy).toBe('a');
    expect(b.get('PROJ-001')?.decidedBy).toBe('a');

    // Two members with two other texts: taking "theirs" needs a name, keeping mine does not.
    const [x, y, z] = team(['x', 'y', 'z'], 'One.') as [Member, Member, Member];
    x.get('PROJ-001')!.body = 'One, by x.';
    y.get('PROJ-001')!.body = 'One, by y.';
    z.get('PROJ-001')!.body = 'One, by z.';
    y.publish();
    z.publish();
    expect(x.sync([y, z]).conflicts.map((k) => k.member)).toEqual(['y', 'z']);
    expect(() => settle(x.state, x.get('PROJ-001')!, 'theirs')).toThrow(/conflicts with y and z: name whose version to take with --from MEMBER/);
    expect(() => settle(x.state, x.get('PROJ-001')!, 'theirs', 'w')).toThrow(/No sync conflict on PROJ-001 with w: its conflicts are with y, z/);
    const fromZ = settle(x.state, x.get('PROJ-001')!, 'theirs', 'z');
    expect(fromZ.rule.body).toBe('One, by z.');
    expect(fromZ.state.conflicts.map((k) => k.member)).toEqual(['y']);
  });

  it('the same proposal made by two members on different days, each from its own incident, ends as one file on both', () => {
    const a = new Member('a');
    const b = new Member('b');
    a.rules = [rule('PROJ-001', 'jq is not installed: use node.', { created: '2026-12-03', updated: '2026-12-03', incidents: [{ id: '2026-12-03-cb71', fingerprint: 'cb71aa' }] })];
    b.rules = [rule('PROJ-001', 'jq is not installed: use node.', { created: '2026-12-01', updated: '2026-12-01', incidents: [{ id: '2026-12-01-cb71', fingerprint: 'cb71aa' }] })];
    a.sync([]);
    b.sync([a]);
    a.sync([b]);
    expect(a.rules).toEqual(b.rules);
    expect(a.get('PROJ-001')).toMatchObject({ created: '2026-12-01', incidents: [{ id: '2026-12-01-cb71', fingerprint: 'cb71aa' }] });
  });

  it('two different rules proposed under one id: both kept, the same ids on both machines, whoever syncs first', () => {
    for (const firstA of [true, false]) {
      const a = new Member('a');
      const b = new Member('b');
      a.rules = [rule('PROJ-001', 'Install packages with pnpm.')];
      b.rules = [rule('PROJ-001', 'Use find instead of tree.')];
      const [first, second] = firstA ? [a, b] : [b, a];
      second.publish();
      first.sync([second]);
      second.sync([first]);
      first.sync([second]);
      expect(a.summary()).toEqual(b.summary());
      expect(a.summary()).toHaveLength(2);
      expect(a.rules.map((r) => r.id).sort()).toEqual(['PROJ-001', 'PROJ-002']);
    }
  });

  it('three members in any order converge, and a second round changes nothing', () => {
    const orders = [
      ['a', 'b', 'c'],
      ['c', 'b', 'a'],
      ['b', 'c', 'a'],
    ];
    const results: string[][] = [];
    for (const order of orders) {
      const m = { a: new Member('a'), b: new Member('b'), c: new Member('c') } as Record<string, Member>;
      m.a!.rules = [rule('PROJ-001', 'Install packages with pnpm.'), rule('PROJ-002', 'Keep migrations in db/migrations.')];
      m.b!.rules = [rule('PROJ-001', 'Use find instead of tree.')];
      m.c!.rules = [rule('PROJ-001', 'Install packages with pnpm.', { status: 'active', activated: '2026-12-02' })];
      const all = Object.values(m);
      for (const round of [1, 2, 3]) for (const name of order) m[name]!.sync(all.filter((x) => x.name !== name));
      expect(m.a!.summary()).toEqual(m.b!.summary());
      expect(m.b!.summary()).toEqual(m.c!.summary());
      const again = all.map((x) => x.sync(all.filter((y) => y !== x)));
      expect(again.every((r) => r.added.length + r.updated.length + r.renamed.length === 0)).toBe(true);
      results.push(m.a!.summary().map((s) => s.replace(/^PROJ-\d+:/, '')));
    }
    // Whatever the order, the same rules (ids may be numbered differently in different histories).
    expect(new Set(results.map((r) => JSON.stringify(r.sort()))).size).toBe(1);
  });

  describe('two proposals for the same mistake', () => {
    const jq = (id: string, body: string, fingerprint: string, incident: string) => rule(id, body, { keys: ['command not found:jq'], incidents: [{ id: incident, fingerprint }] });
    const orders = [
      ['a', 'b', 'c'],
      ['c', 'b', 'a'],
      ['b', 'a', 'c'],
    ];
    it.each(orders)('become one on every member, the same one whatever the order (%s, %s, %s); a second round changes nothing', (...order) => {
      const m: Record<string, Member> = { a: new Member('a'), b: new Member('b'), c: new Member('c') };
      m.a!.rules = [jq('PROJ-001', 'jq is missing: read JSON with node -e.', 'fp-a', 'i-a')];
      m.b!.rules = [jq('PROJ-001', 'No jq here; use python3 -m json.tool.', 'fp-b', 'i-b')];
      m.c!.rules = [rule('PROJ-001', 'Use pnpm, never npm.', { keys: ['command not found:npm'] })];
      const all = Object.values(m);
      const merged: string[] = [];
      for (let round = 0; round < 3; round++)
        for (const name of order) {
          const r = m[name]!.sync(all.filter((x) => x !== m[name]));
          merged.push(...r.merged.map((x) => `${x.member}:${x.id}>${x.into}:${x.why}`));
        }
      expect(m.a!.summary()).toEqual(m.b!.summary());
      expect(m.c!.summary()).toEqual(m.a!.summary());
      const jqRules = m.a!.rules.filter((r) => r.keys?.includes('command not found:jq'));
      expect(jqRules).toHaveLength(1);
      // The kept text: the one whose hash sorts first; the links of both proposals on it.
      const texts = ['jq is missing: read JSON with node -e.', 'No jq here; use python3 -m json.tool.'];
      const first = texts.sort((x, y) => (textHash(rule('PROJ-001', x, { keys: ['command not found:jq'] })) < textHash(rule('PROJ-001', y, { keys: ['command not found:jq'] })) ? -1 : 1))[0];
      expect(jqRules[0]!.body).toBe(first);
      expect(jqRules[0]!.incidents.map((i) => i.fingerprint)).toEqual(['fp-a', 'fp-b']);
      expect(merged.length).toBeGreaterThan(0);
      expect(merged.every((x) => x.endsWith('same mistake (command not found: jq)'))).toBe(true);
      // A round more: nothing changes, nothing is merged again.
      for (const name of order) expect(m[name]!.sync(all.filter((x) => x !== m[name]))).toMatchObject({ added: [], updated: [], renamed: [], merged: [], conflicts: [] });
    });

    it('rules that name no mistake are one when their texts overlap, two when they do not; a decided rule is never merged away', () => {
      const a = new Member('a');
      const b = new Member('b');
      a.rules = [rule('PROJ-001', 'Install packages with pnpm, never with npm.', { title: 'Install packages with pnpm' }), rule('PROJ-002', 'Keep migrations in db/migrations.', { title: 'Migrations folder', keys: ['k:migrations'], status: 'active', activated: '2026-12-01' })];
      b.rules = [rule('PROJ-001', 'Install packages with pnpm, not npm.', { title: 'Install packages with pnpm' }), rule('PROJ-002', 'Read a file before writing to it.', { title: 'Read first' }), rule('PROJ-003', 'Migrations live in db/migrations only.', { title: 'Migrations', keys: ['k:migrations'] })];
      a.sync([]);
      const r = b.sync([a]);
      a.sync([b]);
      expect(a.summary()).toEqual(b.summary());
      expect(r.merged).toHaveLength(1);
      expect(r.merged[0]!.why).toMatch(/^overlapping text \(\d\.\d\d\)$/);
      expect(a.rules.filter((x) => x.title === 'Install packages with pnpm')).toHaveLength(1);
      expect(a.rules.map((x) => x.title).sort()).toEqual(['Install packages with pnpm', 'Migrations', 'Migrations folder', 'Read first']);
    });
  });

  it('incident counts are kept per member and summed once, however often a member is fetched', () => {
    const own = sharedIncidents([
      { fingerprint: 'f1', signature: 'tree: not found', category: 'command-not-found', count: 2, sessions: ['s1', 's2'], firstSeen: '2026-12-01T00:00:00Z', lastSeen: '2026-12-02T00:00:00Z', rules: [] },
    ]);
    const b: MemberState = { member: 'b', commit: 'x', rules: [], incidents: [{ ...own[0]!, count: 5, sessions: 3 }] };
    let state = emptyState();
    for (let i = 0; i < 3; i++) state = mergeShared({ self: 'a', own: [], others: [b], state }).state;
    expect(teamCounts('a', own, state.members)).toEqual([{ fingerprint: 'f1', signature: 'tree: not found', count: 7, sessions: 5, byMember: { a: 2, b: 5 } }]);
  });
});
