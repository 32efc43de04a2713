// Takes the workspace lock and, while holding it, has it taken away as another process would
// after breaking it: the folder and the owner file become someone else's. Then exits normally,
// so proper-lockfile's cleanup at exit runs on a lock this process no longer holds.
import { mkdirSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { layout } from '../../src/workspace/layout.js';
import { withWorkspaceLock } from '../../src/store/lock.js';

const lay = layout(process.argv[2]!);
await withWorkspaceLock(lay, { timeoutMs: 5000, staleMs: 10000, purpose: 'lose' }, async () => {
  rmSync(lay.lockOwner, { force: true });
  rmdirSync(lay.lock);
  mkdirSync(lay.lock);
  const st = statSync(lay.lock);
  writeFileSync(lay.lockOwner, JSON.stringify({ pid: 1, host: 'elsewhere', command: 'other', since: 'now', ino: st.ino, birth: st.birthtimeMs }));
}).catch(() => undefined);
process.stdout.write('lost\n');
