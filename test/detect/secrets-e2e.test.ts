import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { handleHook } from '../../src/hook.js';
import { SECRET_CASES } from '../fixtures/secrets.js';
import { cli } from '../helpers/cli.js';
import { CLI } from '../helpers/scripts.js';
import { freshWorkspace, scratch } from '../helpers/workspace.js';

/** Every byte nevo wrote: workspace files, every git object (decompressed), and the agent's exports. */
function everythingWritten(dirs: string[], gitDir: string): string {
  const parts: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const abs = join(dir, name);
      if (name === 'objects' && dir.endsWith('.git')) continue;
      if (statSync(abs).isDirectory()) walk(abs);
      else parts.push(readFileSync(abs, 'latin1'));
    }
  };
  for (const d of dirs) walk(d);
  parts.push(execFileSync('git', ['-C', gitDir, 'cat-file', '--batch-all-objects', '--batch'], { encoding: 'latin1', maxBuffer: 256 << 20 }));
  return parts.join('\n');
}

/**
 * A secret leaks if it, or a piece of 23 or more of its characters, is found: any such piece holds
 * one of the 12-character windows taken every 12 characters.
 */
function leaks(haystack: string, secret: string): boolean {
  if (haystack.includes(secret)) return true;
  for (let i = 0; i + 12 <= secret.length; i += 12) if (haystack.includes(secret.slice(i, i + 12))) return true;
  return false;
}

describe('planted secrets', () => {
  it('reach no file of the workspace through hooks, ingest, analysis, rules and transcript import', async () => {
    const ws = await freshWorkspace();
    const state = scratch();
    const env = { ...process.env, NEVO_WORKSPACE: '', CLAUDE_PROJECT_DIR: ws.project, XDG_STATE_HOME: state };
    const cases = Object.values(SECRET_CASES).flat();
    const secrets = cases.flatMap((c) => c.secrets);
    expect(cases.length).toBeGreaterThan(30);
    const transcript: string[] = [];
    cases.forEach((c, i) => {
      const base = { session_id: `s-${i % 4}`, transcript_path: '/tmp/t.jsonl', cwd: ws.project, tool_use_id: `toolu_${i}` };
      const failure = { ...base, hook_event_name: 'PostToolUseFailure', tool_name: 'Bash', tool_input: { command: c.text, description: c.name }, error: `Exit code 1\n${c.text}`, is_interrupt: false };
      const success = { ...base, tool_use_id: `toolu_${i}_write`, hook_event_name: 'PostToolUse', tool_name: 'Write', tool_input: { file_path: `${ws.project}/notes-${i}.txt`, content: c.text }, tool_response: { stdout: c.text, filePath: `${ws.project}/notes-${i}.txt` } };
      // "Always" makes the prompt a preference fact: the secret must not reach facts either.
      const prompt = { ...base, hook_event_name: 'UserPromptSubmit', prompt: `Always use this: ${c.text}` };
      const stop = { ...base, hook_event_name: 'Stop', stop_hook_active: false };
      for (const p of [failure, success, prompt, stop]) {
        // The first cases go through the real binary; the rest through the same code in-process (fast).
        const input = Buffer.from(JSON.stringify(p));
        if (i < 6) expect(spawnSync(process.execPath, [CLI, 'hook'], { input, env }).status).toBe(0);
        else handleHook({ head: input, bytes: input.length, timedOut: false }, env);
      }
      if (i % 6 !== 0) return; // a sample of the corpus is enough for the transcript path
      const t = { sessionId: 'transcript-session', cwd: ws.project, timestamp: '2026-11-20T10:00:00.000Z', isSidechain: false, version: '2.1.38' };
      transcript.push(JSON.stringify({ ...t, type: 'assistant', uuid: `a${i}`, message: { id: `m${i}`, role: 'assistant', content: [{ type: 'tool_use', id: `toolu_t${i}`, name: 'Bash', input: { command: c.text } }] } }));
      transcript.push(JSON.stringify({ ...t, type: 'user', uuid: `u${i}`, message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: `toolu_t${i}`, is_error: true, content: `Exit code 2\n${c.text}` }] }, toolUseResult: `Error: Exit code 2\n${c.text}` }));
    });
    // The hook with no workspace: its per-user log must be clean too.
    spawnSync(process.execPath, [CLI, 'hook'], { input: JSON.stringify({ hook_event_name: 'UserPromptSubmit', session_id: 'x', cwd: state, prompt: cases[0]!.text }), env: { ...env, CLAUDE_PROJECT_DIR: state } });

    const beforeIngest = everythingWritten([ws.root, state], ws.root);
    expect(secrets.filter((s) => leaks(beforeIngest, s))).toEqual([]);

    expect(cli(['ingest'], { cwd: ws.project }).code).toBe(0);
    const file = join(scratch(), 'session.jsonl');
    writeFileSync(file, `${transcript.join('\n')}\n`);
    expect(cli(['import', file], { cwd: ws.project }).code).toBe(0);
    const proposals = JSON.parse(cli(['rules', 'list', '--status', 'proposed', '--json'], { cwd: ws.project }).stdout).rules;
    expect(proposals.length).toBeGreaterThan(0);
    for (const r of proposals.slice(0, 4)) expect(cli(['rules', 'approve', r.id], { cwd: ws.project }).code).toBe(0);
    // Memory: narratives and facts of every session, digests, and the saved search index.
    expect(cli(['memory', 'narrate'], { cwd: ws.project }).code).toBe(0);
    expect(cli(['memory', 'consolidate'], { cwd: ws.project }).code).toBe(0);
    expect(cli(['memory', 'search', 'use this'], { cwd: ws.project }).code).toBe(0);
    expect((await ws.store.read('narratives')).records.length).toBeGreaterThanOrEqual(4);
    expect((await ws.store.read('facts')).records.some((f) => f.category === 'preference' && f.statement.includes('[REDACTED:'))).toBe(true);
    cli(['commit'], { cwd: ws.project });

    const events = (await ws.store.read('events')).records;
    expect(events.length).toBeGreaterThan(cases.length * 4);
    const all = everythingWritten([ws.root, join(ws.project, '.claude'), state], ws.root);
    expect(all).toContain('[REDACTED:');
    expect(secrets.filter((s) => leaks(all, s))).toEqual([]);
  // Some twenty nevo-tui processes in a row: on a loaded two-core machine it has taken over a minute.
  }, 240_000);
});
