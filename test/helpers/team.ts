// Team members for the sync tests: workspaces that share one remote, and the activity a member's
// agent and reviewer make (failed tool calls through the hook's own writer, proposals, decisions).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanPayload } from '../../src/detect/clean.js';
import { newTriggerId, writeTrigger } from '../../src/detect/trigger.js';
import { allocateRuleId, writeRule } from '../../src/rules/repository.js';
import { openWorkspace, type Clock, type Workspace } from '../../src/workspace/workspace.js';
import { freshWorkspace } from './workspace.js';

export type Member = Workspace & { project: string; name: string };

export async function teamMember(name: string, remote: string, opts: { clock?: Clock } = {}): Promise<Member> {
  const base = await freshWorkspace(opts);
  const file = join(base.root, 'config.json');
  const raw = JSON.parse(readFileSync(file, 'utf8'));
  writeFileSync(file, JSON.stringify({ ...raw, sync: { remote, member: name, tokenEnv: '' } }, null, 2));
  return { ...openWorkspace(base.root, { clock: opts.clock }), project: base.project, name };
}

/** A failed Bash call as the hook writes it, waiting in the member's inbox for ingest. */
export function failedCall(ws: Member, opts: { session: string; callId: string; command: string; error: string; at: string }): void {
  const payload = {
    session_id: opts.session,
    transcript_path: join(ws.project, 'no-transcript.jsonl'),
    cwd: ws.project,
    hook_event_name: 'PostToolUseFailure',
    tool_name: 'Bash',
    tool_input: { command: opts.command },
    tool_use_id: opts.callId,
    error: opts.error,
    is_interrupt: false,
  };
  writeTrigger(ws.layout.triggers, { v: 1, id: newTriggerId(), receivedAt: opts.at, source: 'hook', payload: cleanPayload(payload) });
}

/** A proposal under the next free id, the way the analyst writes one. */
export async function propose(ws: Workspace, title: string, body: string, created = '2026-12-01', keys?: string[]): Promise<string> {
  return ws.store.transact(async (tx) => {
    const id = await allocateRuleId(tx, ws, 'PROJ');
    writeRule(tx, { id, title, scope: 'project', status: 'proposed', trigger: '', enforcement: '', verification: '', incidents: [], novelty: '', created, updated: created, hits: 0, body, ...(keys ? { keys } : {}) });
    tx.message('rules', `propose ${id}`);
    return id;
  });
}

/** A small seeded generator (mulberry32): the same seed, the same schedule. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
