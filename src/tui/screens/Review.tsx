import { Box, Text } from 'ink';
import { useEffect, useMemo, useState } from 'react';
import { evidenceFor } from '../../rules/evidence.js';
import { recentRejectReasons } from '../../rules/reasons.js';
import type { Rule } from '../../rules/rule.js';
import type { Fact, Incident } from '../../store/schemas.js';
import { openEscalations } from '../../gate/escalations.js';
import { RuleEditor, useRuleEditing } from './RuleEditor.js';
import { Escalation, ProposedFact, SyncConflictItem } from './review-items.js';
import type { SyncConflict } from '../../app/sync-merge.js';
import { fit, type ScreenProps } from './types.js';
import { isMove, move } from '../components/list-window.js';
import { LineRows, Paragraph, paragraph, scrollBy } from '../components/Lines.js';
import { proposalLines } from './proposal-lines.js';
import { useTheme } from '../theme.js';

type Item = { kind: 'escalation'; id: string; incident: Incident } | { kind: 'conflict'; id: string; conflict: SyncConflict } | { kind: 'proposal'; id: string; rule: Rule } | { kind: 'fact'; id: string; fact: Fact };

/**
 * Open gate escalations first, then proposed rules, one at a time: a proposal with its evidence and
 * the closest existing rule beside it.
 */
export function Review(props: ScreenProps) {
  const { snapshot, services, width, height, keys, ui } = props;
  const theme = useTheme();
  const items: Item[] = [
    ...openEscalations(snapshot.incidents).map((incident): Item => ({ kind: 'escalation', id: incident.id, incident })),
    ...snapshot.syncConflicts.map((conflict): Item => ({ kind: 'conflict', id: `sync:${conflict.rule}:${conflict.member}:${conflict.part}`, conflict })),
    ...snapshot.rules.filter((r) => r.status === 'proposed').map((rule): Item => ({ kind: 'proposal', id: rule.id, rule })),
    ...snapshot.pendingFacts.map((fact): Item => ({ kind: 'fact', id: `fact:${fact.id}`, fact })),
  ];
  const [index, setIndex] = useState(0);
  const [scroll, setScroll] = useState(0);
  const skipped = ui.skipped;
  const { editing, open: openEditor, close: closeEditor } = useRuleEditing(ui);
  // Decided here but not yet reloaded: hidden at once, so a quick second key never hits them again.
  const [decided, setDecided] = useState<string[]>([]);
  const decisions = ui.decisions;
  const open = items.filter((x) => !decided.includes(x.id));
  // Skipped items go to the back of the queue.
  const queue = [...open.filter((x) => !skipped.includes(x.id)), ...open.filter((x) => skipped.includes(x.id))];
  // An undone decision brings its item back: it is shown as soon as the reload has it.
  const [want, setWant] = useState<string | null>(null);
  const wanted = want ? queue.findIndex((x) => x.id === want) : -1;
  const i = wanted >= 0 ? wanted : Math.min(index, Math.max(0, queue.length - 1));
  useEffect(() => {
    if (wanted < 0) return;
    setIndex(wanted);
    setScroll(0);
    setWant(null);
  }, [wanted]);
  const item = queue[i];
  const rule = item?.kind === 'proposal' ? item.rule : undefined;
  const escalation = item?.kind === 'escalation' ? item.incident : undefined;
  const fact = item?.kind === 'fact' ? item.fact : undefined;
  const conflict = item?.kind === 'conflict' ? item.conflict : undefined;
  const conflictRule = conflict ? snapshot.rules.find((r) => r.id === conflict.rule) : undefined;
  const reasons = useMemo(() => recentRejectReasons(snapshot.rules, snapshot.commits), [snapshot.rules, snapshot.commits]);
  // Worked out once per snapshot, then a proposal at a time as the reviewer moves.
  const evidenceOf = useMemo(
    () => evidenceFor({ rules: snapshot.rules, incidents: snapshot.incidents, preferences: snapshot.preferences, threshold: snapshot.overlapThreshold }),
    [snapshot.rules, snapshot.incidents, snapshot.preferences, snapshot.overlapThreshold],
  );
  const evidence = useMemo(() => (rule ? evidenceOf(rule) : null), [evidenceOf, rule]);

  /**
   * Hides the item at once and runs the decision; its commit is what `u` reverts. The item comes
   * back when the decision fails.
   */
  const settle = (id: string, label: string, fn: () => Promise<{ commit: string | null; text: string }>) => {
    setDecided((d) => [...d, id]);
    ui.act(label, async () => {
      try {
        const { commit, text } = await fn();
        if (commit) decisions.push({ id, commit });
        return text;
      } catch (err) {
        setDecided((d) => d.filter((x) => x !== id));
        throw err;
      }
    });
  };
  const decide = (id: string, label: string, fn: () => Promise<{ commit: string | null; rule: Rule }>) =>
    settle(id, label, async () => {
      const r = await fn();
      return { commit: r.commit, text: `${r.rule.id} ${r.rule.status} (commit ${r.commit?.slice(0, 7) ?? '-'})` };
    });
  const undo = () => {
    const last = decisions.pop();
    if (!last) return ui.notify('Nothing to undo in this session.', 'warn');
    setDecided((d) => d.filter((x) => x !== last.id));
    setWant(last.id);
    ui.act(`undo ${last.id}`, async () => {
      try {
        return `${last.id} is back: reverted ${(await services.revert(last.commit)).subject}`;
      } catch (err) {
        decisions.push(last);
        throw err;
      }
    });
  };
  const reject = (r: Rule) => {
    const done = (reason: string) => (reason.trim() ? decide(r.id, `reject ${r.id}`, () => services.reject(r.id, reason.trim())) : ui.notify('Not rejected: a reason is needed.', 'warn'));
    // Before the first rejection there is nothing to pick from: the reason is typed.
    if (reasons.length) ui.pick(`Why reject ${r.id}? 1-9 or type:`, reasons, done);
    else ui.ask(`Why reject ${r.id}?`, done);
  };

  const view = Math.max(1, height - 2);
  // The header names the proposal while it scrolls; a title it has no room for is whole above the body instead.
  const titleRoom = rule ? Math.max(10, width - rule.id.length - 20) : 0;
  const titleCut = rule ? rule.title.replace(/[\r\n\t]+/g, ' ').length > titleRoom : false;
  const lines = rule && evidence ? [...(titleCut ? paragraph(rule.title, width, { bold: true }) : []), ...proposalLines({ rule, evidence, timeZone: snapshot.timeZone }, width)] : [];
  const last = Math.max(0, lines.length - view);
  const at = Math.min(scroll, last);
  const goTo = (next: number, toEnd = false) => {
    setIndex(next);
    setScroll(toEnd ? Number.MAX_SAFE_INTEGER : 0);
  };

  keys.current = (action) => {
    if (editing) return false;
    if (isMove(action)) {
      // A proposal longer than the screen scrolls first; past its end (or start) j/k and the page
      // keys go on to the next (or previous) one. g/G go to the first and last proposal.
      const forward = action === 'down' || action === 'pageDown';
      const backward = action === 'up' || action === 'pageUp';
      if (rule && forward && at < last) setScroll(scrollBy(at, action, lines.length, view));
      else if (rule && backward && at > 0) setScroll(scrollBy(at, action, lines.length, view));
      else {
        const next = move(i, action, queue.length, 1);
        // Past the end of the last proposal, or above the first, there is nowhere to go: stay.
        if (next !== i || (action !== 'down' && action !== 'up' && action !== 'pageDown' && action !== 'pageUp')) goTo(next, backward && action === 'up');
      }
      return true;
    }
    if (fact && (action === 'approve' || action === 'reject')) {
      const id = `fact:${fact.id}`;
      const run = (reason?: string) =>
        settle(id, `${action} ${id}`, async () => {
          const { fact: f, commit } = await services.decideFact(id, action, reason);
          return { commit, text: action === 'approve' ? `fact:${f.id} is yours: recalled from now on` : `fact:${f.id} rejected` };
        });
      if (action === 'approve') run();
      else ui.ask(`Why reject ${id}?`, (reason) => run(reason.trim() || undefined));
      return true;
    }
    if (conflict?.part === 'skill' && (action === 'takeTheirs' || action === 'edit')) {
      ui.notify(`Edit skills/${conflict.rule}/ to the version you want (theirs is in \`nevo-tui sync --json\`), then m keeps it.`, 'warn');
      return true;
    }
    if (conflict && item && (action === 'keepMine' || action === 'takeTheirs')) {
      const keep = action === 'keepMine' ? 'mine' : 'theirs';
      settle(item.id, `${keep === 'mine' ? 'keep' : 'take'} ${conflict.rule}`, async () => {
        const r = await services.settleConflict(conflict.rule, keep, conflict.member);
        const whose = keep === 'mine' ? 'yours' : `${conflict.member}'s`;
        return { commit: r.commit, text: `${conflict.rule}: ${whose} stays; the team takes it at the next sync` };
      });
      return true;
    }
    if (conflict && action === 'edit') {
      if (conflictRule) openEditor(conflictRule);
      else ui.notify(`${conflict.rule} has no readable rule file here: see Rules.`, 'warn');
      return true;
    }
    if (conflict && (action === 'approve' || action === 'reject' || action === 'dismiss')) {
      ui.notify(`A sync conflict is settled: m keeps yours, t takes ${conflict.member}'s (e edits yours first).`, 'warn');
      return true;
    }
    if (action === 'keepMine' || action === 'takeTheirs') {
      ui.notify('m and t settle a sync conflict; this is not one.', 'warn');
      return true;
    }
    if (fact && (action === 'edit' || action === 'dismiss')) {
      ui.notify('A proposed fact is approved (a) or rejected (r).', 'warn');
      return true;
    }
    switch (action) {
      case 'approve':
      case 'reject':
      case 'edit':
        if (escalation) {
          ui.notify('A gate escalation is not a proposal: x dismisses it, s skips to the next.', 'warn');
          return true;
        }
        break;
      case 'dismiss':
        if (escalation) dismiss(escalation);
        else if (rule) ui.notify('x dismisses a gate escalation; r rejects a proposal.', 'warn');
        return true;
      case 'skip':
        if (item) {
          ui.skip(item.id);
          ui.notify(`Skipped ${item.id}; it comes back at the end.`);
        }
        return true;
    }
    switch (action) {
      case 'approve':
        if (rule) decide(rule.id, `approve ${rule.id}`, () => services.approve(rule.id));
        return true;
      case 'reject':
        if (rule) reject(rule);
        return true;
      case 'edit':
        if (rule) openEditor(rule);
        return true;
      case 'undo':
        undo();
        return true;
      default:
        return false;
    }
  };

  function dismiss(inc: Incident) {
    ui.ask(`Why dismiss the gate escalation ${inc.id}?`, (reason) => {
      if (!reason.trim()) return ui.notify('Not dismissed: a reason is needed.', 'warn');
      settle(inc.id, `dismiss ${inc.id}`, async () => {
        const { incident: dismissed, commit } = await services.dismiss(inc.id, reason);
        return { commit, text: `${dismissed.id} dismissed` };
      });
    });
  }

  // An edit made here is a decision too: u takes it back.
  if (editing) return <RuleEditor {...props} rule={editing} onClose={closeEditor} onSaved={(r) => r.commit && decisions.push({ id: r.rule.id, commit: r.commit })} />;
  if (escalation) {
    const proposals = queue.filter((x) => x.kind === 'proposal').length;
    return <Escalation incident={escalation} width={width} height={height} position={`${i + 1} of ${queue.length}`} proposals={proposals} timeZone={snapshot.timeZone} />;
  }
  if (fact) return <ProposedFact fact={fact} width={width} height={height} position={`${i + 1} of ${queue.length}`} />;
  if (conflict) return <SyncConflictItem conflict={conflict} mine={conflictRule} width={width} height={height} position={`${i + 1} of ${queue.length}`} />;
  if (!rule) {
    return (
      <Box height={height} flexDirection="column">
        <Text color={theme.status.ok}>{theme.mark.ok} No proposals to review.</Text>
        <Paragraph text="New incidents are analyzed as they arrive; their proposals appear here." width={width} color={theme.text.secondary} />
        {decisions.length > 0 && <Text color={theme.text.secondary}>u undoes your last decision.</Text>}
      </Box>
    );
  }
  const below = lines.length - at - view;
  const mark = lines.length <= view ? '' : below > 0 ? `▼ ${below} more line(s) below · j/k scroll` : `▲ end of ${rule.id} · j goes on to the next proposal`;
  return (
    <Box flexDirection="column" height={height} width={width}>
      <Text wrap="truncate">
        <Text bold color={theme.status.warn}>
          {rule.id}
        </Text>
        {titleCut ? null : <Text bold> {rule.title}</Text>}
        <Text color={theme.text.secondary}>
          {'  '}
          {i + 1} of {queue.length}
        </Text>
      </Text>
      <LineRows lines={lines} scroll={at} rows={view} width={width} />
      {mark ? (
        <Text wrap="truncate" color={theme.text.secondary}>
          {fit(mark, width)}
        </Text>
      ) : null}
    </Box>
  );
}
