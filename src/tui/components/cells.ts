/**
 * Terminal cells, not string length: CJK, Hangul, full-width forms and most emoji take two
 * columns, combining marks none. Memory holds what people typed, in any script, and a row padded
 * by `.length` would push its last column off the screen.
 */
// The emoji below U+1F000 that terminals draw two cells wide (East Asian Width W).
const WIDE = /[\u231a\u231b\u23e9-\u23ec\u23f0\u23f3\u25fd\u25fe\u2614\u2615\u2648-\u2653\u267f\u2693\u26a1\u26aa\u26ab\u26bd\u26be\u26c4\u26c5\u26ce\u26d4\u26ea\u26f2\u26f3\u26f5\u26fa\u26fd\u2705\u270a\u270b\u2728\u274c\u274e\u2753-\u2755\u2757\u2795-\u2797\u27b0\u27bf\u2b1b\u2b1c\u2b50\u2b55\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{1f300}-\u{1f64f}\u{1f900}-\u{1f9ff}\u{20000}-\u{3fffd}]/u;
const ZERO = /[\p{Mn}\p{Me}\u200b-\u200f\ufe00-\ufe0f]/u;

function charWidth(ch: string): number {
  if (ZERO.test(ch)) return 0;
  return WIDE.test(ch) ? 2 : 1;
}

export function cellWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += charWidth(ch);
  return w;
}

/** One line of at most `width` cells; a cut is marked with an ellipsis. */
export function fitCells(text: string, width: number): string {
  const flat = text.replace(/[\r\n\t]+/g, ' ');
  if (cellWidth(flat) <= width) return flat;
  let out = '';
  let used = 0;
  for (const ch of flat) {
    const w = charWidth(ch);
    if (used + w > width - 1) break;
    out += ch;
    used += w;
  }
  return width > 0 ? `${out}…` : '';
}

/** `text` cut and padded to exactly `width` cells. */
export function padCells(text: string, width: number): string {
  const cut = fitCells(text, width);
  return cut + ' '.repeat(Math.max(0, width - cellWidth(cut)));
}

/** Word-wraps text to `width` cells a line; words longer than a line are cut; leading indentation stays. */
export function wrap(text: string, width: number): string[] {
  const w = Math.max(8, width);
  const out: string[] = [];
  for (const raw of text.replace(/\t/g, '  ').split('\n')) {
    const indent = /^ */.exec(raw)![0].slice(0, Math.floor(w / 2));
    const room = w - indent.length;
    let line = '';
    let used = 0;
    const push = () => {
      out.push(indent + line);
      line = '';
      used = 0;
    };
    for (const word of raw.trim().split(/ +/)) {
      const ww = cellWidth(word);
      if (ww > room) {
        for (const ch of (line ? ' ' : '') + word) {
          const c = charWidth(ch);
          if (used + c > room) {
            push();
            if (ch === ' ') continue;
          }
          line += ch;
          used += c;
        }
      } else if (!line) {
        line = word;
        used = ww;
      } else if (used + 1 + ww <= room) {
        line += ` ${word}`;
        used += 1 + ww;
      } else {
        push();
        line = word;
        used = ww;
      }
    }
    out.push(line ? indent + line : '');
  }
  return out;
}
