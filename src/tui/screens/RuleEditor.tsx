import { Box, Text } from 'ink';
import { useEffect, useState } from 'react';
import type { ReviewResult, RuleEdit } from '../../rules/review.js';
import { guardSchema, type Rule } from '../../rules/rule.js';
import { describeIssues } from '../../util/zod-issues.js';
import { fit, type ScreenProps, type Ui } from './types.js';
import { TextField } from '../components/TextField.js';
import { useTheme } from '../theme.js';
import { useKeys } from '../hooks/use-keys.js';

const FIELDS = ['title', 'body', 'trigger', 'enforcement', 'verification', 'paths', 'guard'] as const;
type FieldName = (typeof FIELDS)[number];

type Draft = Record<FieldName, string>;

/** Cells of a field's label: the selection mark, a space, the name padded. */
const LABEL = 15;

function toDraft(rule: Rule): Draft {
  return {
    title: rule.title,
    body: rule.body,
    trigger: rule.trigger,
    enforcement: rule.enforcement,
    verification: rule.verification,
    paths: rule.paths?.join(', ') ?? '',
    guard: rule.guard ? JSON.stringify(rule.guard) : '',
  };
}

/** Pure: the edit a draft means, and what is wrong with it (empty when it may be saved). */
export function checkDraft(rule: Rule, draft: Draft, validate: (r: Rule) => string[]): { edit: RuleEdit; problems: string[] } {
  const problems: string[] = [];
  const paths = draft.paths.split(',').map((p) => p.trim()).filter(Boolean);
  let guard: Rule['guard'] | null = null;
  if (draft.guard.trim()) {
    try {
      const g = guardSchema.safeParse(JSON.parse(draft.guard));
      if (g.success) guard = g.data;
      else problems.push(`guard: ${describeIssues(g.error.issues, JSON.parse(draft.guard), 'field').map((d) => d.text).join('; ')}`);
    } catch {
      problems.push('guard: not valid JSON, e.g. {"tool":"Bash","command":"^rm -rf"}');
    }
  }
  const edit: RuleEdit = { title: draft.title, body: draft.body, trigger: draft.trigger, enforcement: draft.enforcement, verification: draft.verification, paths, guard };
  const candidate: Rule = { ...rule, ...draft, paths: paths.length ? paths : undefined, guard: guard ?? undefined } as Rule;
  if (!paths.length) delete candidate.paths;
  if (!guard) delete candidate.guard;
  problems.push(...validate(candidate));
  for (const f of ['trigger', 'enforcement', 'verification'] as const) if (!draft[f].trim()) problems.push(`${f} is empty: the rule would be decorative`);
  return { edit, problems };
}

/** Inline editor: j/k pick a field, enter edits it, ctrl+s saves (one commit), esc leaves. */
/**
 * The rule being edited on a screen (Rules, Review): opening and closing also switch the keymap to
 * the editor's keys and back, in the same update as the view (a key right after must not meet the
 * other keymap).
 */
export function useRuleEditing(ui: Ui): { editing: Rule | null; open: (rule: Rule) => void; close: () => void } {
  const [editing, setEditing] = useState<Rule | null>(null);
  return {
    editing,
    open: (rule) => {
      setEditing(rule);
      ui.setEditing(true);
    },
    close: () => {
      setEditing(null);
      ui.setEditing(false);
    },
  };
}

export function RuleEditor({ rule, services, width, height, keys, ui, onClose, onSaved }: ScreenProps & { rule: Rule; onClose: () => void; onSaved?: (r: ReviewResult) => void }) {
  const theme = useTheme();
  const [draft, setDraft] = useState<Draft>(() => toDraft(rule));
  const [field, setField] = useState(0);
  const [editing, setEditing] = useState(false);
  const { edit, problems } = checkDraft(rule, draft, services.validate);
  const name = FIELDS[field]!;
  const changed = JSON.stringify(draft) !== JSON.stringify(toDraft(rule));

  // useRuleEditing switches the keymap; this catches any other way out (the screen unmounted).
  useEffect(() => () => ui.setEditing(false), []);
  const leave = () => (changed ? ui.confirm(`Leave ${rule.id} without saving your changes?`, onClose) : onClose());

  const save = () => {
    if (problems.length) return ui.notify(`Not saved: ${problems[0]}`, 'error');
    ui.act(`save ${rule.id}`, async () => {
      const r = await services.edit(rule.id, edit);
      onSaved?.(r);
      onClose();
      return `${r.rule.id} saved (commit ${r.commit?.slice(0, 7) ?? 'none: no change'})`;
    });
  };

  const endField = () => {
    setEditing(false);
  };
  useKeys(
    (_input, key) => {
      if (key.escape || key.return) endField();
    },
    { isActive: editing },
  );

  keys.current = (action) => {
    switch (action) {
      case 'up':
        setField((f) => Math.max(0, f - 1));
        return true;
      case 'down':
        setField((f) => Math.min(FIELDS.length - 1, f + 1));
        return true;
      case 'open':
      case 'edit':
        setEditing(true);
        return true;
      case 'save':
        save();
        return true;
      // Seven fields are less than a page: a page key goes to the first or the last.
      case 'top':
      case 'pageUp':
        setField(0);
        return true;
      case 'bottom':
      case 'pageDown':
        setField(FIELDS.length - 1);
        return true;
      case 'back':
        leave();
        return true;
      case 'quit':
        if (!changed) return false;
        ui.confirm(`Quit without saving your changes to ${rule.id}?`, () => ui.quit());
        return true;
      case 'help':
        return false;
      default:
        // Leaving the screen would throw the draft away: keys that switch screens stay here.
        if (action === 'nextScreen' || action === 'prevScreen' || action === null) ui.notify('Save with ctrl+s or leave the editor with esc first.', 'warn');
        return true;
    }
  };

  const shown = Math.max(1, height - 3);
  // The field being edited wraps into the rows the others leave (the title, the other fields, two status lines).
  const fieldRows = Math.max(1, height - 2 - FIELDS.length);
  return (
    <Box flexDirection="column" height={height} width={width}>
      <Text bold wrap="truncate">
        Editing {rule.id} <Text color={theme.text.secondary}>(enter edits a field, ctrl+s saves, esc leaves without saving)</Text>
      </Text>
      {FIELDS.slice(0, shown).map((f, i) => (
        <Box key={f} width={width}>
          {/* The label keeps its cells while a long value wraps beside it, under itself. */}
          <Box width={LABEL} flexShrink={0}>
            <Text inverse={i === field} bold={i === field}>
              {`${i === field ? theme.mark.selected : ' '} ${f.padEnd(LABEL - 2)}`}
            </Text>
          </Box>
          <Box width={Math.max(1, width - LABEL)} flexShrink={0}>
            {editing && i === field ? (
              <Box flexDirection="column">
                <TextField value={draft[f]} onChange={(v) => setDraft((d) => ({ ...d, [f]: v }))} onDone={endField} width={Math.max(2, width - LABEL)} rows={fieldRows} />
              </Box>
            ) : (
              <Text wrap="truncate">{fit(draft[f] || '(empty)', width - LABEL - 1)}</Text>
            )}
          </Box>
        </Box>
      ))}
      <Text color={problems.length ? theme.status.error : theme.status.ok} wrap="truncate">
        {problems.length ? `${theme.mark.error} ${problems[0]}${problems.length > 1 ? ` (+${problems.length - 1} more)` : ''}` : `${theme.mark.ok} valid; ctrl+s saves`}
      </Text>
      <Text color={theme.text.secondary} wrap="truncate">
        {editing ? `editing ${name}: enter or esc to finish` : ''}
      </Text>
    </Box>
  );
}
