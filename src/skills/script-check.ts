// Syntax checks of a skill's scripts, never running them:
// - JavaScript and TypeScript are parsed in this process by @babel/parser (a parser only: it builds
//   a syntax tree and evaluates nothing);
// - shell scripts go to `bash -n` (read, not executed) and Python to the built-in compile() (it
//   compiles to bytecode in memory: unlike `python3 -m py_compile` it writes no __pycache__).
//   Both get the source on stdin, never a path into the skill, run in an empty temporary folder
//   with the variables that make bash run startup code removed, and are killed after a timeout.
// Anything else (Ruby, zsh, data files) is listed as not checked. How a process is started is
// injected (`Runner`), so tests can stand in for a machine without python3 or bash.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ParserOptions, ParserPlugin } from '@babel/parser';
import type { Problem } from './validate.js';

// @babel/parser is large (about 80 ms to load) and only a skill with JavaScript or TypeScript
// scripts needs it: loaded on first use, not by everything that imports the skills (the TUI).
const requireCjs = createRequire(import.meta.url);
let babel: typeof import('@babel/parser') | undefined;
const babelParse = (source: string, options: ParserOptions) => (babel ??= requireCjs('@babel/parser') as typeof import('@babel/parser')).parse(source, options);

export type Language = 'javascript' | 'typescript' | 'shell' | 'python';

const LANGUAGE_NAMES: Record<Language, string> = { javascript: 'JavaScript', typescript: 'TypeScript', shell: 'Shell', python: 'Python' };

/** A file under the skill's scripts/, as load.ts read it. */
export interface ScriptFile {
  /** The path shown in messages (the skill's path joined with `scripts/...`). */
  file: string;
  /** The name, for the extension. */
  name: string;
  /** The content, or why it was not read. */
  source: { bytes: Uint8Array } | { unread: string };
}

/** What happened to one script. */
export interface ScriptReport {
  file: string;
  language: Language | null;
  status: 'ok' | 'error' | 'not-checked';
  /** What checked it (`@babel/parser`, `bash -n`, `python3 3.12.1`), or why it was not (`needs Python 3.12; ...`). */
  note: string;
}

export interface ScriptChecks {
  errors: Problem[];
  warnings: Problem[];
  scripts: ScriptReport[];
}

export interface RunResult {
  /** The exit code; null when the process did not end by itself. */
  code: number | null;
  stdout: string;
  stderr: string;
  /** Set when the process could not be run or finished: `not-found`, `timeout`, or an error's message. */
  failure?: string;
}

/** Starts `command args`, writes `input` to its stdin, and resolves when it ends (never rejects). */
export type Runner = (command: string, args: string[], opts: { input: string; timeoutMs: number }) => Promise<RunResult>;

export const CHECK_TIMEOUT_MS = 15_000;
/** Larger scripts are not checked (a parser on a generated bundle could take long). */
export const MAX_SCRIPT_BYTES = 2 * 1024 * 1024;

/** The language of a script from its name, else its `#!` line; null when none is checked. */
export function detectLanguage(name: string, firstLine: string): Language | null {
  const shebang = /^#!\s*(\S+)(?:\s+(.*))?$/.exec(firstLine.trim());
  let interpreter: string | null = null;
  if (shebang) {
    const program = shebang[1]!.split('/').pop()!;
    interpreter = program === 'env' ? ((shebang[2] ?? '').split(/\s+/).find((w) => w && !w.startsWith('-') && !w.includes('=')) ?? null) : program;
  }
  const ext = /\.([^.]+)$/.exec(name)?.[1]?.toLowerCase() ?? '';
  if (['js', 'mjs', 'cjs', 'jsx'].includes(ext)) return 'javascript';
  if (['ts', 'mts', 'cts', 'tsx'].includes(ext)) return 'typescript';
  if (['py', 'pyw'].includes(ext)) return 'python';
  if (['sh', 'bash'].includes(ext)) {
    // A .sh file for another shell is not bash's to judge.
    return interpreter && /^(zsh|ksh|mksh|fish|csh|tcsh|pwsh)$/.test(interpreter) ? null : 'shell';
  }
  if (ext !== '' || !interpreter) return null;
  if (/^(ba|da)?sh$/.test(interpreter)) return 'shell';
  if (/^python(3(\.\d+)?)?$/.test(interpreter)) return 'python';
  if (/^(node|nodejs|bun)$/.test(interpreter)) return 'javascript';
  if (/^(deno|tsx|ts-node)$/.test(interpreter)) return 'typescript';
  return null;
}

export interface SyntaxIssue {
  line?: number;
  column?: number;
  message: string;
}

/**
 * Parses JavaScript or TypeScript. `.mjs`/`.mts` are modules and `.cjs`/`.cts` scripts; any other
 * name is tried as a module, then as a script, and the attempt that got further gives the error.
 */
export function parseScript(source: string, name: string, language: 'javascript' | 'typescript'): SyntaxIssue | null {
  const ext = /\.([^.]+)$/.exec(name)?.[1]?.toLowerCase() ?? '';
  const plugins: ParserPlugin[] = [];
  if (language === 'typescript') plugins.push(['typescript', { dts: /\.d\.[cm]?ts$/i.test(name) }], 'decorators-legacy');
  if (ext === 'jsx' || ext === 'tsx') plugins.push('jsx');
  const kinds: Array<'module' | 'script'> = ext === 'mjs' || ext === 'mts' ? ['module'] : ext === 'cjs' || ext === 'cts' ? ['script'] : ['module', 'script'];
  let best: { index: number; issue: SyntaxIssue } | null = null;
  for (const sourceType of kinds) {
    const options: ParserOptions = { sourceType, plugins, errorRecovery: false, allowReturnOutsideFunction: sourceType === 'script', allowNewTargetOutsideFunction: sourceType === 'script' };
    try {
      babelParse(source, options);
      return null;
    } catch (err) {
      const e = err as { message?: string; loc?: { line: number; column: number }; pos?: number };
      const message = String(e.message ?? err).replace(/\s*\(\d+:\d+\)\s*$/, '');
      const index = typeof e.pos === 'number' ? e.pos : -1;
      if (!best || index > best.index) best = { index, issue: { ...(e.loc ? { line: e.loc.line, column: e.loc.column + 1 } : {}), message } };
    }
  }
  return best?.issue ?? null;
}

/** Reads `bash -n`'s complaint: `bash: line 3: syntax error near unexpected token ...`. */
export function readBashErrors(stderr: string): SyntaxIssue[] {
  const out: SyntaxIssue[] = [];
  for (const raw of stderr.split(/\r?\n/)) {
    const m = /^(?:[^:]*:\s*)?line (\d+):\s*(.*)$/.exec(raw.trim());
    if (m) out.push({ line: Number(m[1]), message: m[2]! });
    else if (raw.trim()) out.push({ message: raw.trim().replace(/^bash:\s*/, '') });
  }
  return out;
}

// Compiles each (name, base64 source) pair of the JSON on stdin; prints a JSON report. Nothing
// is imported from the skill, nothing executed, nothing written. A SyntaxError on a line that uses
// syntax newer than this interpreter (a feature of a later Python on the failing line) is marked
// `newer`: the script may well be valid, this python3 cannot tell.
const PYTHON_CHECK = String.raw`
import sys, json, base64, re, warnings
warnings.simplefilter('ignore')
NEWER = [
    ((3, 8), 'assignment expressions (:=)', lambda l, m: ':=' in l),
    ((3, 8), 'positional-only parameters (/)', lambda l, m: re.match(r'\s*(async\s+)?def\s.*[(,]\s*/\s*[,)]', l)),
    ((3, 9), 'decorators that are any expression', lambda l, m: re.match(r'\s*@', l)),
    ((3, 10), 'match statements', lambda l, m: re.match(r'\s*(match|case)\b', l)),
    ((3, 10), 'parenthesized context managers', lambda l, m: re.match(r'\s*(async\s+)?with\s*\(', l)),
    ((3, 11), 'except* (exception groups)', lambda l, m: re.match(r'\s*except\s*\*', l)),
    ((3, 11), 'starred expressions in subscripts', lambda l, m: re.search(r'\[\s*\*', l)),
    ((3, 12), 'type parameters and the type statement', lambda l, m: re.match(r'\s*((async\s+)?def\s+\w+\s*\[|class\s+\w+\s*\[|type\s+\w+\s*(\[.*\])?\s*=)', l)),
    ((3, 12), 'f-strings with nested quotes, backslashes or comments', lambda l, m: m.startswith('f-string')),
    ((3, 13), 'defaults of type parameters', lambda l, m: re.match(r'\s*((async\s+)?def|class|type)\s+\w+\s*\[[^\]]*=', l)),
    ((3, 14), 'except without parentheses', lambda l, m: re.match(r'\s*except\*?\s+[^(:#][^:#]*,', l)),
    ((3, 14), 'template strings (t-strings)', lambda l, m: re.search(r'(?<![\w])([rR]?[tT]|[tT][rR])["\x27]', l)),
]
out = {'version': '%d.%d.%d' % tuple(sys.version_info[:3]), 'executable': sys.executable, 'results': []}
for name, src in json.load(sys.stdin):
    code = base64.b64decode(src)
    try:
        compile(code, name, 'exec', 0, True)
        out['results'].append(None)
    except SyntaxError as e:
        r = {'type': type(e).__name__, 'msg': str(e.msg), 'line': e.lineno, 'col': e.offset}
        lines = code.decode('utf-8', 'replace').splitlines()
        text = lines[e.lineno - 1] if e.lineno and 0 < e.lineno <= len(lines) else ''
        for version, what, test in NEWER:
            if sys.version_info[:2] < version and test(text, r['msg']):
                r['newer'] = {'version': '%d.%d' % version, 'what': what}
                break
        out['results'].append(r)
    except Exception as e:
        out['results'].append({'type': type(e).__name__, 'msg': str(e)})
sys.stdout.write(json.dumps(out))
`;

interface PythonReport {
  version: string;
  /** The interpreter's path (sys.executable). */
  executable?: string;
  results: Array<null | { type: string; msg: string; line?: number | null; col?: number | null; newer?: { version: string; what: string } }>;
}

/** The environment of a checker: this one without what would make a shell run code at start. */
function checkerEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k === 'BASH_ENV' || k === 'ENV' || k === 'SHELLOPTS' || k === 'BASHOPTS' || k.startsWith('BASH_FUNC_') || k.startsWith('PYTHON')) continue;
    env[k] = v;
  }
  env.LC_ALL = 'C';
  return env;
}

/** The real runner: a child process in an empty temporary folder, killed after `timeoutMs`. */
export const spawnRunner: Runner = (command, args, { input, timeoutMs }) =>
  new Promise((resolve) => {
    const cwd = mkdtempSync(join(tmpdir(), 'nevo-skill-check-'));
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let failure: string | undefined;
    let settled = false;
    const finish = (code: number | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      rmSync(cwd, { recursive: true, force: true });
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), ...(failure ? { failure } : {}) });
    };
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(command, args, { cwd, env: checkerEnv(), stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    } catch (e) {
      rmSync(cwd, { recursive: true, force: true });
      resolve({ code: null, stdout: '', stderr: '', failure: (e as Error).message });
      return;
    }
    const timer = setTimeout(() => {
      failure = 'timeout';
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout!.on('data', (c: Buffer) => out.push(c));
    child.stderr!.on('data', (c: Buffer) => err.push(c));
    child.stdin!.on('error', () => {});
    child.on('error', (e: NodeJS.ErrnoException) => {
      failure ??= e.code === 'ENOENT' ? 'not-found' : e.message;
      finish(null);
    });
    child.on('close', (code) => finish(code));
    child.stdin!.end(input);
  });

const firstLineOf = (bytes: Uint8Array) => {
  const head = Buffer.from(bytes.subarray(0, 256)).toString('utf8');
  return head.split(/\r?\n/)[0] ?? '';
};

const reproduce: Record<Language, (file: string) => string> = {
  javascript: (f) => `see it with \`node --check ${f}\``,
  typescript: (f) => `see it with \`npx tsc --noEmit ${f}\``,
  shell: (f) => `see it with \`bash -n ${f}\``,
  python: (f) => `see it with \`python3 -m py_compile ${f}\``,
};

function syntaxProblem(file: string, language: Language, issue: SyntaxIssue): Problem {
  const where = issue.line !== undefined ? ` at line ${issue.line}${issue.column !== undefined ? `, column ${issue.column}` : ''}` : '';
  return { rule: 'script-syntax', file, ...(issue.line !== undefined ? { line: issue.line } : {}), message: `${LANGUAGE_NAMES[language]} syntax error${where}: ${issue.message}`, fix: `fix the script (it was parsed, not run); ${reproduce[language](file)}` };
}

/** Checks every script's syntax. `scriptsDir` names the folder in warnings about a missing checker. */
export async function checkScripts(files: ScriptFile[], scriptsDir: string, runner: Runner = spawnRunner, timeoutMs = CHECK_TIMEOUT_MS): Promise<ScriptChecks> {
  const errors: Problem[] = [];
  const warnings: Problem[] = [];
  const reports: ScriptReport[] = [];
  const python: Array<{ file: ScriptFile; bytes: Uint8Array; report: ScriptReport }> = [];
  const shell: Array<{ file: ScriptFile; bytes: Uint8Array; report: ScriptReport }> = [];

  for (const f of files) {
    if ('unread' in f.source) {
      const report: ScriptReport = { file: f.file, language: detectLanguage(f.name, ''), status: 'not-checked', note: f.source.unread };
      reports.push(report);
      if (report.language) warnings.push({ rule: 'script-not-checked', file: f.file, message: `Not checked: ${f.source.unread}` });
      continue;
    }
    const bytes = f.source.bytes;
    const language = detectLanguage(f.name, firstLineOf(bytes));
    const report: ScriptReport = { file: f.file, language, status: 'not-checked', note: 'no syntax check for this kind of file' };
    reports.push(report);
    if (!language) continue;
    if (bytes.length > MAX_SCRIPT_BYTES) {
      report.note = `larger than ${MAX_SCRIPT_BYTES / 1024 / 1024} MB`;
      warnings.push({ rule: 'script-not-checked', file: f.file, message: `Not checked: the script is larger than ${MAX_SCRIPT_BYTES / 1024 / 1024} MB` });
      continue;
    }
    if (language === 'python') python.push({ file: f, bytes, report });
    else if (language === 'shell') shell.push({ file: f, bytes, report });
    else {
      report.note = '@babel/parser';
      const issue = parseScript(Buffer.from(bytes).toString('utf8'), f.name, language);
      report.status = issue ? 'error' : 'ok';
      if (issue) errors.push(syntaxProblem(f.file, language, issue));
    }
  }

  if (python.length) {
    const input = JSON.stringify(python.map((p) => [p.file.file, Buffer.from(p.bytes).toString('base64')]));
    // -I: isolated (no user site, no PYTHON* variables, no current folder on the path); -S: no
    // site module; -B: never write bytecode.
    let r = await runner('python3', ['-I', '-S', '-B', '-c', PYTHON_CHECK], { input, timeoutMs });
    if (r.failure === 'not-found') r = await runner('python', ['-I', '-S', '-B', '-c', PYTHON_CHECK], { input, timeoutMs });
    let parsed: PythonReport | null = null;
    try {
      parsed = r.failure ? null : (JSON.parse(r.stdout) as PythonReport);
    } catch {
      parsed = null;
    }
    const why =
      r.failure === 'not-found'
        ? 'python3 not found'
        : r.failure === 'timeout'
          ? `python3 took over ${timeoutMs / 1000} s`
          : !parsed
            ? `python3 failed${r.stderr.trim() ? `: ${r.stderr.trim().split('\n').pop()}` : ''}`
            : !parsed.version.startsWith('3.')
              ? `Python ${parsed.version} is not Python 3`
              : null;
    if (why || !parsed) {
      for (const p of python) p.report.note = why ?? 'python3 failed';
      warnings.push({
        rule: 'script-checker-missing',
        file: scriptsDir,
        message: `${why}: ${python.length} Python script(s) not checked for syntax`,
        fix: r.failure === 'not-found' ? 'install Python 3 to check them' : 'check them by hand with `python3 -m py_compile`',
      });
    } else {
      // The verdict depends on the machine's python3: every message says which one it was.
      const interpreter = `python3 ${parsed.version}${parsed.executable ? ` at ${parsed.executable}` : ''}`;
      python.forEach((p, i) => {
        const result = parsed.results[i];
        p.report.note = `python3 ${parsed.version}`;
        p.report.status = result ? 'error' : 'ok';
        if (!result) return;
        const at = result.line ? ` at line ${result.line}` : '';
        if (result.newer) {
          p.report.status = 'not-checked';
          p.report.note = `needs Python ${result.newer.version}; python3 here is ${parsed.version}`;
          warnings.push({
            rule: 'script-newer-syntax',
            file: p.file.file,
            ...(result.line ? { line: result.line } : {}),
            message: `Not checked: Python syntax${at} may need Python ${result.newer.version} (${result.newer.what}); ${interpreter} reports: ${result.msg}`,
            fix: `check it with Python ${result.newer.version} or later (\`python3.${result.newer.version.split('.')[1]} -m py_compile ${p.file.file}\`); the skill is not failed for it`,
          });
          return;
        }
        const issue: SyntaxIssue = { message: `${result.type === 'SyntaxError' ? result.msg : `${result.type}: ${result.msg}`} (${interpreter})`, ...(result.line ? { line: result.line } : {}), ...(result.line && result.col ? { column: result.col } : {}) };
        errors.push(syntaxProblem(p.file.file, 'python', issue));
      });
    }
  }

  let bashMissing = 0;
  for (const s of shell) {
    if (bashMissing) {
      bashMissing++;
      s.report.note = 'bash not found';
      continue;
    }
    const r = await runner('bash', ['--norc', '--noprofile', '-n'], { input: Buffer.from(s.bytes).toString('utf8'), timeoutMs });
    if (r.failure === 'not-found') {
      bashMissing = 1;
      s.report.note = 'bash not found';
      continue;
    }
    if (r.failure) {
      s.report.note = r.failure === 'timeout' ? `bash -n took over ${timeoutMs / 1000} s` : `bash failed: ${r.failure}`;
      warnings.push({ rule: 'script-not-checked', file: s.file.file, message: `Not checked: ${s.report.note}` });
      continue;
    }
    s.report.note = 'bash -n';
    const issues = r.code === 0 ? [] : readBashErrors(r.stderr);
    if (r.code !== 0 && issues.length === 0) issues.push({ message: `bash -n exited with ${r.code}` });
    s.report.status = issues.length ? 'error' : 'ok';
    // bash repeats the offending line after the message: one problem per script is enough.
    if (issues[0]) errors.push(syntaxProblem(s.file.file, 'shell', issues[0]));
  }
  if (bashMissing) {
    warnings.push({ rule: 'script-checker-missing', file: scriptsDir, message: `bash not found: ${bashMissing} shell script(s) not checked for syntax`, fix: 'install bash to check them' });
  }
  return { errors, warnings, scripts: reports };
}
