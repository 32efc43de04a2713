// The README's key table, written from the keymap: `npm run readme:keys` puts it between the
// markers, and a test fails when the README's copy differs, so the README cannot drift either.
import { BINDINGS, SCREENS, type Binding, type KeyContext } from './keymap.js';

export const KEYS_START = '<!-- keys:start (npm run readme:keys writes this table from src/tui/keymap.ts) -->';
export const KEYS_END = '<!-- keys:end -->';

const CONTEXT_NAMES: Record<KeyContext, string> = {
  ...(Object.fromEntries(SCREENS.map((s) => [s.id, s.title])) as Record<(typeof SCREENS)[number]['id'], string>),
  editor: 'rule editor',
  reason: 'reason for a rejection',
};

const shown = (key: string) => `\`${key === 'escape' ? 'esc' : key}\``;

function keysOf(b: Binding): string {
  if (b.keyLabel) {
    const range = /^(\S+)-(\S+)$/.exec(b.keyLabel);
    return range ? `${shown(range[1]!)}-${shown(range[2]!)}` : shown(b.keyLabel);
  }
  return b.keys.map(shown).join(', ');
}

function whereOf(b: Binding): string {
  if (b.where !== 'global') {
    const names = b.where.map((c) => CONTEXT_NAMES[c]).join(', ');
    return b.detail === 'only' ? `${names}, an item open` : b.detail === 'also' ? `${names}, in the list and with an item open` : names;
  }
  const not = (b.not ?? []).map((c) => CONTEXT_NAMES[c]);
  return not.length ? `everywhere but the ${not.join(', ')} (save or leave it first)` : 'everywhere';
}

const cell = (text: string) => text.replace(/\|/g, '\\|');

/** Rows: keys that work everywhere first, then each screen's and field's own, in the keymap's order. */
export function keyTableMarkdown(): string {
  const global = BINDINGS.filter((b) => b.where === 'global');
  const local = BINDINGS.filter((b) => b.where !== 'global');
  const jump = `| ${shown(SCREENS[0]!.key)}-${shown(SCREENS[SCREENS.length - 1]!.key)} | everywhere but the rule editor (save or leave it first) | jump to a screen: ${SCREENS.map((s) => `${s.key} ${s.title}`).join(', ')} |`;
  const rows = [...global, ...local].map((b) => `| ${keysOf(b)} | ${whereOf(b)} | ${cell(b.doc ?? b.help)} |`);
  return ['| keys | where | what |', '| --- | --- | --- |', ...rows.slice(0, global.length), jump, ...rows.slice(global.length)].join('\n');
}

/** The README with its key table written anew; the same text when it is already up to date. */
export function withKeyTable(readme: string): string {
  const start = readme.indexOf(KEYS_START);
  const end = readme.indexOf(KEYS_END);
  if (start < 0 || end < start) throw new Error(`README.md: the key table's markers are missing; put ${KEYS_START} and ${KEYS_END} where it goes`);
  return `${readme.slice(0, start + KEYS_START.length)}\n${keyTableMarkdown()}\n${readme.slice(end)}`;
}
