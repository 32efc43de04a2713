// A workspace as a long-used one looks: 10,000 incidents, 500 rules, 2,000 recent events.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serialiseRule } from '../src/rules/rule.js';
import type { EventRecord, Incident } from '../src/store/schemas.js';
import { initWorkspace } from '../src/app/init.js';

const CATEGORIES = ['command not found', 'module not found', 'file not found', 'test failure', 'type error', 'lint', 'permission', 'timeout'];
const TOOLS = ['Bash', 'Read', 'Edit', 'Write', 'Grep'];
const WORDS = 'read write edit check run test build lint format install import module file path command script config cache deploy review commit branch merge rebase docker network port server client token session migrate schema query index table column'.split(' ');

function words(n: number, seed: number): string {
  return Array.from({ length: n }, (_, i) => WORDS[(seed * 7 + i * 13) % WORDS.length]).join(' ');
}

export async function bigWorkspace(incidents = 10000, rules = 500): Promise<string> {
  const project = mkdtempSync(join(tmpdir(), 'nevo-bench-big-'));
  const { workspace } = await initWorkspace({ project, cwd: project });
  const day = (i: number) => `2026-${String(1 + (i % 11)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
  const inc: Incident[] = Array.from({ length: incidents }, (_, i) => ({
    id: `${day(i)}-${i.toString(16).padStart(6, '0')}`,
    fingerprint: `fp${i.toString(16).padStart(14, '0')}`,
    signature: `Exit code 1\nError: ${words(6, i)} <q> at <path>:<n>`,
    category: CATEGORIES[i % CATEGORIES.length]!,
    signal: 'hook',
    tool: TOOLS[i % TOOLS.length]!,
    sample: { error: `Exit code 1\nError: ${words(8, i)} 'x${i}' at /repo/src/m${i % 90}.ts:${i % 300}:4`, event: 'PostToolUseFailure', time: `${day(i)}T10:00:00.000Z`, target: `npm run step-${i % 40}` },
    count: 1 + (i % 17),
    sessions: [`s${i % 50}`, `s${(i + 7) % 50}`],
    firstSeen: `${day(i)}T10:00:00.000Z`,
    lastSeen: `${day(i + 3)}T10:00:00.000Z`,
    recurring: i % 3 === 0,
    status: i % 9 === 0 ? 'ruled' : 'new',
    rules: [],
    skills: [],
    reopened: 0,
    daily: { [day(i)]: 1 + (i % 17) },
  }));
  writeFileSync(join(workspace, 'store', 'incidents.json'), JSON.stringify({ version: 1, records: inc }));
  const events: EventRecord[] = Array.from({ length: 2000 }, (_, i) => ({ id: `e${i}`, time: `2026-11-21T${String(8 + (i % 10)).padStart(2, '0')}:00:${String(i % 60).padStart(2, '0')}.000Z`, source: 'hook', kind: i % 5 ? 'PostToolUse' : 'PostToolUseFailure', tool: TOOLS[i % 5]!, ok: i % 5 !== 0, target: `src/file-${i}.ts`, fate: i % 5 ? { kind: 'journal' } : { kind: 'counted', incident: inc[i % incidents]!.id } }));
  writeFileSync(join(workspace, 'store', 'events.json'), JSON.stringify({ version: 1, records: events }));
  for (let i = 0; i < rules; i++) {
    const id = `PROJ-${String(i + 1).padStart(3, '0')}`;
    writeFileSync(
      join(workspace, 'rules', `${id}.md`),
      serialiseRule({
        id,
        title: `Rule ${i}: ${words(5, i)}`,
        scope: 'project',
        status: i % 4 === 0 ? 'proposed' : i % 4 === 1 ? 'active' : i % 4 === 2 ? 'rejected' : 'deprecated',
        trigger: `Before ${words(4, i + 1)}`,
        enforcement: `Always ${words(4, i + 2)}`,
        verification: `No ${words(3, i + 3)} failures`,
        incidents: [{ id: inc[i]!.id, fingerprint: inc[i]!.fingerprint }],
        novelty: 'checked: no overlap',
        created: '2026-11-01',
        updated: '2026-11-01',
        activated: i % 4 === 1 ? '2026-11-01' : undefined,
        hits: 0,
        body: `${words(12, i)} before you ${words(6, i + 5)}. ${words(10, i + 9)}.`,
      }),
    );
  }
  return workspace;
}
