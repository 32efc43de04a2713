// Runs the real Claude Code CLI (pinned, installed by scripts/claude-code.mjs into
// node_modules/.cache/claude-code/) headless against the mock Messages API, in a scratch project
// with a scratch HOME, so nothing of this machine's own Claude Code set-up is read or written and
// nothing reaches the network. No test framework in here: the benches use it too
// (test/helpers/real-client.ts adds the vitest set-up).
import { docFiles, isDocName } from '../../src/store/documents.js';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { CLI, REPO } from './scripts.js';
import type { MockMessages } from './mock-messages.js';
import { removeAfterTest } from './cleanup.js';

/** The pinned version, from the script that installs it. */
export const CLAUDE_CODE_VERSION = /CLAUDE_CODE_VERSION = '([^']+)'/.exec(readFileSync(join(REPO, 'scripts', 'claude-code.mjs'), 'utf8'))![1]!;

export type Availability = { ok: true; bin: string } | { ok: false; reason: string };

let cached: Availability | null = null;

/** npm's ways of saying the registry cannot be reached: the only reason these tests may skip. */
const OFFLINE = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|ERR_SOCKET_TIMEOUT|network|offline|ENOTCACHED/i;

/**
 * The installed CLI, installing it when missing. When it cannot be installed because the registry
 * is out of reach the tests skip and say why; any other failure is thrown, so a broken install is
 * never a silent skip. `NEVO_REAL_CLIENT=0` skips them on purpose.
 */
export function claudeCode(): Availability {
  if (cached) return cached;
  if (process.env.NEVO_REAL_CLIENT === '0') return (cached = { ok: false, reason: 'NEVO_REAL_CLIENT=0' });
  const r = spawnSync(process.execPath, [join(REPO, 'scripts', 'claude-code.mjs'), '--json'], { encoding: 'utf8', cwd: REPO });
  let parsed: { ok: boolean; bin?: string; reason?: string };
  try {
    parsed = JSON.parse(String(r.stdout).trim().split('\n').pop() ?? '');
  } catch {
    throw new Error(`scripts/claude-code.mjs failed (exit ${r.status}): ${r.stderr}`);
  }
  if (parsed.ok && parsed.bin) return (cached = { ok: true, bin: parsed.bin });
  const reason = parsed.reason ?? 'unknown';
  if (OFFLINE.test(reason) && process.env.NEVO_REAL_CLIENT !== '1') return (cached = { ok: false, reason: `Claude Code ${CLAUDE_CODE_VERSION} could not be installed (no registry?): ${reason}` });
  throw new Error(`The real-client tests need Claude Code ${CLAUDE_CODE_VERSION}: ${reason}`);
}

/** A vitest title suffix that says why the suite is skipped. */
export function skipNote(a: Availability): string {
  if (a.ok) return '';
  console.warn(`nevo-tui: the real-client tests are SKIPPED: ${a.reason}`);
  return ` (SKIPPED: ${a.reason})`;
}


export interface Scratch {
  /** The project folder Claude Code runs in (real path: Claude Code writes the resolved cwd). */
  project: string;
  /** Claude Code's HOME: settings, transcripts under .claude/projects/. */
  home: string;
  tmp: string;
}

/** A scratch project with a package.json (one script, `build`) and its own HOME. */
export function scratchProject(): Scratch {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'nevo-real-')));
  removeAfterTest(root);
  const s = { project: join(root, 'project'), home: join(root, 'home'), tmp: join(root, 'tmp') };
  for (const d of Object.values(s)) mkdirSync(d, { recursive: true });
  writeFileSync(join(s.project, 'package.json'), `${JSON.stringify({ name: 'scratch', version: '1.0.0', private: true, scripts: { build: 'echo built' } }, null, 2)}\n`);
  // Claude Code's first-run state, so it asks nothing.
  writeFileSync(join(s.home, '.claude.json'), `${JSON.stringify({ hasCompletedOnboarding: true, numStartups: 1, projects: { [s.project]: { hasTrustDialogAccepted: true } } })}\n`);
  return s;
}

/** Another folder for Claude Code to run in, next to the project (`../NAME`) or inside it (`sub`), with a package.json. */
export function folder(s: Scratch, rel: string): string {
  const dir = join(s.project, rel);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'folder', version: '1.0.0', private: true, scripts: {} }, null, 2)}\n`);
  return dir;
}

/** Runs the built `nevo-tui` in the scratch project, with the scratch HOME; throws on a non-zero exit unless allowed. */
export function nevo(s: Scratch, args: string[], opts: { allowFail?: boolean; env?: NodeJS.ProcessEnv } = {}): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: s.project, encoding: 'utf8', env: { ...sessionEnv(s, null), ...opts.env } });
  const out = { code: r.status ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
  if (out.code !== 0 && !opts.allowFail) throw new Error(`nevo-tui ${args.join(' ')} exited ${out.code}:\n${out.stderr}${out.stdout}`);
  return out;
}

/** `nevo-tui ... --json`, parsed. */
export function nevoJson<T = Record<string, any>>(s: Scratch, args: string[]): T {
  return JSON.parse(nevo(s, [...args, '--json']).stdout) as T;
}

/**
 * The project's own nevo-tui, as `npm install --save-dev nevo-tui` leaves it: the command `hooks
 * install --scope project` writes finds it there whatever PATH Claude Code has.
 */
export function linkNevo(s: Scratch): void {
  mkdirSync(join(s.project, 'node_modules', '.bin'), { recursive: true });
  symlinkSync(CLI, join(s.project, 'node_modules', '.bin', 'nevo-tui'));
}

/** `nevo-tui init` and the hooks in the project's .claude/settings.json. */
export function initProject(s: Scratch, opts: { capture?: 'call' | 'turn' } = {}): void {
  nevo(s, ['init']);
  linkNevo(s);
  if (opts.capture) {
    const file = join(s.project, '.nevo', 'config.json');
    writeFileSync(file, `${JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), hooks: { capture: opts.capture } }, null, 2)}\n`);
  }
  nevo(s, ['hooks', 'install', '--scope', 'project']);
}

/** The environment of a session of the real client, and of the nevo-tui a test runs beside it. */
export function sessionEnv(s: Scratch, mock: MockMessages | null): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  // Nothing of this machine's Claude Code or nevo set-up leaks in.
  for (const [k, v] of Object.entries(process.env)) if (!/^(ANTHROPIC_|CLAUDE|NEVO_|VITEST|XDG_|npm_)/i.test(k)) env[k] = v;
  // The pinned client is the `claude` on PATH: `hooks install` asks it its version.
  if (cached?.ok) env.PATH = [dirname(cached.bin), env.PATH].filter(Boolean).join(delimiter);
  return {
    ...env,
    HOME: s.home,
    USERPROFILE: s.home,
    NODE_ENV: 'production',
    ...(mock ? { ANTHROPIC_BASE_URL: mock.url } : {}),
    ANTHROPIC_API_KEY: 'dummy',
    IS_SANDBOX: '1',
    CLAUDE_CODE_TMPDIR: s.tmp,
    DISABLE_TELEMETRY: '1',
    DISABLE_ERROR_REPORTING: '1',
    DISABLE_AUTOUPDATER: '1',
    DISABLE_BUG_COMMAND: '1',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    CLAUDE_CODE_DISABLE_FEEDBACK_SURVEY: '1',
  };
}

export interface SessionResult {
  code: number;
  /** The stream-json lines Claude Code printed. */
  events: Record<string, unknown>[];
  stderr: string;
  /** The session id Claude Code reported. */
  session: string | null;
  /** The mock's /v1/messages requests of this session. */
  turns: import('./mock-messages.js').MessagesRequest[];
}

/**
 * One headless session: `claude -p PROMPT` in the project, against the mock. Asynchronous, so the
 * mock (in this process) can answer while it runs. The generous limit only stops a hung client.
 */
export function runSession(a: Availability, s: Scratch, mock: MockMessages, prompt: string, opts: { cwd?: string; permissions?: 'skip' | 'default' } = {}): Promise<SessionResult> {
  if (!a.ok) throw new Error(a.reason);
  const before = mock.turns().length;
  const permissions = opts.permissions === 'default' ? [] : ['--dangerously-skip-permissions'];
  return new Promise((resolve, reject) => {
    const child = spawn(a.bin, ['-p', prompt, '--output-format', 'stream-json', '--verbose', ...permissions, '--model', 'claude-sonnet-4-5'], {
      cwd: opts.cwd ?? s.project,
      env: sessionEnv(s, mock),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const hung = setTimeout(() => child.kill('SIGKILL'), 240_000);
    child.on('error', (err) => {
      clearTimeout(hung);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(hung);
      const events: Record<string, unknown>[] = [];
      for (const line of stdout.split('\n')) {
        if (!line.trim()) continue;
        try {
          events.push(JSON.parse(line) as Record<string, unknown>);
        } catch {
          // not a stream-json line
        }
      }
      const session = (events.find((e) => typeof e.session_id === 'string')?.session_id as string | undefined) ?? null;
      resolve({ code: code ?? -1, events, stderr, session, turns: mock.turns().slice(before) });
    });
  });
}

/**
 * The pinned `claude` with other arguments than a session's (`plugin install ...`), in the project,
 * with the scratch HOME; the Messages API it would reach is a closed port on this machine.
 */
export function claudeCli(a: Availability, s: Scratch, args: string[], opts: { env?: NodeJS.ProcessEnv } = {}): { code: number; stdout: string; stderr: string } {
  if (!a.ok) throw new Error(a.reason);
  const r = spawnSync(a.bin, args, { cwd: s.project, encoding: 'utf8', timeout: 240_000, env: { ...sessionEnv(s, null), ANTHROPIC_BASE_URL: 'http://127.0.0.1:9', ...opts.env } });
  return { code: r.status ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** The transcripts Claude Code wrote under the scratch HOME (main sessions and subagents). */
export function transcripts(s: Scratch): string[] {
  const root = join(s.home, '.claude', 'projects');
  const out: string[] = [];
  const walk = (dir: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (e.name.endsWith('.jsonl')) out.push(join(dir, e.name));
    }
  };
  walk(root);
  return out.sort();
}

/** A JSON document of the workspace's store (`.nevo/store/<name>.json`). */
export function storeDoc<T = { records: Record<string, unknown>[] }>(s: Scratch, name: string): T {
  return storeDocAt(join(s.project, '.nevo'), name) as T;
}

/** A store document of the workspace at `root`, read from its files (every shard of a sharded one). */
export function storeDocAt(root: string, name: string): { version: 1; records: Record<string, unknown>[] } {
  if (!isDocName(name)) throw new Error(`no store document ${name}`);
  return { version: 1, records: docFiles(root, name).flatMap((rel) => (JSON.parse(readFileSync(join(root, rel), 'utf8')) as { records: Record<string, unknown>[] }).records) };
}

/** A trigger file the hook wrote: the payload, or the block it recorded. */
export interface TriggerFile {
  id: string;
  payload?: { hook_event_name: string; tool_use_id?: string; file_path?: string; tool_input?: { command?: string } };
  blocked?: { rule: string };
}

/** The hook events waiting in triggers/, as the hooks wrote them. */
export function waitingTriggers(s: Scratch): TriggerFile[] {
  const dir = join(s.project, '.nevo', 'triggers');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as TriggerFile);
}

/** How many triggers of each hook event. */
export function triggerKinds(triggers: TriggerFile[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of triggers) if (t.payload) out[t.payload.hook_event_name] = (out[t.payload.hook_event_name] ?? 0) + 1;
  return out;
}

/** The tool_use ids of the calls the session's transcript records. */
export function transcriptCalls(s: Scratch, session: string | null): string[] {
  const file = transcripts(s).find((f) => f.endsWith(`${session}.jsonl`))!;
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .flatMap((line) => {
      const message = (JSON.parse(line) as { message?: { role?: string; content?: unknown } }).message;
      return message?.role === 'assistant' && Array.isArray(message.content) ? message.content.filter((b: { type: string }) => b.type === 'tool_use').map((b: { id: string }) => b.id) : [];
    });
}
