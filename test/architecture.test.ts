// The law of ARCHITECTURE.md, checked on every run of the suite: one direction of dependency
// between the layers of src/, and no circle of imports anywhere.
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkLayers, describe as describeReport, LAYERS, layerOf } from '../scripts/deps.mjs';
import { scratch } from './helpers/workspace.js';

const report = checkLayers('src');

describe('the layers of src/', () => {
  it('has no circle of imports between files', () => {
    const found = report.fileCircles.map((c) => `circle: ${c.circle.map((f) => `src/${f}`).join(' -> ')}`);
    expect(found, found.join('\n')).toEqual([]);
  });

  it('has no circle of imports between folders', () => {
    const found = report.folderCircles.map((c) => `circle of folders ${c.members.join(', ')}: ${c.circle.map((f) => `src/${f}`).join(' -> ')}`);
    expect(found, found.join('\n')).toEqual([]);
  });

  it('imports only from the same layer or a lower one', () => {
    const found = report.against.map((a) => `src/${a.from} (${a.fromLayer}) imports src/${a.to} (${a.toLayer}), a higher layer`);
    expect(found, found.join('\n')).toEqual([]);
  });

  it('places every file of src/ in a layer, and every import names a file', () => {
    expect(report.unplaced, `in no layer of scripts/deps.mjs: ${report.unplaced.join(', ')}`).toEqual([]);
    expect(report.unresolved, report.unresolved.map((u) => `src/${u.from}: ${u.spec}`).join('\n')).toEqual([]);
  });

  it('sees every kind of import: type-only, re-export, dynamic, import type', () => {
    const root = scratch('nevo-layers-');
    const files: Record<string, string> = {
      'store/a.ts': "import type { B } from '../rules/b.js';\nexport type A = B;\n",
      'rules/b.ts': "export { c } from '../detect/c.js';\nexport type B = 1;\n",
      'detect/c.ts': "export const c = () => import('./d.js');\n",
      'detect/d.ts': "import { c } from './c.js';\nexport const d = c;\n",
      'util/e.ts': "export let e: import('../app/f.js').F;\n",
      'app/f.ts': 'export type F = 1;\n',
    };
    for (const [rel, text] of Object.entries(files)) {
      mkdirSync(join(root, dirname(rel)), { recursive: true });
      writeFileSync(join(root, rel), text);
    }
    const r = checkLayers(root);
    expect(r.against.map((a) => `${a.from} -> ${a.to}`)).toEqual(['store/a.ts -> rules/b.ts', 'util/e.ts -> app/f.ts']);
    expect(r.fileCircles.map((c) => c.circle)).toEqual([['detect/c.ts', 'detect/d.ts', 'detect/c.ts']]);
    expect(describeReport(r)).toContain('src/store/a.ts (store) imports src/rules/b.ts (rules, a higher layer)');
  });

  it('ARCHITECTURE.md names every layer and every folder of src/', () => {
    const doc = readFileSync('ARCHITECTURE.md', 'utf8');
    for (const layer of LAYERS) for (const path of layer.paths) expect(doc, `${layer.name}: ${path}`).toContain(`src/${path}`);
    for (const entry of readdirSync('src', { withFileTypes: true })) if (entry.isDirectory()) expect(layerOf(`${entry.name}/x.ts`), `src/${entry.name}/`).not.toBeNull();
    expect(existsSync('README.md') && readFileSync('README.md', 'utf8')).toContain('ARCHITECTURE.md');
  });
});
