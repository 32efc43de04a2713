import { LINT_HELP } from '../../rules/lint.js';
import { Box, Text } from 'ink';
import { footerItems, helpRows, SCREENS, type KeyContext, type ScreenId } from '../keymap.js';
import type { Theme } from '../theme.js';

export function Header({ screen, theme, width, counts }: { screen: ScreenId; theme: Theme; width: number; counts: Partial<Record<ScreenId, number>> }) {
  const suffix = ' nevo-tui';
  const count = (id: ScreenId, roomy: boolean) => (counts[id] ? (roomy ? ` (${counts[id]})` : `(${counts[id]})`) : '');
  const roomyWidth = SCREENS.reduce((w, s) => w + ` ${s.key} ${s.title}${count(s.id, true)} `.length, 0);
  // Eight tabs with their counts overflow 80 columns: first the name goes, then the padding, so
  // every tab stays on screen rather than the last ones being cut off.
  const compact = roomyWidth > width;
  const parts = SCREENS.map((s, i) => ({ id: s.id, sep: compact && i ? ' ' : '', text: compact ? `${s.key} ${s.title}${count(s.id, false)}` : ` ${s.key} ${s.title}${count(s.id, true)} ` }));
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
export function Footer({ screen, theme, width }: { screen: KeyContext; theme: Theme; width: number }) {
  const items = footerItems(screen);
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

export function StatusLine({ text, tone, theme, width }: { text: string; tone: 'info' | 'ok' | 'warn' | 'error'; theme: Theme; width: number }) {
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

export function HelpOverlay({ screen, theme, height, width }: { screen: KeyContext; theme: Theme; height: number; width: number }) {
  const rows = helpRows(screen);
  const room = Math.max(1, height - 1);
  // Two columns when one does not fit: every binding stays visible at 80x24.
  const columns = rows.length > room ? 2 : 1;
  const perColumn = Math.ceil(rows.length / columns);
  const colWidth = Math.floor(width / columns);
  const keyWidth = columns === 2 ? 14 : 18;
  return (
    <Box flexDirection="column" height={height} width={width}>
      <Text bold color={theme.text.accent}>
        Keys on this screen (? or esc closes)
      </Text>
      <Box flexDirection="row">
        {Array.from({ length: columns }, (_, c) => (
          <Box key={c} flexDirection="column" width={colWidth}>
            {rows.slice(c * perColumn, (c + 1) * perColumn).slice(0, room).map((r) => (
              <Text key={r.keys} wrap="truncate">
                {r.keys.padEnd(keyWidth)} {r.help}
              </Text>
            ))}
          </Box>
        ))}
      </Box>
      {screen === 'rules' && room - perColumn > 2 ? (
        <>
          <Text bold color={theme.text.accent}>
            Lint flags
          </Text>
          {Object.entries(LINT_HELP)
            .slice(0, room - perColumn - 2)
            .map(([k, help]) => (
              <Text key={k} wrap="truncate">
                {k.padEnd(keyWidth)} {help}
              </Text>
            ))}
        </>
      ) : null}
    </Box>
  );
}
