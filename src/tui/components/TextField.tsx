import { Text } from 'ink';
import { useRef, useState } from 'react';
import { useKeys } from '../hooks/use-keys.js';

/** One line of a field's value: `[start, end)` of the value. */
export interface FieldLine {
  start: number;
  end: number;
}

/**
 * Pure: `value` in lines of at most `room` characters (and the space that ends a full one), each
 * broken after the last space that fits (the space ends its line, so no line starts with the space
 * it broke at), or inside a word longer than a line. Every character belongs to exactly one line, so a cursor offset maps to one place.
 */
export function fieldLines(value: string, room: number): FieldLine[] {
  const width = Math.max(2, room);
  const out: FieldLine[] = [];
  let start = 0;
  while (value.length - start > width) {
    const next = start + width;
    // A space right after a full line ends that line (in the cell kept for the cursor).
    const space = value[next] === ' ' ? next : value.lastIndexOf(' ', next - 1);
    const end = space >= start ? space + 1 : next;
    out.push({ start, end });
    start = end;
  }
  out.push({ start, end: value.length });
  return out;
}

/** The line the cursor is on: the one holding its character, or the last at the end of the value. */
export function cursorLine(lines: FieldLine[], cursor: number): number {
  const at = lines.findIndex((l) => cursor >= l.start && cursor < l.end);
  return at >= 0 ? at : lines.length - 1;
}

/**
 * A text field drawn in at most `rows` lines of `width` cells (wrapped as `fieldLines` says, the
 * lines around the cursor when it is taller), so it never draws over the rows below it. It reads
 * typed text, pastes, backspace/delete, left/right and home/end (ctrl+a/ctrl+e); enter, esc, tab,
 * up/down and other ctrl chords are left to the screen, but an enter in a chunk of typed keys calls `onDone`.
 */
export function TextField({ value, onChange, onDone, skip, width, rows }: { value: string; onChange: (value: string) => void; onDone?: (value: string) => void; skip?: (input: string, text: string) => boolean; width: number; rows: number }) {
  // Keys that come before the next render must see the text and cursor the key before left.
  const state = useRef({ text: value, cursor: value.length });
  const [, redraw] = useState(0);
  useKeys((input, key) => {
    const s = state.current;
    if (key.return || key.escape || key.tab || key.upArrow || key.downArrow) return;
    // A key the field's owner takes for itself (a digit that picks a numbered option).
    if (skip?.(input, s.text)) return;
    let { text, cursor } = s;
    if (key.leftArrow) cursor = Math.max(0, cursor - 1);
    else if (key.rightArrow) cursor = Math.min(text.length, cursor + 1);
    else if (key.home || (key.ctrl && input === 'a')) cursor = 0;
    else if (key.end || (key.ctrl && input === 'e')) cursor = text.length;
    else if (key.backspace || key.delete) {
      if (cursor > 0) {
        text = text.slice(0, cursor - 1) + text.slice(cursor);
        cursor -= 1;
      }
    } else if (input && !key.ctrl && !key.meta) {
      // Keys typed quickly come as one chunk: an enter among them ends the field after the text before it.
      const end = input.search(/[\r\n]/);
      const typed = (end < 0 ? input : input.slice(0, end)).replace(/\t/g, ' ');
      text = text.slice(0, cursor) + typed + text.slice(cursor);
      cursor += typed.length;
      if (end >= 0) {
        state.current = { text, cursor };
        if (text !== s.text) onChange(text);
        return onDone?.(text);
      }
    } else return;
    const changed = text !== s.text;
    state.current = { text, cursor };
    redraw((n) => n + 1);
    if (changed) onChange(text);
  });
  const { text, cursor } = state.current;
  // One cell is kept for the cursor after the last character.
  const lines = fieldLines(text, width - 1);
  const at = cursorLine(lines, cursor);
  const shown = Math.max(1, rows);
  const first = Math.max(0, Math.min(at - shown + 1, lines.length - shown));
  return (
    <>
      {lines.slice(first, first + shown).map((l, i) => {
        const line = text.slice(l.start, l.end);
        const here = first + i === at ? cursor - l.start : -1;
        return (
          <Text key={first + i} wrap="truncate">
            {here < 0 ? (
              line || ' '
            ) : (
              <>
                {line.slice(0, here)}
                <Text inverse>{line[here] ?? ' '}</Text>
                {line.slice(here + 1)}
              </>
            )}
          </Text>
        );
      })}
    </>
  );
}

