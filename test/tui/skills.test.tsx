import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { monoTheme } from '../../src/tui/theme.js';
import { fakeServices } from './fake-services.js';
import { KEY, renderApp, renderAppInTerminal } from './helpers.js';

const skills = async (opts: Parameters<typeof renderApp>[0] = {}) => {
  const app = await renderApp({ screen: 'skills', ...opts });
  await app.waitForText('skill(s) ·');
  return app;
};
const row = (frame: string, name: string) => frame.split('\n').find((l) => l.includes(`${name} `)) ?? '';

describe('the Skills screen', () => {
  it('lists every skill with its status, validity, drift and recurrences', async () => {
    const app = await skills();
    const f = app.frame();
    expect(f).toContain('5 skill(s) · 2 draft, 1 active, 1 ineffective, 1 inactive · 1 invalid · 1 drifted');
    expect(row(f, 'deploy-checklist')).toMatch(/deploy-checklist\s+active\s+✓\s+workspace\s+1 since 2026-03-01/);
    expect(row(f, 'fix-imports')).toMatch(/fix-imports\s+draft\s+✗\s+-\s+-/);
    expect(row(f, 'npm-ci-first')).toMatch(/^. ! npm-ci-first\s+ineffective\s+✓\s+none\s+4 since 2026-03-02/);
    expect(row(f, 'old-lint')).toMatch(/old-lint\s+inactive\s+✓/);
    expect(row(f, 'read-before-edit')).toMatch(/read-before-edit\s+draft\s+✓/);
  });

  it('enter shows the validation errors and warnings with their fix, the record and the drift diff', async () => {
    const app = await skills();
    await app.press('j', KEY.enter);
    await app.waitForText('invalid: 1 error(s), 1 warning(s)');
    const f = app.frame();
    expect(f).toContain('fix-imports [draft, untracked]');
    expect(f).toContain('✗ error: SKILL.md:2: name must be lowercase');
    expect(f).toContain('fix: rename it to fix-imports');
    expect(f).toContain('! warning: SKILL.md:3: the description is very short');
    expect(f).toContain('untracked: not in the inventory yet');
    await app.press(KEY.esc, 'g', KEY.enter);
    await app.waitForText('drift diff');
    expect(app.frame()).toContain('fingerprints: fp-express');
    expect(app.frame()).toContain('drift: workspace');
    expect(app.frame()).toContain('+Run the whole checklist');
    await app.press(KEY.esc);
    await app.waitForText('5 skill(s)');
  });

  it('a approves a draft after y: the service is called and the list updates', async () => {
    const app = await skills();
    await app.press('G', 'a');
    await app.waitForText('Approve read-before-edit?');
    await app.press('y');
    await app.waitForText('read-before-edit approved and deployed: draft → active (commit ');
    expect(app.services.callsOf('skillAction')).toEqual([['read-before-edit', 'approve']]);
    await app.waitForText('1 draft, 2 active');
    expect(row(app.frame(), 'read-before-edit')).toMatch(/read-before-edit\s+active\s+✓\s+none\s+0 since/);
  });

  it('d deactivates only after y, with the reason typed (as `--reason` keeps it); n leaves it be', async () => {
    const app = await skills();
    await app.press('j', 'j', 'd');
    await app.waitForText('Deactivate npm-ci-first?');
    await app.press('n');
    expect(app.services.callsOf('skillAction')).toEqual([]);
    await app.press('d');
    await app.waitForText('Deactivate npm-ci-first?');
    await app.press('y');
    await app.waitForText('Why deactivate npm-ci-first?');
    await app.type('the lint rule covers it');
    await app.press(KEY.enter);
    await app.waitForText('npm-ci-first deactivated (kept in skills/): ineffective → inactive');
    expect(app.services.callsOf('skillAction')).toEqual([['npm-ci-first', 'deactivate', 'the lint rule covers it']]);
    await app.waitForText('2 inactive');
  });

  it('refuses an action the status does not allow without asking, and shows the core’s error', async () => {
    const app = await skills();
    await app.press('a');
    await app.waitForText('deploy-checklist is active; approve applies to draft skills.');
    expect(app.services.callsOf('skillAction')).toEqual([]);
    // an invalid draft: the core refuses it, and the error is shown
    await app.press('j', 'a', 'y');
    await app.waitForText('approve fix-imports failed: fix-imports is not valid');
  });

  it('R reactivates and D deploys again, from the detail view too', async () => {
    const app = await skills();
    await app.press('j', 'j', 'j', KEY.enter);
    await app.waitForText('old-lint [inactive]');
    await app.press('R', 'y');
    await app.waitForText('old-lint reactivated and deployed: inactive → active');
    await app.waitForText('old-lint [active]');
    await app.press('D', 'y');
    await app.waitForText('old-lint deployed again: active → active');
    expect(app.services.callsOf('skillAction')).toEqual([['old-lint', 'reactivate'], ['old-lint', 'deploy']]);
  });
});

describe('the Skills screen at 80x24', () => {
  const fits = (frame: string, what: string) => {
    const lines = frame.split('\n');
    expect(lines.filter((l) => stringWidth(l) > 80), `${what}: lines wider than 80`).toEqual([]);
    expect(lines.length, what).toBeLessThanOrEqual(24);
  };

  it('fits the list, the detail and the confirm, in colour and in mono', async () => {
    for (const theme of [undefined, monoTheme]) {
      const t = await renderAppInTerminal({ columns: 80, rows: 24, screen: 'skills', services: fakeServices(), ...(theme ? { theme } : {}) });
      await t.waitForText('skill(s) ·');
      fits(t.frame(), 'list');
      expect(t.frame()).toContain('7 Skills');
      if (theme) expect(t.frame()).toMatch(/x\s+-\s+-/);
      await t.press('d');
      await t.waitForText('[y/N]');
      fits(t.frame(), 'confirm');
      await t.press(KEY.esc, 'j', KEY.enter);
      await t.waitForText('fix: rename it');
      fits(t.frame(), 'detail');
    }
  });
});
