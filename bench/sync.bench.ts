// Team sync: three members each work a day of 1,000 tool calls (7% failing, on errors the team
// shares and errors of their own; the built-in analyst proposes rules as it would), then sync
// through a real git smart-HTTP server (git's own http-backend on this machine). Prints the time
// and the bytes each sync sent and received: every member's first sync, the round that brings in
// what the members after it pushed (until a round pushes nothing), and a sync with nothing new.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { initWorkspace } from '../src/app/init.js';
import { afterEvents } from '../src/app/loop.js';
import { sync, type SyncResult } from '../src/app/sync.js';
import { applyInTransaction } from '../src/detect/ingest.js';
import type { IncomingEvent } from '../src/detect/normalise.js';
import { openWorkspace, type Workspace } from '../src/workspace/workspace.js';
import { startGitHttpServer } from '../test/helpers/git-http-server.js';
import { fmt } from './util.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1000);
const PER_RUN = 25;
const DAY = '2026-12-01';
const PROGRAMS = ['tree', 'jq', 'yarn', 'make', 'rg', 'fd', 'bat', 'http', 'gh', 'kubectl'];

let seed = 7;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);

function failure(member: string, i: number): { tool: string; target: string; error: string } {
  const r = rand();
  // Most failures are ones the whole team meets (the same fingerprints on every member).
  if (r < 0.5) {
    const p = PROGRAMS[Math.floor(rand() * PROGRAMS.length)]!;
    return { tool: 'Bash', target: `${p} --version`, error: `Exit code 127\n(eval):1: command not found: ${p}` };
  }
  if (r < 0.8) return { tool: 'Edit', target: `/repo/src/file-${i % 40}.ts`, error: 'File has not been read yet. Read it first before writing to it.' };
  return { tool: 'Bash', target: `npm test -- ${member}-${i}`, error: `Exit code 1\nFAIL test/${member}-${i % 25}.test.ts > works\nAssertionError: expected 1 to be 2` };
}

async function member(name: string, remote: string): Promise<Workspace> {
  const project = mkdtempSync(join(tmpdir(), `nevo-bench-sync-${name}-`));
  const { workspace } = await initWorkspace({ project, cwd: project });
  const file = join(workspace, 'config.json');
  const raw = JSON.parse(readFileSync(file, 'utf8'));
  writeFileSync(file, JSON.stringify({ ...raw, sync: { remote, member: name, tokenEnv: '' } }, null, 2));
  const ws = openWorkspace(workspace);
  const tools = ['Bash', 'Read', 'Edit', 'Grep'];
  for (let start = 0; start < EVENTS; start += PER_RUN) {
    const events: IncomingEvent[] = [];
    for (let i = start; i < Math.min(EVENTS, start + PER_RUN); i++) {
      const time = new Date(Date.parse(`${DAY}T08:00:00.000Z`) + i * 30_000).toISOString();
      const session = `${name}-s${Math.floor(i / 100)}`;
      const base = { id: `${name}-${i}`, time, source: 'hook' as const, signal: 'hook' as const, session };
      if (rand() < 0.07) events.push({ ...base, kind: 'PostToolUseFailure', ok: false, ...failure(name, i) });
      else events.push({ ...base, kind: 'PostToolUse', ok: true, tool: tools[i % tools.length]!, target: `/repo/src/file-${i % 300}.ts` });
      if (i % 100 === 99) events.push({ ...base, id: `${name}-${i}-end`, kind: 'SessionEnd' });
    }
    const r = await applyInTransaction(ws, events, [], 'bench');
    await afterEvents(ws, { opened: r.opened, sessions: r.written.ended });
  }
  await ws.store.flush();
  return ws;
}

const root = mkdtempSync(join(tmpdir(), 'nevo-bench-git-'));
const srv = await startGitHttpServer(root);
srv.repo('team.git');
const url = srv.url('team.git');
const t0 = performance.now();
const members = [await member('alice', url), await member('bob', url), await member('carol', url)];
console.log(`3 members, ${EVENTS} events each, analysed, in ${fmt(performance.now() - t0)}`);

const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
async function measured(label: string, ws: Workspace): Promise<SyncResult> {
  const before = { ...srv.traffic };
  const start = performance.now();
  const r = await sync(ws);
  const ms = performance.now() - start;
  const sent = srv.traffic.sent - before.sent;
  const received = srv.traffic.received - before.received;
  const what = [r.pushed ? 'pushed' : 'nothing to push', r.added.length ? `${r.added.length} rule(s) in` : '', r.merged.length ? `${r.merged.length} merged` : '', r.renamed.length ? `${r.renamed.length} renumbered` : ''].filter(Boolean).join(', ');
  console.log(`${label.padEnd(34)} ${fmt(ms).padStart(10)}   sent ${kib(sent).padStart(10)}   received ${kib(received).padStart(10)}   ${what}`);
  return r;
}

const names = ['alice', 'bob', 'carol'];
for (const [i, ws] of members.entries()) await measured(`first sync, ${names[i]}`, ws);
// Rounds until no member pushes: ids a collision moved settle over a few rounds.
for (let round = 2; round < 10; round++) {
  let pushed = false;
  for (const [i, ws] of members.entries()) pushed = (await measured(`round ${round}, ${names[i]}`, ws)).pushed || pushed;
  if (!pushed) break;
}
const last: SyncResult[] = [];
for (const [i, ws] of members.entries()) last.push(await measured(`nothing new, ${names[i]}`, ws));
const team = last[0]!.team;
console.log(`team: ${team.length} fingerprints, ${team.reduce((n, t) => n + t.count, 0)} failures counted; ${last[0]!.files.length} files shared by each member (${kib(last[0]!.files.reduce((n, f) => n + f.bytes, 0))})`);

await srv.close();
for (const ws of members) rmSync(ws.projectRoot, { recursive: true, force: true });
rmSync(root, { recursive: true, force: true });
