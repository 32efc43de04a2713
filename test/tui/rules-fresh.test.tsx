import { describe, expect, it } from 'vitest';
import { importTranscripts } from '../../src/detect/import.js';
import { afterEvents } from '../../src/app/loop.js';
import { freshWorkspace } from '../helpers/workspace.js';
import { renderWorkspaceApp } from './workspace-app.js';

// The sample session `npm start` opens on: a refused Write to CLAUDE.md, in a project without one.
const SAMPLE = 'journal/samples/claude-code-viewer__1af7fc5e-8455-4414-9ccd-011d40f70b2a.jsonl';

describe('the Rules screen on fresh proposals', () => {
  it('flags none of them stale, the one about CLAUDE.md (which the project lacks) included', async () => {
    const ws = await freshWorkspace();
    const imported = await importTranscripts(ws, SAMPLE);
    await afterEvents(ws, { opened: imported.opened, sessions: imported.sessions });
    const app = await renderWorkspaceApp(ws, 'rules');
    await app.waitForText('Ask before changing `CLAUDE.md`');
    const row = app.frame().split('\n').find((l) => l.includes('Ask before changing')) ?? '';
    expect(row).toMatch(/PROJ-\d+\s+proposed/);
    expect(app.frame()).not.toContain('stale');
    app.unmount();
  });
});
