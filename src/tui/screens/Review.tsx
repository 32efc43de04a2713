import { Box, Text } from 'ink';
import { useMemo, useState } from 'react';
import { proposalEvidence } from '../../rules/evidence.js';
import type { Rule } from '../../rules/rule.js';
import type { Fact, Incident } from '../../store/schemas.js';
import { openEscalations, parseEscalation, wrapLines } from '../escalations.js';
import { provenanceOf } from '../../memory/facts.js';
import type { Theme } from '../theme.js';
import { RuleEditor, useRuleEditing } from './RuleEditor.js';
import { fit, type ScreenProps } from './types.js';
import { localMinute } from '../../util/day.js';
import { isMove, move } from '../components/list-window.js';
import { LineRows, scrollBy } from '../components/Lines.js';
import { proposalLines } from './proposal-lines.js';

function Field({ label, value, width, color }: { label: string; value: string; width: number; color?: string }) {
  return (
    <Text wrap="truncate" color={color}>
      <Text bold>{label.padEnd(13)}</Text>
      {fit(value || '(missing)', Math.max(10, width - 13))}
    </Text>
  );
}

/** A gate escalation: the stage that would not pass, how often, and its last output. */
function Escalation({ incident, theme, width, height, position, proposals, timeZone }: { incident: Incident; theme: Theme; width: number; height: number; position: string; proposals: number; timeZone: string }) {
  const view = parseEscalation(incident.sample.error);
  const stage = view.stage ?? incident.tool.replace(/^breaker:/, '');
  const iterations = view.iterations === null ? '(unknown)' : `${view.iterations}${view.refines === null ? '' : ` (${view.refines} refine run(s))`}, still failing`;
  // title, hint, stage, iterations, count, first/last, the output heading: the rest is for the output.
  const room = Math.max(1, height - 7);
  const output = wrapLines(view.output, width, room);
  const where = `${position}${proposals ? `, then ${proposals} proposal(s)` : ''}`;
  return (
    <Box flexDirection="column" height={height} width={width}>
      <Text wrap="truncate">
        <Text bold color={theme.status.error}>
          {theme.mark.error} Gate escalation
        </Text>{' '}
        <Text>{fit(`${incident.id} (${incident.status})`, Math.max(10, width - where.length - 20))}</Text>
        <Text color={theme.text.secondary}>
          {'  '}
          {where}
        </Text>
      </Text>
      <Text wrap="truncate" color={theme.status.warn}>
        {fit('A person must decide: fix it and gate again, x dismiss (asks a reason), s skip.', width)}
      </Text>
      <Field label="stage" value={stage} width={width} />
      <Field label="iterations" value={iterations} width={width} />
      <Field label="count" value={`${incident.count} in ${incident.sessions.length} session(s)`} width={width} />
      <Field label="first / last" value={`${localMinute(incident.firstSeen, timeZone)} / ${localMinute(incident.lastSeen, timeZone)}`} width={width} />
      <Text bold color={theme.text.accent}>
        Last output
      </Text>
      {output.length ? (
        output.map((line, n) => (
          <Text key={n} wrap="truncate" color={theme.status.error}>
            {line || ' '}
          </Text>
        ))
      ) : (
        <Text color={theme.text.secondary}>(no output)</Text>
      )}
    </Box>
  );
}

type Item = { kind: 'escalation'; id: string; incident: Incident } | { kind: 'proposal'; id: string; rule: Rule } | { kind: 'fact'; id: string; fact: Fact };

/** A preference or lesson nobody gave in person: it is recalled only once a person takes it as theirs. */
function ProposedFact({ fact, theme, height, position }: { fact: Fact; theme: ScreenProps['theme']; height: number; position: string }) {
  return (
    <Box height={height} flexDirection="column">
      <Text bold color={theme.text.accent}>
        Proposed {fact.category} · fact:{fact.id} · {position}
      </Text>
      <Text wrap="wrap">{fact.statement}</Text>
      <Text color={theme.text.secondary}>From {provenanceOf(fact)} ({fact.source.by}), not from you: it is not recalled until you approve it.</Text>
      <Text color={theme.text.secondary}>a takes it as your own · r rejects it for good · s skips</Text>
    </Box>
  );
}

/**
 * Open gate escalations first, then proposed rules, one at a time: a proposal with its evidence and
 * the closest existing rule beside it.
 */
export function Review(props: ScreenProps) {
  const { snapshot, services, theme, width, height, keys, ui } = props;
  const items: Item[] = [
    ...openEscalations(snapshot.incidents).map((incident): Item => ({ kind: 'escalation', id: incident.id, incident })),
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
  const i = Math.min(index, Math.max(0, queue.length - 1));
  const item = queue[i];
  const rule = item?.kind === 'proposal' ? item.rule : undefined;
  const escalation = item?.kind === 'escalation' ? item.incident : undefined;
  const fact = item?.kind === 'fact' ? item.fact : undefined;
  const evidence = useMemo(
    () => (rule ? proposalEvidence(rule, { rules: snapshot.rules, incidents: snapshot.incidents, preferences: snapshot.preferences, threshold: snapshot.overlapThreshold }) : null),
    [rule, snapshot.rules, snapshot.incidents, snapshot.preferences, snapshot.overlapThreshold],
  );

  /** Hides the item at once; brings it back when the action fails. */
  const settle = (id: string, label: string, fn: () => Promise<string>) => {
    setDecided((d) => [...d, id]);
    ui.act(label, async () => {
      try {
        return await fn();
      } catch (err) {
        setDecided((d) => d.filter((x) => x !== id));
        throw err;
      }
    });
  };
  const decide = (id: string, label: string, fn: () => Promise<{ commit: string | null; rule: Rule }>) =>
    settle(id, label, async () => {
      const r = await fn();
      if (r.commit) decisions.push({ rule: r.rule.id, commit: r.commit });
      return `${r.rule.id} ${r.rule.status} (commit ${r.commit?.slice(0, 7) ?? '-'})`;
    });

  const view = Math.max(1, height - 2);
  const lines = rule && evidence ? proposalLines({ rule, evidence, timeZone: snapshot.timeZone }, width) : [];
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
      else goTo(move(i, action, queue.length, 1), backward && action === 'up');
      return true;
    }
    if (fact && (action === 'approve' || action === 'reject')) {
      const id = `fact:${fact.id}`;
      const run = (reason?: string) =>
        settle(id, `${action} ${id}`, async () => {
          const f = await services.decideFact(id, action, reason);
          return action === 'approve' ? `fact:${f.id} is yours: recalled from now on` : `fact:${f.id} rejected`;
        });
      if (action === 'approve') run();
      else ui.ask(`Why reject ${id}?`, (reason) => run(reason.trim() || undefined));
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
        if (rule) ui.ask(`Why reject ${rule.id}?`, (reason) => (reason.trim() ? decide(rule.id, `reject ${rule.id}`, () => services.reject(rule.id, reason)) : ui.notify('Not rejected: a reason is needed.', 'warn')));
        return true;
      case 'edit':
        if (rule) openEditor(rule);
        return true;
      case 'undo': {
        const last = decisions.pop();
        if (!last) ui.notify('Nothing to undo in this session.', 'warn');
        else {
          setDecided((d) => d.filter((x) => x !== last.rule));
          ui.act(`undo ${last.rule}`, async () => `reverted: ${(await services.revert(last.commit)).subject}`);
        }
        return true;
      }
      default:
        return false;
    }
  };

  function dismiss(inc: Incident) {
    ui.ask(`Why dismiss the gate escalation ${inc.id}?`, (reason) => {
      if (!reason.trim()) return ui.notify('Not dismissed: a reason is needed.', 'warn');
      settle(inc.id, `dismiss ${inc.id}`, async () => `${(await services.dismiss(inc.id, reason)).id} dismissed`);
    });
  }

  if (editing) return <RuleEditor {...props} rule={editing} onClose={closeEditor} />;
  if (escalation) {
    const proposals = queue.filter((x) => x.kind === 'proposal').length;
    return <Escalation incident={escalation} theme={theme} width={width} height={height} position={`${i + 1} of ${queue.length}`} proposals={proposals} timeZone={snapshot.timeZone} />;
  }
  if (fact) return <ProposedFact fact={fact} theme={theme} height={height} position={`${i + 1} of ${queue.length}`} />;
  if (!rule) {
    return (
      <Box height={height} flexDirection="column">
        <Text color={theme.status.ok}>{theme.mark.ok} No proposals to review.</Text>
        <Text color={theme.text.secondary}>New incidents are analyzed as they arrive; their proposals appear here.</Text>
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
        </Text>{' '}
        <Text bold>{fit(rule.title, width - rule.id.length - 20)}</Text>
        <Text color={theme.text.secondary}>
          {'  '}
          {i + 1} of {queue.length}
        </Text>
      </Text>
      <LineRows lines={lines} scroll={at} rows={view} width={width} theme={theme} />
      {mark ? (
        <Text wrap="truncate" color={theme.text.secondary}>
          {fit(mark, width)}
        </Text>
      ) : null}
    </Box>
  );
}
