// The items of the Review queue that are not proposed rules: a gate escalation waiting for a
// person, and a preference or lesson the agent proposed.
import { Box, Text } from 'ink';
import { describeFinder } from '../../memory/facts.js';
import type { Fact, Incident } from '../../store/schemas.js';
import { localMinute } from '../../util/day.js';
import { parseEscalation, wrapLines } from '../../gate/escalations.js';
import type { SyncConflict } from '../../app/sync-merge.js';
import type { Rule } from '../../rules/rule.js';
import { LineRows, Paragraph, paragraph, type Line } from '../components/Lines.js';
import { fit } from './types.js';
import { useTheme } from '../theme.js';

function Field({ label, value, width, color }: { label: string; value: string; width: number; color?: string }) {
  return (
    <Text wrap="truncate" color={color}>
      <Text bold>{label.padEnd(13)}</Text>
      {fit(value || '(missing)', Math.max(10, width - 13))}
    </Text>
  );
}

/** The two lines above a queue item that is not a proposal: what it is, where in the queue, and its keys. */
function ItemHead({ tone, kind, what, where, hint, width }: { tone: 'error' | 'warn'; kind: string; what: string; where: string; hint: string; width: number }) {
  const theme = useTheme();
  return (
    <>
      <Text wrap="truncate">
        <Text bold color={theme.status[tone]}>
          {theme.mark[tone]} {kind}
        </Text>{' '}
        <Text>{fit(what, Math.max(10, width - where.length - 20))}</Text>
        <Text color={theme.text.secondary}>
          {'  '}
          {where}
        </Text>
      </Text>
      <Text wrap="truncate" color={theme.status.warn}>
        {fit(hint, width)}
      </Text>
    </>
  );
}

/** A gate escalation: the stage that would not pass, how often, and its last output. */
export function Escalation({ incident, width, height, position, proposals, timeZone }: { incident: Incident; width: number; height: number; position: string; proposals: number; timeZone: string }) {
  const theme = useTheme();
  const view = parseEscalation(incident.sample.error);
  const stage = view.stage ?? incident.tool.replace(/^breaker:/, '');
  const iterations = view.iterations === null ? '(unknown)' : `${view.iterations}${view.refines === null ? '' : ` (${view.refines} refine run(s))`}, still failing`;
  // title, hint, stage, iterations, count, first/last, the output heading: the rest is for the output.
  const room = Math.max(1, height - 7);
  const output = wrapLines(view.output, width, room);
  const where = `${position}${proposals ? `, then ${proposals} proposal(s)` : ''}`;
  return (
    <Box flexDirection="column" height={height} width={width}>
      <ItemHead tone="error" kind="Gate escalation" what={`${incident.id} (${incident.status})`} where={where} hint="A person must decide: fix it and gate again, x dismiss (asks a reason), s skip." width={width} />
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

/** A preference or lesson nobody gave in person: it is recalled only once a person takes it as theirs. */
export function ProposedFact({ fact, width, height, position }: { fact: Fact; width: number; height: number; position: string }) {
  const theme = useTheme();
  return (
    <Box height={height} flexDirection="column">
      <Text bold color={theme.text.accent} wrap="truncate">
        {fit(`Proposed ${fact.category} · fact:${fact.id} · ${position}`, width)}
      </Text>
      <Paragraph text={fact.statement} width={width} />
      <Paragraph text={`Proposed by ${describeFinder(fact.source.by)}, not by you: it is not recalled until you approve it.`} width={width} color={theme.text.secondary} />
      <Paragraph text="a takes it as your own · r rejects it for good · s skips" width={width} color={theme.text.secondary} />
    </Box>
  );
}

/** One side of a sync conflict, as lines: the part in conflict, and what else of the text differs. */
function sideLines(label: string, side: { title: string; body: string; status: string; reason?: string | undefined; decidedBy?: string | undefined }, part: SyncConflict['part'], width: number, room: number): Line[] {
  const head: Line = { text: label, bold: true, tone: 'accent' };
  if (part === 'decision') {
    const by = side.decidedBy ? `, by ${side.decidedBy}` : '';
    return [head, ...paragraph(`${side.status}${by}${side.reason ? `: ${side.reason}` : ''}`, width, { indent: '  ' }).slice(0, Math.max(1, room - 1))];
  }
  const text = [...paragraph(side.title, width, { indent: '  ', bold: true }), ...paragraph(side.body, width, { indent: '  ' })];
  const fits = text.slice(0, Math.max(1, room - 1));
  if (fits.length < text.length) fits[fits.length - 1] = { text: `  … ${text.length - fits.length + 1} more line(s): rules/ and \`nevo-tui sync --json\``, tone: 'secondary' };
  return [head, ...fits];
}

/**
 * A rule another member changed too: both versions, neither overwritten, until a person says which
 * stays. Theirs comes from the last sync; the whole of it is in `nevo-tui sync --json`.
 */
export function SyncConflictItem({ conflict, mine, width, height, position }: { conflict: SyncConflict; mine: Rule | undefined; width: number; height: number; position: string }) {
  const t = (conflict.theirsFields ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const theirs = { title: conflict.theirsTitle, body: conflict.theirsBody, status: conflict.theirsStatus, reason: str(t.reason), decidedBy: str(t.decidedBy) };
  if (conflict.part === 'skill') {
    const body = [{ text: `${conflict.member}'s SKILL.md`, bold: true, tone: 'accent' as const }, ...paragraph(conflict.theirsBody, width, { indent: '  ' })];
    return (
      <Box flexDirection="column" height={height} width={width}>
        <ItemHead tone="warn" kind="Sync conflict" what={`skill ${conflict.rule}: ${conflict.member} changed it too`} where={position} hint={`edit skills/${conflict.rule}/ to the version you want, then m keeps yours · s skips`} width={width} />
        <LineRows lines={body} rows={Math.max(1, height - 2)} width={width} />
      </Box>
    );
  }
  const what = conflict.part === 'text' ? 'its text' : 'its status';
  const from = `${conflict.member}'s`;
  // title, hint: the rest is shared by the two versions.
  const room = Math.max(2, height - 2);
  const half = Math.max(2, Math.floor(room / 2));
  const yours = mine ? sideLines('Yours', mine, conflict.part, width, half) : [{ text: 'Yours: the rule file is missing or unreadable here (see Rules).', tone: 'error' as const }];
  // The screen shows title and body; any other field that differs is named, not hidden.
  const mineFields = (mine ?? {}) as unknown as Record<string, unknown>;
  const also = conflict.part === 'text' ? Object.keys(t).filter((k) => k !== 'title' && k !== 'body' && JSON.stringify(t[k] ?? null) !== JSON.stringify(mineFields[k] ?? null)) : [];
  const note: Line[] = also.length && mine ? paragraph(`Their ${also.join(', ')} ${also.length === 1 ? 'differs' : 'differ'} too: \`nevo-tui sync --json\` shows them.`, width, { tone: 'secondary' }) : [];
  const lines = [...yours, ...sideLines(`${conflict.member}'s`, theirs, conflict.part, width, room - yours.length - note.length), ...note];
  return (
    <Box flexDirection="column" height={height} width={width}>
      <ItemHead tone="warn" kind="Sync conflict" what={`${conflict.rule}: ${conflict.member} changed ${what} too`} where={position} hint={`m keeps yours · t takes ${from} · e edits yours · s skips`} width={width} />
      <LineRows lines={lines} rows={room} width={width} />
    </Box>
  );
}
