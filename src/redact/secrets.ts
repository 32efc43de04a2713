// gitleaks' rule set (vendor/gitleaks, generated into gitleaks-rules.ts) run over text: the secret
// formats of 200+ services, found the way gitleaks finds them (keywords first, then the rule's
// regex, then its entropy floor and allowlists), with re2js so that no input can make a regex run
// for long. A rule's regex runs only on windows of text around the places its keywords occur,
// so a payload with no keyword of a rule costs that rule one indexOf per keyword.
import type { RE2JS } from 're2js';
import { GITLEAKS } from './gitleaks-rules.js';
import type { GitleaksRule } from './gitleaks-types.js';
import { re2 as compileRe2 } from '../util/re2.js';

/** A secret found in text: [start, end) is the value to hide, `kind` the gitleaks rule id. */
export interface Finding {
  start: number;
  end: number;
  kind: string;
}

/** Rules nevo's own passes answer better: a private key spans many lines, its key/value pass has more sense of code, its JWT rule needs no keyword as common as "ey". */
const LEFT_TO_OWN_PASSES = new Set(['private-key', 'generic-api-key', 'jwt']);

/** How far before a keyword a match may start, and after it end. Secrets are short; curl's rules read on over lines. */
const BACK = 120;
const AHEAD = 600;
const AHEAD_MULTILINE = 4000;

const POSIX_CLASSES: Record<string, string> = {
  alnum: 'a-zA-Z0-9',
  alpha: 'a-zA-Z',
  digit: '0-9',
  xdigit: '0-9a-fA-F',
  upper: 'A-Z',
  lower: 'a-z',
  space: '\\s',
  word: '\\w',
  punct: '!-\\/:-@\\[-`{-~',
};

/**
 * A JavaScript regex that matches wherever the RE2 one does, and maybe more: inline flag groups
 * become plain groups and the whole regex case-insensitive. It is a quick test on each window
 * before the exact (and slower to load) RE2 engine runs; null when the syntax does not carry over.
 */
export function prefilterOf(source: string): RegExp | null {
  let flags = '';
  let js = source;
  if (/\(\?-?i\)|\(\?-?i:/.test(js)) flags += 'i';
  js = js.replace(/\(\?i\)/g, '').replace(/\(\?-?i:/g, '(?:');
  js = js.replace(/\(\?s:\.\)/g, '[\\s\\S]');
  if (/\(\?s\)/.test(js)) flags += 's';
  if (/\(\?m\)/.test(js)) flags += 'm';
  js = js
    .replace(/\(\?[sm]+\)/g, '')
    .replace(/\\z/g, '$')
    .replace(/\(\?P</g, '(?<')
    .replace(/\[:(\w+):\]/g, (all, name: string) => POSIX_CLASSES[name] ?? all);
  try {
    return new RegExp(js, flags);
  } catch {
    return null;
  }
}

interface Compiled {
  rule: GitleaksRule;
  /** The RE2 source, with gitleaks' end of a secret widened. */
  source: string;
  prefilter: RegExp | null;
  exact?: { re: RE2JS | null; allow: { res: RE2JS[]; target: string; stopwords: string[]; and: boolean }[] };
}

/**
 * gitleaks ends most secrets at a quote, a space or `;`. In the command lines and URLs an agent
 * runs, a secret also ends at `:` (`curl -u sk_live_…:`), `/` (`/bot…/sendMessage`), `&`, `@`, `,`,
 * `)` and the like, so those end one too.
 */
const GITLEAKS_END = String.raw`(?:[\x60'"\s;]|\\[nr]|$)`;
const WIDER_END = String.raw`(?:[\x60'"\s;:/&,)@?#|<>\]}]|\\[nr]|$)`;

const compiled = new Map<string, Compiled>();
let globalAllow: RE2JS[] | undefined;

function compileRule(rule: GitleaksRule): Compiled {
  let c = compiled.get(rule.id);
  if (c) return c;
  const source = rule.regex.split(GITLEAKS_END).join(WIDER_END);
  c = { rule, source, prefilter: prefilterOf(source) };
  compiled.set(rule.id, c);
  return c;
}

/** The exact engine and the allowlists, compiled when a window first passes the prefilter. */
function exact(c: Compiled): NonNullable<Compiled['exact']> {
  c.exact ??= {
    re: compileRe2(c.source),
    allow: (c.rule.allow ?? []).map((a) => ({
      res: (a.regexes ?? []).map(compileRe2).filter((r): r is RE2JS => r !== null),
      target: a.target ?? 'secret',
      stopwords: a.stopwords ?? [],
      and: a.condition === 'and',
    })),
  };
  return c.exact;
}

/** Shannon entropy in bits per character, as gitleaks computes it. */
export function entropy(s: string): number {
  if (!s) return 0;
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let e = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    e -= p * Math.log2(p);
  }
  return e;
}

/** ASCII lower case, index for index (String#toLowerCase can change the length of some letters). */
function asciiLower(text: string): string {
  const lowered = text.toLowerCase();
  return lowered.length === text.length ? lowered : text.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

function found(re: RE2JS, text: string): boolean {
  return re.matcher(text).find();
}

function allowed(c: Compiled, secret: string, match: string, line: string): boolean {
  globalAllow ??= GITLEAKS.allow.regexes.map(compileRe2).filter((r): r is RE2JS => r !== null);
  const lowerSecret = secret.toLowerCase();
  if (globalAllow.some((re) => found(re, secret))) return true;
  if (GITLEAKS.allow.stopwords.some((w) => lowerSecret.includes(w))) return true;
  for (const a of exact(c).allow) {
    const target = a.target === 'match' ? match : a.target === 'line' ? line : secret;
    const byRegex = a.res.length > 0 && a.res.some((re) => found(re, target));
    const byWord = a.stopwords.length > 0 && a.stopwords.some((w) => lowerSecret.includes(w));
    if (a.and ? (a.res.length === 0 || byRegex) && (a.stopwords.length === 0 || byWord) : byRegex || byWord) return true;
  }
  return false;
}

/**
 * Keywords that would open a window on almost any text, narrowed. `s.` (Vault's tokens before
 * 1.10) occurs in most sentences: only `hvs.` tokens are looked for. Twilio's `SK` keys are upper
 * case: "sk" as in "task" is not one.
 */
const KEYWORD_OVERRIDES: Record<string, { keywords?: string[]; exact?: string[] }> = {
  'vault-service-token': { keywords: ['hvs.'] },
  'twilio-api-key': { keywords: [], exact: ['SK'] },
};

const EXACT_WORDS = [...new Set(Object.values(KEYWORD_OVERRIDES).flatMap((o) => o.exact ?? []))];

interface KeywordIndex {
  re: RegExp;
  /** The same keywords, for a quick yes or no before places are collected. */
  any: RegExp;
  /** Every keyword that is a prefix of the one found (the scan finds the longest at a place). */
  prefixes: Map<string, string[]>;
}
let keywordIndex: KeywordIndex | undefined;

const keywordsOf = (rule: GitleaksRule): string[] => KEYWORD_OVERRIDES[rule.id]?.keywords ?? rule.keywords;

/** One regex for every keyword: a single pass over the text, not one indexOf per keyword. */
function indexFor(rules: readonly GitleaksRule[]): KeywordIndex {
  const all = [...new Set(rules.filter((r) => !LEFT_TO_OWN_PASSES.has(r.id)).flatMap(keywordsOf))].filter(Boolean).sort((a, b) => b.length - a.length);
  const escape = (k: string) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const prefixes = new Map(all.map((k) => [k, all.filter((p) => k.startsWith(p))]));
  const alternatives = all.map(escape).join('|');
  return { re: new RegExp(`(?=(${alternatives}))`, 'g'), any: new RegExp(alternatives), prefixes };
}

/** Where each keyword occurs in `lower`. */
function keywordPlaces(lower: string, index: KeywordIndex): Map<string, number[]> {
  const places = new Map<string, number[]>();
  index.re.lastIndex = 0;
  if (!index.any.test(lower)) return places;
  for (let m = index.re.exec(lower); m; m = index.re.exec(lower)) {
    for (const k of index.prefixes.get(m[1]!) ?? []) {
      const list = places.get(k);
      if (list) list.push(m.index);
      else places.set(k, [m.index]);
    }
    index.re.lastIndex = m.index + 1;
  }
  return places;
}

/** The windows of text where a rule may match: around its keywords' places, merged. */
function windows(places: [number, number][], length: number, ahead: number): [number, number][] {
  if (!places.length) return [];
  const spans = places.map(([at, len]): [number, number] => [Math.max(0, at - BACK), Math.min(length, at + len + ahead)]).sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [spans[0]!];
  for (const s of spans.slice(1)) {
    const last = merged[merged.length - 1]!;
    if (s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
    else merged.push(s);
  }
  return merged;
}

function exactPlaces(text: string, words: string[]): [number, number][] {
  const out: [number, number][] = [];
  for (const w of words) for (let i = text.indexOf(w); i >= 0; i = text.indexOf(w, i + w.length)) out.push([i, w.length]);
  return out;
}

function lineAround(text: string, start: number, end: number): string {
  const from = text.lastIndexOf('\n', start - 1) + 1;
  const to = text.indexOf('\n', end);
  return text.slice(from, to < 0 ? text.length : to);
}

/** Every secret gitleaks' rules find in `text`, in text order, without overlaps. */
export function findSecrets(text: string, rules: readonly GitleaksRule[] = GITLEAKS.rules): Finding[] {
  if (text.length < 8) return [];
  const lower = asciiLower(text);
  const index = rules === GITLEAKS.rules ? (keywordIndex ??= indexFor(rules)) : indexFor(rules);
  const places = keywordPlaces(lower, index);
  // Most strings hold no keyword at all: nothing to look at rule by rule.
  if (!places.size && !EXACT_WORDS.some((w) => text.includes(w))) return [];
  const out: Finding[] = [];
  for (const rule of rules) {
    if (LEFT_TO_OWN_PASSES.has(rule.id)) continue;
    const ahead = /\.\*|\[\\s\\S\]|\[\\r\\n\]/.test(rule.regex) ? AHEAD_MULTILINE : AHEAD;
    const at: [number, number][] = exactPlaces(text, KEYWORD_OVERRIDES[rule.id]?.exact ?? []);
    for (const k of keywordsOf(rule)) for (const i of places.get(k) ?? []) at.push([i, k.length]);
    const spans = windows(at, text.length, ahead);
    if (!spans.length) continue;
    const c = compileRule(rule);
    for (const [from, to] of spans) {
      const slice = text.slice(from, to);
      if (c.prefilter && !c.prefilter.test(slice)) continue;
      const { re } = exact(c);
      if (!re) break;
      const m = re.matcher(slice);
      let at = 0;
      while (at <= slice.length && m.find(at)) {
        const whole = [m.start(0), m.end(0)] as const;
        at = whole[1] > whole[0] ? whole[1] : whole[1] + 1;
        let g = rule.secretGroup ?? 0;
        if (!g) for (let i = 1; i <= m.groupCount(); i++) if (m.group(i)) { g = i; break; }
        const start = m.start(g);
        const end = m.end(g);
        if (start < 0 || end <= start) continue;
        const secret = slice.slice(start, end);
        if (secret.includes('[REDACTED:')) continue;
        if (rule.entropy && entropy(secret) < rule.entropy) continue;
        if (allowed(c, secret, slice.slice(whole[0], whole[1]), lineAround(slice, start, end))) continue;
        out.push({ start: from + start, end: from + end, kind: rule.id });
      }
    }
  }
  out.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: Finding[] = [];
  for (const f of out) if (!kept.length || f.start >= kept[kept.length - 1]!.end) kept.push(f);
  return kept;
}

/** The version of the rule set, for the README and `doctor --secrets`. */
export const GITLEAKS_VERSION = `gitleaks ${GITLEAKS.version}`;
