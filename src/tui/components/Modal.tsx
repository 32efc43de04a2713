import { Box, Text } from 'ink';
import { useRef, useState } from 'react';
import { actionFor } from '../keymap.js';
import { cellWidth, fitCells, wrap } from './cells.js';
import { TextField } from './TextField.js';
import { useTheme } from '../theme.js';
import { useKeys } from '../hooks/use-keys.js';

export type ModalSpec =
  | { kind: 'prompt'; title: string; initial?: string; onSubmit: (value: string) => void }
  | { kind: 'confirm'; message: string; onYes: () => void }
  /** A line of text, or one of `options` by its number (the keys of the `reason` context). */
  | { kind: 'pick'; title: string; options: string[]; onSubmit: (value: string) => void };

/** At most this many rows of a y/n question: it says what will happen, and the screen stays above it. */
const MAX_CONFIRM_LINES = 4;

/** A y/n question wrapped inside the border and padding, `[y/N]` ending its last line. */
function confirmLines(message: string, width: number): string[] {
  const lines = wrap(`${message} [y/N]`, Math.max(8, width - 4));
  if (lines.length <= MAX_CONFIRM_LINES) return lines;
  const kept = lines.slice(0, MAX_CONFIRM_LINES);
  kept[MAX_CONFIRM_LINES - 1] = `${fitCells(`${kept[MAX_CONFIRM_LINES - 1]!} ${lines[MAX_CONFIRM_LINES]!}`, Math.max(8, width - 4) - 6)} [y/N]`;
  return kept;
}

/** Rows the modal takes: its border, the question (a y/n one wrapped), and a numbered option a row. */
export function modalHeight(spec: ModalSpec, width: number): number {
  return 2 + (spec.kind === 'confirm' ? confirmLines(spec.message, width).length : 1) + (spec.kind === 'pick' ? spec.options.length : 0);
}

/** A question at the bottom of the screen: a line of text (enter submits), a numbered pick, or y/n; esc cancels. */
export function Modal({ spec, width, onClose }: { spec: ModalSpec; width: number; onClose: () => void }) {
  const theme = useTheme();
  const [value, setTyped] = useState(spec.kind === 'prompt' ? (spec.initial ?? '') : '');
  // What is typed, as of the last key: an enter right after it must not see the text of the render before.
  const typed = useRef(value);
  const setValue = (v: string) => {
    typed.current = v;
    setTyped(v);
  };
  useKeys((input, key) => {
    if (key.escape) return onClose();
    if (key.return && spec.kind !== 'confirm') {
      onClose();
      return spec.onSubmit(typed.current);
    }
    if (spec.kind === 'pick') {
      // A digit picks only before anything is typed: "2 days late" can still be typed.
      const chosen = actionFor({ input, key }, 'reason') === 'pickReason' && typed.current === '' ? spec.options[Number(input) - 1] : undefined;
      if (chosen !== undefined) {
        onClose();
        spec.onSubmit(chosen);
      }
      return;
    }
    if (spec.kind === 'confirm') {
      if (input === 'y' || input === 'Y') {
        onClose();
        spec.onYes();
      } else if (input === 'n' || input === 'N' || key.return) onClose();
    }
  }, { text: spec.kind !== 'confirm' });
  // One line: the title, then what is typed (the line with the cursor when it is longer).
  const field = (title: string, onSubmit: (v: string) => void) => (
    <Box>
      <Text bold>{title} </Text>
      <Box width={Math.max(4, width - 4 - cellWidth(title) - 1)}>
        <TextField
          value={value}
          onChange={setValue}
          onDone={(v) => {
            onClose();
            onSubmit(v);
          }}
          width={Math.max(4, width - 4 - cellWidth(title) - 1)}
          rows={1}
          {...(spec.kind === 'pick' ? { skip: (input: string, text: string) => text === '' && actionFor({ input, key: {} }, 'reason') === 'pickReason' && spec.options[Number(input) - 1] !== undefined } : {})}
        />
      </Box>
    </Box>
  );
  return (
    <Box borderStyle="single" borderColor={theme.text.accent} width={width} height={modalHeight(spec, width)} paddingX={1} flexDirection="column">
      {spec.kind === 'prompt' ? (
        field(spec.title, spec.onSubmit)
      ) : spec.kind === 'pick' ? (
        <>
          {field(spec.title, spec.onSubmit)}
          {spec.options.map((o, i) => (
            <Text key={i} wrap="truncate" color={theme.text.secondary}>
              <Text bold color={theme.text.accent}>
                {i + 1}
              </Text>{' '}
              {o}
            </Text>
          ))}
        </>
      ) : (
        confirmLines(spec.message, width).map((line, i, all) => (
          <Text key={i} wrap="truncate">
            {i < all.length - 1 ? line : line.slice(0, -'[y/N]'.length)}
            {i === all.length - 1 ? <Text bold>[y/N]</Text> : null}
          </Text>
        ))
      )}
    </Box>
  );
}
