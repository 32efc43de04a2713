import { describe, expect, it } from 'vitest';
import { fakeServices } from './fake-services.js';
import { renderAppInTerminal } from './helpers.js';

/** PROJ-004 made from a missing module (express), with a guard on `npm` and its backtest. */
function servicesWithKeys() {
  const services = fakeServices();
  const rules = services.state.rules;
  const proposal = rules.find((r) => r.id === 'PROJ-004')!;
  proposal.keys = ['module not found:express'];
  proposal.guard = { tool: 'Bash', program: 'npm' };
  proposal.backtest = { failuresBlocked: 14, failuresTotal: 14, successesBlocked: 0, successesTotal: 212 };
  rules.find((r) => r.id === 'PROJ-002')!.keys = ['missing script:test'];
  return services;
}

const at = (services: ReturnType<typeof fakeServices>, columns: number, rows: number) => renderAppInTerminal({ screen: 'review', columns, rows, services });
/** The frame as one line with single spaces: wrapped lines joined, the label columns closed up. */
const unwrapped = (frame: string) => frame.replace(/\s+/g, ' ');

describe('the evidence Review shows for a proposal', () => {
  it('a sample error longer than 8 lines says how many lines are left out and where to read them', async () => {
    const services = servicesWithKeys();
    const incident = services.state.incidents.find((i) => i.id === '2026-03-09-a1b2')!;
    incident.sample = { ...incident.sample, error: Array.from({ length: 12 }, (_, n) => `line ${n + 1} of the stack`).join('\n') };
    const app = await at(services, 100, 60);
    const f = unwrapped(app.frame());
    expect(f).toContain('line 8 of the stack');
    expect(f).not.toContain('line 9 of the stack');
    expect(f).toContain('… 4 more line(s) of the error: nevo-tui incidents show 2026-03-09-a1b2');
  });

  it('at 80x24, count, sessions, first and last seen, the guard, its backtest and the closest rule, without scrolling', async () => {
    const app = await at(servicesWithKeys(), 80, 24);
    const f = app.frame();
    expect(f).toContain('count        14 in 4 session(s)');
    expect(f).toContain('first / last 2026-03-02 08:15 / 2026-03-10 09:40');
    expect(f).toContain('guard        Bash runs `npm`');
    expect(unwrapped(f)).toContain('backtest would have blocked 14 of 14 past failures, 0 of 212 past calls that worked');
    expect(unwrapped(f)).toContain('closest PROJ-002 (active): not the same mistake: it answers missing script: test; this one module not found: express');
    expect(f).toMatch(/▼ \d+ more line\(s\) below · j\/k scroll/);
    expect(f.split('\n').filter((l) => [...l].length > 80)).toEqual([]);
  });

  it('puts a rule of the same mistake first, even a rejected one, with why it was rejected', async () => {
    const services = servicesWithKeys();
    services.state.rules.find((r) => r.id === 'PROJ-006')!.keys = ['module not found:express'];
    const app = await at(services, 99, 60);
    expect(unwrapped(app.frame())).toContain('closest PROJ-006 (rejected): the same mistake (module not found: express), rejected before: "too vague to act on"');
    expect(app.frame()).toContain('PROJ-006     rejected · similarity');
    expect(app.frame()).toContain('reason       too vague to act on');
  });

  it('says when a stated preference goes against the proposal, one stated after it was proposed too', async () => {
    const app = await at(servicesWithKeys(), 99, 60);
    // "Use pnpm, not npm" is in memory; the guard blocks npm.
    expect(unwrapped(app.frame())).toContain('MEMORY SAYS "Use pnpm, not npm, in this repository": the person said so, and it goes against this rule');
  });

  it('names each contradicted rule with its status and the two clauses', async () => {
    const app = await at(fakeServices(), 99, 60);
    await app.press('G');
    await app.waitForText('PROJ-005 Give slow integration suites');
    expect(unwrapped(app.frame())).toMatch(/CONTRADICTS PROJ-007 \(deprecated\): (".+" vs ".+"|flagged when it was proposed)/);
  });
});
