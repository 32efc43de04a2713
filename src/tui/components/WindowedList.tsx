import { Box, Text } from 'ink';
import { memo, useRef, type ReactNode } from 'react';
import { windowStart } from './list-window.js';
import { useTheme } from '../theme.js';

interface Props<T> {
  items: T[];
  selected: number;
  height: number;
  width: number;
  render: (item: T, selected: boolean) => string;
  empty?: ReactNode;
}

const Row = memo(function Row({ text, selected, width }: { text: string; selected: boolean; width: number }) {
  const theme = useTheme();
  const full = `${selected ? theme.mark.selected : ' '} ${text}`;
  // A cut row says so, rather than ending mid-word as if that were all.
  const line = full.length > width ? `${full.slice(0, Math.max(0, width - 1))}…` : full;
  return (
    <Text inverse={selected} color={selected ? theme.text.accent : undefined} wrap="truncate">
      {line}
    </Text>
  );
});

/** Only the rows that fit are rendered: 10,000 items cost what 20 do. */
export function WindowedList<T>({ items, selected, height, width, render, empty }: Props<T>) {
  const theme = useTheme();
  const start = useRef(0);
  if (items.length === 0) return <Box height={height}>{empty ?? <Text color={theme.text.secondary}>(nothing here)</Text>}</Box>;
  start.current = windowStart(selected, start.current, height, items.length);
  const visible = items.slice(start.current, start.current + height);
  return (
    <Box flexDirection="column" height={height}>
      {visible.map((item, i) => (
        <Row key={start.current + i} text={render(item, start.current + i === selected)} selected={start.current + i === selected} width={width} />
      ))}
    </Box>
  );
}
