import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BINDINGS } from '../src/tui/keymap.js';
import { withKeyTable } from '../src/tui/keymap-doc.js';
import { buildProgram } from '../src/main.js';

const readme = readFileSync('README.md', 'utf8');

describe('the README stays true', () => {
  it('names every key of the keymap', () => {
    for (const b of BINDINGS) expect(readme, `${b.action}: ${b.keys[0]}`).toContain(`\`${b.keys[0] === 'escape' ? 'esc' : b.keys[0]}\``);
  });

  it('has the key table the keymap writes (npm run readme:keys)', () => {
    expect(withKeyTable(readme) === readme, "README.md's key table differs from src/tui/keymap.ts: run npm run readme:keys").toBe(true);
  });

  it('names every command', () => {
    for (const c of buildProgram().commands) expect(readme, c.name()).toContain(`nevo-tui ${c.name()}`);
  });

  it('gives the two commands that set everything up', () => {
    expect(readme).toContain('npm start');
    expect(readme).toContain('npm test');
  });
});
