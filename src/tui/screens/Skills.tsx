import { Box, Text } from 'ink';
import { useEffect, useRef, useState } from 'react';
import type { SkillAction, SkillView } from '../../skills/deploy.js';
import type { Problem } from '../../skills/validate.js';
import { fitCells, padCells } from '../components/cells.js';
import { WindowedList } from '../components/WindowedList.js';
import { LineRows, paragraph, type Line } from '../components/Lines.js';
import { useListDetail } from '../hooks/use-list-detail.js';
import { useDetailKeys } from '../hooks/use-detail-keys.js';
import type { Action } from '../keymap.js';
import type { SkillDetail } from '../services.js';
import type { ScreenProps } from './types.js';
import { useTheme, type Theme } from '../theme.js';

/** Which key does what, and to skills in which state (as the core allows it). */
const ACTIONS: Partial<Record<Action, { action: SkillAction; from: SkillView['status'][]; ask: (name: string) => string }>> = {
  skillApprove: { action: 'approve', from: ['draft'], ask: (n) => `Approve ${n}? Validated, deployed to .claude/skills/; one commit.` },
  skillDeploy: { action: 'deploy', from: ['active', 'ineffective'], ask: (n) => `Deploy ${n} again from skills/${n}? One commit.` },
  skillDeactivate: { action: 'deactivate', from: ['active', 'ineffective'], ask: (n) => `Deactivate ${n}? Off .claude/skills/, kept in skills/; one commit.` },
  skillReactivate: { action: 'reactivate', from: ['inactive'], ask: (n) => `Reactivate ${n}? Validated and deployed again; one commit.` },
};

const VERB: Record<SkillAction, string> = { approve: 'approved and deployed', deploy: 'deployed again', deactivate: 'deactivated (kept in skills/)', reactivate: 'reactivated and deployed' };

const recurrences = (v: SkillView) => (v.recurrence.since ? `${v.recurrence.total} since ${v.recurrence.since}` : '-');

function problemLines(kind: 'error' | 'warning', p: Problem, theme: Theme, width: number): Line[] {
  const where = `${p.file}${p.line !== undefined ? `:${p.line}` : ''}`;
  const mark = kind === 'error' ? theme.mark.error : theme.mark.warn;
  const lines = paragraph(`${mark} ${kind}: ${where}: ${p.message}`, width, { indent: '  ', tone: kind === 'error' ? 'error' : 'warn' });
  if (p.fix) lines.push(...paragraph(`fix: ${p.fix}`, width, { indent: '      ' }));
  return lines;
}

/** Pure: the scrollable body of the detail view, as `nevo-tui skills show NAME` prints it. */
export function skillLines(v: SkillDetail, theme: Theme, width: number): Line[] {
  const lines: Line[] = [];
  const para = (text: string, tone?: Line['tone']) => lines.push(...paragraph(text, width, { tone }));
  const r = v.record;
  if (r) {
    para(`created ${r.created}${r.reason ? ` · why: ${r.reason}` : ''}`);
    para(`fingerprints: ${r.fingerprints.join(', ') || '(none)'}`);
    para(`deployed ${r.deployed ?? '-'} · hash ${r.hash ?? '-'}`);
    if (r.deactivated) para(`deactivated ${r.deactivated}${r.deactivatedReason ? ` (${r.deactivatedReason})` : ''}`);
  } else para('untracked: not in the inventory yet; a (approve) deploys it', 'secondary');
  const rc = v.recurrence;
  para(`recurrences: ${recurrences(v)}; ${rc.window} within ${rc.days} day(s) of the deploy${rc.ineffective ? ': INEFFECTIVE, consider d (deactivate)' : ''}`, rc.ineffective ? 'warn' : undefined);
  para(`drift: ${v.driftLabel}${v.drift.missing ? ' (the deployed copy is missing)' : ''}`, v.driftLabel !== '-' && v.driftLabel !== 'none' ? 'warn' : undefined);
  lines.push({ text: '' });
  const val = v.validation;
  if (!val) lines.push({ text: `${theme.mark.error} no folder skills/${v.name} in the workspace`, tone: 'error' });
  else {
    const warn = val.warnings.length ? `, ${val.warnings.length} warning(s)` : '';
    lines.push({ text: val.valid ? `${theme.mark.ok} valid${warn}` : `${theme.mark.error} invalid: ${val.errors.length} error(s)${warn}`, bold: true, tone: val.valid ? 'ok' : 'error' });
    for (const e of val.errors) lines.push(...problemLines('error', e, theme, width));
    for (const w of val.warnings) lines.push(...problemLines('warning', w, theme, width));
    if (val.scripts.length) lines.push({ text: `  scripts: ${val.scripts.filter((s) => s.status !== 'not-checked').length} of ${val.scripts.length} file(s) checked for syntax, none run`, tone: 'secondary' });
  }
  if (v.diff) {
    lines.push({ text: '' });
    lines.push({ text: 'drift diff', bold: true });
    for (const l of v.diff.replace(/\s+$/, '').split('\n')) lines.push({ text: l, ...(l.startsWith('@@') ? { tone: 'accent' as const } : l.startsWith('+') ? { tone: 'ok' as const } : l.startsWith('-') ? { tone: 'error' as const } : {}) });
  }
  return lines;
}

/**
 * Skills: the inventory (store/skills.json and every folder of skills/) with status, validity,
 * drift and recurrences since deploy; enter shows one skill in full; a, D, d and R approve,
 * deploy again, deactivate and reactivate after y/n, each one commit, as `nevo-tui skills`.
 */
export function Skills({ snapshot, services, width, height, keys, ui }: ScreenProps) {
  const theme = useTheme();
  const [skills, setSkills] = useState<SkillView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const list = skills ?? [];
  const cursor = useListDetail<string>(list.length);
  const { selected: sel, open, scroll } = cursor;
  const [detail, setDetail] = useState<{ name: string; data: SkillDetail | string } | null>(null);
  const asked = useRef(0);

  // Listed again with every snapshot: an action's ui.act reloads it, so one listing follows each change.
  useEffect(() => {
    const n = ++asked.current;
    services.skillsList().then(
      (list) => {
        if (n !== asked.current) return;
        setSkills(list);
        setError(null);
      },
      (err: Error) => n === asked.current && setError(err.message.split('\n')[0]!),
    );
  }, [services, snapshot]);

  useEffect(() => {
    if (!open) return;
    let live = true;
    services.skillShow(open).then(
      (d) => live && setDetail({ name: open, data: d }),
      (err: Error) => live && setDetail({ name: open, data: err.message.split('\n')[0]! }),
    );
    return () => {
      live = false;
    };
  }, [open, services, skills]);

  const current = list[sel];
  const listHeight = Math.max(1, height - 3);
  const shownView = open ? (list.find((s) => s.name === open) ?? null) : null;
  const data = detail?.name === open ? detail.data : undefined;
  const lines = open && typeof data === 'object' ? skillLines(data, theme, width) : [];
  const view = Math.max(1, height - 1);

  const act = (action: Action | null, v: SkillView | null | undefined): boolean => {
    const a = action ? ACTIONS[action] : undefined;
    if (!a) return false;
    if (!v) return true;
    if (!a.from.includes(v.status)) {
      ui.notify(`${v.name} is ${v.status}; ${a.action} applies to ${a.from.join(' or ')} skills.`, 'warn');
      return true;
    }
    const run = (reason?: string) =>
      ui.act(`${a.action} ${v.name}`, async () => {
        const c = await services.skillAction(v.name, a.action, reason ? { reason } : {});
        return `${c.name} ${VERB[c.action]}: ${c.from} → ${c.record.status}${c.commit ? ` (commit ${c.commit.slice(0, 7)})` : ''}`;
      });
    // The reason a skill is turned off stays on its record, as `skills deactivate --reason` keeps it.
    ui.confirm(a.ask(v.name), () => (a.action === 'deactivate' ? ui.ask(`Why deactivate ${v.name}? (enter to skip)`, (reason) => run(reason.trim() || undefined)) : run()));
    return true;
  };

  useDetailKeys(ui, !!open);

  keys.current = (action) => {
    if (open) {
      if (cursor.scrollBy(action, lines.length, view)) return true;
      if (action !== 'back') return act(action, shownView);
      cursor.close();
      setDetail(null);
      return true;
    }
    if (cursor.move(action, listHeight)) return true;
    if (action === 'open') {
      if (current) cursor.show(current.name);
      return true;
    }
    return act(action, current);
  };

  const statusMark = (v: SkillView) => (v.status === 'active' ? theme.mark.ok : v.status === 'ineffective' ? theme.mark.warn : v.status === 'draft' ? theme.mark.new : '-');
  const statusTone = (v: SkillView) => (v.status === 'ineffective' ? theme.status.warn : v.status === 'active' ? theme.status.ok : undefined);

  if (open) {
    const v = typeof data === 'object' ? data : shownView;
    return (
      <Box flexDirection="column" height={height} width={width}>
        <Text bold wrap="truncate">
          {v ? (
            <>
              {fitCells(v.name, 30)} <Text color={statusTone(v)}>[{v.status}{v.tracked ? '' : ', untracked'}]</Text>
            </>
          ) : (
            open
          )}{' '}
          <Text color={theme.text.secondary}>(j/k scroll, a D d R act, esc back)</Text>
        </Text>
        {data === undefined ? (
          <Text color={theme.text.secondary}>loading…</Text>
        ) : typeof data === 'string' ? (
          <Text color={theme.status.error} wrap="truncate">
            {fitCells(`Cannot show ${open}: ${data}`, width)}
          </Text>
        ) : (
          <LineRows lines={lines} scroll={scroll} rows={view} width={width} />
        )}
      </Box>
    );
  }

  const nameWidth = Math.max(12, width - 62);
  const count = (s: SkillView['status']) => list.filter((v) => v.status === s).length;
  const invalid = list.filter((v) => !v.valid).length;
  const drifted = list.filter((v) => v.driftLabel !== '-' && v.driftLabel !== 'none').length;
  const summary = skills
    ? `${list.length} skill(s) · ${count('draft')} draft, ${count('active')} active, ${count('ineffective')} ineffective, ${count('inactive')} inactive · ${invalid} invalid · ${drifted} drifted`
    : error
      ? ''
      : 'Reading the skills…';
  return (
    <Box flexDirection="column" height={height} width={width}>
      <Text color={error ? theme.status.error : theme.text.secondary} wrap="truncate">
        {fitCells(error ? `Cannot read the skills: ${error}` : summary, width)}
      </Text>
      <Text bold color={theme.text.secondary}>
        {fitCells(`    ${'name'.padEnd(nameWidth)} ${'status'.padEnd(11)} valid ${'drift'.padEnd(17)} recurrences`, width)}
      </Text>
      <WindowedList
        items={list}
        selected={sel}
        height={listHeight}
        width={width}
       
        empty={<Text color={theme.text.secondary}>{skills ? 'No skills: put one in skills/NAME/SKILL.md (nevo-tui skills validate checks it).' : ' '}</Text>}
        render={(v) =>
          fitCells(`${statusMark(v)} ${padCells(v.name, nameWidth)} ${v.status.padEnd(11)} ${(v.valid ? theme.mark.ok : theme.mark.error).padEnd(5)} ${v.driftLabel.padEnd(17)} ${recurrences(v)}`, width - 2)
        }
      />
      <Text color={theme.text.secondary} wrap="truncate">
        {current ? fitCells(`${current.name} · enter: validation, record and drift${current.valid ? '' : ` · ${current.validation ? 'invalid' : 'no folder in skills/'}`}`, width) : ' '}
      </Text>
    </Box>
  );
}
