import { Box, Text } from 'ink';
import { TextField } from './TextField.js';
import { useTheme } from '../theme.js';
import { useKeys } from '../hooks/use-keys.js';

/** The `/` filter line: typing filters at once, enter keeps the filter, esc clears it. */
export function FilterBar({ value, active, onChange, onDone, width }: { value: string; active: boolean; onChange: (v: string) => void; onDone: (keep: boolean) => void; width: number }) {
  const theme = useTheme();
  useKeys(
    (_input, key) => {
      if (key.escape) onDone(false);
      else if (key.return) onDone(true);
    },
    { isActive: active },
  );
  if (!active && !value) return null;
  return (
    <Box height={1} width={width}>
      <Text color={theme.text.accent}>/ </Text>
      {active ? (
        <Box width={Math.max(4, width - 2)}>
          <TextField value={value} onChange={onChange} onDone={() => onDone(true)} width={Math.max(4, width - 2)} rows={1} />
        </Box>
      ) : (
        <Text wrap="truncate">{value}</Text>
      )}
      {!active && <Text color={theme.text.secondary}> (/ to change, esc to clear)</Text>}
    </Box>
  );
}

export function matches(text: string, filter: string): boolean {
  const f = filter.trim().toLowerCase();
  return !f || f.split(/\s+/).every((w) => text.toLowerCase().includes(w));
}
