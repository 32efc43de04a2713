import { describe, expect, it } from 'vitest';
import { dismissIncident } from '../../src/detect/dismiss.js';
import { ingestTriggers } from '../../src/detect/ingest.js';
import { writeTrigger } from '../../src/detect/trigger.js';
import { UserError } from '../../src/errors.js';
import { byIdOrPrefix } from '../../src/util/by-id.js';
import { freshWorkspace } from '../helpers/workspace.js';

const records = [{ id: '2026-12-01-ab12' }, { id: '2026-12-01-ab34' }, { id: '2026-12-02-cd56' }];

describe('byIdOrPrefix', () => {
  it('takes the exact id, then the only id a prefix starts', () => {
    expect(byIdOrPrefix(records, '2026-12-01-ab34', 'incident', 'x').id).toBe('2026-12-01-ab34');
    expect(byIdOrPrefix(records, '2026-12-02', 'incident', 'x').id).toBe('2026-12-02-cd56');
  });
  it('refuses a prefix several ids share, naming them, and an unknown or empty one', () => {
    expect(() => byIdOrPrefix(records, '2026-12-01-ab', 'incident', 'x')).toThrow(/matches 2 incidents \(2026-12-01-ab12, 2026-12-01-ab34\)/);
    expect(() => byIdOrPrefix(records, 'zz', 'incident', '`nevo-tui incidents --all`')).toThrow(UserError);
    expect(() => byIdOrPrefix(records, '', 'incident', 'x')).toThrow(/No incident/);
  });
});

describe('dismissing by a prefix', () => {
  it('dismisses nothing when the prefix names two incidents (it used to dismiss the first)', async () => {
    const ws = await freshWorkspace();
    const fail = (id: string, command: string, error: string) =>
      writeTrigger(ws.layout.triggers, { v: 1, id, receivedAt: '2026-12-01T10:00:00.000Z', source: 'hook', payload: { hook_event_name: 'PostToolUseFailure', session_id: 's1', tool_name: 'Bash', tool_input: { command }, error } });
    fail('a', 'tree', 'Exit code 127\nbash: tree: command not found');
    fail('b', 'git push', 'Exit code 128\nfatal: The current branch x has no upstream branch.');
    await ingestTriggers(ws);
    const incidents = (await ws.store.read('incidents')).records;
    expect(incidents).toHaveLength(2);
    const shared = incidents[0]!.id.slice(0, 11);
    expect(incidents[1]!.id.startsWith(shared)).toBe(true);
    await expect(dismissIncident(ws, shared, 'not ours')).rejects.toThrow(/matches 2 incidents/);
    expect((await ws.store.read('incidents')).records.map((i) => i.status)).toEqual(['new', 'new']);
  });
});
