import { createHash } from 'node:crypto';
import { finish } from '../util/steps.js';
import { compareIds, comparableText, contentWords, reachesThreshold, ruleContradiction, WordNeighbours } from './novelty.js';
import { sentences, type Rule } from './rule.js';

/**
 * Lints the rule set. Pure: the rules, their parse errors and the environment (which files and
 * commands exist, how well active rules work) come in; findings come out.
 */

export type LintKind = 'decorative' | 'too-long' | 'overlap' | 'contradiction' | 'stale' | 'unparseable' | 'not-working';

export interface LintFinding {
  kind: LintKind;
  rule?: string;
  file: string;
  line?: number;
  message: string;
  /** The other rule of an overlap or a contradiction. */
  other?: string;
}

/**
 * What lint found between rules last time: a pair's result depends only on the two rules' words,
 * so pairs of rules that are unchanged since (by the hash of their text) are not compared again.
 * `rules` holds the hashes of the rules last compared, `found` their pairs that overlap or
 * contradict (by `hashA>hashB`, in the order they were compared). Lint replaces both.
 */
export interface PairMemo {
  rules: Set<string>;
  found: Map<string, PairResult>;
}

/** A pair's overlap score (at or over the threshold) and contradiction, each null when none. */
export interface PairResult {
  score: number | null;
  contradiction: string | null;
}

/** Bump when what decides an overlap or a contradiction changes: memos of older lints are dropped. */
export const PAIR_MEMO_VERSION = 1;

export interface LintEnv {
  /** Pairs compared by an earlier lint (see PairMemo); updated in place. */
  pairs?: PairMemo;
  /** Relative to the project root. */
  fileExists(relPath: string): boolean;
  /** A program on PATH, or a package.json script name ("npm run build" asks for "build"). */
  commandExists(cmd: string): boolean;
  /** By rule id, for active rules. */
  effectiveness?: Record<string, { before: number; after: number; days: number; working: boolean }>;
}

/** Findings of one file come in this order (the order of LintKind). */
/** What each lint flag means and how to clear it, for the Rules screen and its help (most common first). */
export const LINT_HELP: Record<LintKind, string> = {
  stale: 'names a file, script or program this project does not have: fix the name (enter) or deprecate it (d)',
  overlap: 'says much the same as another rule: merge them, or deprecate one (d)',
  'not-working': 'its mistake keeps happening since it became active: make it sharper (enter) or add a guard',
  contradiction: 'says the opposite of another rule: edit one (enter) or deprecate one (d)',
  decorative: 'no trigger, enforcement or verification, so nothing can check it: fill them in (enter edits)',
  'too-long': 'over 3 sentences or 400 characters: shorten the body (enter edits)',
  unparseable: 'its file cannot be read: fix the file by hand (`nevo-tui rules lint` gives the line)',
};

const KIND_ORDER: LintKind[] = ['decorative', 'too-long', 'overlap', 'contradiction', 'stale', 'unparseable', 'not-working'];

export const MAX_SENTENCES = 3;
export const MAX_BODY_CHARS = 400;

/** Programs a rule may name without them being checked: shell builtins and everyday tools. */
const COMMON_PROGRAMS = new Set([
  'git', 'npm', 'node', 'npx', 'pnpm', 'yarn', 'bun', 'cd', 'ls', 'cat', 'echo', 'grep', 'command', 'type', 'which', 'test',
  'true', 'false', 'export', 'set', 'unset', 'source', 'exit', 'exec', 'eval', 'env', 'sudo', 'time', 'pwd', 'mkdir', 'rm',
  'rmdir', 'cp', 'mv', 'touch', 'chmod', 'chown', 'ln', 'find', 'sed', 'awk', 'head', 'tail', 'sort', 'uniq', 'wc', 'cut',
  'tr', 'xargs', 'tee', 'diff', 'printf', 'read', 'sh', 'bash', 'zsh', 'curl', 'tar', 'kill', 'sleep', 'wait', 'trap',
  'alias', 'history', 'pushd', 'popd', 'hash', 'ulimit', 'umask', 'nohup', 'date', 'basename', 'dirname', 'realpath',
]);
/** Words that start code, not a command line. */
const CODE_WORDS = new Set([
  'const', 'let', 'var', 'import', 'export', 'return', 'await', 'async', 'new', 'interface', 'function', 'class', 'if',
  'for', 'while', 'throw', 'catch', 'try', 'else', 'from', 'def', 'fn', 'pub', 'use', 'select', 'insert', 'update', 'delete',
]);
/** pnpm/yarn subcommands that are not package.json scripts. */
const PM_BUILTINS = new Set([
  'install', 'i', 'add', 'remove', 'rm', 'uninstall', 'exec', 'dlx', 'up', 'upgrade', 'update', 'why', 'list', 'ls', 'init',
  'create', 'publish', 'pack', 'link', 'unlink', 'outdated', 'audit', 'config', 'store', 'rebuild', 'import', 'patch',
  'prune', 'info', 'cache', 'global', 'set', 'version', 'workspace', 'workspaces', 'dedupe', 'login', 'logout', 'help',
  'bin', 'root', 'env', 'node', 'setup', 'fetch', 'licenses', 'deploy', 'dump', 'plugin', 'constraints', 'npm', 'dlx',
]);
/** File extensions that make a bare word (no slash, no backticks) a file name. */
const FILE_EXTENSIONS = new Set([
  'json', 'jsonc', 'json5', 'ts', 'tsx', 'mts', 'cts', 'js', 'jsx', 'mjs', 'cjs', 'md', 'mdx', 'yml', 'yaml', 'toml', 'lock',
  'sh', 'bash', 'py', 'rb', 'go', 'rs', 'java', 'kt', 'swift', 'c', 'h', 'cpp', 'hpp', 'cs', 'php', 'txt', 'env', 'cfg',
  'ini', 'xml', 'html', 'css', 'scss', 'sql', 'graphql', 'proto', 'vue', 'svelte', 'lua', 'gradle', 'properties', 'conf',
]);

/** Projects named like files. */
const JS_NAMES = new Set(['node.js', 'next.js', 'vue.js', 'nuxt.js', 'express.js', 'react.js', 'three.js', 'd3.js', 'chart.js', 'ember.js', 'angular.js', 'alpine.js', 'solid.js', 'deno.js', 'bun.js']);

function isBlank(s: string | undefined): boolean {
  return !s || !s.trim();
}

const FIELDS = ['body', 'trigger', 'enforcement', 'verification'] as const;
type Field = (typeof FIELDS)[number];

/** A relative path as the rule names it, or null when the token is no project path. */
function asPath(token: string, backticked: boolean): string | null {
  let t = token.trim().replace(/^[("'[<]+/, '').replace(/[)"'\]>,;:!?]+$/, '');
  if (!backticked) t = t.replace(/\.+$/, '');
  t = t.replace(/:\d+(?::\d+)?$/, '');
  if (!t || /\s/.test(t)) return null;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(t) || t.startsWith('www.')) return null;
  if (t.startsWith('/') || t.startsWith('~') || t.startsWith('$') || t.includes('..') || /^[A-Za-z]:[\\/]/.test(t)) return null;
  if (/[*?{}[\]<>|=%&@#]/.test(t.replace(/^@[\w.-]+\//, ''))) return null; // globs, placeholders, scoped names aside
  if (/\b[A-Z]{3,}\b/.test(t) && !/^[A-Z][A-Z_-]*\.[a-z]+$/.test(t)) return null; // NAME, TOOL, PROJ-NNN placeholders
  t = t.replace(/^\.\//, '');
  const last = t.split('/').filter(Boolean).pop() ?? '';
  const ext = /\.([A-Za-z0-9]+)$/.exec(last)?.[1];
  const hasSlash = t.includes('/');
  if (!(hasSlash ? /^\.?[\w@][\w@./-]*$/ : /^[\w@][\w@.-]*$/).test(t)) return null;
  if (hasSlash) {
    // src/foo/bar.ts, scripts/x.sh, src/rules/; not "and/or" or "PROJ-NNN/AGENT-NNN".
    const segments = t.split('/').filter(Boolean);
    if (segments.length < 2 && !t.endsWith('/')) return null;
    if (!ext && !backticked) return null;
    return t;
  }
  if (!ext || !FILE_EXTENSIONS.has(ext.toLowerCase())) return null;
  if (/^[A-Z][a-z]+\.js$/.test(last) || (!backticked && JS_NAMES.has(last.toLowerCase()))) return null; // Node.js: a name, not a file
  return t;
}

/** The program or package.json script a backticked command line needs, per segment. */
function programsOf(commandLine: string): string[] {
  const out: string[] = [];
  for (const segment of commandLine.split(/&&|\|\||[|;]/)) {
    const words = segment.trim().split(/\s+/).filter(Boolean);
    while (words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0]!)) words.shift(); // FOO=1 cmd
    while (words.length && (words[0] === 'sudo' || words[0] === 'time' || words[0] === 'nohup')) words.shift();
    const [first, second, third] = words;
    if (!first) continue;
    if ((first === 'npm' || first === 'bun') && (second === 'run' || second === 'run-script')) {
      if (third && isName(third)) out.push(third);
      continue;
    }
    if (first === 'pnpm' || first === 'yarn') {
      const name = second === 'run' ? third : second;
      if (name && isName(name) && !name.startsWith('-') && (second === 'run' || !PM_BUILTINS.has(name))) out.push(name);
      continue;
    }
    if (COMMON_PROGRAMS.has(first) || CODE_WORDS.has(first)) continue;
    if (/^\.{0,2}\/?[\w.-]+\/[\w./-]+$/.test(first) && !first.startsWith('/')) out.push(first); // ./scripts/x.sh
    else if (/^[a-z][a-z0-9._+-]*$/.test(first)) out.push(first); // not camelCase, flags, placeholders or code
  }
  return out;
}

function isName(word: string): boolean {
  return /^[\w:.@/-]+$/.test(word) && !/^[A-Z]+$/.test(word);
}

/**
 * Does a backticked span read as a command line, not a code identifier, an expression or a quoted
 * error message? It follows "run"/"execute"/"invoke", starts with a package manager, or has a flag
 * or a path among its arguments: `tsc --noEmit`, `run `lint-staged``, but not `permission denied`.
 */
function looksLikeCommand(span: string, before: string): boolean {
  const t = span.trim();
  if (!t || /[(){}`]|=>|==|^[^\w.]/.test(t)) return false;
  const words = t.split(/\s+/);
  if (/\b(?:run|runs|running|execute|executes|invoke|invokes)\s*$/i.test(before)) return true;
  if (words.length === 1) return false;
  if (/^(?:npm|pnpm|yarn|npx|bunx?)$/.test(words[0]!)) return true;
  return words.slice(1).some((w) => /^--?[A-Za-z]/.test(w) || /^\.{0,2}\/?[\w.-]+\/[\w./-]*$/.test(w) || /^[\w-]+\.[a-z]{1,5}$/.test(w));
}

interface StaleRef {
  field: Field;
  what: 'path' | 'command';
  name: string;
  /** For commands: the program or script found missing. */
  program?: string;
}

/**
 * A sentence that says a program is not there or not to be used ("Do not rely on `tree`: it is
 * not installed"): such a rule is about the program's absence, which is no sign of staleness.
 */
const ABSENCE = /\b(?:not installed|isn['’]?t installed|not available|missing|do not (?:use|rely on|call|run)|don['’]?t (?:use|rely on|call|run)|never (?:use|call|run)|avoid|instead of|rather than)\b/i;

function absentPrograms(rule: Rule): Set<string> {
  const out = new Set<string>();
  for (const text of [rule.title, ...FIELDS.map((f) => rule[f] ?? '')]) {
    for (const sentence of text.split(/(?<=[.;:!?])\s+/)) {
      if (!ABSENCE.test(sentence)) continue;
      for (const m of sentence.matchAll(/`([^`\n]+)`/g)) for (const program of programsOf(m[1]!)) out.add(program);
    }
  }
  return out;
}

/** The name a stale reference is known by in a rule's `absent` list: the program, else the path. */
const refName = (ref: StaleRef) => ref.program ?? ref.name;

function staleRefs(rule: Rule, env: LintEnv): StaleRef[] {
  const out: StaleRef[] = [];
  const absent = absentPrograms(rule);
  const lackedWhenWritten = new Set(rule.absent ?? []);
  const seen = new Set<string>();
  const add = (ref: StaleRef) => {
    const key = `${ref.what}:${refName(ref)}`;
    if (seen.has(key) || lackedWhenWritten.has(refName(ref))) return;
    seen.add(key);
    out.push(ref);
  };
  for (const field of FIELDS) {
    const text = rule[field] ?? '';
    if (!text.trim()) continue;
    const spans = [...text.matchAll(/`([^`\n]+)`/g)];
    for (const m of spans) {
      const span = m[1]!;
      const path = asPath(span, true);
      if (path) {
        if (!env.fileExists(path.replace(/\/$/, ''))) add({ field, what: 'path', name: path });
        continue;
      }
      if (!looksLikeCommand(span, text.slice(0, m.index))) continue;
      for (const program of programsOf(span)) {
        if (program.includes('/')) {
          const script = asPath(program, true);
          if (script && !env.fileExists(script)) add({ field, what: 'path', name: script });
        } else if (!absent.has(program) && !env.commandExists(program)) add({ field, what: 'command', name: span.trim(), program });
      }
      // File arguments: `node scripts/setup.mjs`.
      for (const word of span.trim().split(/\s+/).slice(1)) {
        const arg = word.includes('/') && !word.startsWith('-') ? asPath(word, true) : null;
        if (arg && /\.[A-Za-z0-9]+$/.test(arg) && !env.fileExists(arg)) add({ field, what: 'path', name: arg });
      }
    }
    const outside = text.replace(/`[^`\n]*`/g, ' ');
    for (const token of outside.split(/\s+/)) {
      const path = asPath(token, false);
      if (path && !env.fileExists(path.replace(/\/$/, ''))) add({ field, what: 'path', name: path });
    }
  }
  return out;
}

/**
 * The files, scripts and programs a rule names that the project lacks now. Stored on a rule when
 * it is written (`absent`), they tell "never there" from "gone since": only what went missing
 * after the rule was written makes it stale.
 */
export function absentNames(rule: Rule, env: LintEnv): string[] {
  return [...new Set(staleRefs({ ...rule, absent: [] }, env).map(refName))];
}

const NO_FINDING: PairResult = { score: null, contradiction: null };

/**
 * What the last lint found for this pair, or undefined when it must be compared: a rule new or
 * changed since, or the pair found in the other order (a rule took another id), whose
 * contradiction would read the other way round.
 */
function remembered(memo: PairMemo, hashA: string, hashB: string): PairResult | undefined {
  if (!memo.rules.has(hashA) || !memo.rules.has(hashB)) return undefined;
  if (hashA !== hashB && memo.found.has(`${hashB}>${hashA}`)) return undefined;
  return memo.found.get(`${hashA}>${hashB}`) ?? NO_FINDING;
}

/** A rule as pair checks read it: its words, its enforcement, its status and the overlap threshold. */
function pairHash(r: Rule, threshold: number): string {
  return createHash('sha1').update([PAIR_MEMO_VERSION, threshold, r.status, r.title, r.body, r.trigger ?? '', r.enforcement ?? ''].join('\0')).digest('hex').slice(0, 20);
}

function inForce(r: Pick<Rule, 'status'>): boolean {
  return r.status === 'active' || r.status === 'proposed';
}

/**
 * Flags decorative rules (no trigger, enforcement or verification), bodies over 3 sentences or 400
 * characters, overlapping pairs, contradicting pairs, references to files and commands that are
 * gone, files that do not parse, and active rules whose mistakes keep recurring. Findings are
 * sorted by file, then by kind (in the order of KIND_ORDER).
 */
export function lintRules(rules: Rule[], parseErrors: { file: string; line: number; detail: string }[], env: LintEnv, overlapThreshold = 0.6): LintFinding[] {
  return finish(lintSteps(rules, parseErrors, env, overlapThreshold));
}

/**
 * lintRules as steps: it pauses after each rule's pairs, so a caller that must stay responsive
 * (the TUI, with hundreds of rules) can spread the pairwise checks over short slices.
 */
export function* lintSteps(rules: Rule[], parseErrors: { file: string; line: number; detail: string }[], env: LintEnv, overlapThreshold = 0.6): Generator<void, LintFinding[]> {
  const findings: LintFinding[] = [];

  for (const e of parseErrors) findings.push({ kind: 'unparseable', file: e.file, line: e.line, message: e.detail });

  const sorted = [...rules].sort((a, b) => compareIds(a.id, b.id));
  for (const rule of sorted) {
    if (!inForce(rule)) continue;
    const base = { rule: rule.id, file: rule.file };

    const missing = (['trigger', 'enforcement', 'verification'] as const).filter((f) => isBlank(rule[f]));
    if (missing.length) {
      findings.push({ ...base, kind: 'decorative', message: `decorative: no ${joinWords(missing)}; a rule needs a trigger, an enforcement and a verification to be checked` });
    }

    const count = sentences(rule.body).length;
    const tooLong: string[] = [];
    if (count > MAX_SENTENCES) tooLong.push(`${count} sentences (at most ${MAX_SENTENCES})`);
    if (rule.body.length > MAX_BODY_CHARS) tooLong.push(`${rule.body.length} characters (at most ${MAX_BODY_CHARS})`);
    if (tooLong.length) findings.push({ ...base, kind: 'too-long', message: `the body has ${tooLong.join(' and ')}` });

    for (const ref of staleRefs(rule, env)) {
      const message =
        ref.what === 'path'
          ? `the ${ref.field} names ${ref.name}, which does not exist`
          : `the ${ref.field} runs \`${ref.name}\`, but ${ref.program} is neither a program nor a package.json script here`;
      findings.push({ ...base, kind: 'stale', message });
    }

    const eff = env.effectiveness?.[rule.id];
    if (rule.status === 'active' && eff && eff.working === false) {
      findings.push({
        ...base,
        kind: 'not-working',
        message: `its mistakes keep recurring: ${eff.after} incident${eff.after === 1 ? '' : 's'} in the ${eff.days} days after activation, ${eff.before} in the ${eff.days} days before`,
      });
    }
  }

  // Every pair is compared, so each rule's words are computed once and pairs with no word in
  // common (which can neither overlap nor contradict) are skipped before any fuzzy matching.
  const words = new Map(sorted.map((r) => [r.id, contentWords(comparableText(r))]));
  const sets = new Map(sorted.map((r) => [r.id, new Set([...words.get(r.id)!, ...contentWords(r.enforcement)])]));
  const wordSets = new Map([...words].map(([id, list]) => [id, new Set(list)]));
  const neighbours = new WordNeighbours([...words.values()]);
  const hashes = new Map(sorted.map((r) => [r.id, pairHash(r, overlapThreshold)]));
  const memo = env.pairs;
  const found = new Map<string, PairResult>();
  for (let i = 0; i < sorted.length; i++) {
    const a = sorted[i]!;
    if (a.status === 'rejected') continue;
    const setA = sets.get(a.id)!;
    const hashA = hashes.get(a.id)!;
    for (let j = i + 1; j < sorted.length; j++) {
      const b = sorted[j]!;
      if (b.status === 'rejected') continue;
      let shared = false;
      for (const w of sets.get(b.id)!) if (setA.has(w)) { shared = true; break; }
      if (!shared) continue;
      const hashB = hashes.get(b.id)!;
      const key = `${hashA}>${hashB}`;
      const both = inForce(a) && inForce(b);
      let pair = memo ? remembered(memo, hashA, hashB) : undefined;
      if (!pair) {
        const score = reachesThreshold(words.get(a.id)!, words.get(b.id)!, overlapThreshold, neighbours, wordSets.get(a.id), wordSets.get(b.id));
        pair = { score: score !== null && score >= overlapThreshold ? score : null, contradiction: both ? ruleContradiction(a, b) : null };
      }
      if (pair.score !== null) {
        findings.push({ kind: 'overlap', rule: a.id, file: a.file, other: b.id, message: `overlaps ${b.id} (${pair.score.toFixed(2)})` });
      }
      if (both && pair.contradiction) findings.push({ kind: 'contradiction', rule: a.id, file: a.file, other: b.id, message: `contradicts ${b.id}: ${pair.contradiction}` });
      if (pair.score !== null || pair.contradiction) found.set(key, pair);
    }
    yield;
  }
  if (memo) {
    memo.rules = new Set(hashes.values());
    memo.found = found;
  }

  return findings
    .map((f, index) => ({ f, index }))
    .sort((x, y) => (x.f.file < y.f.file ? -1 : x.f.file > y.f.file ? 1 : 0) || KIND_ORDER.indexOf(x.f.kind) - KIND_ORDER.indexOf(y.f.kind) || x.index - y.index)
    .map(({ f }) => f);
}

function joinWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}
