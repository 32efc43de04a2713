// The built TUI in a real terminal: tmux runs `dist/bin.cjs` in a pane of a known size, the test
// types keys with send-keys and reads the screen with capture-pane. Needs tmux on PATH and dist/
// built (`npm test` builds it first).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTranscript, toHookPayloads } from '../../src/detect/transcript.js';
import { cli } from '../helpers/cli.js';
import { CLI, REPO } from '../helpers/scripts.js';
import { quitAndCheckRestored, Terminal, terminalEnv, widthOf } from '../helpers/tmux.js';
import { freshWorkspace } from '../helpers/workspace.js';
import { skillMd, writeTree } from '../skills/helpers.js';
import stringWidth from 'string-width';

const TRANSCRIPTS = join(REPO, 'test/fixtures/claude-code/transcripts');
const SPOTTER = join(TRANSCRIPTS, 'spotter__6c2214d7__subagents__agent-afc096d.jsonl');

/** The real `tree` failure of the spotter subagent, as the PostToolUseFailure hook payload. */
function treeFailure(project: string): object {
  const failed = toHookPayloads(parseTranscript(readFileSync(SPOTTER, 'utf8')), SPOTTER).find((p) => p.hook_event_name === 'PostToolUseFailure' && String(p.error).includes('tree'))!;
  return { ...failed, cwd: project };
}

function fireHook(payload: object, project: string): void {
  const r = spawnSync(process.execPath, [CLI, 'hook'], { input: JSON.stringify(payload), encoding: 'utf8', env: { ...process.env, NEVO_WORKSPACE: '', CLAUDE_PROJECT_DIR: project } });
  expect({ code: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({ code: 0, stdout: '', stderr: '' });
}

const WATCH = 'time        event';

/**
 * The TUI without its job runner: a TUI runs the jobs a second after it starts, and on a workspace
 * that never ran them the catch-up runs commit and may propose rules while a test looks elsewhere.
 */
const NO_JOBS = (root: string) => ['--workspace', root, 'tui', '--no-jobs'];
/** A line that only each screen shows, once its data is loaded. */
const SCREEN_MARKS: Record<string, string> = {
  '1': WATCH,
  '2': 'tree is not installed here: list folders',
  '3': 'active ones take about',
  '4': 'incident(s) · sorted by',
  '5': 'commit(s), newest first',
  '6': 'result(s) of',
  '7': 'skill(s) ·',
  '8': 'time zone',
};

/** Every SGR colour parameter (foreground or background, 16, 256 or true colour) in a capture. */
function colourCodes(captured: string): string[] {
  const found: string[] = [];
  for (const m of captured.matchAll(/\x1b\[([0-9;:]*)m/g)) {
    const params = m[1]!.split(/[;:]/).map(Number);
    if (params.some((p) => (p >= 30 && p <= 38) || (p >= 40 && p <= 48) || (p >= 90 && p <= 97) || (p >= 100 && p <= 107))) found.push(m[0]);
  }
  return found;
}

describe('the TUI in a real terminal (tmux)', () => {
  it('shows a live failure, approves its proposal with `a`, and q restores the terminal', async () => {
    const ws = await freshWorkspace();
    const term = new Terminal(100, 30, terminalEnv()).start(NO_JOBS(ws.root));
    const first = await term.waitForText('No events yet');
    expect(first).toContain(WATCH);
    expect(first).toContain('0 proposal(s) to review');

    // The hook writes a trigger; the TUI, watching triggers/, ingests and analyzes it by itself.
    fireHook(treeFailure(ws.project), ws.project);
    const live = await term.waitFor('the opened incident and one proposal', (s) => /opened \d{4}-\d{2}-\d{2}-[0-9a-f]+/.test(s) && s.includes('1 proposal(s) to review'));
    const incidentId = /opened (\d{4}-\d{2}-\d{2}-[0-9a-f]+)/.exec(live)![1]!;
    expect(live).toMatch(/PostToolUseFailure\s+Bash\s+opened /);
    expect(live).toContain('2 Review (1)');
    expect(live).toContain('0 trigger(s) waiting');

    term.keys('2');
    const review = await term.waitForText(SCREEN_MARKS['2']!);
    expect(review).toContain('1 of 1');
    expect(review).toContain(incidentId);

    term.keys('a');
    const approved = await term.waitFor('the approval', (s) => s.includes('PROJ-001 active (commit ') && s.includes('No proposals to review.'));
    expect(approved).not.toContain('2 Review (1)');
    expect(readFileSync(join(ws.root, 'rules', 'PROJ-001.md'), 'utf8')).toMatch(/^status: active$/m);
    expect(existsSync(join(ws.project, '.claude', 'rules', 'nevo', 'PROJ-001.md'))).toBe(true);
    const subject = execFileSync('git', ['-C', ws.root, 'log', '-1', '--format=%s'], { encoding: 'utf8' }).trim();
    expect(subject).toBe(`rules: approve PROJ-001 (${incidentId})`);
    const incident = JSON.parse(cli(['incidents', 'show', incidentId, '--json'], { cwd: ws.project }).stdout).incident;
    expect(incident).toMatchObject({ status: 'ruled', rules: ['PROJ-001'] });

    await quitAndCheckRestored(term, 'q');
  });

  it('fits 80x24 on every screen: no line wider than 80 columns, header and footer on screen', async () => {
    const ws = await freshWorkspace();
    fireHook(treeFailure(ws.project), ws.project);
    expect(cli(['ingest'], { cwd: ws.project }).code).toBe(0);
    const term = new Terminal(80, 24, terminalEnv()).start(NO_JOBS(ws.root));
    await term.waitForText(WATCH);
    for (const key of ['1', '2', '3', '4', '5', '6', '7', '8', '?']) {
      term.keys(key);
      const shown = key === '?' ? await term.waitForText('Keys on this screen') : await term.waitForText(SCREEN_MARKS[key]!);
      const rows = shown.replace(/\n$/, '').split('\n');
      expect(rows.length, `screen ${key}`).toBe(24);
      expect(rows[0], `screen ${key}`).toMatch(/^[ [\]]?1 Watch/);
      expect(shown.split('1 Watch').length - 1, `screen ${key}: one header`).toBe(1);
      const footer = rows.findIndex((r) => r.includes('q quit'));
      expect(footer, `screen ${key}: footer on screen`).toBeGreaterThan(0);
      // -J joins lines the terminal wrapped, so an over-wide line shows up as one long line.
      const joined = term.screen({ join: true }).replace(/\n$/, '').split('\n');
      const wide = joined.filter((l) => widthOf(l) > 80);
      expect(wide, `screen ${key}: lines wider than 80`).toEqual([]);
      expect(joined.length, `screen ${key}: wrapped lines`).toBe(24);
    }
    // The default theme is in colour (the NO_COLOR test below relies on this being detectable).
    expect(colourCodes(term.screen({ escapes: true })).length).toBeGreaterThan(0);
  });

  it('NO_COLOR=1 draws every screen without colour, with marks instead', async () => {
    const ws = await freshWorkspace();
    fireHook(treeFailure(ws.project), ws.project);
    expect(cli(['ingest'], { cwd: ws.project }).code).toBe(0);
    const term = new Terminal(100, 30, terminalEnv({ NO_COLOR: '1' })).start(NO_JOBS(ws.root));
    const watch = await term.waitForText(WATCH);
    expect(watch).toContain('[1 Watch]');
    expect(watch).toMatch(/^> \* /m);
    for (const key of ['1', '2', '3', '4', '5', '6', '7', '8']) {
      term.keys(key);
      await term.waitForText(SCREEN_MARKS[key]!);
      const captured = term.screen({ escapes: true });
      expect(colourCodes(captured), `screen ${key}`).toEqual([]);
      expect(captured).toContain(`[${key} `);
    }
  });

  it('Memory: 6, / and a query with a typo find the fact, enter shows why it ranks there, p pins it', async () => {
    const ws = await freshWorkspace();
    // past sessions give narratives and facts; a fact stated outright joins them
    expect(cli(['import', TRANSCRIPTS], { cwd: ws.project }).code).toBe(0);
    expect(cli(['memory', 'add', 'Use pnpm, not npm', '--category', 'preference'], { cwd: ws.project }).code).toBe(0);
    const term = new Terminal(80, 24, terminalEnv()).start(NO_JOBS(ws.root));
    await term.waitForText(WATCH);
    term.keys('6');
    const browse = await term.waitForText(SCREEN_MARKS['6']!);
    expect(browse).toMatch(/narrative\s+narrative/);
    expect(browse).toContain(' 6 Memory ');

    term.keys('/');
    await term.waitForText('(enter keeps, esc clears');
    term.keys('-l', 'pnmp');
    // The query line shows at the keystroke, its results a moment later: wait for the fact selected on top.
    const found = await term.waitFor('the pnpm fact first', (s) => s.includes('/ pnmp') && /^[›>] fact\s+preference\s+\S+\s+Use pnpm, not npm/m.test(s));
    const id = /^(fact:[0-9a-f]{16}) · enter shows it/m.exec(found)![1]!;

    term.keys('Enter');
    await term.waitForText('(/ to change, esc to clear)');
    term.keys('Enter');
    // The ranking comes with the hit; the record itself is read a moment later, in place of loading….
    const detail = await term.waitFor('the detail with its record', (s) => s.includes('Why it ranks here for "pnmp"') && !s.includes('loading…'));
    expect(detail).toContain(`${id} (j/k scroll`);
    expect(detail).toMatch(/fact · preference · confidence 0\.9\d · seen in 1 session\(s\)/);
    expect(detail).toContain('close match for "pnmp", 1 edit away');
    expect(detail).toContain('source: added by a person (memory add)');
    expect(detail).not.toContain('found by');
    const rows = term.screen({ join: true }).replace(/\n$/, '').split('\n');
    expect(rows.filter((l) => widthOf(l) > 80)).toEqual([]);
    expect(rows).toHaveLength(24);

    term.keys('p');
    await term.waitForText(`${id} [pinned]`);
    const subject = execFileSync('git', ['-C', ws.root, 'log', '-1', '--format=%s'], { encoding: 'utf8' }).trim();
    expect(subject).toContain(`pin ${id}`);

    term.keys('Escape');
    await term.waitFor('the list again, the fact pinned', (s) => /^. fact\s+preference\s+\S+ P\s+Use pnpm/m.test(s));
    await quitAndCheckRestored(term, 'q');
  });

  it('counts every key of a chunk: `send-keys -l jjj` moves three rows', async () => {
    const ws = await freshWorkspace();
    expect(cli(['import', TRANSCRIPTS], { cwd: ws.project }).code).toBe(0);
    const term = new Terminal(100, 30, terminalEnv()).start(NO_JOBS(ws.root));
    await term.waitForText(WATCH);
    term.keys('4');
    const list = await term.waitForText(SCREEN_MARKS['4']!);
    const rows = list.split('\n').filter((l) => /^[›> ] \d{4}-\d{2}-\d{2}-[0-9a-f]+/.test(l)).map((l) => /\d{4}-\d{2}-\d{2}-[0-9a-f]+/.exec(l)![0]);
    expect(rows.length).toBeGreaterThanOrEqual(4);
    term.keys('-l', 'jjj');
    await term.waitFor('the fourth row selected', (sc) => new RegExp(`^[›>] ${rows[3]}`, 'm').test(sc));
    await quitAndCheckRestored(term, 'q');
  });

  it('counts keys sent one by one faster than the screen redraws: ten j scroll a proposal ten lines', async () => {
    const ws = await freshWorkspace();
    expect(cli(['import', join(REPO, 'journal/samples')], { cwd: ws.project }).code).toBe(0);
    const term = new Terminal(60, 18, terminalEnv()).start(['--workspace', ws.root, 'tui', '--screen', 'review', '--no-jobs']);
    const first = await term.waitForText('more line(s) below');
    const below = Number(/▼ (\d+) more line/.exec(first)![1]);
    expect(below).toBeGreaterThan(10);
    // ten writes, each its own send-keys, with no wait for a frame between them
    for (let n = 0; n < 10; n++) term.keys('j');
    await term.waitForText(`▼ ${below - 10} more line(s) below`);
    await quitAndCheckRestored(term, 'q');
  });

  it('Skills: 7 lists the seeded skills, a and y approve a draft in one commit', async () => {
    const ws = await freshWorkspace();
    writeTree(join(ws.root, 'skills'), { 'tree-free/SKILL.md': skillMd('tree-free'), 'broken/SKILL.md': '# no front matter\n', 'use-npm-ci/SKILL.md': skillMd('use-npm-ci') });
    expect(cli(['skills', 'approve', 'tree-free'], { cwd: ws.project }).code).toBe(0);
    const term = new Terminal(80, 24, terminalEnv()).start(NO_JOBS(ws.root));
    await term.waitForText(WATCH);
    term.keys('7');
    const list = await term.waitForText(/\d+ skill\(s\) · \d+ draft, 1 active/);
    expect(list).toMatch(/broken\s+draft\s+✗/);
    expect(list).toMatch(/tree-free\s+active\s+✓\s+none\s+0 since/);
    expect(list).toMatch(/use-npm-ci\s+draft\s+✓/);
    term.keys('G');
    await term.waitForText(/^. . use-npm-ci/m);
    term.keys('a');
    await term.waitForText('Approve use-npm-ci?');
    term.keys('y');
    await term.waitForText('use-npm-ci approved and deployed: draft → active (commit ');
    await term.waitFor('use-npm-ci active in the list', (sc) => /use-npm-ci\s+active\s+✓\s+none/.test(sc) && sc.includes(', 2 active'));
    expect(existsSync(join(ws.project, '.claude', 'skills', 'use-npm-ci', 'SKILL.md'))).toBe(true);
    const subject = execFileSync('git', ['-C', ws.root, 'log', '-1', '--format=%s'], { encoding: 'utf8' }).trim();
    expect(subject).toContain('approve use-npm-ci');
    await quitAndCheckRestored(term, 'q');
  });

  it('Jobs: the TUI catches up the jobs a fresh workspace never ran, o shows the report, a second TUI stands by', async () => {
    const ws = await freshWorkspace();
    const first = new Terminal(100, 30, terminalEnv()).start(['--workspace', ws.root]);
    await first.waitForText(WATCH);
    first.keys('8');
    await first.waitForText('Jobs run here (this TUI)');
    const CATCH_UP = ['consolidate', 'validate-skills', 'self-review', 'fitness'];
    const rowOf = (screen: string, name: string) => screen.split('\n').find((l) => l.startsWith(`  ${name} `) || l.slice(2).startsWith(`${name} `)) ?? '';
    const done = await first.waitFor('the catch-up runs, each ✓', (sc) => CATCH_UP.every((n) => /\d+s ago\s+\S+( \S+)?\s+✓ /.test(rowOf(sc, n))), 20_000);
    expect(rowOf(done, 'consolidate')).toMatch(/daily 03:00\s+\d\d-\d\d 03:00/);
    expect(rowOf(done, 'fitness')).toMatch(/daily 23:55\s+\d\d-\d\d 23:55/);
    const reports = readdirSync(join(ws.root, 'journal', 'reports')).filter((n) => /^\d{4}-\d{2}-\d{2}\.md$/.test(n));
    expect(reports).toHaveLength(1);
    const day = reports[0]!.slice(0, 10);
    await first.waitForText(`latest report journal/reports/${day}.md`);

    first.keys('o');
    const report = await first.waitForText(`# Self-review ${day}`);
    expect(report).toContain(`journal/reports/${day}.md · lines 1-`);
    first.keys('Escape');
    await first.waitForText('Jobs run here (this TUI)');

    // the first TUI is the node process under the pane's sh wrapper
    const sh = first.format('#{pane_pid}');
    const pid = execFileSync('ps', ['-o', 'pid=', '--ppid', sh], { encoding: 'utf8' }).trim().split(/\s+/)[0]!;
    expect(pid).toMatch(/^\d+$/);
    const second = new Terminal(100, 30, terminalEnv()).start(['--workspace', ws.root]);
    await second.waitForText(WATCH);
    await second.waitForText(`Jobs (run by tui pid ${pid}):`);
    second.keys('8');
    const standby = await second.waitForText(`Jobs run by tui pid ${pid} since `);
    expect(standby).toContain('this TUI does not run them');
    // every run so far is the first TUI's
    const jobs = JSON.parse(readFileSync(join(ws.root, 'store', 'jobs.json'), 'utf8')) as { records: { recent: { by: string }[] }[] };
    const by = new Set(jobs.records.flatMap((r) => r.recent.map((x) => x.by)));
    expect([...by].every((b) => b.includes(`pid ${pid}`)), [...by].join(', ')).toBe(true);
    await quitAndCheckRestored(second, 'q');
    await quitAndCheckRestored(first, 'q');
  }, 40_000);

  it('Watch at 80x24: one row a tool call, the blocked row lined up with the others, fates whole, enter opens the rule that blocked', async () => {
    const ws = await freshWorkspace();
    expect(cli(['import', join(REPO, 'journal/samples')], { cwd: ws.project }).code).toBe(0);
    const rules = JSON.parse(cli(['rules', 'list', '--json'], { cwd: ws.project }).stdout).rules as { id: string; guard?: { program?: string } }[];
    const guarded = rules.find((r) => r.guard?.program === 'tree')!.id;
    expect(cli(['rules', 'approve', guarded], { cwd: ws.project }).code).toBe(0);
    const call = (event: string, command: string, extra: object = {}) => {
      const payload = { session_id: 's-watch', transcript_path: '/tmp/t.jsonl', cwd: ws.project, hook_event_name: event, tool_name: 'Bash', tool_input: { command }, ...extra };
      return spawnSync(process.execPath, [CLI, 'hook'], { input: JSON.stringify(payload), encoding: 'utf8', env: { ...process.env, NEVO_WORKSPACE: '', CLAUDE_PROJECT_DIR: ws.project } }).status;
    };
    expect(call('PreToolUse', 'tree src')).toBe(2);
    expect(call('PreToolUse', 'ls src')).toBe(0);
    expect(call('PostToolUse', 'ls src', { tool_response: { stdout: 'a', stderr: '', interrupted: false, isImage: false } })).toBe(0);
    expect(cli(['ingest'], { cwd: ws.project }).code).toBe(0);

    const term = new Terminal(80, 24, terminalEnv()).start(NO_JOBS(ws.root));
    const screen = await term.waitForText(`blocked by ${guarded} · tree src`);
    const lines = screen.split('\n');
    const head = lines.findIndex((l) => l.includes(WATCH));
    const timeAt = stringWidth(lines[head]!.slice(0, lines[head]!.indexOf('time')));
    const rows = lines.slice(head + 1).filter((l) => /\d\d:\d\d/.test(l) && widthOf(l) > 20);
    expect(rows.length).toBeGreaterThan(5);
    // Every row's time starts under the header's, the blocked one's too (a two-cell mark pushed it one cell right).
    for (const row of rows) expect(stringWidth(row.slice(0, row.search(/\d\d[:-]\d\d/))), row).toBe(timeAt);
    // One row for the call that ran (not its PreToolUse too), and one for the blocked call.
    expect(rows.filter((r) => r.includes('ls src'))).toHaveLength(1);
    expect(rows.filter((r) => r.includes('tree src'))).toEqual([expect.stringMatching(new RegExp(`before\\s+Bash\\s+blocked by ${guarded} · tree src$`))]);
    for (const row of rows) expect(stringWidth(row), row).toBeLessThanOrEqual(80);

    // enter on the blocked row opens the rule that blocked it
    while (!(term.screen().split('\n').find((l) => l.startsWith('›')) ?? '').includes('blocked by')) {
      term.keys('j');
      await term.waitFor('the selection to move', (sc) => sc !== screen);
    }
    term.keys('Enter');
    await term.waitFor(`${guarded} selected on Rules`, (sc) => sc.includes(SCREEN_MARKS['3']!) && new RegExp(`^› . ${guarded} `, 'm').test(sc));
    await quitAndCheckRestored(term, 'q');
  });

  it('Ctrl+C quits and restores the terminal too', async () => {
    const ws = await freshWorkspace();
    const term = new Terminal(100, 30, terminalEnv()).start(NO_JOBS(ws.root));
    await term.waitForText('No events yet');
    term.keys('3');
    await term.waitForText(SCREEN_MARKS['3']!);
    await quitAndCheckRestored(term, 'C-c');
  });
});
