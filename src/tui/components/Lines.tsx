import { Text } from 'ink';
import { fitCells, wrap } from './cells.js';
import { move } from './list-window.js';
import { useTheme, type Theme } from '../theme.js';

/** One row of a detail view: the screens build these (pure), then `LineRows` draws them. */
export interface Line {
  text: string;
  bold?: boolean;
  tone?: 'secondary' | 'accent' | 'ok' | 'warn' | 'error';
  /** A second column, drawn after `text` padded to `at` cells (two sections side by side). */
  right?: { text: string; at: number; bold?: boolean; tone?: Line['tone'] };
}

/** Two lists of lines side by side: the left column `at` cells wide, one space between. */
export function sideBySide(left: Line[], right: Line[], at: number): Line[] {
  const out: Line[] = [];
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const l = left[i] ?? { text: '' };
    const r = right[i];
    out.push(r ? { ...l, right: { text: r.text, at: at + 1, ...(r.bold ? { bold: true } : {}), ...(r.tone ? { tone: r.tone } : {}) } } : l);
  }
  return out;
}

/** `text` word-wrapped to `width` cells as lines, each after `indent`, in one style. */
export function paragraph(text: string, width: number, style: { tone?: Line['tone']; bold?: boolean; indent?: string } = {}): Line[] {
  const indent = style.indent ?? '';
  return wrap(text, width - indent.length).map((t) => ({ text: `${indent}${t}`, ...(style.tone ? { tone: style.tone } : {}), ...(style.bold ? { bold: true } : {}) }));
}

function color(tone: Line['tone'], theme: Theme): string | undefined {
  if (!tone) return undefined;
  return tone === 'secondary' ? theme.text.secondary : tone === 'accent' ? theme.text.accent : theme.status[tone];
}

/**
 * A sentence word-wrapped to `width` cells, a Text a line. Ink's own wrapping carries the space it
 * broke at to the start of the next line when a line is exactly full; this never does.
 */
export function Paragraph({ text, width, color, bold }: { text: string; width: number; color?: string | undefined; bold?: boolean }) {
  return (
    <>
      {wrap(text, width).map((line, i) => (
        <Text key={i} wrap="truncate" color={color} bold={bold}>
          {line || ' '}
        </Text>
      ))}
    </>
  );
}

/** The `rows` lines from `scroll` on, each cut to `width` cells. */
export function LineRows({ lines, scroll = 0, rows, width }: { lines: Line[]; scroll?: number; rows: number; width: number }) {
  const theme = useTheme();
  return (
    <>
      {lines.slice(scroll, scroll + rows).map((l, i) =>
        l.right ? (
          <Text key={scroll + i} wrap="truncate">
            <Text bold={l.bold} color={color(l.tone, theme)}>
              {fitCells(l.text, l.right.at - 1).padEnd(l.right.at)}
            </Text>
            <Text bold={l.right.bold} color={color(l.right.tone, theme)}>
              {fitCells(l.right.text, Math.max(1, width - l.right.at))}
            </Text>
          </Text>
        ) : (
          <Text key={scroll + i} wrap="truncate" bold={l.bold} color={color(l.tone, theme)}>
            {fitCells(l.text, width) || ' '}
          </Text>
        ),
      )}
    </>
  );
}

/** A new first row for a movement action over `total` lines shown `rows` at a time. */
export function scrollBy(scroll: number, action: string | null, total: number, rows: number): number {
  return move(scroll, action, Math.max(1, total - rows + 1), rows);
}
