import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BINDINGS } from '../src/tui/keymap.js';
import { buildProgram } from '../src/main.js';

const readme = readFileSync('README.md', 'utf8');

describe('the README stays true', () => {
  it('names every key of the keymap', () => {
    for (const b of BINDINGS) expect(readme, `${b.action}: ${b.keys[0]}`).toContain(`\`${b.keys[0]}\``);
  });

  it('names every command', () => {
    for (const c of buildProgram().commands) expect(readme, c.name()).toContain(`nevo-tui ${c.name()}`);
  });

  it('gives the two commands that set everything up', () => {
    expect(readme).toContain('npm start');
    expect(readme).toContain('npm test');
  });
});
