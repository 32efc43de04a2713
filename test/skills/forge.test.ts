import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importTranscripts } from '../../src/detect/import.js';
import { applyInTransaction } from '../../src/detect/ingest.js';
import type { IncomingEvent } from '../../src/detect/normalise.js';
import { afterEvents } from '../../src/app/loop.js';
import { applyAnalysis } from '../../src/analyze/analyze.js';
import type { JournalLine } from '../../src/store/raw-journal.js';
import { approveSkill, inventory } from '../../src/skills/deploy.js';
import { renderTemplate, repeatedSequences, skillCandidates, type Candidate } from '../../src/skills/forge.js';
import { checkDraft, forgeSkills } from '../../src/skills/forge-run.js';
import type { Incident } from '../../src/store/schemas.js';
import { cli } from '../helpers/cli.js';
import { freshWorkspace, scratch } from '../helpers/workspace.js';
import { skillMd, writeTree } from './helpers.js';

const T = '2026-03-02T10:00:00.000Z';

function incident(over: Partial<Incident> & { decision: NonNullable<Incident['analysis']>['decision']; detail: string }): Incident {
  const { decision, detail, ...rest } = over;
  return {
    id: '2026-03-02-abcd',
    fingerprint: 'fp-1',
    signature: 'pnpm: ERR_PNPM_OUTDATED_LOCKFILE cannot install with frozen lockfile',
    category: 'other',
    signal: 'hook',
    tool: 'Bash',
    sample: { error: 'ERR_PNPM_OUTDATED_LOCKFILE Cannot install with "frozen-lockfile"\nmore', target: 'pnpm install --frozen-lockfile', session: 's1', event: 'e1', time: T },
    count: 4,
    sessions: ['s1', 's2', 's3'],
    firstSeen: T,
    lastSeen: T,
    recurring: true,
    status: 'analyzed',
    rules: [],
    skills: [],
    reopened: 0,
    daily: {},
    analysis: { at: T, analyst: 'builtin', what: 'Bash failed', why: 'The lockfile workflow is not known to the agent.', seenBefore: true, decision, detail },
    ...rest,
  };
}

const WORKFLOW = [
  ['Read', 'package.json'],
  ['Bash', 'npm run build'],
  ['Edit', 'src/index.ts'],
  ['Bash', 'npm test'],
  ['Bash', 'git diff --stat'],
  ['Bash', 'git status'],
] as const;

/** Journal lines of one session: `noise` calls, then the workflow (with this session's own paths and numbers). */
function journalOf(session: string, noise: number): JournalLine[] {
  const calls: [string, string][] = [...Array.from({ length: noise }, (_, n): [string, string] => ['Grep', `todo${n} in src`]), ...WORKFLOW.map(([t, x]): [string, string] => [t, t === 'Read' || t === 'Edit' ? `/home/${session}/proj/${x}` : x])];
  return calls.map(([tool, target], n) => ({ id: `${session}-${n}`, time: `2026-03-02T10:${String(n).padStart(2, '0')}:00.000Z`, event: 'PostToolUse', tool, target, ok: true }));
}

describe('skill candidates (pure)', () => {
  it('a skill-gap incident is a skill; a rule-sized one is a rule, with why; a dismissed or skilled one is nothing', () => {
    const cs = skillCandidates(
      [
        incident({ decision: 'skill-gap', detail: 'skill gap: handle Bash failures (recurring failure with no known cause)' }),
        incident({ id: '2026-03-02-beef', fingerprint: 'fp-2', decision: 'propose', detail: 'proposed PROJ-001: no overlap', rule: 'PROJ-001' } as never),
        incident({ id: '2026-03-02-dead', fingerprint: 'fp-3', decision: 'dismiss', detail: 'dismissed: an interrupt' }),
        incident({ id: '2026-03-02-cafe', fingerprint: 'fp-4', decision: 'skill-gap', detail: 'x', skills: ['already'] }),
      ],
      [],
    );
    expect(cs).toHaveLength(2);
    expect(cs[0]).toMatchObject({ kind: 'incident', fingerprints: ['fp-1'], evaluation: { choice: 'skill' }, evidence: { incidents: ['2026-03-02-abcd'], tool: 'Bash' } });
    expect(cs[0]!.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(cs[0]!.name.length).toBeLessThanOrEqual(64);
    expect(cs[0]!.evaluation.why).toContain('missing knowledge or a missing process');
    expect(cs[1]).toMatchObject({ kind: 'incident', fingerprints: ['fp-2'], evaluation: { choice: 'rule', why: expect.stringMatching(/^a one-line behaviour limit is a rule.*PROJ-001/) } });
    expect(cs[0]!.name).not.toBe(cs[1]!.name);
  });

  it('a run of 5+ tool calls repeated in 3 sessions is a workflow skill; in 2 sessions it is not', () => {
    const three = new Map([['a', journalOf('a', 0)], ['b', journalOf('b', 3)], ['c', journalOf('c', 1)], ['d', journalOf('d', 2).slice(0, 4)]]);
    const seqs = repeatedSequences(three);
    expect(seqs).toHaveLength(1);
    expect(seqs[0]!.sessions).toEqual(['a', 'b', 'c']);
    expect(seqs[0]!.steps).toEqual(WORKFLOW.map(([tool, target]) => ({ tool, target: tool === 'Bash' ? target.split(' ').slice(0, 2).join(' ') : target.split('/').pop() })));
    const [c] = skillCandidates([], seqs);
    expect(c).toMatchObject({ kind: 'sequence', fingerprints: [], evaluation: { choice: 'skill', why: expect.stringContaining('multi-step workflow') } });
    expect(c!.name).toMatch(/^workflow-[a-z0-9-]+$/);
    expect(repeatedSequences(new Map([['a', journalOf('a', 0)], ['b', journalOf('b', 0)]]))).toEqual([]);
  });

  it('the template is a valid SKILL.md holding the error, what to do instead, or the steps', () => {
    const nasty = incident({ decision: 'skill-gap', detail: 'skill gap: x --- y', sample: { error: 'boom: <tag> "quoted" --- `ticks` ```fence```\n# not a heading', event: 'e', time: T } });
    const [inc] = skillCandidates([nasty], []);
    const [seq] = skillCandidates([], repeatedSequences(new Map([['a', journalOf('a', 0)], ['b', journalOf('b', 0)], ['c', journalOf('c', 0)]])));
    for (const c of [inc!, seq!] as Candidate[]) {
      const text = renderTemplate(c);
      expect(checkDraft(c.name, text)).toEqual([]);
      expect(text).toMatch(new RegExp(`^---\\nname: ${c.name}\\ndescription: "[^\\n]*Use when`));
    }
    expect(renderTemplate(inc!)).toContain('## What to do instead');
    expect(renderTemplate(inc!)).toContain('boom: <tag>');
    expect(renderTemplate(seq!)).toMatch(/1\. `Read`: package\.json\n2\. `Bash`: npm run\n/);
  });
});

describe('skills forge (workspace)', () => {
  it('takes a real incident an analyst calls a skill gap to a deployed skill that answers its fingerprint', async () => {
    const ws = await freshWorkspace();
    ws.config.analyst.auto = false;
    const imported = await importTranscripts(ws, 'test/fixtures/claude-code/transcripts/spotter__6c2214d7__subagents__agent-afc096d.jsonl');
    // The real "file too large to read" failure of the spotter subagent...
    const big = (await ws.store.read('incidents')).records.find((i) => i.sample.error.includes('exceeds maximum allowed size'))!;
    expect(imported.opened).toContain(big.id);
    // ...which an analyst judges missing knowledge (how to read big files), not a one-line limit.
    await applyAnalysis(ws, big.id, {
      what: 'Read refused a 806 KB bundled asset',
      why: 'the agent does not know how to inspect large generated files',
      seenBefore: false,
      decision: { action: 'skill-gap', skill: 'read-large-files', reason: 'a reusable way to page through or search big files' },
    }, 'external');
    const r = await forgeSkills(ws);
    const item = r.items.find((i) => i.candidate.kind === 'incident' && i.candidate.fingerprints.includes(big.fingerprint))!;
    expect(item).toMatchObject({ status: 'forged', candidate: { evaluation: { choice: 'skill' } } });
    const name = item.candidate.name;
    const draft = readFileSync(join(ws.root, 'skills', name, 'SKILL.md'), 'utf8');
    expect(draft).toContain('exceeds maximum allowed size');
    await approveSkill(ws, name);
    expect(readFileSync(join(ws.project, '.claude', 'skills', name, 'SKILL.md'), 'utf8')).toBe(draft);
    const view = (await inventory(ws)).find((v) => v.name === name)!;
    expect(view).toMatchObject({ status: 'active', record: { fingerprints: [big.fingerprint] } });
    expect((await ws.store.read('incidents')).records.find((i) => i.id === big.id)).toMatchObject({ status: 'skilled', skills: [name] });
  });

  it('takes real fixture incidents and a repeated sequence to a deployed skill', async () => {
    const ws = await freshWorkspace();
    const imported = await importTranscripts(ws, 'test/fixtures/claude-code/transcripts');
    expect(imported.opened.length).toBeGreaterThan(0);
    await afterEvents(ws, { opened: imported.opened, sessions: imported.sessions });
    // The real incidents are rule-sized under the built-in analyst: evaluated, listed with why, not forged.
    let r = await forgeSkills(ws, { dryRun: true });
    const real = r.items.filter((i) => i.candidate.kind === 'incident');
    expect(real.length).toBeGreaterThan(0);
    for (const i of real) {
      expect(i.status).toBe('not-forged');
      expect(i.candidate.evaluation).toMatchObject({ choice: 'rule', why: expect.stringMatching(/rule/) });
    }

    // Three sessions run the same six calls: a workflow worth a skill.
    const events: IncomingEvent[] = ['s-one', 's-two', 's-three'].flatMap((s) =>
      journalOf(s, 1).map((l) => ({ id: `ev-${l.id}`, time: l.time, source: 'hook' as const, signal: 'hook' as const, kind: 'PostToolUse', session: s, tool: l.tool, target: l.target, ok: true })),
    );
    await applyInTransaction(ws, events, [], 'test');
    r = await forgeSkills(ws, { dryRun: true });
    const seq = r.items.find((i) => i.candidate.kind === 'sequence')!;
    expect(seq).toMatchObject({ status: 'candidate' });
    expect(existsSync(join(ws.root, 'skills', seq.candidate.name))).toBe(false);

    const headBefore = await ws.history.head();
    r = await forgeSkills(ws);
    const forged = r.items.filter((i) => i.status === 'forged');
    expect(forged.map((i) => i.candidate.name)).toEqual([seq.candidate.name]);
    expect(r.commit).not.toBeNull();
    expect(r.commit).not.toBe(headBefore);
    const name = seq.candidate.name;
    const draft = readFileSync(join(ws.root, 'skills', name, 'SKILL.md'), 'utf8');
    expect(draft).toBe(renderTemplate(seq.candidate));
    let views = await inventory(ws);
    expect(views.find((v) => v.name === name)).toMatchObject({ status: 'draft', tracked: true, valid: true, record: { reason: seq.candidate.evaluation.why } });

    // A second run does not write it again.
    const again = await forgeSkills(ws);
    expect(again.items.find((i) => i.candidate.name === name)!.status).toBe('exists');
    expect(again.commit).toBeNull();

    await approveSkill(ws, name);
    expect(readFileSync(join(ws.project, '.claude', 'skills', name, 'SKILL.md'), 'utf8')).toBe(draft);
    views = await inventory(ws);
    expect(views.find((v) => v.name === name)!.status).toBe('active');
  });

  it('a skill-gap incident is forged with its fingerprint; a failed external writer falls back to the template with the reason', async () => {
    const ws = await freshWorkspace();
    await ws.store.transact(async (tx) => {
      (await tx.doc('incidents')).records.push(incident({ decision: 'skill-gap', detail: 'skill gap: handle Bash failures (recurring failure with no known cause)' }));
      tx.touch('incidents');
    });
    const r = await forgeSkills(ws, { writer: 'echo this is not json' });
    const [item] = r.items;
    expect(item).toMatchObject({ status: 'forged', generator: 'template', fallback: expect.stringContaining('printed no usable JSON') });
    const name = item!.candidate.name;
    expect(readFileSync(join(ws.root, 'skills', name, 'SKILL.md'), 'utf8')).toBe(renderTemplate(item!.candidate));
    const rec = (await ws.store.read('skills')).records.find((x) => x.id === name)!;
    expect(rec).toMatchObject({ status: 'draft', fingerprints: ['fp-1'] });
    const ledger = (await ws.store.read('ledger')).records;
    expect(ledger.at(-1)).toMatchObject({ kind: 'skill-writer', ok: false, subject: name });

    const c = await approveSkill(ws, name);
    expect(c.record.status).toBe('active');
    expect((await ws.store.read('incidents')).records[0]).toMatchObject({ status: 'skilled', skills: [name] });
  });

  it('uses a working external writer; a writer that names another skill falls back to the template', async () => {
    const dir = scratch();
    const writer = join(dir, 'writer.mjs');
    writeFileSync(
      writer,
      `let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{const name=/"name": "([^"]+)"/.exec(s)[1];` +
        `console.log(JSON.stringify({name,description:'Use when the lockfile is stale.',body:'# Lockfile\\n\\nRun pnpm install without --frozen-lockfile, commit the lockfile.'}))});`,
    );
    const ws = await freshWorkspace();
    await ws.store.transact(async (tx) => {
      (await tx.doc('incidents')).records.push(incident({ decision: 'skill-gap', detail: 'skill gap: lockfile' }));
      tx.touch('incidents');
    });
    const r = await forgeSkills(ws, { writer: `node ${JSON.stringify(writer)}` });
    expect(r.items[0]).toMatchObject({ status: 'forged', generator: 'writer' });
    expect(readFileSync(join(ws.root, 'skills', r.items[0]!.candidate.name, 'SKILL.md'), 'utf8')).toContain('Run pnpm install without --frozen-lockfile');

    const ws2 = await freshWorkspace();
    await ws2.store.transact(async (tx) => {
      (await tx.doc('incidents')).records.push(incident({ decision: 'skill-gap', detail: 'skill gap: lockfile' }));
      tx.touch('incidents');
    });
    const wrong = join(dir, 'wrong.mjs');
    writeFileSync(wrong, `process.stdin.resume();process.stdin.on('end',()=>console.log(JSON.stringify({name:'Other Name',description:'d',body:'b'})));`);
    const r2 = await forgeSkills(ws2, { writer: `node ${JSON.stringify(wrong)}` });
    expect(r2.items[0]).toMatchObject({ status: 'forged', generator: 'template', fallback: expect.stringContaining('named the skill "Other Name"') });
  });

  it('never overwrites an existing skill of the same name; --dry-run writes nothing', async () => {
    const ws = await freshWorkspace();
    await ws.store.transact(async (tx) => {
      (await tx.doc('incidents')).records.push(incident({ decision: 'skill-gap', detail: 'skill gap: handle Bash failures' }));
      tx.touch('incidents');
    });
    const [c] = skillCandidates((await ws.store.read('incidents')).records, []);
    writeTree(join(ws.root, 'skills'), { [`${c!.name}/SKILL.md`]: skillMd(c!.name) });
    const r = await forgeSkills(ws);
    expect(r.items[0]).toMatchObject({ status: 'exists' });
    expect(r.commit).toBeNull();
    expect(readFileSync(join(ws.root, 'skills', c!.name, 'SKILL.md'), 'utf8')).toBe(skillMd(c!.name));
    expect((await ws.store.read('skills')).records.find((x) => x.id === c!.name)).toBeUndefined();
  });

  it('nevo-tui skills forge --dry-run --json and the text output', async () => {
    const ws = await freshWorkspace();
    await ws.store.transact(async (tx) => {
      (await tx.doc('incidents')).records.push(incident({ decision: 'skill-gap', detail: 'skill gap: handle Bash failures' }));
      tx.touch('incidents');
    });
    let out = cli(['skills', 'forge', '--dry-run', '--json'], { cwd: ws.project });
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    const data = JSON.parse(out.stdout) as { dryRun: boolean; items: { status: string; candidate: { name: string } }[] };
    expect(data).toMatchObject({ dryRun: true, items: [{ status: 'candidate' }] });
    const name = data.items[0]!.candidate.name;
    expect(existsSync(join(ws.root, 'skills', name))).toBe(false);
    out = cli(['skills', 'forge'], { cwd: ws.project });
    expect(out.code).toBe(0);
    expect(out.stdout).toContain(`✓ forged ${name} (template) → skills/${name}/SKILL.md`);
    expect(out.stdout).toMatch(/1 draft\(s\) written \(commit [0-9a-f]{7}\)/);
    expect(cli(['log', '-n', '1'], { cwd: ws.project }).stdout).toContain('skills: forge 1 draft(s)');
  });
});
