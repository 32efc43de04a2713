import { UserError } from '../errors.js';

/** Line and column of a character offset, for pointing at a JSON syntax error. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return { line, column: offset - last };
}

/** Parses JSON or throws a UserError naming the file, the line and the column. */
export function parseJsonText(text: string, file: string, fix?: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message;
    const pos = /position (\d+)/.exec(message);
    const where = pos ? (() => { const lc = lineColumn(text, Number(pos[1])); return ` at line ${lc.line}, column ${lc.column}`; })() : text.trim() === '' ? ' (the file is empty)' : '';
    throw new UserError(`${file}: not valid JSON${where}: ${message}${fix ? `\n${fix}` : ''}`);
  }
}

export function stableJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
