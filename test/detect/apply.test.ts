import { describe, expect, it } from 'vitest';
import { applyEvents, type IngestRecords } from '../../src/detect/apply.js';
import type { IncomingEvent } from '../../src/detect/normalise.js';

const empty = (): IngestRecords => ({ events: [], incidents: [], telemetry: [], sessions: [], rejections: [], blocks: [], loads: [] });
const opts = { noisy: new Set(['interrupted']), recentEvents: 2000, timeZone: 'UTC' };

let n = 0;
function failure(session: string, error: string, extra: Partial<IncomingEvent> = {}): IncomingEvent {
  return { id: `e${n++}`, time: `2026-11-2${(n % 3) + 1}T10:00:00.000Z`, source: 'hook', signal: 'hook', kind: 'PostToolUseFailure', session, tool: 'Bash', ok: false, error, target: 'node scripts/build.mjs', ...extra };
}

describe('applyEvents', () => {
  it('opens an incident for a novel mistake and counts a known one, recording a fate for each', () => {
    const docs = empty();
    const s1 = applyEvents(docs, [failure('s1', "Exit code 1\nError: Cannot find module './a'")], [], opts);
    expect(s1.opened).toHaveLength(1);
    const id = s1.opened[0]!;
    expect(id).toMatch(/^2026-11-2\d-[0-9a-f]{4}$/);
    const s2 = applyEvents(docs, [failure('s2', "Exit code 1\nError: Cannot find module './lib/b'")], [], opts);
    expect(s2.opened).toEqual([]);
    expect(s2.counted).toBe(1);
    const inc = docs.incidents[0]!;
    expect(inc).toMatchObject({ id, count: 2, sessions: ['s1', 's2'], recurring: false, category: 'module not found', status: 'new' });
    expect(docs.events.map((e) => e.fate)).toEqual([
      { kind: 'opened', incident: id },
      { kind: 'counted', incident: id },
    ]);
    applyEvents(docs, [failure('s3', "Exit code 1\nError: Cannot find module '../c'")], [], opts);
    expect(docs.incidents[0]!.recurring).toBe(true);
  });

  it('changes nothing when the same events come twice', () => {
    const docs = empty();
    const evs = [failure('s1', 'Exit code 127\nbash: tree: command not found'), { id: 'ok1', time: '2026-11-21T10:00:00Z', source: 'hook', signal: 'hook', kind: 'PostToolUse', tool: 'Read', ok: true } as IncomingEvent];
    applyEvents(docs, evs, [{ id: 'r1', time: '2026-11-21T10:00:00Z', reason: 'invalid JSON' }], opts);
    const snapshot = JSON.stringify(docs);
    const again = applyEvents(docs, evs, [{ id: 'r1', time: '2026-11-21T10:00:00Z', reason: 'invalid JSON' }], opts);
    expect(again.duplicates).toBe(3);
    expect(JSON.stringify(docs)).toBe(snapshot);
  });

  it('counts interrupts in telemetry as noise and opens nothing', () => {
    const docs = empty();
    const s = applyEvents(docs, [failure('s1', 'Exit code 130', { interrupted: true, time: '2026-11-21T10:00:00Z' })], [], opts);
    expect(s.opened).toEqual([]);
    expect(docs.incidents).toEqual([]);
    expect(docs.telemetry[0]).toMatchObject({ id: '2026-11-21', calls: { Bash: 1 }, failures: { Bash: 1 }, noisy: { interrupted: 1 } });
    expect(docs.events[0]!.fate).toMatchObject({ kind: 'noise', reason: 'interrupted' });
  });

  it('reopens an incident that recurs after its rule', () => {
    const docs = empty();
    applyEvents(docs, [failure('s1', 'File does not exist.', { tool: 'Read', time: '2026-11-21T10:00:00.000Z' })], [], opts);
    docs.incidents[0]!.status = 'ruled';
    const s = applyEvents(docs, [failure('s2', 'File does not exist.', { tool: 'Read', time: '2026-11-22T10:00:00.000Z' })], [], opts);
    expect(s.reopened).toEqual([docs.incidents[0]!.id]);
    expect(docs.incidents[0]).toMatchObject({ status: 'new', reopened: 1 });
  });

  it('counts a failure from before the rule took the incident on (read late from a transcript) without reopening it', () => {
    const docs = empty();
    const at = (day: string) => ({ tool: 'Read', time: `2026-11-${day}T10:00:00.000Z` });
    applyEvents(docs, [failure('s1', 'File does not exist.', at('21'))], [], opts);
    const incident = docs.incidents[0]!;
    Object.assign(incident, { status: 'ruled', coveredSince: '2026-11-23T09:00:00.000Z' });
    const early = applyEvents(docs, [failure('s0', 'File does not exist.', at('20')), failure('s2', 'File does not exist.', at('22'))], [], opts);
    expect(early).toMatchObject({ counted: 2, reopened: [] });
    expect(incident).toMatchObject({ status: 'ruled', count: 3, reopened: 0 });
    expect(applyEvents(docs, [failure('s3', 'File does not exist.', at('24'))], [], opts).reopened).toEqual([incident.id]);
    expect(incident).toMatchObject({ status: 'new', count: 4, reopened: 1 });
  });

  it('without coveredSince (ruled before it was kept), takes what was known then: a failure no later than the last one seen does not reopen', () => {
    const docs = empty();
    const at = (day: string) => ({ tool: 'Read', time: `2026-11-${day}T10:00:00.000Z` });
    applyEvents(docs, [failure('s1', 'File does not exist.', at('22'))], [], opts);
    const incident = docs.incidents[0]!;
    incident.status = 'ruled';
    expect(applyEvents(docs, [failure('s0', 'File does not exist.', at('21'))], [], opts).reopened).toEqual([]);
    expect(applyEvents(docs, [failure('s2', 'File does not exist.', at('23'))], [], opts).reopened).toEqual([incident.id]);
  });

  it('tallies rejected inputs by reason', () => {
    const docs = empty();
    applyEvents(docs, [], [{ id: 'r1', time: '2026-11-21T10:00:00Z', reason: 'invalid JSON' }, { id: 'r2', time: '2026-11-21T11:00:00Z', reason: 'invalid JSON' }], opts);
    expect(docs.rejections).toEqual([{ id: 'invalid JSON', count: 2, last: '2026-11-21T11:00:00Z' }]);
    expect(docs.events.map((e) => e.fate)).toEqual([{ kind: 'rejected', reason: 'invalid JSON' }, { kind: 'rejected', reason: 'invalid JSON' }]);
  });

  it('gives a call a guard blocked the fate blocked and tallies it per rule and day', () => {
    const docs = empty();
    const pre = (id: string, time: string, rule?: string): IncomingEvent => ({
      id, time, source: 'hook', signal: 'hook', kind: 'PreToolUse', session: 's1', tool: 'Bash', target: 'rm -rf build', ...(rule ? { blocked: rule } : {}),
    });
    const s = applyEvents(docs, [pre('b1', '2026-11-21T10:00:00Z', 'PROJ-001'), pre('b2', '2026-11-22T09:00:00Z', 'PROJ-001'), pre('p3', '2026-11-22T09:30:00Z'), pre('b4', '2026-11-21T12:00:00Z', 'AGENT-002')], [], opts);
    expect(s).toMatchObject({ events: 4, blocked: 3, journal: 1, opened: [], counted: 0 });
    expect(s.touched.blocks).toBe(3);
    expect(docs.events.map((e) => e.fate)).toEqual([
      { kind: 'blocked', rule: 'PROJ-001' },
      { kind: 'blocked', rule: 'PROJ-001' },
      { kind: 'journal' },
      { kind: 'blocked', rule: 'AGENT-002' },
    ]);
    expect(docs.blocks).toEqual([
      { id: 'PROJ-001', count: 2, last: '2026-11-22T09:00:00Z', daily: { '2026-11-21': 1, '2026-11-22': 1 } },
      { id: 'AGENT-002', count: 1, last: '2026-11-21T12:00:00Z', daily: { '2026-11-21': 1 } },
    ]);
    expect(docs.incidents).toEqual([]);
    expect(docs.sessions[0]).toMatchObject({ id: 's1', events: 4, calls: 0 });
    // Applying the same events again changes nothing.
    const snapshot = JSON.stringify(docs);
    expect(applyEvents(docs, [pre('b1', '2026-11-21T10:00:00Z', 'PROJ-001')], [], opts).duplicates).toBe(1);
    expect(JSON.stringify(docs)).toBe(snapshot);
  });

  it('names every record it changed once, in the order first changed, and counts every change', () => {
    const docs = empty();
    applyEvents(docs, [failure('s1', 'File does not exist.', { tool: 'Read', time: '2026-11-21T10:00:00.000Z' })], [], opts);
    const known = docs.incidents[0]!;
    const s = applyEvents(docs, [failure('s1', 'File does not exist.', { id: 'k1', tool: 'Read', time: '2026-11-21T11:00:00.000Z' }), failure('s2', 'File does not exist.', { id: 'k2', tool: 'Read', time: '2026-11-21T12:00:00.000Z' }), failure('s2', "Exit code 1\nError: Cannot find module './a'", { id: 'k3', time: '2026-11-21T13:00:00.000Z' })], [{ id: 'r1', time: '2026-11-21T10:00:00Z', reason: 'invalid JSON' }], opts);
    expect(Object.keys(s.touched)).toEqual(['events', 'rejections', 'sessions', 'telemetry', 'incidents']);
    expect(s.touched).toMatchObject({ events: 4, rejections: 1, sessions: 3, telemetry: 3, incidents: 3 });
    expect(s.changed.incidents).toEqual([known, docs.incidents[1]]);
    expect(s.changed.events.map((e) => e.id)).toEqual(['r1', 'k1', 'k2', 'k3']);
    expect(s.changed.sessions.map((x) => x.id)).toEqual(['s1', 's2']);
    expect(s.changed.telemetry).toEqual([docs.telemetry[0]]);
    expect(s.changed.rejections).toEqual(docs.rejections);
    expect(s.changed.blocks).toEqual([]);
  });

  it('keeps only the configured number of recent events', () => {
    const docs = empty();
    const evs = Array.from({ length: 150 }, (_, i) => ({ id: `x${i}`, time: '2026-11-21T10:00:00Z', source: 'hook', signal: 'hook', kind: 'Stop' }) as IncomingEvent);
    applyEvents(docs, evs, [], { ...opts, recentEvents: 100 });
    expect(docs.events).toHaveLength(100);
    expect(docs.events[0]!.id).toBe('x50');
  });
});

describe('an Edit refused because the file changed since it was read', () => {
  const MODIFIED = 'File has been modified since read, either by the user or by a linter. Read it again before attempting to write it.';
  const call = (id: string, tool: string, target: string, ok = true): IncomingEvent => ({ id, time: '2026-11-21T10:00:00.000Z', source: 'hook', signal: 'hook', kind: 'PostToolUse', session: 's1', tool, target, ok });
  const edit = (id: string) => ({ ...call(id, 'Edit', '/p/internal/convert.go', false), kind: 'PostToolUseFailure', error: MODIFIED }) as IncomingEvent;

  it('is a mistake to learn from when a command of the session rewrote the file after it was read', () => {
    for (const command of ['gofmt -s -w internal/', "cat >> internal/convert.go <<'EOF'", "sed -i 's/a/b/' internal/convert.go", 'git checkout feature/x']) {
      const docs = empty();
      const s = applyEvents(docs, [call('r', 'Read', '/p/internal/convert.go'), call('b', 'Bash', command), edit('e')], [], opts);
      expect(s.opened, command).toHaveLength(1);
    }
  });
  it('is noise when nothing the agent ran touched it (the person or a hook did)', () => {
    for (const command of ['go test ./...', 'grep -n x internal/convert.go > /tmp/out', 'cat internal/convert.go 2>&1 | head']) {
      const docs = empty();
      const s = applyEvents(docs, [call('r', 'Read', '/p/internal/convert.go'), call('b', 'Bash', command), edit('e')], [], opts);
      expect(s.opened, command).toHaveLength(0);
      expect(docs.events.at(-1)!.fate).toMatchObject({ kind: 'noise', reason: 'transient' });
    }
    // A rewrite before the last read does not count.
    const docs = empty();
    expect(applyEvents(docs, [call('b', 'Bash', 'gofmt -w .'), call('r', 'Read', '/p/internal/convert.go'), edit('e')], [], opts).opened).toHaveLength(0);
  });

  it('tallies when Claude Code loaded an exported rule, and why; other instruction files only go to the journal', () => {
    const docs = empty();
    const loaded = (id: string, file: string, reason: string, time: string): IncomingEvent => ({ id, time, source: 'hook', signal: 'hook', kind: 'InstructionsLoaded', session: 's9', target: file, text: reason });
    const s = applyEvents(
      docs,
      [
        loaded('l1', '/p/.claude/rules/nevo/PROJ-003.md', 'session_start', '2026-11-21T10:00:00.000Z'),
        loaded('l2', '/p/.claude/rules/nevo/PROJ-003.md', 'path_glob_match', '2026-11-21T11:00:00.000Z'),
        loaded('l3', '/p/CLAUDE.md', 'session_start', '2026-11-21T10:00:00.000Z'),
        loaded('l4', '/p/.claude/rules/team/PROJ-004.md', 'session_start', '2026-11-21T10:00:00.000Z'),
      ],
      [],
      { ...opts, exportDir: '.claude/rules/nevo' },
    );
    expect(s.journal).toBe(4);
    expect(docs.loads).toEqual([{ id: 'PROJ-003', count: 2, first: '2026-11-21T10:00:00.000Z', last: '2026-11-21T11:00:00.000Z', reasons: { session_start: 1, path_glob_match: 1 }, lastSession: 's9' }]);
  });
});
