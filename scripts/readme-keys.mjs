#!/usr/bin/env node
// Writes the README's key table from the keymap (src/tui/keymap.ts), between its markers.
import { readFileSync, writeFileSync } from 'node:fs';
import { buildSync } from 'esbuild';

const out = 'node_modules/.cache/readme-keys.mjs';
buildSync({ entryPoints: ['src/tui/keymap-doc.ts'], outfile: out, bundle: true, format: 'esm', platform: 'node', target: 'node20', logLevel: 'error' });
const { withKeyTable } = await import(new URL(`../${out}`, import.meta.url));
const before = readFileSync('README.md', 'utf8');
const after = withKeyTable(before);
if (after === before) console.log('README.md: the key table is up to date');
else {
  writeFileSync('README.md', after);
  console.log('README.md: key table written from src/tui/keymap.ts');
}
