// RE2 regular expressions for guards and gitleaks' secret rules: linear time in the length of the
// text, whatever the pattern, so nothing can stall the hook. No lookaround and no backreferences.
import type { RE2JS } from 're2js';
import loadRe2 from './re2-lazy.cjs';

const cache = new Map<string, RE2JS | null>();

/** The compiled pattern, once per process; null when it is not valid RE2 (a missing engine throws). */
export function re2(source: string): RE2JS | null {
  let re = cache.get(source);
  if (re === undefined) {
    const { RE2JS: Re2 } = loadRe2(); // outside the try: a missing engine must fail loudly, not match nothing
    try {
      re = Re2.compile(source);
    } catch {
      re = null;
    }
    cache.set(source, re);
  }
  return re;
}

export const isRe2 = (source: string): boolean => re2(source) !== null;

/** Whether `source` matches anywhere in `text` (RegExp#test's meaning). */
export function re2Test(source: string, text: string): boolean {
  const re = re2(source);
  return re !== null && re.matcher(text).find();
}

/**
 * Text every match of `source` must contain, one string per top-level alternative (the longest
 * literal run outside groups and classes); null when that cannot be told simply. The hook skips a
 * guard whose literals the command does not hold, without compiling it. Case-insensitive
 * patterns get none.
 */
export function requiredLiterals(source: string): string[] | null {
  if (/\(\?[a-zA-Z]*i/.test(source)) return null;
  const branches: string[] = [];
  let best = '';
  let run = '';
  let depth = 0;
  const endRun = () => {
    if (run.length > best.length) best = run;
    run = '';
  };
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '[') {
      // skip the class: `[]a]` and `[^]a]` hold a literal ], `\]` an escaped one
      let j = i + 1;
      if (source[j] === '^') j++;
      if (source[j] === ']') j++;
      while (j < source.length && source[j] !== ']') j += source[j] === '\\' ? 2 : 1;
      if (j >= source.length) return null;
      if (depth === 0) endRun();
      i = j;
      continue;
    }
    if (c === '(') {
      if (depth === 0) endRun();
      depth++;
      continue;
    }
    if (c === ')') {
      depth--;
      if (depth < 0) return null;
      continue;
    }
    if (depth > 0) {
      if (c === '\\') i++;
      continue;
    }
    if (c === '|') {
      endRun();
      if (!best) return null;
      branches.push(best);
      best = '';
      continue;
    }
    const repeat = c === '{' ? /^\{\d+(?:,\d*)?\}/.exec(source.slice(i)) : null;
    if (repeat) {
      endRun(); // a repeat count, handled with the character before it
      i += repeat[0].length - 1;
      continue;
    }
    let literal: string | null = null;
    if (c === '\\') {
      const n = source[i + 1];
      if (n === undefined) return null;
      i++;
      if (/[A-Za-z0-9]/.test(n)) {
        literal = n === 'n' ? '\n' : n === 't' ? '\t' : null;
        if (literal === null && (n === 'p' || n === 'P') && source[i + 1] === '{') i = source.indexOf('}', i);
        if (i < 0) return null;
      } else literal = n;
    } else if (!'.^$*+?'.includes(c)) literal = c;
    const q = source[i + 1];
    if (literal === null) {
      endRun();
      continue;
    }
    if (q === '?' || q === '*' || (q === '{' && /^\{0(?:,\d*)?\}/.test(source.slice(i + 1)))) {
      endRun(); // optional: not required
      continue;
    }
    run += literal;
    if (q === '+' || (q === '{' && /^\{\d+(?:,\d*)?\}/.test(source.slice(i + 1)))) endRun(); // repeated: what follows may not be next to it
  }
  endRun();
  if (depth !== 0 || !best) return null;
  branches.push(best);
  return branches;
}
