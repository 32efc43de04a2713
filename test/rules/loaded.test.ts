// Whether a rule reached the agent: Claude Code's InstructionsLoaded hook event names each
// instruction file it put in context; nevo tallies the files it exported, per rule.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, cliJson } from '../helpers/cli.js';
import { freshWorkspace } from '../helpers/workspace.js';

const json = cliJson;

describe('rules show: lastLoaded', () => {
  it('is null before Claude Code loads the rule, and the time it did after its InstructionsLoaded event', async () => {
    const ws = await freshWorkspace();
    expect(json(['rules', 'show', 'AGENT-001'], ws.project)).toMatchObject({ lastLoaded: null, loaded: null });
    expect(cli(['rules', 'show', 'AGENT-001'], { cwd: ws.project }).stdout).toMatch(/loaded +not seen yet/);
    // The payload as Claude Code 2.1.332 sends it (its hook input schema): memory_type, load_reason.
    const payload = (file: string, reason: string) =>
      JSON.stringify({ session_id: 's-1', transcript_path: '', cwd: ws.project, hook_event_name: 'InstructionsLoaded', file_path: file, memory_type: 'Project', load_reason: reason });
    const rule = join(ws.project, '.claude', 'rules', 'nevo', 'AGENT-001.md');
    for (const [file, reason] of [[rule, 'session_start'], [join(ws.project, 'CLAUDE.md'), 'session_start'], [rule, 'compact']] as const) {
      const hook = cli(['hook'], { cwd: ws.project, input: payload(file, reason) });
      expect(hook.code).toBe(0);
    }
    cli(['ingest'], { cwd: ws.project });
    const shown = json(['rules', 'show', 'AGENT-001'], ws.project);
    expect(shown.loaded).toMatchObject({ count: 2, reasons: { session_start: 1, compact: 1 } });
    expect(shown.lastLoaded).toBe(shown.loaded.last);
    expect(json(['rules', 'list'], ws.project).rules.find((r: { id: string }) => r.id === 'AGENT-001').lastLoaded).toBe(shown.lastLoaded);
    expect(cli(['rules', 'show', 'AGENT-001'], { cwd: ws.project }).stdout).toMatch(/loaded +2 time\(s\) by Claude Code, last \S+ \((?:session_start 1, compact 1|compact 1, session_start 1)\)/);
  });
});
