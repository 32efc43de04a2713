import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runExternalAnalyst } from '../../src/analyze/external.js';
import { extractJson } from '../../src/external/answer.js';
import { budgetLeft } from '../../src/external/call.js';
import { buildPrompt, loadAnalystSkill } from '../../src/analyze/prompt.js';
import { analysisSchema, type Analysis, type AnalystContext } from '../../src/analyze/schema.js';
import { UserError } from '../../src/errors.js';
import type { LedgerEntry } from '../../src/store/schemas.js';
import { packageRoot } from '../../src/util/package-root.js';
import { openWorkspace } from '../../src/workspace/workspace.js';
import { SAMPLE } from '../fixtures/secrets.js';
import { docText, freshWorkspace, scratch } from '../helpers/workspace.js';

const ANALYSIS: Analysis = {
  what: 'Bash `npm test` failed with Cannot find module dist/bin.cjs in 4 sessions.',
  why: 'The tests load the built bundle and the agent runs them without building first.',
  seenBefore: true,
  decision: {
    action: 'propose',
    rule: {
      title: 'Build before running the tests',
      body: 'Run `npm run build` before `npm test`: the tests load dist/bin.cjs, not the sources.',
      scope: 'project',
      trigger: 'before running npm test',
      enforcement: 'run npm run build first',
      verification: 'no test run fails with Cannot find module dist/',
    },
  },
};

const CTX: AnalystContext = {
  incident: {
    id: '2026-11-21-a1b2',
    fingerprint: 'a1b2c3d4e5f60718',
    signature: 'Error: Cannot find module <path>/dist/bin.cjs',
    category: 'missing-file',
    signal: 'hook',
    tool: 'Bash',
    sample: { error: 'Error: Cannot find module /repo/dist/bin.cjs', target: 'npm test', session: 's1', event: 'e1', time: '2026-11-21T10:00:00.000Z' },
    count: 4,
    sessions: ['s1', 's2', 's3'],
    firstSeen: '2026-11-20T09:00:00.000Z',
    lastSeen: '2026-11-21T10:00:00.000Z',
    recurring: true,
    status: 'new',
    rules: [],
    skills: [],
    reopened: 0,
    daily: { '2026-11-20': 1, '2026-11-21': 3 },
  },
  rules: [{ id: 'PROJ-007', title: 'Re-read a file before editing it again', status: 'active', body: 'Read the file again before a second Edit.', trigger: 'before a second Edit of a file' }],
  recentEvents: [{ time: '2026-11-21T10:00:00.000Z', session: 's1', target: 'npm test', error: 'Error: Cannot find module /repo/dist/bin.cjs' }],
};

const sh = (s: string) => JSON.stringify(s);

/**
 * A fake analyst: a node script that saves its stdin to `<dir>/stdin-<n>.txt`, then does what
 * `body` says (print, sleep, exit). Returns the command line that runs it.
 */
function fake(dir: string, name: string, body: string): string {
  const file = join(dir, `${name}.mjs`);
  writeFileSync(
    file,
    `import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
const chunks = [];
for await (const c of process.stdin) chunks.push(c);
const n = readdirSync(${sh(dir)}).filter((f) => f.startsWith('stdin-')).length;
writeFileSync(join(${sh(dir)}, 'stdin-' + n + '.txt'), Buffer.concat(chunks));
${body}
`,
  );
  return `node ${sh(file)}`;
}

const print = (text: string) => `process.stdout.write(${sh(text)});`;

function received(dir: string): string[] {
  const out: string[] = [];
  for (let n = 0; existsSync(join(dir, `stdin-${n}.txt`)); n++) out.push(readFileSync(join(dir, `stdin-${n}.txt`), 'utf8'));
  return out;
}

async function ledger(ws: { store: { read: (n: 'ledger') => Promise<{ records: LedgerEntry[] }> } }): Promise<LedgerEntry[]> {
  return (await ws.store.read('ledger')).records;
}

describe('external analyst', () => {
  it('pipes the prompt, returns the analysis and records the call with estimated tokens', async () => {
    const ws = await freshWorkspace();
    const dir = scratch();
    const command = fake(dir, 'bare', print(JSON.stringify(ANALYSIS)));

    const r = await runExternalAnalyst(ws, CTX, { command });
    expect(r.analysis).toEqual(ANALYSIS);

    const [prompt] = received(dir);
    expect(prompt).toContain('# nevo analyst');
    expect(prompt).not.toMatch(/^---/);
    expect(prompt).toContain('"id": "2026-11-21-a1b2"');
    expect(prompt).toContain('Error: Cannot find module <path>/dist/bin.cjs');
    expect(prompt).toContain('"id": "PROJ-007"');
    expect(prompt).toContain('Re-read a file before editing it again');

    const entries = await ledger(ws);
    expect(entries).toHaveLength(1);
    const e = entries[0]!;
    expect(e).toEqual(r.ledger);
    const bytesIn = Buffer.byteLength(prompt!);
    const bytesOut = Buffer.byteLength(JSON.stringify(ANALYSIS));
    expect(e).toMatchObject({ kind: 'analyst', command, ok: true, subject: '2026-11-21-a1b2', bytesIn, bytesOut, tokensIn: Math.ceil(bytesIn / 4), tokensOut: Math.ceil(bytesOut / 4) });
    expect(e.error).toBeUndefined();
    expect(e.ms).toBeGreaterThan(0);

    // Only the ledger is written: the caller stores the analysis.
    expect((await ws.store.read('incidents')).records).toEqual([]);
    expect((await ws.store.read('events')).records).toEqual([]);
  });

  it('reads the claude envelope, its fenced result and its token usage', async () => {
    const ws = await freshWorkspace();
    const dir = scratch();
    const envelope = {
      type: 'result',
      subtype: 'success',
      is_error: false,
      result: `Here is my analysis.\n\n\`\`\`json\n${JSON.stringify(ANALYSIS, null, 2)}\n\`\`\`\n`,
      usage: { input_tokens: 1234, output_tokens: 56 },
    };
    const r = await runExternalAnalyst(ws, CTX, { command: fake(dir, 'claude', print(JSON.stringify(envelope))) });
    expect(r.analysis).toEqual(ANALYSIS);
    expect(r.ledger).toMatchObject({ ok: true, tokensIn: 1234, tokensOut: 56 });
    expect(await ledger(ws)).toEqual([r.ledger]);
  });

  it('stops a command that runs past the time-out and records the failure', async () => {
    const ws = await freshWorkspace();
    const dir = scratch();
    const command = fake(dir, 'slow', 'await new Promise((r) => setTimeout(r, 30000));');
    const started = Date.now();
    await expect(runExternalAnalyst(ws, CTX, { command, timeoutMs: 1000 })).rejects.toThrow(/the analyst command `node .*slow\.mjs"?` timed out after 1000 ms and was stopped; raise analyst\.timeoutMs/);
    expect(Date.now() - started).toBeLessThan(10_000);
    const [e] = await ledger(ws);
    expect(e).toMatchObject({ kind: 'analyst', command, ok: false, subject: CTX.incident.id });
    expect(e!.error).toMatch(/timed out after 1000 ms/);
    expect(e!.ms).toBeGreaterThanOrEqual(900);
  });

  it('names the exit code and the last lines of stderr of a failing command', async () => {
    const ws = await freshWorkspace();
    const dir = scratch();
    const body = `for (let i = 1; i <= 20; i++) process.stderr.write('line ' + i + '\\n'); process.stderr.write('Error: not logged in\\n'); process.exit(3);`;
    const err = await runExternalAnalyst(ws, CTX, { command: fake(dir, 'exit3', body) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    const message = (err as Error).message;
    expect(message).toMatch(/`node .*exit3\.mjs"?` exited with code 3; the end of its stderr:\n/);
    expect(message).toContain('line 20\nError: not logged in');
    expect(message).not.toContain('line 1\n');
    const [e] = await ledger(ws);
    expect(e).toMatchObject({ ok: false, bytesOut: 0 });
    expect(e!.error).toMatch(/exited with code 3/);
  });

  it('keeps keys a failing command prints on stderr out of the error and the ledger', async () => {
    const ws = await freshWorkspace();
    const body = `process.stderr.write('auth failed for ANTHROPIC_API_KEY=${SAMPLE.anthropicKey}\\nuse token ${SAMPLE.ghp}\\n'); process.exit(1);`;
    const err = await runExternalAnalyst(ws, CTX, { command: fake(scratch(), 'leaky', body) }).catch((e: unknown) => e);
    const message = (err as Error).message;
    expect(message).toMatch(/exited with code 1; the end of its stderr:\nauth failed for ANTHROPIC_API_KEY=/);
    const onDisk = docText(ws.root, 'ledger');
    for (const secret of [SAMPLE.anthropicKey, SAMPLE.ghp]) {
      expect(message).not.toContain(secret);
      expect(onDisk).not.toContain(secret);
    }
  });

  it('refuses output that is not JSON, and JSON that is not an analysis, naming the fields', async () => {
    const ws = await freshWorkspace();
    const dir = scratch();
    await expect(runExternalAnalyst(ws, CTX, { command: fake(dir, 'prose', print('I think the agent should build first. {oops')) })).rejects.toThrow(
      /the analyst command `node .*prose\.mjs"?` printed no usable JSON: the output is not JSON .*Its output began: I think the agent/,
    );

    const bad = { ...ANALYSIS, seenBefore: 'yes', decision: { action: 'propose', rule: { ...(ANALYSIS.decision as { rule: object }).rule, body: 'short', colour: 'red' } } };
    const err = await runExternalAnalyst(ws, CTX, { command: fake(dir, 'schema', print(JSON.stringify(bad))) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    const message = (err as Error).message;
    expect(message).toMatch(/`node .*schema\.mjs"?` answered JSON that is not a valid analysis:/);
    expect(message).toContain('seenBefore is "yes"; expected a value of type boolean');
    expect(message).toContain('decision.rule.body is "short"; expected text of at least 10 characters');
    expect(message).toContain('decision.rule: unknown field "colour"');

    const entries = await ledger(ws);
    expect(entries.map((e) => e.ok)).toEqual([false, false]);
    expect(entries[0]!.error).toMatch(/no usable JSON/);
    expect(entries[1]!.error).toMatch(/decision\.rule\.body/);
    expect(entries.every((e) => e.tokensOut! > 0 && e.tokensIn! > 0)).toBe(true);
  });

  it('refuses without spawning once the daily calls are spent', async () => {
    const first = await freshWorkspace();
    const configFile = join(first.root, 'config.json');
    const config = JSON.parse(readFileSync(configFile, 'utf8'));
    config.analyst.dailyBudget = { calls: 2, tokens: 1_000_000 };
    config.timeZone = 'Europe/Paris';
    writeFileSync(configFile, JSON.stringify(config, null, 2));
    const ws = openWorkspace(first.root);
    const dir = scratch();
    const ok = fake(dir, 'ok', print(JSON.stringify(ANALYSIS)));
    const failing = fake(dir, 'fail', 'process.exit(1);');

    await runExternalAnalyst(ws, CTX, { command: ok });
    await expect(runExternalAnalyst(ws, CTX, { command: failing })).rejects.toThrow(/exited with code 1 and printed nothing on stderr/);
    await expect(runExternalAnalyst(ws, CTX, { command: ok })).rejects.toThrow(
      /^the analyst's daily budget is spent: 2 of 2 calls, \d+ of 1000000 tokens; it resets at midnight \(Europe\/Paris\); raise analyst\.dailyBudget in config\.json$/,
    );
    expect(received(dir)).toHaveLength(2);
    expect(await ledger(ws)).toHaveLength(2);
  });

  it('refuses once the daily tokens are spent', async () => {
    const first = await freshWorkspace();
    const configFile = join(first.root, 'config.json');
    const config = JSON.parse(readFileSync(configFile, 'utf8'));
    config.analyst.dailyBudget = { calls: 50, tokens: 100 };
    writeFileSync(configFile, JSON.stringify(config, null, 2));
    const ws = openWorkspace(first.root);
    const dir = scratch();
    const ok = fake(dir, 'ok', print(JSON.stringify(ANALYSIS)));

    await runExternalAnalyst(ws, CTX, { command: ok });
    await expect(runExternalAnalyst(ws, CTX, { command: ok })).rejects.toThrow(/daily budget is spent: 1 of 50 calls, \d+ of 100 tokens/);
    expect(received(dir)).toHaveLength(1);
  });

  it('asks for a command when none is configured', async () => {
    const ws = await freshWorkspace();
    await expect(runExternalAnalyst(ws, CTX)).rejects.toThrow(/no external analyst is configured: set analyst\.command in config\.json/);
    expect(await ledger(ws)).toEqual([]);
  });
});

describe('budgetLeft', () => {
  const entry = (time: string, tokensIn?: number, tokensOut?: number): LedgerEntry => ({ id: time, time, kind: 'analyst', command: 'x', ms: 1, bytesIn: 400, bytesOut: 40, tokensIn, tokensOut, ok: true });

  it('counts the calls and tokens of the day in the time zone, estimating missing tokens', () => {
    const entries = [entry('2026-11-21T10:00:00.000Z', 100, 20), entry('2026-11-21T23:30:00.000Z'), entry('2026-11-20T12:00:00.000Z', 5000, 5000)];
    // 23:30 UTC is already the 22nd in Paris.
    expect(budgetLeft(entries, '2026-11-21', { calls: 5, tokens: 1000 }, 'UTC')).toEqual({ calls: 3, tokens: 1000 - 120 - 110, spent: false });
    expect(budgetLeft(entries, '2026-11-21', { calls: 5, tokens: 1000 }, 'Europe/Paris')).toEqual({ calls: 4, tokens: 880, spent: false });
    expect(budgetLeft(entries, '2026-11-21', { calls: 2, tokens: 1000 }, 'UTC')).toEqual({ calls: 0, tokens: 770, spent: true });
    expect(budgetLeft(entries, '2026-11-20', { calls: 5, tokens: 1000 }, 'UTC')).toEqual({ calls: 4, tokens: 0, spent: true });
  });
});

describe('extractJson', () => {
  it('accepts a bare object, the claude envelope and one fenced block', () => {
    expect(extractJson(`  ${JSON.stringify(ANALYSIS)}\n`)).toEqual(ANALYSIS);
    const envelope = { type: 'result', is_error: false, result: `\`\`\`json\n${JSON.stringify(ANALYSIS)}\n\`\`\``, usage: { input_tokens: 1, output_tokens: 2 } };
    expect(extractJson(JSON.stringify(envelope))).toEqual(ANALYSIS);
    expect(extractJson(JSON.stringify({ ...envelope, result: JSON.stringify(ANALYSIS) }))).toEqual(ANALYSIS);
    expect(extractJson(`The analysis:\n\n\`\`\`json\n${JSON.stringify(ANALYSIS, null, 2)}\n\`\`\`\nDone.`)).toEqual(ANALYSIS);
  });

  it('throws a clear error otherwise', () => {
    expect(() => extractJson('')).toThrow(/the output is empty/);
    expect(() => extractJson('no json here')).toThrow(/the output is not JSON .* and holds no fenced JSON block/);
    expect(() => extractJson('[1, 2]')).toThrow(/JSON but not an object \(an array\)/);
    expect(() => extractJson('```json\n{"a": 1}\n```\n```json\n{"b": 2}\n```')).toThrow(/2 fenced JSON blocks; expected exactly one/);
    expect(() => extractJson('```json\n{"a": \n```')).toThrow(/fenced block that is not a JSON object/);
    expect(() => extractJson(JSON.stringify({ type: 'result', is_error: true, subtype: 'error_max_turns', result: 'ran out of turns' }))).toThrow(/error result \(error_max_turns\): ran out of turns/);
    expect(() => extractJson(JSON.stringify({ type: 'result', result: 'Sorry, I cannot help.' }))).toThrow(/the result text is not JSON/);
  });
});

describe('analyst prompt', () => {
  it('is the skill without front matter, then the context as JSON', () => {
    const skill = readFileSync(join(packageRoot(), 'skills', 'nevo-analyst', 'SKILL.md'), 'utf8');
    expect(skill).toMatch(/^---\nname: nevo-analyst\ndescription: [^<>\n]+\nlicense: MIT\n---\n/);
    const prompt = buildPrompt(skill, CTX);
    expect(prompt.startsWith('# nevo analyst')).toBe(true);
    const block = /\n# The incident, the rules and the recent events\n\n```json\n([^`]*)\n```\n$/.exec(prompt);
    expect(JSON.parse(block![1]!)).toEqual(CTX);
  });

  it('gives one valid example per action', () => {
    const skill = readFileSync(join(packageRoot(), 'skills', 'nevo-analyst', 'SKILL.md'), 'utf8');
    const examples = [...skill.matchAll(/```json\n([^`]*(?:`[^`]+`[^`]*)*)```/g)].map((m) => analysisSchema.parse(JSON.parse(m[1]!)));
    expect(examples.map((a) => a.decision.action)).toEqual(['propose', 'link', 'skill-gap', 'dismiss']);
  });

  it('prefers the workspace copy of the skill over the package one', () => {
    const root = scratch();
    expect(loadAnalystSkill(root, packageRoot())).toContain('name: nevo-analyst');
    mkdirSync(join(root, 'skills', 'nevo-analyst'), { recursive: true });
    writeFileSync(join(root, 'skills', 'nevo-analyst', 'SKILL.md'), '---\nname: nevo-analyst\n---\nCustom instructions.\n');
    expect(buildPrompt(loadAnalystSkill(root, packageRoot()), CTX).startsWith('Custom instructions.\n')).toBe(true);
    expect(() => loadAnalystSkill(scratch(), scratch())).toThrow(UserError);
  });
});
