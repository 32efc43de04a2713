// `nevo-tui log` and `revert` on a workspace of many folders (a year's journal is hundreds of
// day folders): what a commit changed is found by reading only the folders it changed, so the
// listing neither walks the whole tree at each commit nor opens more files than the system allows.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect, it } from 'vitest';
import { CLI } from '../helpers/scripts.js';
import { freshWorkspace } from '../helpers/workspace.js';

it('lists 20 commits of a workspace with 120 day folders under a limit of 64 open files, each with its files', async () => {
  const ws = await freshWorkspace();
  const write = (rel: string, text: string) => {
    mkdirSync(dirname(join(ws.root, rel)), { recursive: true });
    writeFileSync(join(ws.root, rel), text);
  };
  const days = Array.from({ length: 120 }, (_, i) => `journal/raw/2026-${String(1 + Math.floor(i / 28)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}/s.jsonl`);
  for (const p of days) write(p, `{"day":"${p}"}\n`);
  await ws.history.commit(days, 'store: the days');
  for (let i = 0; i < 20; i++) {
    write(days[i * 6]!, `{"changed":${i}}\n`);
    await ws.history.commit([days[i * 6]!], `store: change ${i}`);
  }
  const r = spawnSync('bash', ['-c', 'ulimit -n 64 && exec "$0" "$@"', process.execPath, CLI, 'log', '--limit', '21', '--json', '--workspace', ws.root], { encoding: 'utf8', env: { ...process.env, NEVO_WORKSPACE: '' } });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const { commits } = JSON.parse(r.stdout) as { commits: { subject: string; files: { path: string; change: string }[] }[] };
  expect(commits.map((c) => c.subject)).toEqual([...Array.from({ length: 20 }, (_, i) => `store: change ${19 - i}`), 'store: the days']);
  expect(commits.slice(0, 20).map((c) => c.files)).toEqual(Array.from({ length: 20 }, (_, i) => [{ path: days[(19 - i) * 6], change: 'modified' }]));
  expect(commits[20]!.files).toHaveLength(120);
});
