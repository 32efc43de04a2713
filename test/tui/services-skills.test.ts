// The Skills screen's services over a real workspace: the same change the `nevo-tui skills`
// commands make, with everything the person gave (the reason a skill was turned off).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { workspaceServices } from '../../src/tui/services.js';
import { freshWorkspace } from '../helpers/workspace.js';
import { skillMd, writeTree } from '../skills/helpers.js';

describe('workspace services: skills', () => {
  it('keeps the reason a skill was deactivated with, as `skills deactivate --reason` does', async () => {
    const ws = await freshWorkspace();
    writeTree(join(ws.root, 'skills'), { 'tree-free/SKILL.md': skillMd('tree-free') });
    const services = workspaceServices(ws);
    expect((await services.skillAction('tree-free', 'approve')).record.status).toBe('active');
    const off = await services.skillAction('tree-free', 'deactivate', { reason: 'the lint rule covers it' });
    expect(off.record).toMatchObject({ status: 'inactive', deactivatedReason: 'the lint rule covers it' });
    const stored = (await ws.store.read('skills')).records.find((r) => r.id === 'tree-free');
    expect(stored?.deactivatedReason).toBe('the lint rule covers it');
  });
});
