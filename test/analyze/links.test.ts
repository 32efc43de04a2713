import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeMany, contextFor } from '../../src/analyze/analyze.js';
import { buildPrompt } from '../../src/analyze/prompt.js';
import { ingestTriggers } from '../../src/detect/ingest.js';
import { writeTrigger } from '../../src/detect/trigger.js';
import { addFact } from '../../src/memory/add.js';
import { backtestGuard } from '../../src/rules/backtest.js';
import { loadRules } from '../../src/rules/load.js';
import { rejectRule } from '../../src/rules/review.js';
import type { Workspace } from '../../src/workspace/workspace.js';
import { freshWorkspace } from '../helpers/workspace.js';

let n = 0;
/** One Claude Code hook payload through ingest and the built-in analyst, as the live loop runs them. */
async function call(ws: Workspace & { project: string }, session: string, tool: string, input: Record<string, unknown>, error?: string) {
  const id = `${String(++n).padStart(6, '0')}-t`;
  const payload: Record<string, unknown> = { session_id: session, cwd: ws.project, hook_event_name: error === undefined ? 'PostToolUse' : 'PostToolUseFailure', tool_name: tool, tool_input: input };
  if (error !== undefined) payload.error = error;
  else payload.tool_response = {};
  writeTrigger(ws.layout.triggers, { v: 1, id, receivedAt: new Date().toISOString(), source: 'hook', payload });
  await ingestTriggers(ws);
  return analyzeMany(ws, undefined, { builtin: true });
}

const rule = (ws: Workspace, id: string) => loadRules(ws.root).rules.find((r) => r.id === id)!;

describe('links only between the same mistake', () => {
  it('gives `del` missing its own proposal instead of linking it to the rule about `jq`', async () => {
    const ws = await freshWorkspace();
    const [jq] = await call(ws, 's1', 'Bash', { command: 'jq .name package.json' }, 'Exit code 127\n/bin/bash: line 1: jq: command not found');
    expect(jq).toMatchObject({ decision: 'propose', rule: 'PROJ-001' });
    const [del] = await call(ws, 's2', 'Bash', { command: 'del build' }, 'Exit code 127\n/bin/bash: line 1: del: command not found');
    expect(del).toMatchObject({ decision: 'propose', rule: 'PROJ-002' });
    expect(rule(ws, 'PROJ-002')).toMatchObject({ keys: ['command not found:del'], guard: { tool: 'Bash', program: 'del' } });
  });

  it('counts a push without upstream on any branch as one incident, and never hides an incident behind a rejected rule', async () => {
    const ws = await freshWorkspace();
    const [first] = await call(ws, 's1', 'Bash', { command: 'git push' }, 'Exit code 128\nfatal: The current branch feature/a has no upstream branch.');
    expect(first).toMatchObject({ decision: 'propose', rule: 'PROJ-001' });
    // The same branch-less push in another session, on another branch: one incident, counted.
    await call(ws, 's2', 'Bash', { command: 'git push origin' }, 'Exit code 128\nfatal: The current branch fix/b has no upstream branch.');
    const incidents = (await ws.store.read('incidents')).records;
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({ count: 2, sessions: ['s1', 's2'] });

    const [read] = await call(ws, 's3', 'Read', { file_path: `${ws.project}/src/old.ts` }, 'File does not exist.');
    expect(read).toMatchObject({ decision: 'propose', rule: 'PROJ-002' });
    await rejectRule(ws, 'PROJ-002', 'we move files around on purpose');
    const [edit] = await call(ws, 's4', 'Edit', { file_path: `${ws.project}/src/gone.ts`, old_string: 'a', new_string: 'b' }, 'File does not exist.');
    expect(edit).toMatchObject({ decision: 'propose', rule: 'PROJ-003' });
    expect(edit!.novelty).toContain('similar to rejected PROJ-002 (we move files around on purpose)');
  });
});

describe('guards are backtested before they are proposed', () => {
  it('stores the backtest, and leaves out a guard that would have blocked a call that worked', async () => {
    const ws = await freshWorkspace();
    await call(ws, 's1', 'Bash', { command: 'ls -la' });
    await call(ws, 's1', 'Bash', { command: 'git commit -m "chore: tree shaking"' });
    const [tree] = await call(ws, 's1', 'Bash', { command: 'tree -L 2' }, 'Exit code 127\n(eval):1: command not found: tree');
    expect(rule(ws, tree!.rule!)).toMatchObject({ guard: { program: 'tree' }, backtest: { failuresBlocked: 1, failuresTotal: 1, successesBlocked: 0, successesTotal: 2 } });

    // yq worked in an earlier session, so a guard against it would stall real work.
    await call(ws, 's2', 'Bash', { command: 'yq .version chart.yaml' });
    const [yq] = await call(ws, 's3', 'Bash', { command: 'cd deploy && yq .a values.yaml' }, 'Exit code 127\nbash: yq: command not found');
    const proposed = rule(ws, yq!.rule!);
    expect(proposed.guard).toBeUndefined();
    expect(proposed.backtest).toMatchObject({ successesBlocked: 1, dropped: expect.stringContaining('would have blocked 1 of') });
    expect(proposed.enforcement).not.toContain('blocked');
  });

  it('proposes a rule in PowerShell\'s words for a program it did not recognise, with no guard: guards read command lines as Bash', async () => {
    const ws = await freshWorkspace();
    const [jq] = await call(ws, 's1', 'PowerShell', { command: 'jq .name package.json' }, "Exit code 1\njq: The term 'jq' is not recognized as a name of a cmdlet, function, script file, or executable program.\nCheck the spelling of the name, or if a path was included, verify that the path is correct and try again.");
    const proposed = rule(ws, jq!.rule!);
    expect(proposed).toMatchObject({ keys: ['command not found:jq'] });
    expect(proposed.guard).toBeUndefined();
    expect(proposed.trigger).toContain('PowerShell');
    expect(proposed.verification).toContain("The term 'jq' is not recognized");
    expect(`${proposed.body} ${proposed.enforcement} ${proposed.verification}`).not.toMatch(/127|are blocked/);
    // Left out by the backtest, which says why in Review, whichever analyst proposed it.
    expect(proposed.backtest?.dropped).toContain('Bash parser');
  });

  it("backtests a PowerShell guard (an external analyst's) on PowerShell's command lines", () => {
    const calls = [
      { tool: 'PowerShell', target: 'rg -n TODO src', ok: true },
      { tool: 'PowerShell', target: 'rg --files', ok: false, incident: 'i1' },
    ];
    expect(backtestGuard({ tool: 'PowerShell', program: 'rg' }, calls, ['i1'], '/p')).toMatchObject({ failuresBlocked: 1, failuresTotal: 1, successesBlocked: 1, successesTotal: 1 });
  });

  it('proposes no guard against a preference the person stated, and flags it', async () => {
    const ws = await freshWorkspace();
    await addFact(ws, 'The project uses pnpm, not npm', 'preference');
    const [pnpm] = await call(ws, 's1', 'Bash', { command: 'pnpm install' }, 'Exit code 127\nzsh: command not found: pnpm');
    const proposed = rule(ws, pnpm!.rule!);
    expect(proposed.guard).toBeUndefined();
    expect(proposed.conflicts).toEqual(['The project uses pnpm, not npm']);
    // With no guard, the rule does not claim that calls are blocked.
    expect(proposed.enforcement).not.toContain('blocked');
  });
});

describe('noise stays out of review', () => {
  it('opens no incident for a declined call, a probe, a red test run or a cascade, and records why', async () => {
    const ws = await freshWorkspace();
    await call(ws, 's1', 'Bash', { command: 'rm -rf node_modules' }, "The user doesn't want to proceed with this tool use. The tool use was rejected (eg. if it was a file edit, the new_string was NOT written to the file). STOP what you are doing and wait for the user to tell you how to proceed.");
    await call(ws, 's1', 'Bash', { command: 'ls .env 2>/dev/null' }, 'Exit code 2');
    await call(ws, 's1', 'Bash', { command: 'npx vitest run' }, 'Exit code 1\n FAIL  test/a.test.ts > adds\nAssertionError: expected 2 to be 3');
    await call(ws, 's1', 'Read', { file_path: '/x/a.ts' }, '<tool_use_error>Sibling tool call errored</tool_use_error>');
    expect((await ws.store.read('incidents')).records).toEqual([]);
    const fates = (await ws.store.read('events')).records.filter((e) => e.ok === false).map((e) => e.fate);
    expect(fates.map((f) => (f.kind === 'noise' ? f.reason : f.kind))).toEqual(['declined', 'probe', 'test-run', 'cascade']);
    const [day] = (await ws.store.read('telemetry')).records;
    expect(day!.noisy).toMatchObject({ declined: 1, probe: 1, 'test-run': 1, cascade: 1 });
  });
});

describe('the external analyst', () => {
  it('gets the same context: the structured cause with its noise verdict, the project, the preferences and why a rule was rejected', async () => {
    const ws = await freshWorkspace();
    writeFileSync(join(ws.project, 'package.json'), JSON.stringify({ scripts: { build: 'tsc', test: 'vitest' }, packageManager: 'pnpm@9.1.0' }));
    await addFact(ws, 'Always use pnpm, never npm', 'preference');
    await call(ws, 's1', 'Bash', { command: 'pnpm run typecheck' }, ' ERR_PNPM_NO_SCRIPT  Missing script: typecheck');
    await rejectRule(ws, 'PROJ-001', 'we add the script instead');
    const [incident] = (await ws.store.read('incidents')).records;
    const ctx = await contextFor(ws, incident!);
    expect(ctx.cause).toMatchObject({ category: 'missing script', key: 'missing script:', subject: 'typecheck' });
    expect(ctx.project).toEqual({ scripts: ['build', 'test'], packageManager: 'pnpm' });
    expect(ctx.preferences).toEqual(['Always use pnpm, never npm']);
    expect(ctx.rules.find((r) => r.id === 'PROJ-001')).toMatchObject({ status: 'rejected', reason: 'we add the script instead' });
    const prompt = buildPrompt('# analyst', ctx);
    expect(prompt).toContain('"key": "missing script:"');
    expect(prompt).toContain('Always use pnpm, never npm');
  });
});

describe('analysis reads the months it needs', () => {
  it('analysing an incident ingest just opened reads its month, not every month of incidents', async () => {
    const { promises: fsp } = await import('node:fs');
    const { vi } = await import('vitest');
    const { incidentRecord } = await import('../helpers/records.js');
    const { openWorkspace } = await import('../../src/workspace/workspace.js');
    const ws = await freshWorkspace();
    await ws.store.transact((tx) => tx.incidents.upsert([{ ...incidentRecord('2025-09-02-a001'), status: 'dismissed' }, { ...incidentRecord('2025-10-02-b002'), status: 'dismissed' }]), { purpose: 'test' });
    await ws.store.flush();
    writeTrigger(ws.layout.triggers, { v: 1, id: '900000-t', receivedAt: new Date().toISOString(), source: 'hook', payload: { session_id: 's1', cwd: ws.project, hook_event_name: 'PostToolUseFailure', tool_name: 'Bash', tool_input: { command: 'jq .name package.json' }, error: 'Exit code 127\n/bin/bash: line 1: jq: command not found' } });
    const { opened } = await ingestTriggers(ws);
    const incident = opened[0]!;
    await ws.store.flush();
    const later = openWorkspace(ws.root);
    const spy = vi.spyOn(fsp, 'readFile');
    const [again] = await analyzeMany(later, [incident], { builtin: true });
    const read = [...new Set(spy.mock.calls.map((c) => String(c[0])).filter((f) => f.includes(join('store', 'incidents'))).map((f) => f.split(/[\\/]/).pop()))];
    spy.mockRestore();
    expect(again).toMatchObject({ incident, decision: 'propose', rule: 'PROJ-001' });
    expect(read).toEqual([`${incident.slice(0, 7)}.json`]);
  });
});
