// Runs `memory consolidate` on a workspace at a fixed "now": a test kills it with SIGKILL
// somewhere along the way.
import { consolidateMemory } from '../../src/memory/consolidate.js';
import { openWorkspace } from '../../src/workspace/workspace.js';

const [root, now] = process.argv.slice(2);
const ws = openWorkspace(root!, { clock: () => new Date(now!) });
await consolidateMemory(ws);
process.stdout.write('done\n');
