import { describe, expect, it } from 'vitest';
import { fakeServices, fakeSnapshot, RULES } from './fake-services.js';
import { KEY, renderApp, waitFor } from './helpers.js';

const rules = (services?: ReturnType<typeof fakeServices>) => renderApp({ screen: 'rules', ...(services ? { services } : {}) });
const row = (frame: string, id: string) => frame.split('\n').find((l) => l.includes(id)) ?? '';
const selected = (frame: string) => frame.split('\n').find((l) => l.startsWith('›')) ?? '';

describe('the Rules screen', () => {
  it('lists every rule with its status', async () => {
    const app = await rules();
    expect(app.frame()).toContain('7 rules · active ones take about 310 of 2000 tokens');
    // Titles are cut to the width left by the other columns; their start is always shown.
    for (const r of RULES) expect(row(app.frame(), r.id), r.id).toMatch(new RegExp(`${r.id}\\s+${r.status}\\s+${r.title.slice(0, 12).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  });

  it('shows effectiveness: before→after, blocks, and rules that are not working', async () => {
    const app = await rules();
    expect(row(app.frame(), 'PROJ-001')).toContain('9→0 3⊘');
    expect(row(app.frame(), 'PROJ-002')).toContain('6→4 NOT WORKING');
    expect(row(app.frame(), 'PROJ-003')).toContain('2→1');
    expect(row(app.frame(), 'PROJ-004')).not.toContain('→');
  });

  it("in a workspace that syncs, shows the team's counts: a rule that holds here but not on a teammate's machine", async () => {
    const services = fakeServices();
    services.state.effectiveness['PROJ-003'] = { ...services.state.effectiveness['PROJ-003']!, team: { before: 5, after: 4, members: 3 }, working: false };
    const app = await rules(services);
    expect(row(app.frame(), 'PROJ-003')).toContain('team 5→4 NOT WORKING');
    expect(row(app.frame(), 'PROJ-001')).toContain('9→0 3⊘');
  });

  it('says whether the selected active rule reached the agent: loaded by Claude Code, how often and why, or not yet', async () => {
    const app = await rules();
    await waitFor(() => app.frame().includes('PROJ-001 loaded by Claude Code 3×, last'), 'the load line of PROJ-001', { frame: app.frame });
    expect(app.frame()).toMatch(/PROJ-001 loaded by Claude Code 3×, last \d+[smhd] ago \(session_start, compact\)/);
    await app.press('j');
    await waitFor(() => app.frame().includes('PROJ-002 not loaded by Claude Code yet'), 'the load line of PROJ-002', { frame: app.frame });
  });

  it('shows lint flags once they arrive', async () => {
    const app = await rules();
    await waitFor(() => row(app.frame(), 'PROJ-003').includes('overlap'), 'the lint flag of PROJ-003', { frame: app.frame });
    expect(row(app.frame(), 'PROJ-001')).not.toMatch(/overlap|stale/);
  });

  it('says when the active rules take more tokens than the budget', async () => {
    const app = await renderApp({ screen: 'rules', services: fakeServices({ ...fakeSnapshot(), tokens: { active: 2600, budget: 2000 } }) });
    expect(app.frame()).toContain('about 2600 of 2000 tokens — OVER BUDGET');
  });

  it('/ filters as you type, and esc clears the filter', async () => {
    const app = await rules();
    await app.press('/');
    await app.type('time');
    await app.waitForText('/ time');
    await waitFor(() => !app.frame().includes('PROJ-001'), 'the filter to hide PROJ-001', { frame: app.frame });
    expect(app.frame()).toContain('PROJ-005');
    expect(app.frame()).toContain('PROJ-007');
    await app.type('out default');
    await waitFor(() => !app.frame().includes('PROJ-005'), 'a second word to narrow it', { frame: app.frame });
    expect(app.frame()).toContain('PROJ-007');
    await app.press(KEY.esc);
    await app.waitForText('PROJ-001');
    expect(app.frame()).not.toContain('/ timeout');
    for (const r of RULES) expect(app.frame()).toContain(r.id);
  });

  it('a filter typed quickly with its enter in one chunk is kept, and the keys are the list\'s again', async () => {
    const app = await rules();
    await app.press('/');
    await app.press('time\r');
    await app.waitForText('/ time (/ to change, esc to clear)');
    await waitFor(() => !app.frame().includes('PROJ-001'), 'the filter to hide PROJ-001', { frame: app.frame });
    await app.press('j');
    await waitFor(() => selected(app.frame()).includes('PROJ-007'), 'j to move in the filtered list', { frame: app.frame });
  });

  it('enter keeps the filter; esc then clears it', async () => {
    const app = await rules();
    await app.press('/');
    await app.type('proposed');
    await app.press(KEY.enter);
    await app.waitForText('(/ to change, esc to clear)');
    expect(app.frame()).not.toContain('PROJ-001');
    // the keys work on the filtered list
    await app.press('j');
    await waitFor(() => selected(app.frame()).includes('PROJ-005'), 'j on the filtered list', { frame: app.frame });
    await app.press(KEY.esc);
    await app.waitForText('PROJ-001');
    expect(app.frame()).not.toContain('esc to clear');
  });

  it('says when nothing matches the filter', async () => {
    const app = await rules();
    await app.press('/');
    await app.type('kubernetes');
    await app.waitForText('No rule matches the filter.');
  });

  it('moves the selection with j/k, G and g', async () => {
    const app = await rules();
    expect(selected(app.frame())).toContain('PROJ-001');
    await app.press('j');
    await waitFor(() => selected(app.frame()).includes('PROJ-002'), 'j', { frame: app.frame });
    await app.press('G');
    await waitFor(() => selected(app.frame()).includes('PROJ-007'), 'G', { frame: app.frame });
    await app.press('k');
    await waitFor(() => selected(app.frame()).includes('PROJ-006'), 'k', { frame: app.frame });
    await app.press('g');
    await waitFor(() => selected(app.frame()).includes('PROJ-001'), 'g', { frame: app.frame });
    await app.press(KEY.end);
    await waitFor(() => selected(app.frame()).includes('PROJ-007'), 'end', { frame: app.frame });
    await app.press(KEY.up);
    await waitFor(() => selected(app.frame()).includes('PROJ-006'), 'up', { frame: app.frame });
    await app.press(KEY.home, KEY.down);
    await waitFor(() => selected(app.frame()).includes('PROJ-002'), 'home, then down', { frame: app.frame });
  });
});

describe('lint flags on the Rules screen', () => {
  it('says what each flag of the selected rule means and how to clear it', async () => {
    const app = await renderApp({ screen: 'rules' });
    await app.waitForText('overlap,stale');
    expect(app.frame()).not.toContain('stale: names a file');
    await app.press('j', 'j');
    await app.waitForText('PROJ-003 stale: names a file, script or program this project does not have');
    expect(app.frame()).toContain('PROJ-003 overlap: says much the same as another rule');
    await app.press('?');
    await app.waitForText('Lint flags');
    expect(app.frame()).toMatch(/stale\s+names a file, script or program/);
  });
});

describe('the Rules list at 80 columns', () => {
  /** The demo's rules: three active starter rules with their effect, five proposals, no lint flag yet. */
  const demo = () => {
    const services = fakeServices();
    const titles = ['Read a file before changing it', 'Follow a blocking rule instead of retrying the call', 'Check that a command exists before depending on it', 'Give the Task tool the parameters its schema requires', 'Read large files in parts'];
    services.state.rules = services.state.rules.filter((r) => r.status === 'active' || r.status === 'proposed').map((r, i) => ({ ...r, title: titles[i] ?? r.title }));
    services.state.effectiveness = Object.fromEntries(services.state.rules.filter((r) => r.status === 'active').map((r) => [r.id, { rule: r.id, activated: '2026-03-01', days: 9, before: 0, after: 0, blocks: 0, working: true }]));
    services.lint = async () => {
      services.counts.lint += 1;
      return {};
    };
    return services;
  };

  it('cuts a title only when the row has no room left for it: no empty lint column, no spare cells', async () => {
    const { renderAppInTerminal } = await import('./helpers.js');
    const t = await renderAppInTerminal({ columns: 80, rows: 24, screen: 'rules', services: demo() });
    expect(row(t.frame(), 'Check that')).toContain('Check that a command exists before depending on it 0→0');
    expect(t.frame()).not.toMatch(/effect +lint/);
  });

  it('shows the selected rule\'s whole title under the list when the list cuts it', async () => {
    const { renderAppInTerminal } = await import('./helpers.js');
    const services = demo();
    const t = await renderAppInTerminal({ columns: 80, rows: 24, screen: 'rules', services });
    const long = services.state.rules.find((r) => r.title.startsWith('Give the Task'))!;
    expect(row(t.frame(), long.id)).toContain('…');
    while (!selected(t.frame()).includes(long.id)) await t.press('j');
    await t.waitForText(`${long.id}: ${long.title}`);
  });

  it("says each lint flag once, and under the list what each of the selected rule's flags means and how to clear it, whole", async () => {
    const { renderAppInTerminal } = await import('./helpers.js');
    const { LINT_HELP } = await import('../../src/rules/lint.js');
    const services = fakeServices();
    services.lint = async () => {
      services.counts.lint += 1;
      return { 'PROJ-003': ['stale', 'overlap', 'stale'] };
    };
    const t = await renderAppInTerminal({ columns: 80, rows: 24, screen: 'rules', services });
    await waitFor(() => row(t.frame(), 'PROJ-003').includes('stale'), 'the flags of PROJ-003', { frame: t.frame });
    expect(row(t.frame(), 'PROJ-003')).toMatch(/ stale,overlap$/);
    while (!selected(t.frame()).includes('PROJ-003')) await t.press('j');
    await t.waitForText('PROJ-003 stale:');
    const flat = t.frame().replace(/\s+/g, ' ');
    expect(flat).toContain(`PROJ-003 stale: ${LINT_HELP.stale}`);
    expect(flat).toContain(`PROJ-003 overlap: ${LINT_HELP.overlap}`);
    expect(flat.split('PROJ-003 stale:')).toHaveLength(2);
  });

  it('gives the title the room the effect and lint columns do not use', async () => {
    const { renderAppInTerminal } = await import('./helpers.js');
    const services = fakeServices();
    // No rule has an effect or a lint flag yet (a fresh workspace): the title takes their room.
    services.state.effectiveness = {};
    services.lint = async () => {
      services.counts.lint += 1;
      return {};
    };
    const t = await renderAppInTerminal({ columns: 80, rows: 24, screen: 'rules', services });
    expect(t.frame()).toContain('Install node modules before running the te');
  });
});

describe('the inline rule editor', () => {
  it('keeps a long value being edited inside its rows at 60x18: no row drawn over another, no line of it starting with a space', async () => {
    const { renderAppInTerminal } = await import('./helpers.js');
    const t = await renderAppInTerminal({ columns: 60, rows: 18, screen: 'rules' });
    await t.press(KEY.enter);
    await t.waitForText('Editing PROJ-001');
    await t.press('j', KEY.enter);
    await t.waitForText('editing body');
    const more = ' The release script reads dist/manifest.json, and a missing manifest fails the upload step after the build has already taken ten minutes.';
    await t.press(more);
    await t.waitForText('upload');
    await t.waitForText('editing body');
    const lines = t.frame().split('\n');
    expect(lines.length, t.frame()).toBeLessThan(18);
    // every field keeps its own row, with its value whole after the label
    for (const f of ['title', 'body', 'trigger', 'enforcement', 'verification', 'paths', 'guard']) expect(lines.filter((l) => new RegExp(`^[› ] ${f} +\\S`).test(l)), f).toHaveLength(1);
    expect(lines.find((l) => l.startsWith('  trigger'))).toBe(`  trigger      ${RULES[0]!.trigger}`);
    expect(lines.filter((l) => /^ {15} /.test(l)), t.frame()).toEqual([]);
    // the end of what was typed is on screen, where the cursor is
    expect(t.frame()).toContain('minutes.');
  });

  it('keeps the label and the indent of a field while it is edited, opened from Rules or from Review', async () => {
    const { renderAppInTerminal } = await import('./helpers.js');
    for (const [screen, open] of [['rules', [KEY.enter]], ['review', ['e']]] as const) {
      const t = await renderAppInTerminal({ columns: 80, rows: 24, screen });
      await t.press(...open);
      await t.waitForText('Editing PROJ-');
      await t.press('j', KEY.enter);
      await t.waitForText('editing body');
      await t.type(' Keep the release notes short.');
      await t.waitForText('short.');
      const lines = t.frame().split('\n');
      const at = lines.findIndex((l) => l.startsWith('› body'));
      // The label keeps its 13 cells; the body wraps under itself, 15 cells in.
      expect(lines[at], screen).toMatch(/^› body {9}\S/);
      expect(lines[at + 1], screen).toMatch(/^ {15}\S/);
      expect(lines.slice(at, at + 4).join(' ').replace(/\s+/g, ' '), screen).toContain('Keep the release notes short.');
      t.instance.unmount();
    }
  });

  const open = async () => {
    const app = await rules();
    await app.press(KEY.enter);
    await app.waitForText('Editing PROJ-001');
    return app;
  };
  const field = (frame: string) => selected(frame).replace(/^›\s+/, '').split(/\s+/)[0];

  it('asks before esc throws typed changes away; n keeps them', async () => {
    const app = await open();
    await app.press(KEY.enter);
    await app.waitForText('editing title');
    await app.type(' now');
    await app.press(KEY.enter);
    await app.waitForNoText('editing title');
    await app.press(KEY.esc);
    await app.waitForText('Leave PROJ-001 without saving your changes? [y/N]');
    await app.press('n');
    await app.waitForNoText('[y/N]');
    expect(app.frame()).toContain('Editing PROJ-001');
    expect(app.frame()).toContain('rm -rf now');
    await app.press(KEY.esc);
    await app.waitForText('[y/N]');
    await app.press('y');
    await app.waitForText('active ones take about');
    expect(app.services.callsOf('edit')).toEqual([]);
  });

  it('keeps typed changes through the help (? then esc) and asks before q quits with them', async () => {
    const app = await open();
    await app.press(KEY.enter);
    await app.waitForText('editing title');
    await app.type(' now');
    await app.press(KEY.enter);
    await app.waitForNoText('editing title');
    await app.press('?');
    await app.waitForText('Keys on this screen');
    expect(app.frame()).toContain('ctrl+s');
    await app.press(KEY.esc);
    await app.waitForText('Editing PROJ-001');
    expect(app.frame()).toContain('rm -rf now');
    await app.press('q');
    await app.waitForText('Quit without saving your changes to PROJ-001? [y/N]');
    await app.press('n');
    await app.waitForNoText('[y/N]');
    expect(app.frame()).toContain('rm -rf now');
  });

  it('opens on the selected rule with enter, and esc leaves it without saving', async () => {
    const app = await rules();
    await app.press('j', KEY.enter);
    await app.waitForText('Editing PROJ-002');
    for (const f of ['title', 'body', 'trigger', 'enforcement', 'verification', 'paths', 'guard']) expect(app.frame()).toMatch(new RegExp(`^[› ] ${f}`, 'm'));
    expect(app.frame()).toContain('✓ valid; ctrl+s saves');
    await app.press(KEY.esc);
    await app.waitForText('active ones take about');
    expect(app.services.calls).toEqual([]);
  });

  it('j/k select the field', async () => {
    const app = await open();
    expect(field(app.frame())).toBe('title');
    await app.press('j', 'j');
    await waitFor(() => field(app.frame()) === 'trigger', 'j j to reach trigger', { frame: app.frame });
    await app.press('k');
    await waitFor(() => field(app.frame()) === 'body', 'k to reach body', { frame: app.frame });
  });

  it('shows a problem as you type, refuses ctrl+s while invalid, and saves once valid', async () => {
    const app = await open();
    const body = RULES[0]!.body;
    await app.press('j', KEY.enter); // edit the body
    await app.waitForText('editing body');
    await app.type(' Keep it. Really.');
    // four sentences now: the problem shows while typing
    await app.waitForText('✗ body has 4 sentences; at most 3');
    await app.press(KEY.enter);
    await app.waitForNoText('editing body');
    await app.press(KEY.ctrlS);
    await app.waitForText('Not saved: body has 4 sentences; at most 3');
    expect(app.services.callsOf('edit')).toEqual([]);
    // fix it: take the last sentence out again
    await app.press(KEY.enter);
    await app.waitForText('editing body');
    for (let n = 0; n < ' Really.'.length; n++) await app.press(KEY.backspace);
    await app.waitForText('✓ valid; ctrl+s saves');
    await app.press(KEY.enter);
    await app.press(KEY.ctrlS);
    await app.waitForText('PROJ-001 saved (commit');
    expect(app.services.callsOf('edit')).toEqual([['PROJ-001', expect.objectContaining({ body: `${body} Keep it.`, title: RULES[0]!.title, guard: RULES[0]!.guard })]]);
    // the editor closes and the list shows the saved rule
    await app.waitForText('active ones take about');
    expect(app.services.state.rules[0]!.body).toBe(`${body} Keep it.`);
  });

  it('says what a guard field needs in words, not in the validator\'s terms', async () => {
    const app = await open();
    await app.press('j', 'j', 'j', 'j', 'j', 'j', KEY.enter);
    await app.waitForText('editing guard');
    for (let n = 0; n < 60; n++) await app.press(KEY.backspace);
    await app.type('{"tool":"","command":"^rm -rf"}');
    await app.waitForText('guard: tool is ""; expected non-empty text');
    expect(app.frame()).not.toMatch(/characters|>=1/);
  });

  it('ends the field on an enter that comes in one chunk with the text typed before it', async () => {
    const app = await open();
    await app.press(KEY.enter);
    await app.waitForText('editing title');
    await app.press(' now\r');
    await app.waitForNoText('editing title');
    expect(app.frame()).toContain('rm -rf now');
    // the keys are the editor's again: j moves to the body
    await app.press('j');
    await waitFor(() => field(app.frame()) === 'body', 'j to reach body', { frame: app.frame });
  });

  it('checks the guard as JSON', async () => {
    const app = await open();
    await app.press('j', 'j', 'j', 'j', 'j', 'j', KEY.enter);
    await app.waitForText('editing guard');
    await app.type('x');
    await app.waitForText('guard: not valid JSON');
  });

  it('an emptied trigger is a problem: the rule would be decorative', async () => {
    const app = await open();
    await app.press('j', 'j', KEY.enter);
    await app.waitForText('editing trigger');
    for (let n = 0; n < RULES[0]!.trigger.length; n++) await app.press(KEY.backspace);
    await app.waitForText('trigger is empty: the rule would be decorative');
  });

  it('keys typed into a field are text, not commands', async () => {
    const app = await open();
    await app.press(KEY.enter);
    await app.waitForText('editing title');
    await app.type('dq?2');
    await app.waitForText('rm -rfdq?2');
    expect(app.frame()).toContain('Editing PROJ-001');
    expect(app.services.calls).toEqual([]);
  });
});

describe('deprecate and restore', () => {
  it('d asks to confirm; n cancels and nothing is deprecated', async () => {
    const app = await rules();
    await app.press('d');
    await app.waitForText("Deprecate PROJ-001? It leaves the agent's context. [y/N]");
    // a long question gives way to the y/N hint, not the other way round
    expect(app.frame()).toContain('[y/N]');
    await app.press('n');
    await app.waitForNoText('[y/N]');
    expect(app.services.callsOf('deprecate')).toEqual([]);
    expect(row(app.frame(), 'PROJ-001')).toContain('active');
  });

  it('d then y deprecates the selected rule', async () => {
    const app = await rules();
    await app.press('d');
    await app.waitForText('[y/N]');
    await app.press('y');
    await app.waitForText('PROJ-001 deprecated (commit');
    expect(app.services.callsOf('deprecate')).toEqual([['PROJ-001']]);
    await waitFor(() => /PROJ-001\s+deprecated/.test(row(app.frame(), 'PROJ-001')), 'the list to show it deprecated', { frame: app.frame });
  });

  it('R asks to confirm; y restores the selected rule, n does not', async () => {
    const app = await rules();
    await app.press('G', 'R');
    await app.waitForText('Restore PROJ-007 (deprecated) as active? [y/N]');
    await app.press('n');
    await app.waitForNoText('[y/N]');
    expect(app.services.callsOf('restore')).toEqual([]);
    await app.press('R');
    await app.waitForText('Restore PROJ-007 (deprecated) as active? [y/N]');
    await app.press('y');
    await app.waitForText('PROJ-007 is active again');
    expect(app.services.callsOf('restore')).toEqual([['PROJ-007']]);
    await waitFor(() => /PROJ-007\s+active/.test(row(app.frame(), 'PROJ-007')), 'the list to show it active', { frame: app.frame });
  });

  it('esc cancels a confirmation too', async () => {
    const app = await rules();
    await app.press('d');
    await app.waitForText('[y/N]');
    await app.press(KEY.esc);
    await app.waitForNoText('[y/N]');
    expect(app.services.calls).toEqual([]);
  });

  it('refuses a restore of an active rule before asking, and says why', async () => {
    const app = await rules();
    await app.press('R');
    await app.waitForText('PROJ-001 is active; restore applies to deprecated or rejected rules.');
    expect(app.frame()).not.toContain('[y/N]');
    expect(app.services.callsOf('restore')).toEqual([]);
  });

  it('puts a proposal deprecated before anyone approved it back in review, not in force', async () => {
    const services = fakeServices();
    const proposal = services.state.rules.find((r) => r.status === 'proposed')!;
    const app = await rules(services);
    await waitFor(() => app.frame().includes(proposal.id), 'the proposal', { frame: app.frame });
    while (!selected(app.frame()).includes(proposal.id)) await app.press('j');
    await app.press('d');
    await app.waitForText(`Deprecate ${proposal.id}? It leaves Review. [y/N]`);
    await app.press('y');
    await waitFor(() => new RegExp(`${proposal.id}\\s+deprecated`).test(row(app.frame(), proposal.id)), 'deprecated', { frame: app.frame });
    await app.press('R');
    await app.waitForText(`Restore ${proposal.id} (deprecated) as proposed? [y/N]`);
    await app.press('y');
    await app.waitForText(`${proposal.id} is proposed again`);
  });
});
