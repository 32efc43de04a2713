import { Box, Text } from 'ink';
import type { Rule } from '../../rules/rule.js';
import { FilterBar, matches } from '../components/FilterBar.js';
import { WindowedList } from '../components/WindowedList.js';
import { useFilter } from '../hooks/use-filter.js';
import { useListDetail } from '../hooks/use-list-detail.js';
import { RuleEditor, useRuleEditing } from './RuleEditor.js';
import { ago, fit, type ScreenProps } from './types.js';
import { wrap } from '../components/cells.js';
import { ruleMove } from '../../rules/review.js';
import { LINT_HELP, type LintKind } from '../../rules/lint.js';
import { useTheme } from '../theme.js';

export function Rules(props: ScreenProps) {
  const { snapshot, services, width, height, keys, ui, focus } = props;
  const theme = useTheme();
  const { filter, filtering, handle: filterKey, bar } = useFilter(() => cursor.select(0));
  const { editing, open: openEditor, close: closeEditor } = useRuleEditing(ui);
  const rules = snapshot.rules.filter((r) => matches(`${r.id} ${r.status} ${r.title} ${r.body}`, filter));
  // The editor is this screen's detail (useRuleEditing): the cursor keeps only the selection.
  const cursor = useListDetail<never>(rules.length, { selected: () => Math.max(0, focus ? snapshot.rules.findIndex((r) => r.id === focus) : 0) });
  const sel = cursor.selected;
  const rule = rules[sel];
  const listHeight = Math.max(1, height - 2 - (filter || filtering ? 1 : 0));

  keys.current = (action) => {
    if (editing || filtering) return false;
    if (filterKey(action)) return true;
    if (cursor.move(action, listHeight)) return true;
    switch (action) {
      case 'open':
        if (rule) openEditor(rule);
        return true;
      case 'deprecate':
      case 'restore': {
        if (!rule) return true;
        // Refused before asking, as the CLI would refuse it after.
        const m = ruleMove(rule, action);
        if (m.refused) ui.notify(m.refused, 'warn');
        else if (action === 'deprecate') {
          const leaves = rule.status === 'active' ? "It leaves the agent's context." : 'It leaves Review.';
          ui.confirm(`Deprecate ${rule.id}? ${leaves}`, () => ui.act(`deprecate ${rule.id}`, async () => `${rule.id} deprecated (commit ${(await services.deprecate(rule.id)).commit?.slice(0, 7)})`));
        } else {
          ui.confirm(`Restore ${rule.id} (${rule.status}) as ${m.to}?`, () => ui.act(`restore ${rule.id}`, async () => `${rule.id} is ${(await services.restore(rule.id)).rule.status} again`));
        }
        return true;
      }
      default:
        return false;
    }
  };

  if (editing) return <RuleEditor {...props} rule={editing} onClose={closeEditor} />;
  const mark = (r: Rule) => (r.status === 'active' ? theme.mark.ok : r.status === 'proposed' ? theme.mark.new : r.status === 'rejected' ? theme.mark.error : '-');
  const effectOf = (id: string) => {
    const e = snapshot.effectiveness[id];
    return e ? `${e.team ? `team ${e.team.before}→${e.team.after}` : `${e.before}→${e.after}`}${e.blocks ? ` ${e.blocks}${theme.mark.blocked}` : ''}${e.working ? '' : ' NOT WORKING'}` : '';
  };
  // A flag found twice (two stale names) is one flag.
  const flagsOf = (id: string) => [...new Set(snapshot.lint[id] ?? [])];
  const lintOf = (id: string) => flagsOf(id).join(',');
  // Each column is as wide as what it holds, and the lint column is there only when some rule has a
  // flag: the title gets every other cell of the row (the list's mark, 2 cells, goes before it).
  const statusWidth = Math.max(6, ...rules.map((r) => r.status.length));
  const effect = Math.max(0, ...rules.map((r) => effectOf(r.id).length));
  const lint = Math.min(24, Math.max(0, ...rules.map((r) => lintOf(r.id).length)));
  const effectCells = effect ? 1 + Math.max(6, effect) : 0;
  const lintCells = lint ? 1 + Math.max(4, lint) : 0;
  const cols = { status: statusWidth, effect: effect ? Math.max(6, effect) : 0, lint, title: Math.max(10, width - 2 - 2 - 10 - (statusWidth + 1) - effectCells - lintCells) };
  // The selected rule's lint flags, each with what it means and how to clear it, wrapped whole.
  const flags = rule ? flagsOf(rule.id).filter((k): k is LintKind => k in LINT_HELP).slice(0, 3) : [];
  const flagLines = flags.flatMap((k) => wrap(`${rule!.id} ${k}: ${LINT_HELP[k]}`, width));
  // The selected rule's title, whole, when the list had to cut it.
  const titleLines = rule && rule.title.length > cols.title ? wrap(`${rule.id}: ${rule.title}`, width).slice(0, 3) : [];
  // Whether the selected active rule reached the agent: Claude Code reports each load (InstructionsLoaded).
  const loaded = rule?.status === 'active' ? snapshot.loads[rule.id] : undefined;
  const loadLine = rule?.status === 'active' ? (loaded ? `${rule.id} loaded by Claude Code ${loaded.count}×, last ${ago(loaded.last)} ago (${Object.keys(loaded.reasons).join(', ')})` : `${rule.id} not loaded by Claude Code yet (it loads at the next session start)`) : null;
  const below = titleLines.length + (loadLine ? 1 : 0) + flagLines.length;
  return (
    <Box flexDirection="column" height={height} width={width}>
      <Text wrap="truncate" color={snapshot.tokens.active > snapshot.tokens.budget ? theme.status.error : theme.text.secondary}>
        {snapshot.rules.length} rules · active ones take about {snapshot.tokens.active} of {snapshot.tokens.budget} tokens
        {snapshot.tokens.active > snapshot.tokens.budget ? ' — OVER BUDGET' : ''}
        {snapshot.unparseable.length ? ` · ${snapshot.unparseable.length} unparseable file(s)` : ''}
      </Text>
      <FilterBar {...bar} width={width} />
      <Text bold color={theme.text.secondary}>
        {fit(`    id        ${'status'.padEnd(cols.status)} ${'title'.padEnd(cols.title)}${cols.effect ? ` ${'effect'.padEnd(cols.effect)}` : ''}${cols.lint ? ' lint' : ''}`.trimEnd(), width)}
      </Text>
      <WindowedList
        items={rules}
        selected={sel}
        height={Math.max(1, listHeight - 1 - below)}
        width={width}
       
        empty={<Text color={theme.text.secondary}>{filter ? 'No rule matches the filter.' : 'No rules yet.'}</Text>}
        render={(r) => `${mark(r)} ${r.id.padEnd(9)} ${r.status.padEnd(cols.status)} ${fit(r.title, cols.title).padEnd(cols.title)}${cols.effect ? ` ${effectOf(r.id).padEnd(cols.effect)}` : ''}${cols.lint ? ` ${fit(lintOf(r.id), Math.max(4, cols.lint))}` : ''}`.trimEnd()}
      />
      {titleLines.map((t, i) => (
        <Text key={`t${i}`} wrap="truncate" bold>
          {t}
        </Text>
      ))}
      {loadLine ? (
        <Text wrap="truncate" color={theme.text.secondary}>
          {fit(loadLine, width)}
        </Text>
      ) : null}
      {flagLines.map((t, i) => (
        <Text key={`f${i}`} wrap="truncate" color={theme.status.warn}>
          {t}
        </Text>
      ))}
    </Box>
  );
}
