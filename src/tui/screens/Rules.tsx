import { Box, Text } from 'ink';
import { useState } from 'react';
import type { Rule } from '../../rules/rule.js';
import { FilterBar, matches } from '../components/FilterBar.js';
import { WindowedList } from '../components/WindowedList.js';
import { useFilter } from '../hooks/use-filter.js';
import { clamp, isMove, move } from '../components/list-window.js';
import { RuleEditor, useRuleEditing } from './RuleEditor.js';
import { ago, fit, type ScreenProps } from './types.js';
import { ruleMove } from '../../rules/review.js';
import { LINT_HELP, type LintKind } from '../../rules/lint.js';

export function Rules(props: ScreenProps) {
  const { snapshot, services, theme, width, height, keys, ui, focus } = props;
  const [selected, setSelected] = useState(() => Math.max(0, focus ? snapshot.rules.findIndex((r) => r.id === focus) : 0));
  const { filter, filtering, handle: filterKey, bar } = useFilter(ui, () => setSelected(0));
  const { editing, open: openEditor, close: closeEditor } = useRuleEditing(ui);
  const rules = snapshot.rules.filter((r) => matches(`${r.id} ${r.status} ${r.title} ${r.body}`, filter));
  const sel = clamp(selected, rules.length);
  const rule = rules[sel];
  const listHeight = Math.max(1, height - 2 - (filter || filtering ? 1 : 0));

  keys.current = (action) => {
    if (editing || filtering) return false;
    if (filterKey(action)) return true;
    if (isMove(action)) {
      setSelected(move(sel, action, rules.length, listHeight));
      return true;
    }
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
    return e ? `${e.before}→${e.after}${e.blocks ? ` ${e.blocks}${theme.mark.blocked}` : ''}${e.working ? '' : ' NOT WORKING'}` : '';
  };
  const lintOf = (id: string) => snapshot.lint[id]?.join(',') ?? '';
  // The effect and lint columns are as wide as what they hold: the title gets the rest.
  const effect = Math.max(6, ...rules.map((r) => effectOf(r.id).length));
  const lint = Math.max(4, ...rules.map((r) => lintOf(r.id).length));
  const cols = { effect, title: Math.max(10, width - 2 - 10 - 11 - 1 - effect - 1 - lint - 2) };
  // The selected rule's lint flags, each with what it means and how to clear it.
  const flags = rule ? (snapshot.lint[rule.id] ?? []).filter((k): k is LintKind => k in LINT_HELP).slice(0, 3) : [];
  // Whether the selected active rule reached the agent: Claude Code reports each load (InstructionsLoaded).
  const loaded = rule?.status === 'active' ? snapshot.loads[rule.id] : undefined;
  const loadLine = rule?.status === 'active' ? (loaded ? `${rule.id} loaded by Claude Code ${loaded.count}×, last ${ago(loaded.last)} ago (${Object.keys(loaded.reasons).join(', ')})` : `${rule.id} not loaded by Claude Code yet (it loads at the next session start)`) : null;
  return (
    <Box flexDirection="column" height={height} width={width}>
      <Text wrap="truncate" color={snapshot.tokens.active > snapshot.tokens.budget ? theme.status.error : theme.text.secondary}>
        {snapshot.rules.length} rules · active ones take about {snapshot.tokens.active} of {snapshot.tokens.budget} tokens
        {snapshot.tokens.active > snapshot.tokens.budget ? ' — OVER BUDGET' : ''}
        {snapshot.unparseable.length ? ` · ${snapshot.unparseable.length} unparseable file(s)` : ''}
      </Text>
      <FilterBar {...bar} theme={theme} width={width} />
      <Text bold color={theme.text.secondary}>
        {fit(`    id        status     ${'title'.padEnd(cols.title)} ${'effect'.padEnd(cols.effect)} lint`, width)}
      </Text>
      <WindowedList
        items={rules}
        selected={sel}
        height={listHeight - 1 - flags.length - (loadLine ? 1 : 0)}
        width={width}
        theme={theme}
        empty={<Text color={theme.text.secondary}>{filter ? 'No rule matches the filter.' : 'No rules yet.'}</Text>}
        render={(r) => `${mark(r)} ${r.id.padEnd(9)} ${r.status.padEnd(10)} ${fit(r.title, cols.title).padEnd(cols.title)} ${effectOf(r.id).padEnd(cols.effect)} ${lintOf(r.id)}`}
      />
      {loadLine ? (
        <Text wrap="truncate" color={theme.text.secondary}>
          {fit(loadLine, width)}
        </Text>
      ) : null}
      {flags.map((k) => (
        <Text key={k} wrap="truncate" color={theme.status.warn}>
          {fit(`${rule!.id} ${k}: ${LINT_HELP[k]}`, width)}
        </Text>
      ))}
    </Box>
  );
}
