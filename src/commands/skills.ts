import { homedir } from 'node:os';
import { join, relative } from 'node:path';
import type { Command } from 'commander';
import { PLUGIN_SKILLS, pluginEnabledFor } from '../detect/plugin.js';
import { emit } from '../output.js';
import { changeSkill, inventory, showSkill, type SkillAction, type SkillChange, type SkillView } from '../skills/deploy.js';
import { forgeSkills, type ForgeItem } from '../skills/forge-run.js';
import { displayPath } from '../skills/load.js';
import { workspaceOf } from './context.js';
import { problemLines, skillLines } from './skills-validate.js';

type InventoryOpts = { json?: boolean };

function recurrenceText(v: SkillView): string {
  if (!v.recurrence.since) return '-';
  return `${v.recurrence.total} since ${v.recurrence.since}`;
}

/** `nevo-tui skills list`: every skill of the inventory and of skills/, with status, validity, drift and recurrences. */
export async function list(opts: InventoryOpts, cmd: Command): Promise<void> {
  const ws = workspaceOf(cmd);
  const views = await inventory(ws);
  const data = {
    skills: views.map((v) => ({ name: v.name, status: v.status, tracked: v.tracked, valid: v.valid, drift: v.driftLabel, recurrences: v.recurrence.total, since: v.recurrence.since, fingerprints: v.record?.fingerprints ?? [] })),
  };
  emit(opts.json, data, () => {
    if (!views.length) return 'No skills: the inventory is empty and the workspace has no skills folder.';
    const rows = [['NAME', 'STATUS', 'VALID', 'DRIFT', 'RECURRENCES'], ...views.map((v) => [v.name, `${v.status}${v.tracked ? '' : ' (untracked)'}`, v.valid ? 'yes' : 'no', v.driftLabel, recurrenceText(v)])];
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')).join('\n');
  });
}

/** `nevo-tui skills show NAME`: the record, the validation and the drift's diff. */
export async function show(name: string, opts: InventoryOpts, cmd: Command): Promise<void> {
  const ws = workspaceOf(cmd);
  const v = await showSkill(ws, name);
  emit(opts.json, v, () => {
    const r = v.record;
    const lines = [
      `${v.name}: ${v.status}${v.tracked ? '' : ' (untracked: not in the inventory yet; `nevo-tui skills approve` deploys it)'}`,
      ...(r
        ? [
            `  created: ${r.created}${r.reason ? `  why: ${r.reason}` : ''}`,
            `  fingerprints: ${r.fingerprints.join(', ') || '(none)'}`,
            `  deployed: ${r.deployed ?? '-'}  hash: ${r.hash ?? '-'}`,
            ...(r.deactivated ? [`  deactivated: ${r.deactivated}${r.deactivatedReason ? ` (${r.deactivatedReason})` : ''}`] : []),
          ]
        : []),
      `  recurrences: ${recurrenceText(v)}; ${v.recurrence.window} within ${v.recurrence.days} day(s) of the deploy${v.recurrence.ineffective ? ': ineffective, consider `nevo-tui skills deactivate`' : ''}`,
      `  drift: ${v.driftLabel}`,
    ];
    if (v.validation) lines.push(...skillLines(v.validation).map((l) => `  ${l}`));
    else lines.push(`  ✗ no folder skills/${v.name} in the workspace`);
    if (v.diff) lines.push('', v.diff.trimEnd());
    return lines.join('\n');
  });
}

function changeText(c: SkillChange): string {
  const where = c.deployedTo ? ` to ${displayPath(c.deployedTo, process.cwd())}` : '';
  const verb = { approve: 'Approved and deployed', deploy: 'Deployed', deactivate: 'Deactivated (removed from .claude/skills/, kept in skills/)', reactivate: 'Reactivated and deployed' }[c.action];
  return `${verb} ${c.name}${where}: ${c.from} → ${c.record.status}${c.commit ? ` (commit ${c.commit.slice(0, 7)})` : ''}.`;
}

/** `nevo-tui skills approve|deploy|deactivate|reactivate NAME`. */
export async function change(action: SkillAction, name: string, opts: InventoryOpts & { reason?: string; fingerprint?: string[]; force?: boolean }, cmd: Command): Promise<void> {
  const ws = workspaceOf(cmd);
  const c = await changeSkill(ws, name, action, { reason: opts.reason, fingerprints: opts.fingerprint, force: opts.force });
  // nevo-tui's Claude Code plugin carries this skill too: deployed as well, the model sees it twice.
  const plugin = c.deployedTo && PLUGIN_SKILLS.includes(name) ? pluginEnabledFor(ws.projectRoot, homedir()) : [];
  emit(opts.json, plugin.length ? { ...c, alsoInPlugin: plugin.map((p) => p.id) } : c, () => {
    const text = changeText(c);
    if (!plugin.length) return text;
    const where = plugin.map((p) => `${p.id} in ${p.scope === 'user' ? join('~', relative(homedir(), p.file)) : displayPath(p.file, process.cwd())}`).join(', ');
    return `${text}\nnevo-tui's Claude Code plugin is enabled (${where}) and brings ${name} too, as nevo-tui:${name}: the model now sees it twice. \`nevo-tui skills deactivate ${name}\` keeps the plugin's.`;
  });
}

export const approve = (name: string, opts: InventoryOpts, cmd: Command) => change('approve', name, opts, cmd);
export const deploy = (name: string, opts: InventoryOpts, cmd: Command) => change('deploy', name, opts, cmd);
export const deactivate = (name: string, opts: InventoryOpts, cmd: Command) => change('deactivate', name, opts, cmd);
export const reactivate = (name: string, opts: InventoryOpts, cmd: Command) => change('reactivate', name, opts, cmd);

function forgeLine(i: ForgeItem): string {
  const c = i.candidate;
  const head = {
    forged: `✓ forged ${c.name} (${i.generator === 'writer' ? 'skill writer' : 'template'}) → ${i.file ?? `skills/${c.name}/SKILL.md`}`,
    exists: `= ${c.name}: a skill of this name exists; left as it is`,
    invalid: `✗ ${c.name}: the draft is not valid; nothing written`,
    'not-forged': `- ${c.name}: ${c.evaluation.choice}, not forged`,
    candidate: `? ${c.name}: would be forged`,
  }[i.status];
  const lines = [head, `    ${c.kind}: ${c.evidence.summary}`, `    why: ${c.evaluation.why}`];
  if (i.fallback) lines.push(`    the skill writer failed, the template was used: ${i.fallback.split('\n')[0]}`);
  for (const e of i.errors) lines.push(...problemLines('error', e));
  return lines.join('\n');
}

/** `nevo-tui skills forge [--dry-run]`: skill candidates from incidents and repeated sequences, drafted into skills/. */
export async function forge(opts: InventoryOpts & { dryRun?: boolean }, cmd: Command): Promise<void> {
  const ws = workspaceOf(cmd);
  const r = await forgeSkills(ws, { dryRun: opts.dryRun });
  emit(opts.json, r, () => {
    if (!r.items.length) return 'No skill candidates: no analyzed incident is a skill gap or a rule, and no run of tool calls recurs in 3 sessions.';
    const forged = r.items.filter((i) => i.status === 'forged').length;
    const tail = r.dryRun
      ? 'Dry run: nothing written.'
      : `${forged} draft(s) written${r.commit ? ` (commit ${r.commit.slice(0, 7)})` : ''}; \`nevo-tui skills approve NAME\` deploys one.`;
    return [...r.items.map(forgeLine), '', tail].join('\n');
  });
  if (r.items.some((i) => i.status === 'invalid')) process.exitCode = 1;
}
