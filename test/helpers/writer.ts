// A separate process that adds event records one transaction at a time and prints each id
// once its transaction has returned, so a test knows which writes were acknowledged.
import { openWorkspace } from '../../src/workspace/workspace.js';

const [root, countArg, prefix] = process.argv.slice(2);
const ws = openWorkspace(root!);
const count = Number(countArg);
for (let i = 0; i < count; i++) {
  const id = `${prefix}-${i}`;
  await ws.store.transact(async (tx) => {
    const events = await tx.doc('events');
    events.records.push({ id, time: new Date().toISOString(), source: 'report', kind: 'task', fate: { kind: 'journal' } });
    tx.touch('events');
    const telemetry = await tx.doc('telemetry');
    const day = telemetry.records.find((d) => d.id === '2026-11-21') ?? (telemetry.records.push({ id: '2026-11-21', calls: {}, failures: {}, noisy: {} }), telemetry.records.at(-1)!);
    day.calls.Bash = (day.calls.Bash ?? 0) + 1;
    tx.touch('telemetry');
  });
  process.stdout.write(`${id}\n`);
}
