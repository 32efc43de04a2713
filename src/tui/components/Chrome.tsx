import { LINT_HELP } from '../../rules/lint.js';
import { Box, Text } from 'ink';
import { footerItems, helpRows, ownBindings, SCREENS, type KeyContext, type ScreenId } from '../keymap.js';
import { wrap } from './cells.js';
import { LineRows, type Line } from './Lines.js';
import { useTheme } from '../theme.js';

export function Header({ screen, width, counts }: { screen: ScreenId; width: number; counts: Partial<Record<ScreenId, number>> }) {
  const theme = useTheme();
  const suffix = ' nevo-tui';
  const count = (id: ScreenId, roomy: boolean) => (counts[id] ? (roomy ? ` (${counts[id]})` : `(${counts[id]})`) : '');
  const roomyWidth = SCREENS.reduce((w, s) => w + ` ${s.key} ${s.title}${count(s.id, true)} `.length, 0);
  // Eight tabs with their counts overflow 80 columns: first the name goes, then the padding, then
  // the other screens' titles are shortened (the current one stays whole), so every tab stays on
  // screen rather than the last ones being cut off.
  const compact = roomyWidth > width;
  const mark = theme.mono ? 2 : 0;
  const compactWidth = (letters: number) =>
    SCREENS.reduce((w, s, i) => w + (i ? 1 : 0) + `${s.key} ${s.id === screen ? s.title : s.title.slice(0, letters)}${count(s.id, false)}`.trimEnd().length, mark);
  let letters = Math.max(...SCREENS.map((s) => s.title.length));
  while (letters > 0 && compactWidth(letters) > width) letters--;
  const parts = SCREENS.map((s, i) => ({
    id: s.id,
    sep: compact && i ? ' ' : '',
    text: compact ? `${s.key} ${s.id === screen ? s.title : s.title.slice(0, letters)}`.trimEnd() + count(s.id, false) : ` ${s.key} ${s.title}${count(s.id, true)} `,
  }));
  return (
    <Box width={width} height={1}>
      <Text bold wrap="truncate">
        {parts.map((p) => (
          <Text key={p.id} color={theme.text.secondary}>
            {p.sep}
            <Text inverse={p.id === screen} color={p.id === screen ? theme.text.accent : theme.text.secondary}>
              {p.id === screen && theme.mono ? `[${p.text.trim()}]` : p.text}
            </Text>
          </Text>
        ))}
        {!compact && roomyWidth + suffix.length <= width && <Text color={theme.text.secondary}>{suffix}</Text>}
      </Text>
    </Box>
  );
}

/** One line: as many hints as fit at this width, `? help` and `q quit` always last. */
export function Footer({ screen, detail = false, width }: { screen: KeyContext; detail?: boolean; width: number }) {
  const theme = useTheme();
  const items = footerItems(screen, detail);
  const fixed: string[] = items.filter((i) => i === '? help' || i === 'q quit');
  const rest = items.filter((i) => !fixed.includes(i));
  const shown: string[] = [];
  let used = fixed.join(' · ').length;
  for (const item of rest) {
    if (used + item.length + 3 > width - 1) break;
    shown.push(item);
    used += item.length + 3;
  }
  return (
    <Box height={1} width={width}>
      <Text color={theme.text.secondary} wrap="truncate">
        {[...shown, ...fixed].join(' · ')}
      </Text>
    </Box>
  );
}

export function StatusLine({ text, tone, width }: { text: string; tone: 'info' | 'ok' | 'warn' | 'error'; width: number }) {
  const theme = useTheme();
  const mark = tone === 'error' ? theme.mark.error : tone === 'warn' ? theme.mark.warn : tone === 'ok' ? theme.mark.ok : '';
  return (
    <Box height={1} width={width}>
      <Text color={theme.status[tone]} wrap="truncate">
        {mark ? `${mark} ` : ''}
        {text}
      </Text>
    </Box>
  );
}

/** The width of the keys column of the help. */
const HELP_KEYS = 18;

/**
 * Pure: the help's lines at this width: each binding's keys, then its help wrapped beside them
 * (never cut); on Rules, after its own keys, what each lint flag means and how to clear it.
 */
export function helpLines(screen: KeyContext, width: number, detail = false): Line[] {
  const room = Math.max(10, width - HELP_KEYS - 1);
  const row = (keys: string, help: string): Line[] => wrap(help, room).map((text, i) => ({ text: `${(i ? '' : keys).padEnd(HELP_KEYS)} ${text}` }));
  const rows = helpRows(screen, detail).map((r) => row(r.keys, r.help));
  if (screen !== 'rules') return rows.flat();
  // The screen's own keys come first in helpRows; the lint flags follow them, before the keys every screen has.
  const own = ownBindings(screen, detail).length;
  const flags = [{ text: 'Lint flags', bold: true, tone: 'accent' as const }, ...Object.entries(LINT_HELP).flatMap(([flag, help]) => row(flag, help)), { text: '' }];
  return [...rows.slice(0, own).flat(), { text: '' }, ...flags, ...rows.slice(own).flat()];
}

/** The help's lines and how many of them show at once in a body `height` rows tall (one row less when a mark says more is below). */
export function helpView(screen: KeyContext, width: number, height: number, detail = false): { lines: Line[]; rows: number } {
  const lines = helpLines(screen, width, detail);
  const room = Math.max(1, height - 1);
  return { lines, rows: lines.length > room ? Math.max(1, room - 1) : room };
}

/** The keys of this screen under a title; taller than the body, it scrolls (`scroll` is its first line) under a mark of what is below. */
export function HelpOverlay({ screen, detail = false, height, width, scroll = 0 }: { screen: KeyContext; detail?: boolean; height: number; width: number; scroll?: number }) {
  const theme = useTheme();
  const { lines, rows } = helpView(screen, width, height, detail);
  const at = Math.max(0, Math.min(scroll, lines.length - rows));
  const below = lines.length - at - rows;
  const mark = lines.length <= rows ? '' : below > 0 ? `▼ ${below} more line(s) below · j/k scroll` : '▲ end of the help · k scrolls back';
  return (
    <Box flexDirection="column" height={height} width={width}>
      <Text bold color={theme.text.accent} wrap="truncate">
        Keys on this screen (? or esc closes)
      </Text>
      <LineRows lines={lines} scroll={at} rows={rows} width={width} />
      {mark ? (
        <Text color={theme.text.secondary} wrap="truncate">
          {mark}
        </Text>
      ) : null}
    </Box>
  );
}
