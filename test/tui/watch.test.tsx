import { describe, expect, it, vi } from 'vitest';
import { NEVO_HOOK_EVENTS } from '../../src/detect/hooks-settings.js';
import { COALESCE_MS } from '../../src/tui/hooks/use-snapshot.js';
import { monoTheme } from '../../src/tui/theme.js';
import { fakeServices, fakeSnapshot } from './fake-services.js';
import { cli } from '../helpers/cli.js';
import { freshWorkspace } from '../helpers/workspace.js';
import { KEY, renderApp, renderAppInTerminal, waitFor } from './helpers.js';
import { renderWorkspaceApp } from './workspace-app.js';

/** The frame's text with the lines Ink wrapped joined again. */
const unwrapped = (frame: string) => frame.replace(/\s*\n\s*/g, ' ');

const settle = () => new Promise((r) => setTimeout(r, COALESCE_MS * 3));

const newEvent = (id: string, time: string) => ({
  id,
  time,
  source: 'hook' as const,
  kind: 'PostToolUseFailure',
  tool: 'Bash',
  target: 'npm run lint',
  fingerprint: 'fp-lint',
  fate: { kind: 'opened' as const, incident: '2026-03-10-9f9f' },
});

describe('the Watch screen', () => {
  it("shows today's tool calls, failures and failure rate", async () => {
    const app = await renderApp();
    expect(app.frame()).toContain('Today 120 tool calls, 9 failed (7.5%)');
  });

  it('shows the failures of the last 7 days as a sparkline, digits without colour', async () => {
    const app = await renderApp();
    // failures 2 0 5 9 3 7 9, scaled to the busiest day
    expect(app.frame()).toContain('7 days ▃▁▅█▃▆█');
    const mono = await renderApp({ theme: monoTheme });
    expect(mono.frame()).toContain('7 days 2059379');
  });

  it('shows how many proposals wait for review and how many incidents are new', async () => {
    const app = await renderApp();
    expect(app.frame()).toContain('2 proposal(s) to review · 2 new incident(s) · 0 trigger(s) waiting · 3 active rule(s)');
  });

  it('says when the hook could not record events (a full disk), and only then', async () => {
    expect((await renderApp()).frame()).not.toContain('Lost:');
    const snapshot = fakeSnapshot();
    snapshot.lost = 'the hook could not record 55 events (55 disk full) since 2026-03-10T09:00:00.000Z';
    const app = await renderApp({ services: fakeServices(snapshot) });
    expect(app.frame()).toContain('Lost: the hook could not record 55 events (55 disk full)');
  });

  it('enter opens the incident an event opened, and the rule whose guard blocked one', async () => {
    const app = await renderApp();
    await app.press(KEY.enter);
    await app.waitForText('Sample');
    expect(app.frame()).toContain('2026-03-10-c3d4');
    await app.press(KEY.esc);
    await app.waitForText('incident(s) · sorted by');
    await app.press('1');
    await app.waitForText('Today 120 tool calls');
    // The blocked row is the fourth of the feed.
    await app.press('j', 'j', 'j', KEY.enter);
    await waitFor(() => (app.frame().split('\n').find((l) => l.startsWith('›')) ?? '').includes('PROJ-001'), 'PROJ-001 selected on Rules', { frame: app.frame });
  });

  it('lists the events newest first, each with what became of it', async () => {
    const app = await renderApp();
    const fates = ['opened 2026-03-10-c3d4 · src/config.ts', 'journal', 'rejected: duplicate delivery', 'blocked by PROJ-001 · rm -rf dist', 'counted 2026-03-09-a1b2 · npm test', 'opened 2026-03-09-a1b2 · npm test'];
    const at = fates.map((f) => app.frame().indexOf(f));
    expect(at.every((i) => i >= 0), app.frame()).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(app.frame()).toContain('11:15:30    PostToolUseFailure  Read');
  });

  it('marks each fate so it reads without colour', async () => {
    const app = await renderApp({ theme: monoTheme });
    const row = (text: string) => app.frame().split('\n').find((l) => l.includes(text)) ?? '';
    expect(row('blocked by PROJ-001')).toMatch(/# 10:05:00/);
    expect(row('rejected: duplicate')).toMatch(/x 10:30:42/);
    expect(row('counted 2026-03-09')).toMatch(/! 09:40:11/);
    expect(row('opened 2026-03-09')).toMatch(/\* 09:12:03/);
  });

  it('moves the selection through the feed with j/k and the arrows', async () => {
    const app = await renderApp();
    const selected = () => app.frame().split('\n').find((l) => l.startsWith('›')) ?? '';
    expect(selected()).toContain('11:15:30');
    await app.press('j');
    await waitFor(() => selected().includes('11:02:17'), 'j to select the second event', { frame: app.frame });
    await app.press(KEY.down, KEY.down);
    await waitFor(() => selected().includes('10:05:00'), 'down twice', { frame: app.frame });
    await app.press('G');
    await waitFor(() => selected().includes('09:12:03'), 'G to select the oldest', { frame: app.frame });
    await app.press('k');
    await waitFor(() => selected().includes('09:40:11'), 'k to go up', { frame: app.frame });
    await app.press('g');
    await waitFor(() => selected().includes('11:15:30'), 'g to go to the newest', { frame: app.frame });
  });

  it("shows times in the workspace's time zone, with the day for events before today", async () => {
    const services = fakeServices();
    services.state.timeZone = 'Europe/Paris';
    services.state.events = [...services.state.events, newEvent('e-late', '2026-03-10T23:30:00.000Z')];
    services.state.events.unshift(newEvent('e-old', '2026-03-08T16:45:00.000Z'));
    const app = await renderApp({ services });
    const row = (text: string) => app.frame().split('\n').find((l) => l.includes(text)) ?? '';
    // 11:15:30 UTC is 12:15:30 in Paris (UTC+1 in March); today is 2026-03-10 there.
    expect(row('src/config.ts')).toContain('12:15:30    PostToolUseFailure  Read');
    expect(row('src/config.ts')).not.toContain('11:15:30');
    // Two days back: the day and the minute, in the same column.
    expect(app.frame()).toMatch(/03-08 17:45 PostToolUseFailure {2}Bash/);
    // 23:30 UTC on the 10th is already the 11th in Paris: not today, so it carries its day.
    expect(app.frame()).toMatch(/03-11 00:30 PostToolUseFailure {2}Bash/);
  });

  it('orders the feed by time, also for an event that arrives after newer ones', async () => {
    const services = fakeServices();
    services.state.events = [...services.state.events, newEvent('e-prompt', '2026-03-10T09:30:00.000Z')];
    const app = await renderApp({ services });
    const f = app.frame();
    expect(f.indexOf('09:30:00')).toBeGreaterThan(f.indexOf('09:40:11'));
    expect(f.indexOf('09:30:00')).toBeLessThan(f.indexOf('09:12:03'));
  });

  it('with no events and the hooks installed, says it waits for the first tool call and how to see it', async () => {
    const services = fakeServices();
    services.state.events = [];
    const app = await renderApp({ services });
    const f = unwrapped(app.frame());
    expect(f).toContain('No events yet. The hooks are installed (.claude/settings.local.json): waiting for the first tool call.');
    expect(f).toContain('Run Claude Code in shop-api: each tool call appears on the Watch screen and in nevo-tui events as it happens.');
    expect(f).not.toContain('hooks install');
  });

  it('with no events and no hooks, says how to install them', async () => {
    const services = fakeServices();
    services.state.events = [];
    services.state.hooks = { files: [], missing: [...NEVO_HOOK_EVENTS], unreadable: [] };
    const app = await renderApp({ services });
    expect(unwrapped(app.frame())).toContain('No events yet: the hooks are not installed, so Claude Code does not call nevo-tui.');
    expect(unwrapped(app.frame())).toContain('Install them in shop-api: nevo-tui hooks install');
  });

  it('with the hooks on some events only, names the missing ones', async () => {
    const services = fakeServices();
    services.state.events = [];
    services.state.hooks = { files: [{ scope: 'project', file: '.claude/settings.json', events: NEVO_HOOK_EVENTS.filter((e) => e !== 'PreToolUse') }], missing: ['PreToolUse'], unreadable: [] };
    const app = await renderApp({ services });
    expect(unwrapped(app.frame())).toContain('installed in .claude/settings.json for 8 of 9 events; missing: PreToolUse.');
    expect(unwrapped(app.frame())).toContain('nevo-tui hooks install adds the rest.');
  });

  it('reads the real hooks state: a fresh workspace without hooks, then with them installed', async () => {
    const ws = await freshWorkspace();
    // The user's own ~/.claude/settings.json is one of the files read: a scratch home has none.
    vi.stubEnv('HOME', ws.project);
    const bare = await renderWorkspaceApp(ws, 'watch');
    await bare.waitForText('the hooks are not installed');
    bare.unmount();
    expect(cli(['hooks', 'install'], { cwd: ws.project, env: { HOME: ws.project } }).code).toBe(0);
    const hooked = await renderWorkspaceApp(ws, 'watch');
    await hooked.waitForText('The hooks are installed (.claude/settings.local.json): waiting for the first tool call.');
    expect(hooked.frame()).not.toContain('hooks install');
    hooked.unmount();
    vi.unstubAllEnvs();
  });

  it('follows the hooks while it waits: installed or removed in another terminal, it says so at once', async () => {
    const ws = await freshWorkspace();
    vi.stubEnv('HOME', ws.project);
    const app = await renderWorkspaceApp(ws, 'watch');
    await app.waitForText('the hooks are not installed');
    expect(cli(['hooks', 'install'], { cwd: ws.project, env: { HOME: ws.project } }).code).toBe(0);
    await app.waitForText('The hooks are installed (.claude/settings.local.json): waiting for the first tool call.');
    expect(cli(['hooks', 'uninstall'], { cwd: ws.project, env: { HOME: ws.project } }).code).toBe(0);
    await app.waitForText('the hooks are not installed');
    app.unmount();
    vi.unstubAllEnvs();
  });

  it('shows a new event when a trigger file arrives, with one reload for a burst of changes', async () => {
    const services = fakeServices();
    const app = await renderApp({ services });
    await settle();
    const loads = services.counts.load;
    const ingests = services.counts.ingest;
    services.waiting.push(newEvent('e7', '2026-03-10T11:30:00.000Z'));
    services.fire('triggers');
    services.fire('triggers');
    services.fire('data');
    await app.waitForText('11:30:00    PostToolUseFailure  Bash       opened 2026-03-10-9f9f · npm run lint');
    // the newest comes first
    expect(app.frame().indexOf('11:30:00')).toBeLessThan(app.frame().indexOf('11:15:30'));
    await settle();
    expect(services.counts.load - loads).toBe(1);
    expect(services.counts.ingest - ingests).toBe(1);
  });

  it('reloads without ingesting when only the store or rules change', async () => {
    const services = fakeServices();
    const app = await renderApp({ services });
    await settle();
    const ingests = services.counts.ingest;
    services.state.events.push(newEvent('e8', '2026-03-10T11:45:00.000Z'));
    services.fire('data');
    await app.waitForText('11:45:00    PostToolUseFailure');
    expect(services.counts.ingest).toBe(ingests);
  });

  it('stays still while nothing changes', async () => {
    const services = fakeServices();
    await renderApp({ services });
    await settle();
    const loads = services.counts.load;
    await settle();
    expect(services.counts.load).toBe(loads);
  });

  it('stops watching the workspace when it closes', async () => {
    const services = fakeServices();
    const app = await renderApp({ services });
    expect(services.watching()).toBe(1);
    app.unmount();
    expect(services.watching()).toBe(0);
  });

  it('shows the last job runs, most recent first, and who runs them when not this TUI', async () => {
    const app = await renderApp();
    expect(app.frame()).toContain('Jobs: ✓ ingest 2m ago · ✗ self-review 3h ago · ✓ validate-skills 20h ago · ✓ consolidate 21h ago');
    // fitness never ran
    expect(app.frame()).not.toContain('fitness');

    const standby = fakeServices();
    Object.assign(standby.state.jobs, { role: 'standby', owner: { pid: 4242, host: 'elsewhere', kind: 'daemon', since: '2026-03-10T08:00:00.000Z' } });
    expect((await renderApp({ services: standby })).frame()).toContain('Jobs (run by daemon pid 4242 on elsewhere): ✓ ingest 2m ago');

    const off = fakeServices();
    off.state.jobs.role = 'off';
    off.state.jobs.current = 'consolidate';
    expect((await renderApp({ services: off, theme: monoTheme })).frame()).toContain('Jobs (no job runner): running consolidate · + ingest 2m ago · x self-review 3h ago');
  });

  it('keeps most of an 80x24 terminal for the event feed', async () => {
    const services = fakeServices();
    for (let n = 0; n < 30; n++) services.state.events.push(newEvent(`g${n}`, `2026-03-10T12:${String(n).padStart(2, '0')}:00.000Z`));
    const t = await renderAppInTerminal({ columns: 80, rows: 24, services });
    await t.waitForText('Jobs: ✓ ingest 2m ago');
    const lines = t.frame().split('\n');
    expect(lines.length).toBeLessThan(24);
    expect(lines.filter((l) => /^. . \d\d:\d\d:\d\d /.test(l)).length).toBeGreaterThanOrEqual(15);
  });
});

describe('the Watch feed', () => {
  it('shows a tool call once: its PreToolUse row only when a guard blocked it', async () => {
    const { feedEvents } = await import('../../src/tui/screens/Watch.js');
    const at = (id: string, kind: string, time: string, fate: object = { kind: 'journal' }) => ({ id, time, source: 'hook' as const, kind, tool: 'Bash', target: 'ls', fate }) as never;
    const feed = feedEvents([
      at('a', 'PreToolUse', '2026-03-10T10:00:00.000Z'),
      at('b', 'PostToolUse', '2026-03-10T10:00:01.000Z'),
      at('c', 'PreToolUse', '2026-03-10T10:00:02.000Z', { kind: 'blocked', rule: 'PROJ-001' }),
    ]);
    expect(feed.map((e: { id: string }) => e.id)).toEqual(['c', 'b']);
  });
});

describe('Watch at 80 columns', () => {
  it('shortens the event names so what became of each call fits', async () => {
    const { renderAppInTerminal } = await import('./helpers.js');
    const t = await renderAppInTerminal({ columns: 80, rows: 24 });
    expect(t.frame()).toContain('opened 2026-03-10-c3d4 · src/config.ts');
    expect(t.frame()).toContain('counted 2026-03-09-a1b2 · npm test');
  });
});

