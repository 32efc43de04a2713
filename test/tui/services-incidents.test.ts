// The TUI's snapshot over a real workspace holds every incident's row, but only the incidents it
// shows in full without asking (those a rule links to, open escalations); any other is read when
// the person opens it, as `nevo-tui incidents show` does.
import { promises as fsp, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { serialiseRule } from '../../src/rules/rule.js';
import { incidentRow } from '../../src/store/incident-rows.js';
import { workspaceServices } from '../../src/tui/services.js';
import { openWorkspace } from '../../src/workspace/workspace.js';
import { incidentRecord } from '../helpers/records.js';
import { freshWorkspace } from '../helpers/workspace.js';

describe('workspace services: incidents', () => {
  it('list every incident from its row, hold in full the linked and the escalated, and read any other when opened', async () => {
    const ws = await freshWorkspace();
    const linked = incidentRecord('2026-09-02-a001');
    const escalation = { ...incidentRecord('2026-10-03-b002'), signal: 'breaker' as const, sample: { error: 'Circuit breaker: the gate stage test did not pass in 3 iteration(s)', event: 'Gate', time: '2026-10-03T10:00:00.000Z' } };
    const others = Array.from({ length: 30 }, (_, i) => ({ ...incidentRecord(`2026-11-${String(i + 1).padStart(2, '0')}-c${String(i).padStart(3, '0')}`), sample: { error: `Exit code 1\nerror number ${i}`, event: 'PostToolUseFailure', time: '2026-11-01T10:00:00.000Z' } }));
    await ws.store.transact(async (tx) => tx.incidents.upsert([linked, escalation, ...others]), { purpose: 'test' });
    writeFileSync(
      join(ws.root, 'rules', 'PROJ-001.md'),
      serialiseRule({ id: 'PROJ-001', title: 'Install express first', scope: 'project', status: 'proposed', trigger: 'Before requiring express', enforcement: 'Install it first', verification: 'No missing-module failures', incidents: [{ id: linked.id, fingerprint: linked.fingerprint }], novelty: 'checked: no overlap', created: '2026-12-01', updated: '2026-12-01', hits: 0, body: 'Install express before you require it.' }),
    );

    const services = workspaceServices(ws);
    const snapshot = await services.load();
    expect(snapshot.incidentRows).toEqual([linked, escalation, ...others].map(incidentRow));
    expect(snapshot.incidents.map((i) => i.id).sort()).toEqual([linked.id, escalation.id]);
    expect(snapshot.incidents.find((i) => i.id === escalation.id)?.sample.error).toMatch(/^Circuit breaker/);

    const opened = await services.incident(others[17]!.id);
    expect(opened?.sample.error).toBe('Exit code 1\nerror number 17');
    expect(await services.incident('2026-11-30-ffff')).toBeNull();
  });

  it('a reload after a change parses the month that changed once, when a rule links an incident of it', async () => {
    const ws = await freshWorkspace();
    const november = Array.from({ length: 5 }, (_, i) => incidentRecord(`2026-11-0${i + 1}-d00${i}`));
    await ws.store.transact(async (tx) => tx.incidents.upsert([incidentRecord('2026-10-01-e000'), ...november]), { purpose: 'test' });
    writeFileSync(
      join(ws.root, 'rules', 'PROJ-001.md'),
      serialiseRule({ id: 'PROJ-001', title: 'Install express first', scope: 'project', status: 'proposed', trigger: 'Before requiring express', enforcement: 'Install it first', verification: 'No missing-module failures', incidents: [{ id: november[0]!.id, fingerprint: november[0]!.fingerprint }], novelty: 'checked: no overlap', created: '2026-12-01', updated: '2026-12-01', hits: 0, body: 'Install express before you require it.' }),
    );
    const services = workspaceServices(ws);
    await services.load();
    // Another process counts a November incident again; the TUI reloads.
    await ws.store.transact(async (tx) => tx.incidents.update(november[3]!.id, (i) => void (i.count = 9)), { purpose: 'test' });
    const read = vi.spyOn(fsp, 'readFile');
    const snapshot = await services.load();
    const reads = read.mock.calls.map((c) => String(c[0])).filter((f) => f.includes(join('store', 'incidents')));
    read.mockRestore();
    expect(snapshot.incidentRows.find((r) => r.id === november[3]!.id)?.count).toBe(9);
    expect(reads.map((f) => f.split(/[\\/]/).pop())).toEqual(['2026-11.json']);
  });

  it("lists from the months' heads first, counting every incident, and every row after the first frame", async () => {
    const clock = () => new Date('2026-12-20T10:00:00.000Z');
    const ws = await freshWorkspace({ clock });
    // 250 October incidents seen once, long ago; 3 of November seen this week.
    const october = Array.from({ length: 250 }, (_, i) => ({ ...incidentRecord(`2026-10-${String(1 + (i % 28)).padStart(2, '0')}-${(0xa000 + i).toString(16)}`), status: i % 5 ? ('new' as const) : ('dismissed' as const) }));
    const recent = Array.from({ length: 3 }, (_, i) => ({ ...incidentRecord(`2026-11-0${i + 1}-${(0xb000 + i).toString(16)}`), count: 5, lastSeen: `2026-12-1${i + 5}T09:00:00.000Z`, daily: { [`2026-12-1${i + 5}`]: 4 } }));
    await ws.store.transact(async (tx) => tx.incidents.upsert([...october, ...recent]), { purpose: 'test' });
    await ws.store.incidentRows();

    const services = workspaceServices(openWorkspace(ws.root, { clock }));
    const first = await services.load();
    expect(first.rowsLater).toBe(true);
    expect(first.incidentCounts).toEqual({ total: 253, byStatus: { new: 203, dismissed: 50 } });
    expect(first.incidentRows.length).toBeLessThan(253);
    expect(first.incidentRows.map((r) => r.id)).toEqual(expect.arrayContaining(recent.map((i) => i.id)));
    expect(first.stats.topRepeated.map((r) => r.incident).sort()).toEqual(recent.map((i) => i.id).sort());

    const rows = await services.incidentRows();
    expect(rows.map((r) => r.id)).toEqual([...october, ...recent].map((i) => i.id));
    const later = await services.load();
    expect(later.rowsLater).toBeUndefined();
    expect(later.incidentRows).toEqual(rows);
    expect(later.incidentCounts).toEqual(first.incidentCounts);
  });
});

