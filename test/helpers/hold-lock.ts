// Takes the workspace lock, says so on stdout, and holds it until killed.
import { layout } from '../../src/workspace/layout.js';
import { withWorkspaceLock } from '../../src/store/lock.js';

const [root, purpose] = process.argv.slice(2);
await withWorkspaceLock(layout(root!), { timeoutMs: 5000, staleMs: 10000, purpose: purpose ?? 'hold' }, async () => {
  process.stdout.write('held\n');
  await new Promise(() => setTimeout(() => undefined, 1 << 30));
});
