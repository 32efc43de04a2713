import { Box, Text, useInput } from 'ink';
import TextInput from 'ink-text-input';
import { useState } from 'react';
import { actionFor } from '../keymap.js';
import type { Theme } from '../theme.js';

export type ModalSpec =
  | { kind: 'prompt'; title: string; initial?: string; onSubmit: (value: string) => void }
  | { kind: 'confirm'; message: string; onYes: () => void }
  /** A line of text, or one of `options` by its number (the keys of the `reason` context). */
  | { kind: 'pick'; title: string; options: string[]; onSubmit: (value: string) => void };

/** Rows the modal takes: its border, the question, and a numbered option a row. */
export function modalHeight(spec: ModalSpec): number {
  return 3 + (spec.kind === 'pick' ? spec.options.length : 0);
}

/** A question at the bottom of the screen: a line of text (enter submits), a numbered pick, or y/n; esc cancels. */
export function Modal({ spec, theme, width, onClose }: { spec: ModalSpec; theme: Theme; width: number; onClose: () => void }) {
  const [value, setValue] = useState(spec.kind === 'prompt' ? (spec.initial ?? '') : '');
  useInput((input, key) => {
    if (key.escape) return onClose();
    if (spec.kind === 'pick') {
      // A digit picks only before anything is typed: "2 days late" can still be typed.
      const chosen = actionFor({ input, key }, 'reason') === 'pickReason' && value === '' ? spec.options[Number(input) - 1] : undefined;
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
  });
  const field = (title: string, onSubmit: (v: string) => void) => (
    <Box>
      <Text bold>{title} </Text>
      <TextInput
        value={value}
        onChange={setValue}
        onSubmit={(v) => {
          onClose();
          onSubmit(v);
        }}
      />
    </Box>
  );
  return (
    <Box borderStyle="single" borderColor={theme.text.accent} width={width} height={modalHeight(spec)} paddingX={1} flexDirection="column">
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
        <Text wrap="truncate">
          {/* the message gives way, never the [y/N]: inside the border and padding, 6 columns are the hint's */}
          {spec.message.length > width - 10 ? `${spec.message.slice(0, Math.max(0, width - 11))}…` : spec.message} <Text bold>[y/N]</Text>
        </Text>
      )}
    </Box>
  );
}
