import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cli } from '../helpers/cli.js';
import { freshWorkspace } from '../helpers/workspace.js';

const SKILL = 'skills/nevo-memory/SKILL.md';
const FIELDS = new Set(['name', 'description', 'license', 'compatibility', 'metadata', 'allowed-tools']);

describe('the shipped nevo-memory skill', () => {
  const text = readFileSync(SKILL, 'utf8');
  const front = /^---\n([\s\S]*?)\n---\n/.exec(text);

  it('is a valid Agent Skill: front matter first, known fields, a name that matches its folder', () => {
    expect(front).not.toBeNull();
    const meta = parse(front![1]!) as Record<string, string | undefined>;
    for (const key of Object.keys(meta)) expect(FIELDS.has(key), key).toBe(true);
    expect(meta.name).toBe('nevo-memory');
    expect(meta.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(meta.description!.length).toBeGreaterThan(0);
    expect(meta.description!.length).toBeLessThanOrEqual(1024);
    expect(meta.compatibility!.length).toBeLessThanOrEqual(500);
    expect(text.split('\n').length).toBeLessThan(500);
  });

  it('teaches commands that work and return the fields it describes', async () => {
    const ws = await freshWorkspace();
    const env = { NEVO_WORKSPACE: ws.root };
    const added = cli(['memory', 'add', 'Use pnpm, not npm', '--category', 'preference', '--json'], { cwd: ws.project, env });
    expect(added.code, added.stderr).toBe(0);
    const examples = [...text.matchAll(/^nevo-tui (memory (?:search|show)[^\n#]*?)\s*(?:#.*)?$/gm)].map((m) => m[1]!);
    expect(examples.length).toBeGreaterThanOrEqual(4);
    for (const example of examples.filter((e) => e.startsWith('memory search'))) {
      const args = [...example.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
      const r = cli(args, { cwd: ws.project, env });
      expect(r.code, `${example}: ${r.stderr}`).toBe(0);
      const out = JSON.parse(r.stdout);
      expect(out).toHaveProperty('hits');
    }
    const r = JSON.parse(cli(['memory', 'search', 'pnmp', '--json'], { cwd: ws.project, env }).stdout);
    const hit = r.hits[0];
    expect(hit.item).toMatchObject({ id: expect.stringMatching(/^fact:[0-9a-f]{16}$/), kind: 'fact', category: 'preference', title: 'Use pnpm, not npm', text: 'Use pnpm, not npm' });
    for (const field of ['time', 'confidence']) expect(hit.item).toHaveProperty(field);
    expect(hit.why.parts.length).toBeGreaterThan(0);
    const shown = cli(['memory', 'show', hit.item.id, '--json'], { cwd: ws.project, env });
    expect(shown.code, shown.stderr).toBe(0);
    expect(JSON.parse(shown.stdout).record).toMatchObject({ statement: 'Use pnpm, not npm', category: 'preference', expires: null });
  });
});
