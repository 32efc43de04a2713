// Ingests the trigger inbox in small batches until it is empty, then says "done": a test kills
// it with SIGKILL somewhere along the way.
import { ingestTriggers } from '../../src/detect/ingest.js';
import { openWorkspace } from '../../src/workspace/workspace.js';

const ws = openWorkspace(process.argv[2]!);
for (;;) {
  const r = await ingestTriggers(ws, { batch: 20 });
  if (r.files === 0) break;
}
process.stdout.write('done\n');
