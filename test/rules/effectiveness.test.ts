import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { openWorkspace } from '../../src/workspace/workspace.js';
import { effectiveness, type TeamDaily } from '../../src/rules/effectiveness.js';
import { lintRules } from '../../src/rules/lint.js';
import type { Rule } from '../../src/rules/rule.js';
import type { Incident } from '../../src/store/schemas.js';
import { readEffectiveness } from '../../src/rules/report.js';
import { freshWorkspace } from '../helpers/workspace.js';

const rule: Rule = {
  id: 'PROJ-001',
  title: 'Do not rely on `tree`: it is not installed',
  scope: 'project',
  status: 'active',
  trigger: 'Before running `tree` in a Bash command',
  enforcement: 'Check `command -v tree` first',
  verification: 'No "command not found: tree" failures',
  incidents: [{ id: '2026-11-01-abcd', fingerprint: 'fp1' }],
  novelty: 'checked AGENT-001 to AGENT-003: no overlap',
  created: '2026-11-01',
  updated: '2026-11-10',
  activated: '2026-11-10',
  hits: 0,
  body: 'Do not call `tree`; it is not installed here.',
  file: 'rules/PROJ-001.md',
};

function incident(daily: Record<string, number>): Incident {
  return {
    id: '2026-11-01-abcd',
    fingerprint: 'fp1',
    signature: 'Exit code <n>\n(eval):<n>: command not found: tree',
    category: 'command not found',
    signal: 'hook',
    tool: 'Bash',
    sample: { error: 'Exit code 127', event: 'PostToolUseFailure', time: '2026-11-01T10:00:00Z' },
    count: Object.values(daily).reduce((a, b) => a + b, 0),
    sessions: ['a', 'b', 'c'],
    firstSeen: '2026-11-01T10:00:00Z',
    lastSeen: '2026-11-20T10:00:00Z',
    recurring: true,
    status: 'ruled',
    rules: ['PROJ-001'],
    skills: [],
    reopened: 0,
    daily,
  };
}

describe('rule effectiveness', () => {
  it('counts the fingerprints in the 14 days before and after activation, and the blocks', () => {
    const e = effectiveness(rule, [incident({ '2026-10-20': 9, '2026-11-01': 3, '2026-11-05': 2, '2026-11-12': 1 })], [{ id: 'PROJ-001', count: 4 }], '2026-11-21', 14);
    // 2026-10-20 is outside the 14 days before 2026-11-10.
    expect(e).toEqual({ rule: 'PROJ-001', activated: '2026-11-10', days: 14, before: 5, after: 1, blocks: 4, working: true });
  });

  it('counts the activation day as before: the mistakes the rule was made from are not slips', () => {
    // The incidents of the morning, the rule approved the same afternoon.
    const e = effectiveness(rule, [incident({ '2026-11-10': 3 })], [], '2026-11-10', 14);
    expect(e).toMatchObject({ before: 3, after: 0, working: true });
    expect(effectiveness(rule, [incident({ '2026-11-10': 3, '2026-11-11': 1 })], [], '2026-11-11', 14)).toMatchObject({ before: 3, after: 1 });
  });

  it('flags a rule whose mistakes keep recurring after activation as not working, and lint says so', () => {
    const inc = incident({ '2026-11-03': 2, '2026-11-11': 1, '2026-11-15': 2 });
    const e = effectiveness(rule, [inc], [], '2026-11-21', 14);
    expect(e).toMatchObject({ before: 2, after: 3, working: false });
    const findings = lintRules([rule], [], { fileExists: () => true, commandExists: () => true, effectiveness: { 'PROJ-001': e } });
    expect(findings).toEqual([expect.objectContaining({ kind: 'not-working', rule: 'PROJ-001' })]);
  });

  it("counts the whole team's sessions when the workspace syncs: a rule that works here but not on a teammate's machine is not working", () => {
    const here = incident({ '2026-11-05': 2, '2026-11-12': 1 });
    const team: TeamDaily = new Map<string, { member: string; daily: Record<string, number> }[]>([
      ['fp1', [{ member: 'bob', daily: { '2026-11-08': 4, '2026-11-13': 1, '2026-11-15': 1, '2026-12-30': 9 } }, { member: 'carol', daily: { '2026-09-01': 5 } }]],
      ['fp-other', [{ member: 'carol', daily: { '2026-11-12': 7 } }]],
    ]);
    const e = effectiveness(rule, [here], [], '2026-11-21', 14, team);
    // Here: 2 before, 1 after. bob: 4 before, 2 after (his 2026-12-30 is past today); carol's day is outside the window.
    expect(e).toMatchObject({ before: 2, after: 1, team: { before: 6, after: 3, members: 2 }, working: false });
    expect(effectiveness(rule, [here], [], '2026-11-21', 14)).toMatchObject({ after: 1, working: true });
    expect(effectiveness(rule, [here], [], '2026-11-21', 14)).not.toHaveProperty('team');
    // A team none of whose members saw the mistake: the team's counts are this workspace's.
    expect(effectiveness(rule, [here], [], '2026-11-21', 14, new Map())).toMatchObject({ team: { before: 2, after: 1, members: 1 }, working: true });
  });

  it("reads a rule's incidents by id from their month, and when an id no longer names its incident, the months that hold its fingerprint", async () => {
    const ws = await freshWorkspace({ clock: () => new Date('2026-11-20T12:00:00Z') });
    const mine = incident({ '2026-11-05': 3, '2026-11-12': 1 });
    const other = { ...incident({ '2026-11-06': 7 }), id: '2026-10-02-beef', fingerprint: 'fp2' };
    await ws.store.transact(async (tx) => tx.incidents.upsert([other, mine]), { purpose: 'test' });
    const byId = await readEffectiveness(ws, [rule]);
    expect(byId['PROJ-001']).toMatchObject({ before: 3, after: 1 });
    // Renumbered since (a team sync): the fingerprint still finds it.
    const renamed = { ...rule, incidents: [{ id: '2026-11-01-0000', fingerprint: 'fp1' }] };
    const read = vi.spyOn(fsp, 'readFile');
    expect((await readEffectiveness(openWorkspace(ws.root), [renamed]))['PROJ-001']).toMatchObject({ before: 3, after: 1 });
    // Only the month that holds the fingerprint is read, not every month.
    const months = read.mock.calls.map((c) => String(c[0])).filter((f) => f.includes(join('store', 'incidents'))).map((f) => f.split(/[\\/]/).pop());
    read.mockRestore();
    expect([...new Set(months)]).toEqual(['2026-11.json']);
  });
});
