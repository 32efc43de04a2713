import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintWorkspace } from '../../src/commands/rules.js';
import { importTranscripts } from '../../src/detect/import.js';
import { afterEvents } from '../../src/app/loop.js';
import { loadRules } from '../../src/rules/load.js';
import { freshWorkspace } from '../helpers/workspace.js';

// The sample session `npm start` shows: a Write to CLAUDE.md was refused, in a project that has none.
const SAMPLE = 'journal/samples/claude-code-viewer__1af7fc5e-8455-4414-9ccd-011d40f70b2a.jsonl';

describe('a proposal the analyst has just written', () => {
  it('is never stale: the names it uses that the project lacks are kept as absent', async () => {
    const ws = await freshWorkspace();
    const imported = await importTranscripts(ws, SAMPLE);
    await afterEvents(ws, { opened: imported.opened, sessions: imported.sessions });
    const proposals = loadRules(ws.root).rules.filter((r) => r.status === 'proposed');
    const claudeMd = proposals.find((r) => r.paths?.includes('CLAUDE.md'));
    expect(claudeMd, proposals.map((r) => r.title).join('; ')).toBeDefined();
    expect(claudeMd!.absent).toEqual(['CLAUDE.md']);
    expect(readFileSync(join(ws.root, claudeMd!.file), 'utf8')).toMatch(/^absent:\n {2}- CLAUDE\.md$/m);
    expect((await lintWorkspace(ws)).filter((f) => f.kind === 'stale')).toEqual([]);
  });
});
