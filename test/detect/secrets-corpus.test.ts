// The secrets corpus (test/fixtures/secrets/formats.json: 227 real formats, each in the places an
// agent's calls show them) goes in at every way in, then every file of the workspace and the
// project, every git object (inflated) and what `memory search --json` hands the agent are read
// for any piece of any value. The benign list must come out as it went in.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runExternal } from '../../src/external/call.js';
import { analyzeMany } from '../../src/analyze/analyze.js';
import { redactString } from '../../src/redact/redact.js';
import { dismissIncident } from '../../src/detect/dismiss.js';
import { importTranscripts } from '../../src/detect/import.js';
import { ingestTriggers } from '../../src/detect/ingest.js';
import { recordReports } from '../../src/detect/report.js';
import { runGate } from '../../src/gate/run.js';
import { handleInput } from '../../src/hook.js';
import { addFact } from '../../src/memory/add.js';
import { rememberSessions } from '../../src/memory/remember.js';
import { searchWorkspaceMemory } from '../../src/memory/search.js';
import { loadRules } from '../../src/rules/load.js';
import { approveRule, editRule } from '../../src/rules/review.js';
import { openWorkspace } from '../../src/workspace/workspace.js';
import { freshWorkspace, scratch } from '../helpers/workspace.js';

interface Format {
  id: string;
  service: string;
  value: string;
  contexts: string[];
}
const corpus = JSON.parse(readFileSync('test/fixtures/secrets/formats.json', 'utf8')) as { formats: Format[]; benign: { text: string; why: string }[] };

/**
 * Secrets only their place in code or output says are secrets, with no format of their own: a
 * bare 32-hex string as a constructor's second argument (Twilio, Algolia), a CLI's positional
 * key pair (Confluent), a base64 value kubectl decoded. Nothing in the text tells them from a
 * hash; these are the known misses.
 */
const KNOWN_MISSES = new Set(['twilio-auth-token', 'algolia-admin-api-key', 'confluent-api-secret', 'kubernetes-secret-data']);

const fill = (f: Format, context: string) => context.split('<VALUE>').join(f.value);
/** Pieces of the random end of a value: prefixes (`sk_live_`, `https://hooks.slack.com/`) are public. */
function pieces(value: string): string[] {
  const w = Math.min(16, Math.max(6, value.length - 8));
  const out: string[] = [];
  for (let i = Math.max(0, Math.floor(value.length * 0.6) - w); i + w <= value.length; i += Math.max(1, Math.floor(w / 2))) out.push(value.slice(i, i + w));
  return out;
}

/** Every file under `root` as text, with git's loose objects inflated. */
function filesUnder(root: string): { path: string; text: string }[] {
  const out: { path: string; text: string }[] = [];
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const abs = join(dir, e.name);
      if (e.isDirectory()) walk(abs);
      else if (e.isFile()) {
        const bytes = readFileSync(abs);
        const inObjects = /[\\/]\.git[\\/]objects[\\/][0-9a-f]{2}[\\/]/.test(abs);
        out.push({ path: abs, text: (inObjects ? inflateSync(bytes) : bytes).toString('latin1') });
      }
    }
  };
  walk(root);
  return out;
}

describe('the secrets corpus', () => {
  it('has more than 100 formats and a false-positive list', () => {
    expect(corpus.formats.length).toBeGreaterThanOrEqual(100);
    expect(new Set(corpus.formats.map((f) => f.id)).size).toBe(corpus.formats.length);
    expect(corpus.benign.length).toBeGreaterThanOrEqual(40);
  });

  it('keeps every benign text readable: SHAs, UUIDs, integrity hashes, placeholders, public keys', () => {
    const changed = corpus.benign.filter((b) => redactString(b.text) !== b.text).map((b) => `${b.why}: ${redactString(b.text)}`);
    expect(changed).toEqual([]);
  });

  it('redacts every format in every context, and redacting twice changes nothing', () => {
    const leaks: string[] = [];
    for (const f of corpus.formats) {
      for (const c of f.contexts) {
        const out = redactString(fill(f, c));
        if (!KNOWN_MISSES.has(f.id) && pieces(f.value).some((p) => out.includes(p))) leaks.push(`${f.id}: ${out.slice(0, 120)}`);
        expect(redactString(out)).toBe(out);
      }
    }
    expect(leaks).toEqual([]);
  });

  it('leaves no piece of any format in any file, git object or memory search answer, whichever way it came in', { timeout: 240_000 }, async () => {
      const base = await freshWorkspace();
      const bin = scratch('nevo-secrets-bin-');
      const formats = corpus.formats;
      const all = formats.map((f) => f.contexts.map((c) => fill(f, c)).join('\n'));
      // Gate and summarizer commands print planted text; their config goes in before the workspace is opened.
      const leakFile = join(bin, 'gate-output.txt');
      writeFileSync(leakFile, all.join('\n'));
      const narrative = join(bin, 'narrative.json');
      writeFileSync(narrative, JSON.stringify({ title: 'Session with keys', narrative: `## Intent\n${all.slice(0, 20).join('\n').slice(0, 7000)}`, summary: all[0]!.slice(0, 200) }));
      const config = JSON.parse(readFileSync(join(base.root, 'config.json'), 'utf8'));
      config.gate = { stages: [{ name: 'leaky', command: `cat ${JSON.stringify(leakFile)}; exit 1` }], maxIterations: 1, refine: '' };
      config.memory = { ...config.memory, summarizer: `cat ${JSON.stringify(narrative)}` };
      writeFileSync(join(base.root, 'config.json'), JSON.stringify(config, null, 2));
      const ws = { ...openWorkspace(base.root), project: base.project };

      // 1. The hook: the command, the error, the output and the prompt of every format.
      formats.forEach((f, i) => {
        const text = all[i]!;
        const env = { CLAUDE_PROJECT_DIR: ws.project };
        const common = { session_id: `s-${i % 7}`, cwd: ws.project, transcript_path: '/t.jsonl' };
        for (const payload of [
          { ...common, hook_event_name: 'PostToolUseFailure', tool_name: 'Bash', tool_input: { command: text }, error: `Exit code 1\n${text}`, tool_use_id: `t${i}` },
          { ...common, hook_event_name: 'PostToolUse', tool_name: 'Bash', tool_input: { command: 'env' }, tool_response: { stdout: text, stderr: '' }, tool_use_id: `u${i}` },
          { ...common, hook_event_name: 'UserPromptSubmit', prompt: `Always keep ${text}` },
        ]) {
          const raw = JSON.stringify(payload);
          handleInput({ head: Buffer.from(raw), bytes: raw.length, timedOut: false }, env);
        }
        expect(f.id).toBeTruthy();
      });
      await ingestTriggers(ws);

      // 2. report and gate output.
      await recordReports(ws, formats.map((f, i) => ({ signal: 'task' as const, error: all[i]!, name: `task-${f.id}` })).slice(0, 60));
      await recordReports(ws, formats.map((_, i) => ({ signal: 'quality' as const, error: all[i]! })).slice(60));
      await runGate(ws);

      // 3. import: a transcript with the secrets in calls, results and the typed prompt.
      const transcript = join(bin, 'session.jsonl');
      const lines: string[] = [];
      formats.forEach((f, i) => {
        const t = `2026-12-01T10:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.000Z`;
        lines.push(JSON.stringify({ type: 'user', sessionId: 'imported', timestamp: t, uuid: `p${i}`, cwd: ws.project, message: { role: 'user', content: [{ type: 'text', text: `Use ${all[i]}` }] } }));
        lines.push(JSON.stringify({ type: 'assistant', sessionId: 'imported', timestamp: t, uuid: `a${i}`, cwd: ws.project, message: { role: 'assistant', content: [{ type: 'tool_use', id: `tu${i}`, name: 'Bash', input: { command: all[i] } }] } }));
        lines.push(JSON.stringify({ type: 'user', sessionId: 'imported', timestamp: t, uuid: `r${i}`, cwd: ws.project, message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: `tu${i}`, is_error: true, content: `Exit code 1\n${all[i]}` }] }, toolUseResult: `Error: ${all[i]}` }));
      });
      writeFileSync(transcript, `${lines.join('\n')}\n`);
      await importTranscripts(ws, transcript);

      // 4. The analyst, a rule edit, an approval (the rule reaches .claude/rules/nevo/), a dismissal.
      // A few are analyzed (each analysis is a commit of its own): their proposals carry the samples.
      const some = (await ws.store.read('incidents')).records.slice(0, 8).map((i) => i.id);
      await analyzeMany(ws, some, { builtin: true });
      const proposed = loadRules(ws.root).rules.find((r) => r.status === 'proposed');
      expect(proposed).toBeDefined();
      await editRule(ws, proposed!.id, { body: `Never paste keys into commands: ${all[0]!.slice(0, 300)}` });
      await approveRule(ws, proposed!.id);
      const open = (await ws.store.read('incidents')).records.find((i) => i.status === 'new' || i.status === 'analyzed');
      if (open) await dismissIncident(ws, open.id, `noise, the key was ${all[1]!.slice(0, 200)}`);

      // 5. memory add (one fact per format), the narratives (one session by the external summarizer).
      // A commit each: a sample of formats, the first context of each.
      for (const [i, f] of formats.filter((_, k) => k % 20 === 0).entries()) await addFact(ws, `${f.service} uses ${fill(f, f.contexts[0]!).slice(0, 400)}`, i % 2 ? 'config' : 'project');
      await rememberSessions(ws, ['s-0'], { external: true, force: true });
      await rememberSessions(ws, ['s-1', 's-2', 's-3', 's-4', 's-5', 's-6', 'imported'], { force: true });
      const search = JSON.stringify(await searchWorkspaceMemory(ws, 'key token secret', { limit: 500 }));

      // An external command's answer is redacted before anything reads it, whatever it holds.
      const answer = join(bin, 'answer.json');
      writeFileSync(answer, JSON.stringify({ values: all }));
      const seen = await runExternal(ws, { kind: 'analyst', command: `cat ${JSON.stringify(answer)}`, timeoutMs: 60_000, prompt: '', subject: 'corpus', check: (v) => ({ ok: true, value: JSON.stringify(v) }) });

      const files = [...filesUnder(ws.root), ...filesUnder(join(ws.project, '.claude')), { path: 'memory search --json', text: search }, { path: 'external answer', text: seen.value }];
      expect(existsSync(join(ws.root, '.git', 'objects', 'pack')) ? readdirSync(join(ws.root, '.git', 'objects', 'pack')).filter((f) => f.endsWith('.pack')) : []).toEqual([]);
      expect(files.some((f) => f.path.includes(`${join('.claude', 'rules', 'nevo')}`))).toBe(true);
      // One pass per file: every piece of every value in one regex.
      const owner = new Map<string, string>();
      for (const f of formats) if (!KNOWN_MISSES.has(f.id)) for (const p of pieces(f.value)) owner.set(p, f.id);
      const any = new RegExp([...owner.keys()].map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
      const leaks = new Map<string, string>();
      for (const file of files) {
        for (const m of file.text.matchAll(any)) {
          const id = owner.get(m[0])!;
          if (!leaks.has(id)) leaks.set(id, `${id} in ${file.path.replace(ws.root, '<workspace>').replace(ws.project, '<project>')}: …${file.text.slice(Math.max(0, m.index - 80), m.index + 40).replace(/[^\x20-\x7e]/g, '.')}…`);
        }
      }
      expect([...leaks.values()]).toEqual([]);
      // What went in is there, redacted: the journal, the store, the triggers' replacement, the git objects.
      expect(files.filter((f) => f.text.includes('[REDACTED:')).length).toBeGreaterThan(10);
      expect(statSync(join(ws.root, 'journal')).isDirectory()).toBe(true);
      mkdirSync(join(bin, 'done'), { recursive: true });
  });
});

/**
 * The held-out formats (test/fixtures/secrets/formats-holdout.json, 175 formats, 48 benign texts),
 * collected after the redactor was tuned and first measured untouched: 158 of 175 formats clean
 * in all 292 places, 3 of 48 benign texts changed. The misses below are what is still left: secrets
 * only their place marks (a positional second argument, a CLI's key pair), and formats not yet
 * covered. Anything not listed must come out clean, so a regression fails here.
 */
const HOLDOUT = JSON.parse(readFileSync('test/fixtures/secrets/formats-holdout.json', 'utf8')) as { formats: Format[]; benign: { text: string; why: string }[] };
const HOLDOUT_MISSES = new Set(['twilio-auth-token', 'twilio-api-key-secret', 'razorpay-key-secret', 'mollie-live-api-key', 'pagerduty-routing-key', '1password-service-account-token', 'algolia-admin-api-key', 'confluent-cloud-api-secret', 'rails-master-key', 'backblaze-b2-application-key', 'freshdesk-api-key']);
/** Changed although benign: jwt.io's public sample token, and two texts whose `password`/`keyring` read as credentials. */
const HOLDOUT_BENIGN_CHANGED = 3;

describe('the held-out secrets formats', () => {
  it('leaves no piece of any format not listed as a known miss, in any of its places', () => {
    const leaks: string[] = [];
    for (const f of HOLDOUT.formats) {
      if (HOLDOUT_MISSES.has(f.id)) continue;
      for (const ctx of f.contexts) {
        const out = redactString(fill(f, ctx));
        if (pieces(f.value).some((p) => out.includes(p))) leaks.push(`${f.id}: ${out.slice(0, 120)}`);
      }
    }
    expect(leaks).toEqual([]);
    expect(HOLDOUT.formats.length - HOLDOUT_MISSES.size).toBeGreaterThanOrEqual(164);
  });
  it(`changes no more than ${HOLDOUT_BENIGN_CHANGED} of the benign texts`, () => {
    expect(HOLDOUT.benign.filter((b) => redactString(b.text) !== b.text).length).toBeLessThanOrEqual(HOLDOUT_BENIGN_CHANGED);
  });
});

