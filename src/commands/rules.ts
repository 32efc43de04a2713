import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { emit } from '../output.js';
import { shortOid } from '../util/format.js';
import { readStateAt, teamDaily } from '../app/sync-state.js';
import { promoteRule } from '../app/user-rules.js';
import { activeTokens, describeLoaded, lintWorkspaceRules, readEffectiveness, readLoads } from '../rules/report.js';
import { loadRules } from '../rules/load.js';
import { approveAndRemember } from '../app/loop.js';
import type { ExportResult } from '../rules/export.js';
import { deprecateRule, editRule, reexport, rejectRule, restoreRule, type ReviewResult, type RuleEdit } from '../rules/review.js';
import { describeBacktest } from '../rules/backtest.js';
import { guardSchema, parseRule, serialiseRule, type Rule } from '../rules/rule.js';
import type { Workspace } from '../workspace/workspace.js';
import { workspaceOf } from './context.js';

interface Opts {
  json?: boolean;
  reason?: string;
  status?: string;
  title?: string;
  body?: string;
  trigger?: string;
  enforcement?: string;
  verification?: string;
  paths?: string;
  guard?: string;
}

export async function lintWorkspace(ws: Workspace) {
  const { rules, errors } = loadRules(ws.root);
  return lintWorkspaceRules(ws, rules, errors.map((e) => ({ file: e.file, line: e.line, detail: e.detail })), await readEffectiveness(ws, rules, teamDaily(readStateAt(ws.root))));
}

/** A settings file the export could not bring in step with the guards: the rule stands, but a new guard may never run. */
function warnHooks(r: Pick<ExportResult, 'hooks'>): void {
  for (const h of r.hooks) {
    if (h.error) process.stderr.write(`nevo-tui: warning: the PreToolUse hook entries of ${h.file} were not brought in step with the guards (${h.error}); fix it, then run \`nevo-tui rules export\`.\n`);
  }
}

function reviewText(r: ReviewResult): string {
  const lines = [`${r.rule.id} ${r.from} → ${r.rule.status} (commit ${shortOid(r.commit)}): ${r.rule.title}`];
  if (r.export.written.length || r.export.removed.length) lines.push(`Agent copy: ${r.export.written.length} written, ${r.export.removed.length} removed in ${r.export.dir}`);
  lines.push(`Active rules take about ${r.export.tokens} tokens of the agent's context (budget ${r.export.budget})${r.export.over ? ' — OVER BUDGET: rules nobody reads do not help; deprecate some' : ''}.`);
  return lines.join('\n');
}

function editFromFlags(o: Opts): RuleEdit | null {
  const edit: RuleEdit = {};
  for (const k of ['title', 'body', 'trigger', 'enforcement', 'verification'] as const) if (o[k] !== undefined) edit[k] = o[k];
  if (o.paths !== undefined) edit.paths = o.paths.split(',').map((p) => p.trim()).filter(Boolean);
  if (o.guard !== undefined) {
    if (o.guard === '' || o.guard === 'none') edit.guard = null;
    else {
      let raw: unknown;
      try {
        raw = JSON.parse(o.guard);
      } catch {
        throw new UserError('--guard takes JSON such as \'{"tool":"Bash","command":"^rm -rf"}\', or "none" to remove it.');
      }
      const g = guardSchema.safeParse(raw);
      if (!g.success) throw new UserError(`--guard: ${g.error.issues.map((i) => i.message).join('; ')}`);
      edit.guard = g.data;
    }
  }
  return Object.keys(edit).length ? edit : null;
}

/**
 * `rules edit ID` with no field flags: the rule file in $EDITOR, validated before it is saved. The
 * file is in a folder of its own, which `done` removes once the edit is saved; until then, and
 * whenever the edit is refused, the person's text stays there and the error says where.
 */
function editInEditor(rule: Rule): { edit: RuleEdit; file: string; done: () => void } {
  const editor = process.env.VISUAL || process.env.EDITOR;
  if (!editor) throw new UserError('Set $EDITOR, or give the fields to change as flags (--title, --body, --trigger, ...).');
  const dir = mkdtempSync(join(tmpdir(), 'nevo-edit-'));
  const done = () => rmSync(dir, { recursive: true, force: true });
  const file = join(dir, `${rule.id}.md`);
  const original = serialiseRule(rule);
  writeFileSync(file, original);
  const r = spawnSync(editor, [file], { stdio: 'inherit', shell: true });
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    done();
    throw new UserError(`The editor left no ${file} to read back; ${rule.id} was not changed.`);
  }
  if (r.status !== 0) {
    // Nothing typed is nothing lost: the folder goes; anything typed stays for another try.
    if (text === original) done();
    throw new UserError(`The editor exited with ${r.status}; ${rule.id} was not changed${text === original ? '' : `; your text is kept in ${file}`}.`);
  }
  let edited: Rule;
  try {
    edited = parseRule(text, file);
  } catch (err) {
    throw new UserError(`${(err as Error).message}\n${rule.id} was not changed; your text is kept in ${file}.`);
  }
  if (edited.id !== rule.id || edited.status !== rule.status) throw new UserError(`Change the id or status with the review commands, not in the editor; ${rule.id} was not changed (your text: ${file}).`);
  return { edit: { title: edited.title, body: edited.body, trigger: edited.trigger, enforcement: edited.enforcement, verification: edited.verification, paths: edited.paths ?? [], guard: edited.guard ?? null }, file, done };
}

/** The rule an action names: `nevo-tui rules <action> ID`. */
function need(action: string, id: string | undefined): string {
  if (!id) throw new UserError(`Which rule? \`nevo-tui rules ${action} ID\`.`);
  return id;
}

/** `nevo-tui rules list`, and `rules` alone. */
export async function list(opts: Opts, cmd: Command): Promise<void> {
  const ws = workspaceOf(cmd);
  const { rules, errors } = loadRules(ws.root);
  const shown = rules.filter((r) => !opts.status || r.status === opts.status);
  const eff = await readEffectiveness(ws, rules, teamDaily(readStateAt(ws.root)));
  const loads = await readLoads(ws);
  const findings = lintWorkspaceRules(ws, rules, errors.map((e) => ({ file: e.file, line: e.line, detail: e.detail })), eff);
  const tokens = activeTokens(ws, rules);
  const data = {
    rules: shown.map((r) => ({ ...r, effectiveness: eff[r.id] ?? null, lastLoaded: loads[r.id]?.last ?? null, lint: findings.filter((f) => f.rule === r.id).map((f) => f.kind) })),
    unparseable: errors.map((e) => ({ file: e.file, line: e.line, detail: e.detail })),
    tokens: { active: tokens, budget: ws.config.rules.tokenBudget },
  };
  emit(opts.json, data, () =>
    [
      ...data.rules.map((r) => {
        const e = r.effectiveness;
        const effText = e ? ` ${e.before}→${e.after}${e.team ? ` (team ${e.team.before}→${e.team.after})` : ''}${e.blocks ? ` ${e.blocks} blocked` : ''}${e.working ? '' : ' NOT WORKING'}` : '';
        return `${r.id.padEnd(9)} ${r.status.padEnd(10)} ${r.title.slice(0, 56).padEnd(56)}${effText}${r.lint.length ? `  [${r.lint.join(', ')}]` : ''}`;
      }),
      ...data.unparseable.map((e) => `${e.file}:${e.line}: UNPARSEABLE ${e.detail}`),
      `Active rules: about ${tokens} tokens of ${ws.config.rules.tokenBudget}${tokens > ws.config.rules.tokenBudget ? ' — OVER BUDGET' : ''}.`,
    ].join('\n'),
  );
}

export async function show(id: string | undefined, opts: Opts, cmd: Command): Promise<void> {
  const ws = workspaceOf(cmd);
  const { rules } = loadRules(ws.root);
  const rule = rules.find((r) => r.id === need('show', id).toUpperCase());
  if (!rule) throw new UserError(`No rule ${id}; \`nevo-tui rules list\` shows them.`);
  const eff = (await readEffectiveness(ws, [rule], teamDaily(readStateAt(ws.root))))[rule.id] ?? null;
  const loaded = (await readLoads(ws))[rule.id];
  emit(opts.json, { rule, effectiveness: eff, lastLoaded: loaded?.last ?? null, loaded: loaded ?? null }, () =>
    [
      `${rule.id}  ${rule.status}  ${rule.title}`,
      `  ${rule.body}`,
      `  trigger       ${rule.trigger || '(missing)'}`,
      `  enforcement   ${rule.enforcement || '(missing)'}`,
      `  verification  ${rule.verification || '(missing)'}`,
      `  scope         ${rule.scope}${rule.paths?.length ? `  paths ${rule.paths.join(', ')}` : ''}`,
      rule.guard ? `  guard         ${JSON.stringify(rule.guard)}` : '',
      rule.backtest ? `  backtest      ${describeBacktest(rule.backtest)}` : '',
      rule.conflicts?.length ? `  memory says   ${rule.conflicts.map((c) => `"${c}"`).join('; ')}` : '',
      `  novelty       ${rule.novelty || '-'}`,
      `  incidents     ${rule.incidents.map((i) => i.id).join(', ') || '-'}  (hits ${rule.hits})`,
      `  created ${rule.created}  updated ${rule.updated}${rule.activated ? `  activated ${rule.activated}` : ''}`,
      eff
        ? `  effectiveness ${eff.before} occurrence(s) in the ${eff.days} days up to activation, ${eff.after} after it${eff.team ? `; across the team (${eff.team.members} member(s) saw it) ${eff.team.before} before, ${eff.team.after} after` : ''}; ${eff.blocks} call(s) blocked${eff.working ? '' : ' — NOT WORKING: its mistakes keep recurring'}`
        : '',
      `  loaded        ${describeLoaded(rule, loaded)}`,
      rule.reason ? `  reason        ${rule.reason}` : '',
    ]
      .filter(Boolean)
      .join('\n'),
  );
}

/** A review action's result: the agent's copy follows the rule, and the hooks with it. */
function reviewed(r: ReviewResult, opts: Opts): void {
  warnHooks(r.export);
  emit(opts.json, r, () => reviewText(r));
}

export async function approve(id: string | undefined, opts: Opts, cmd: Command): Promise<void> {
  const ws = workspaceOf(cmd);
  reviewed(await approveAndRemember(ws, need('approve', id)), opts);
}

export async function reject(id: string | undefined, opts: Opts, cmd: Command): Promise<void> {
  const ws = workspaceOf(cmd);
  reviewed(await rejectRule(ws, need('reject', id), opts.reason ?? ''), opts);
}

export async function deprecate(id: string | undefined, opts: Opts, cmd: Command): Promise<void> {
  const ws = workspaceOf(cmd);
  reviewed(await deprecateRule(ws, need('deprecate', id), opts.reason), opts);
}

export async function promote(id: string | undefined, opts: Opts, cmd: Command): Promise<void> {
  const ws = workspaceOf(cmd);
  const p = await promoteRule(ws, need('promote', id));
  emit(opts.json, p, () =>
    [
      p.added ? `${p.from} is now ${p.to} in the user-level workspace ${p.userWorkspace}.` : `${p.userWorkspace} already holds ${p.from} as ${p.to}.`,
      p.project.rule.status === 'deprecated' ? `${p.from} is deprecated here (commit ${p.project.commit?.slice(0, 7) ?? '-'}): \`nevo-tui rules restore ${p.from}\` brings it back.` : '',
      `Every project reads it from ${p.exported} once it is active there (\`nevo-tui --workspace ${p.userWorkspace} rules approve ${p.to}\` for a proposal).`,
    ]
      .filter(Boolean)
      .join('\n'),
  );
}

export async function restore(id: string | undefined, opts: Opts, cmd: Command): Promise<void> {
  const ws = workspaceOf(cmd);
  reviewed(await restoreRule(ws, need('restore', id)), opts);
}

export async function edit(id: string | undefined, opts: Opts, cmd: Command): Promise<void> {
  const ws = workspaceOf(cmd);
  const current = loadRules(ws.root).rules.find((r) => r.id === need('edit', id).toUpperCase());
  if (!current) throw new UserError(`No rule ${id}; \`nevo-tui rules list\` shows them.`);
  const flags = editFromFlags(opts);
  if (flags) return reviewed(await editRule(ws, current.id, flags), opts);
  const { edit: typed, file, done } = editInEditor(current);
  let result: ReviewResult;
  try {
    result = await editRule(ws, current.id, typed);
  } catch (err) {
    // Whatever refused it (lint, a lock held too long, the disk), the person's text is not lost.
    if (err instanceof UserError) throw new UserError(`${err.message}\nYour text is kept in ${file}.`);
    if (err instanceof Error) err.message = `${err.message}\nYour text is kept in ${file}.`;
    throw err;
  }
  done();
  reviewed(result, opts);
}

export async function lint(opts: Opts, cmd: Command): Promise<void> {
  const findings = await lintWorkspace(workspaceOf(cmd));
  emit(opts.json, { findings }, () => (findings.length ? findings.map((f) => `${f.file}${f.line ? `:${f.line}` : ''}: ${f.kind}: ${f.message}`).join('\n') : 'All rules pass lint.'));
  if (findings.length) process.exitCode = 1;
}

/** `nevo-tui rules export`. */
export async function exportRules(opts: Opts, cmd: Command): Promise<void> {
  const r = await reexport(workspaceOf(cmd));
  warnHooks(r);
  emit(opts.json, r, () => `Exported ${r.written.length} changed and removed ${r.removed.length} rule file(s) in ${r.dir}; ${r.guards} guard(s) active; about ${r.tokens} tokens (budget ${r.budget}).`);
}
