// Ingests the trigger inbox in batches (20 unless told) until it is empty, then says "done": a test kills
// it with SIGKILL somewhere along the way.
import { ingestTriggers } from '../../src/detect/ingest.js';
import { openWorkspace } from '../../src/workspace/workspace.js';

const ws = openWorkspace(process.argv[2]!);
const batch = Number(process.argv[3] ?? 20);
for (;;) {
  const r = await ingestTriggers(ws, { batch });
  if (r.files === 0) break;
}
process.stdout.write('done\n');
