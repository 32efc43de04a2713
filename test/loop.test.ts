import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTranscript, toHookPayloads } from '../src/detect/transcript.js';
import { cli } from './helpers/cli.js';
import { CLI } from './helpers/scripts.js';
import { freshWorkspace } from './helpers/workspace.js';

const SPOTTER = 'test/fixtures/claude-code/transcripts/spotter__6c2214d7__subagents__agent-afc096d.jsonl';
const PRE = 'test/fixtures/claude-code/hook-payloads/quantstats__pre_tool_use.json';

function hook(payload: object, project: string) {
  const r = spawnSync(process.execPath, [CLI, 'hook'], { input: JSON.stringify(payload), env: { ...process.env, NEVO_WORKSPACE: '', CLAUDE_PROJECT_DIR: project } });
  return { code: r.status, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

const git = (dir: string, ...args: string[]) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' });

describe('the closed loop, on real payloads', () => {
  it('ingests a failure, proposes a novelty-checked rule, approves it, exports it, blocks the command, and links a similar failure', async () => {
    const ws = await freshWorkspace();
    // The real `tree` failure of the spotter subagent, as the PostToolUseFailure hook payload.
    const parse = parseTranscript(readFileSync(SPOTTER, 'utf8'));
    const failed = toHookPayloads(parse, SPOTTER).find((p) => p.hook_event_name === 'PostToolUseFailure' && String(p.error).includes('tree'))!;
    expect(hook({ ...failed, cwd: ws.project }, ws.project)).toEqual({ code: 0, stdout: '', stderr: '' });

    // Ingest opens the incident and the built-in analyst proposes a rule, novelty-checked.
    const ingest = JSON.parse(cli(['ingest', '--json'], { cwd: ws.project }).stdout);
    expect(ingest.opened).toHaveLength(1);
    const incidentId = ingest.opened[0];
    expect(ingest.analyzed).toEqual([expect.objectContaining({ incident: incidentId, decision: 'propose', rule: 'PROJ-001', novelty: 'checked AGENT-001 to AGENT-003: no overlap' })]);
    const proposed = JSON.parse(cli(['rules', 'show', 'PROJ-001', '--json'], { cwd: ws.project }).stdout).rule;
    expect(proposed).toMatchObject({ status: 'proposed', incidents: [{ id: incidentId }], guard: { tool: 'Bash' } });
    expect(proposed.body).toContain('`tree` is not installed');
    expect(git(ws.root, 'log', '-1', '--format=%s').trim()).toBe(`rules: propose PROJ-001 (${incidentId})`);

    // Approve: the rule goes active, reaches the agent, and the change is one commit.
    const approve = cli(['rules', 'approve', 'PROJ-001', '--json'], { cwd: ws.project });
    expect(approve.code, approve.stderr).toBe(0);
    const exported = join(ws.project, '.claude', 'rules', 'nevo', 'PROJ-001.md');
    expect(readFileSync(exported, 'utf8')).toContain('# PROJ-001: tree is not installed here');
    expect(git(ws.root, 'log', '-1', '--format=%s').trim()).toBe(`rules: approve PROJ-001 (${incidentId})`);
    expect(git(ws.root, 'show', 'HEAD:rules/PROJ-001.md')).toContain('status: active');
    const incident = JSON.parse(cli(['incidents', 'show', incidentId, '--json'], { cwd: ws.project }).stdout).incident;
    expect(incident).toMatchObject({ status: 'ruled', rules: ['PROJ-001'] });

    // Teeth: the same command is blocked by the PreToolUse hook with exit 2, naming the rule.
    const pre = (JSON.parse(readFileSync(PRE, 'utf8')) as Record<string, unknown>[]).find((p) => p.tool_name === 'Bash')!;
    const blocked = hook({ ...pre, cwd: ws.project, tool_input: { command: 'tree -L 2 src', description: 'Show the tree' } }, ws.project);
    expect(blocked.code).toBe(2);
    expect(blocked.stderr).toContain('PROJ-001');
    expect(blocked.stderr).toContain('`tree` is not installed');
    expect(hook({ ...pre, cwd: ws.project, tool_input: { command: 'ls -R src' } }, ws.project).code).toBe(0);
    // The guard reads the command as a shell does: the name in a commit message is not a run of it.
    expect(hook({ ...pre, cwd: ws.project, tool_input: { command: 'git commit -m "perf: fewer deps; tree shaking"' } }, ws.project).code).toBe(0);
    expect(hook({ ...pre, cwd: ws.project, tool_input: { command: 'cd src && sudo /usr/bin/tree -a' } }, ws.project).code).toBe(2);
    const afterBlock = JSON.parse(cli(['ingest', '--json'], { cwd: ws.project }).stdout);
    expect(afterBlock.events).toBe(4);
    const events = JSON.parse(cli(['events', '--json'], { cwd: ws.project }).stdout).events;
    expect(events.find((e: { fate: { kind: string } }) => e.fate.kind === 'blocked')).toMatchObject({ fate: { kind: 'blocked', rule: 'PROJ-001' }, tool: 'Bash' });
    expect(JSON.parse(cli(['rules', 'show', 'PROJ-001', '--json'], { cwd: ws.project }).stdout).effectiveness).toMatchObject({ blocks: 2 });

    // The same mistake worded by another shell (bash, not zsh) is the same incident: its cause,
    // `tree` missing, is what the fingerprint is made of. It reopens the incident (the rule did
    // not stop it) instead of opening a new one and a duplicate rule. It is live, after the
    // approval: no `timestamp` from the fixture (Claude Code sends none), so it is dated on arrival.
    hook({ ...failed, timestamp: undefined, cwd: ws.project, session_id: 'another-session', tool_use_id: 'toolu_other', error: 'Exit code 127\nbash: tree: command not found' }, ws.project);
    const second = JSON.parse(cli(['ingest', '--json'], { cwd: ws.project }).stdout);
    expect(second.opened).toHaveLength(0);
    expect(second.reopened).toEqual([incidentId]);
    const again = JSON.parse(cli(['incidents', 'show', incidentId, '--json'], { cwd: ws.project }).stdout).incident;
    expect(again).toMatchObject({ count: 2, status: 'new', reopened: 1, rules: ['PROJ-001'] });
    expect(existsSync(join(ws.root, 'rules', 'PROJ-002.md'))).toBe(false);
  });

  it('links a real "file has not been read" failure to the starter rule AGENT-001 instead of proposing a copy', async () => {
    const ws = await freshWorkspace();
    const file = 'test/fixtures/claude-code/transcripts/claude-code-viewer__5c0375b4-57a5-4f26-b12d-d022ee4e51b7.jsonl';
    const failed = toHookPayloads(parseTranscript(readFileSync(file, 'utf8')), file).find((p) => String(p.error).includes('has not been read'))!;
    hook({ ...failed, cwd: ws.project }, ws.project);
    const out = JSON.parse(cli(['ingest', '--json'], { cwd: ws.project }).stdout);
    expect(out.analyzed).toEqual([expect.objectContaining({ decision: 'link', rule: 'AGENT-001' })]);
    expect(JSON.parse(cli(['rules', 'show', 'AGENT-001', '--json'], { cwd: ws.project }).stdout).rule.hits).toBe(1);
  });
});
