// `nevo-tui review` reads what the Review screen reads: the incidents rules link to and the open
// gate escalations, from their months, not every incident of the year; its queue is the same.
import { promises as fsp, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it, vi } from 'vitest';
import { main } from '../../src/main.js';
import { withOutput } from '../../src/output.js';
import { serialiseRule } from '../../src/rules/rule.js';
import { incidentRecord } from '../helpers/records.js';
import { freshWorkspace } from '../helpers/workspace.js';

async function review(root: string): Promise<{ code: number; queue: any; shards: string[] }> {
  let out = '';
  const read = vi.spyOn(fsp, 'readFile');
  try {
    const code = await withOutput({ out: (t) => void (out += t), err: () => undefined }, () => main(['review', '--json', '--workspace', root]));
    const shards = read.mock.calls.map(([f]) => String(f)).filter((f) => f.includes(join('store', 'incidents'))).map((f) => f.split(/[\\/]/).pop()!);
    return { code, queue: JSON.parse(out), shards };
  } finally {
    read.mockRestore();
  }
}

it('reads the months of linked incidents and open escalations only, and queues them as before', async () => {
  const ws = await freshWorkspace();
  const linked = { ...incidentRecord('2026-09-02-a001'), count: 4, sessions: ['s1', 's2'] };
  const escalation = { ...incidentRecord('2026-10-03-b002'), signal: 'breaker' as const, tool: 'breaker:test', sample: { error: 'Circuit breaker: the gate stage test did not pass in 3 iteration(s)', event: 'Gate', time: '2026-10-03T10:00:00.000Z' } };
  const others = Array.from({ length: 30 }, (_, i) => incidentRecord(`2026-11-${String(i + 1).padStart(2, '0')}-c${String(i).padStart(3, '0')}`));
  await ws.store.transact(async (tx) => tx.incidents.upsert([linked, escalation, ...others]), { purpose: 'test' });
  writeFileSync(
    join(ws.root, 'rules', 'PROJ-001.md'),
    serialiseRule({ id: 'PROJ-001', title: 'Install express first', scope: 'project', status: 'proposed', trigger: 'Before requiring express', enforcement: 'Install it first', verification: 'No missing-module failures', incidents: [{ id: linked.id, fingerprint: linked.fingerprint }], novelty: 'checked: no overlap', created: '2026-12-01', updated: '2026-12-01', hits: 0, body: 'Install express before you require it.' }),
  );

  // The first run after a change may read a changed month once, to list its rows; the next reads only what it shows.
  expect((await review(ws.root)).code).toBe(0);
  const { code, queue, shards } = await review(ws.root);
  expect(code).toBe(0);
  expect(shards.sort()).toEqual(['2026-09.json', '2026-10.json']);
  expect(queue.escalations.map((e: { id: string }) => e.id)).toEqual([escalation.id]);
  expect(queue.proposals).toHaveLength(1);
  expect(queue.proposals[0]).toMatchObject({ id: 'PROJ-001', count: 4, sessions: 2 });
  expect(queue.proposals[0].incidents.map((i: { id: string }) => i.id)).toEqual([linked.id]);
});
