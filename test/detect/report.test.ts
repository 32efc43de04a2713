import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { freshWorkspace } from '../helpers/workspace.js';

describe('nevo-tui report', () => {
  it('records a failed gate stage as an incident with signal quality', async () => {
    const ws = await freshWorkspace();
    const r = cli(['report', '--signal', 'quality', '--name', 'typecheck', '--error', "src/a.ts(3,5): error TS2322: Type 'string' is not assignable to type 'number'.", '--json'], { cwd: ws.project });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ recorded: 1, opened: [expect.any(String)] });
    const [incident] = (await ws.store.read('incidents')).records;
    expect(incident).toMatchObject({ signal: 'quality', tool: 'gate:typecheck', category: 'type error', count: 1 });
  });

  it('reads many events as JSON lines, skipping bad lines with their line number', async () => {
    const ws = await freshWorkspace();
    const input = [
      JSON.stringify({ signal: 'breaker', name: 'edit-loop', error: 'Circuit breaker tripped: 5 failed edits of src/a.ts in a row' }),
      JSON.stringify({ signal: 'task', name: 'migrate-db', error: 'Task stuck: no progress for 30 minutes' }),
      JSON.stringify({ signal: 'task', name: 'migrate-db', error: 'Task stuck: no progress for 45 minutes' }),
      '{"signal": "weather", "error": "rain"}',
      'not json',
    ].join('\n');
    const r = cli(['report', '--stdin', '--json'], { cwd: ws.project, input });
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.recorded).toBe(3);
    expect(out.errors).toEqual(['line 4: signal is "weather"; expected one of "quality", "breaker", "task"', 'line 5: not valid JSON']);
    const incidents = (await ws.store.read('incidents')).records;
    expect(incidents.map((i) => [i.signal, i.tool, i.count])).toEqual([
      ['breaker', 'breaker:edit-loop', 1],
      ['task', 'task:migrate-db', 2],
    ]);
  });

  it('redacts a token in a reported error before anything is written', async () => {
    const ws = await freshWorkspace();
    const token = 'ghp_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';
    const r = cli(['report', '--signal', 'task', '--name', 'deploy', '--error', `push failed with GITHUB_TOKEN=${token}`], { cwd: ws.project });
    expect(r.code, r.stderr).toBe(0);
    const [incident] = (await ws.store.read('incidents')).records;
    expect(incident!.sample.error).toContain('[REDACTED:');
    expect(JSON.stringify(await ws.store.read('events'))).not.toContain(token);
  });

  it('explains what it needs when called without an event', async () => {
    const ws = await freshWorkspace();
    const r = cli(['report'], { cwd: ws.project });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--signal and --error/);
  });
});
