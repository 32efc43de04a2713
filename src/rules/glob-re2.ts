// Globs as RE2 regular expressions: the hook matches guard paths with a linear-time engine, which
// has no lookaround, so the sources picomatch writes do not carry over. Globs are a small
// language: `**` any depth (dotfiles too), `*` and `?` within a segment, `[...]` classes,
// `{a,b}` alternatives (nested), `\` escapes. Extglobs (`*(a|b)`) are not globs here: their
// characters match themselves.

import { isRe2 } from '../util/re2.js';

const SPECIAL = /[.+^$()|\\[\]{}*?]/;
const escape = (c: string): string => (SPECIAL.test(c) ? `\\${c}` : c);

/** The regex source for `glob`, anchored at both ends; null for an unclosed `[` or `{`. */
export function globToRe2(glob: string): string | null {
  const body = translate(glob, 0, false);
  return body && body.end === glob.length ? `^${body.source}$` : null;
}

function translate(glob: string, start: number, inBraces: boolean): { source: string; end: number } | null {
  let out = '';
  let i = start;
  while (i < glob.length) {
    const c = glob[i]!;
    if (inBraces && (c === ',' || c === '}')) break;
    if (c === '\\' && i + 1 < glob.length) {
      out += escape(glob[i + 1]!);
      i += 2;
    } else if (c === '*' && glob[i + 1] === '*') {
      const atStart = i === 0 || glob[i - 1] === '/';
      const slashAfter = glob[i + 2] === '/';
      if (atStart && slashAfter) {
        out += '(?:.*/)?'; // `**/`: no folder, or any number of them
        i += 3;
      } else if (atStart && i + 2 === glob.length) {
        out = out.endsWith('/') ? `${out.slice(0, -1)}(?:/.*)?` : `${out}.*`; // `x/**`: x itself and all below
        i += 2;
      } else {
        out += '[^/]*';
        i += 2;
      }
    } else if (c === '*') {
      out += '[^/]*';
      i++;
    } else if (c === '?') {
      out += '[^/]';
      i++;
    } else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close < 0) return null;
      let cls = glob.slice(i + 1, close);
      if (cls.startsWith('!')) cls = `^${cls.slice(1)}`;
      out += `[${cls.replace(/\\(?!\])/g, '\\\\')}]`;
      i = close + 1;
    } else if (c === '{') {
      const options: string[] = [];
      let j = i + 1;
      for (;;) {
        const part = translate(glob, j, true);
        if (!part || part.end >= glob.length) return null;
        options.push(part.source);
        j = part.end + 1;
        if (glob[part.end] === '}') break;
      }
      out += `(?:${options.join('|')})`;
      i = j;
    } else {
      out += escape(c);
      i++;
    }
  }
  return { source: out, end: i };
}

/** A glob as an RE2 source; dotfiles match like any file (`**\/.env`). Null when it is not a valid glob. */
export function globSource(glob: string): string | null {
  const source = globToRe2(glob);
  return source && isRe2(source) ? source : null;
}
