import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sessionJournalFiles } from '../../src/store/raw-journal-files.js';
import { cli } from '../helpers/cli.js';
import { CLI } from '../helpers/scripts.js';
import { freshWorkspace } from '../helpers/workspace.js';

const POST = 'test/fixtures/claude-code/hook-payloads/quantstats__post_tool_use.json';
const START = 'test/fixtures/claude-code/hook-payloads/fabric__session_start.json';

function hook(payload: object, project: string) {
  const r = spawnSync(process.execPath, [CLI, 'hook'], { input: JSON.stringify(payload), env: { ...process.env, NEVO_WORKSPACE: '', CLAUDE_PROJECT_DIR: project } });
  return r.status;
}

describe('a live session, through the real hook', () => {
  it('journals every event and writes the narrative and facts when the session stops', async () => {
    const ws = await freshWorkspace();
    const posts = JSON.parse(readFileSync(POST, 'utf8')) as Record<string, unknown>[];
    const session = String(posts[0]!.session_id);
    const start = (JSON.parse(readFileSync(START, 'utf8')) as Record<string, unknown>[])[0]!;
    // The session's own events: its start, a prompt, the 14 real PostToolUse payloads, then Stop.
    expect(hook({ ...start, session_id: session, cwd: posts[0]!.cwd }, ws.project)).toBe(0);
    expect(hook({ session_id: session, transcript_path: posts[0]!.transcript_path, cwd: posts[0]!.cwd, hook_event_name: 'UserPromptSubmit', prompt: 'Please fix the numpy 2 incompatibility. Always pin numpy below 3 in requirements.txt.' }, ws.project)).toBe(0);
    for (const p of posts) expect(hook(p, ws.project)).toBe(0);
    expect(hook({ session_id: session, transcript_path: posts[0]!.transcript_path, cwd: posts[0]!.cwd, hook_event_name: 'Stop', stop_hook_active: false }, ws.project)).toBe(0);

    const r = cli(['ingest', '--json'], { cwd: ws.project, env: { NEVO_WORKSPACE: ws.root } });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.ended).toEqual([session]);
    expect(out.remembered).toHaveLength(1);

    const narrative = (await ws.store.read('narratives')).records[0]!;
    const md = readFileSync(join(ws.root, narrative.file), 'utf8');
    expect(md).toContain('- Please fix the numpy 2 incompatibility.');
    // Every file the session changed, relative to its folder.
    expect(md).toContain('Changed (3): requirements.txt, quantstats/version.py, CHANGELOG.md');
    expect(md).toMatch(/## Decisions\n- \[/);
    const facts = (await ws.store.read('facts')).records.map((f) => `${f.category}: ${f.statement}`);
    expect(facts).toContain('preference: Always pin numpy below 3 in requirements.txt.');
    const journal = sessionJournalFiles(ws.root, session).flatMap((f) => readFileSync(join(ws.root, f), 'utf8').trim().split('\n'));
    expect(journal).toHaveLength(17);
  });
});
