import { Box, Text, useInput } from 'ink';
import TextInput from 'ink-text-input';
import { useState } from 'react';
import type { Theme } from '../theme.js';

export type ModalSpec =
  | { kind: 'prompt'; title: string; initial?: string; onSubmit: (value: string) => void }
  | { kind: 'confirm'; message: string; onYes: () => void };

/** A question at the bottom of the screen: a line of text (enter submits) or y/n; esc cancels. */
export function Modal({ spec, theme, width, onClose }: { spec: ModalSpec; theme: Theme; width: number; onClose: () => void }) {
  const [value, setValue] = useState(spec.kind === 'prompt' ? (spec.initial ?? '') : '');
  useInput((input, key) => {
    if (key.escape) return onClose();
    if (spec.kind === 'confirm') {
      if (input === 'y' || input === 'Y') {
        onClose();
        spec.onYes();
      } else if (input === 'n' || input === 'N' || key.return) onClose();
    }
  });
  return (
    <Box borderStyle="single" borderColor={theme.text.accent} width={width} height={3} paddingX={1}>
      {spec.kind === 'prompt' ? (
        <Box>
          <Text bold>{spec.title} </Text>
          <TextInput
            value={value}
            onChange={setValue}
            onSubmit={(v) => {
              onClose();
              spec.onSubmit(v);
            }}
          />
        </Box>
      ) : (
        <Text wrap="truncate">
          {/* the message gives way, never the [y/N]: inside the border and padding, 6 columns are the hint's */}
          {spec.message.length > width - 10 ? `${spec.message.slice(0, Math.max(0, width - 11))}…` : spec.message} <Text bold>[y/N]</Text>
        </Text>
      )}
    </Box>
  );
}
