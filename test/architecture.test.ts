// The law of ARCHITECTURE.md, checked on every run of the suite: one direction of dependency
// between the layers of src/, and no circle of imports anywhere.
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkLayers, describe as describeReport, documentNames, LAYERS, layerOf, recordLeaks } from '../scripts/deps.mjs';
import { DOC_NAMES } from '../src/store/documents.js';
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

// ARCHITECTURE.md, "store": above the store, records are reached through the repositories, so how a
// document is kept (one file today, shards tomorrow) changes src/store/ alone.
describe('records outside src/store/', () => {
  it('are reached only through the repositories: no `.records`, no whole document asked for or marked by name', () => {
    const found = recordLeaks('src').map((l) => `src/${l.file}:${l.line} ${l.what}`);
    expect(found, found.join('\n')).toEqual([]);
  });

  it('knows every document of the store', () => {
    expect(documentNames('src')).toEqual(DOC_NAMES);
  });

  it('sees every way of reaching around a repository', () => {
    const root = scratch('nevo-records-');
    const files: Record<string, string> = {
      'store/schemas.ts': 'export const documentSchemas = { events: 1, incidents: 2 } as const;\n',
      'store/store.ts': "export const inside = (doc: { records: unknown[] }) => doc.records.length;\n",
      'rules/a.ts': "export const a = async (ws: any) => (await ws.store.read('incidents')).records.length;\n",
      'memory/b.ts': "export const b = async (tx: any) => { const { records } = await tx.doc('events'); tx.touch('events'); return records; };\n",
      'app/c.ts': "export type C = import('../store/schemas.js').Doc<'incidents'>['records'];\nexport const c = (d: any) => d['records'];\n",
      'views/d.tsx': "export const d = (ws: any, pending: any) => [ws.store.readShared('events'), pending.records, ws.store.read(name), ws.store.incidents.list()];\n",
    };
    for (const [rel, text] of Object.entries(files)) {
      mkdirSync(join(root, dirname(rel)), { recursive: true });
      writeFileSync(join(root, rel), text);
    }
    expect(recordLeaks(root).map((l) => `${l.file}:${l.line} ${l.what.split(':')[0]}`)).toEqual([
      'app/c.ts:1 names import(\'../store/schemas.js\').Doc<\'incidents\'>[\'records\']',
      'app/c.ts:2 reads d[\'records\']',
      'memory/b.ts:1 takes records out of a document',
      'memory/b.ts:1 asks for the whole document events',
      'memory/b.ts:1 marks the whole document events changed',
      'rules/a.ts:1 reads (await ws.store.read(\'incidents\')).records',
      'rules/a.ts:1 asks for the whole document incidents',
      'views/d.tsx:1 asks for the whole document events',
    ]);
  });
});
