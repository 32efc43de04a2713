// Runs `memory consolidate` on a workspace at a fixed "now": a test kills it with SIGKILL
// somewhere along the way. "start" marks the moment the work begins, so the test can aim its
// kills at the work rather than at Node's start-up, whose length varies by machine.
import { consolidateMemory } from '../../src/memory/consolidate.js';
import { openWorkspace } from '../../src/workspace/workspace.js';

const [root, now] = process.argv.slice(2);
const ws = openWorkspace(root!, { clock: () => new Date(now!) });
process.stdout.write('start\n');
await consolidateMemory(ws);
process.stdout.write('done\n');
