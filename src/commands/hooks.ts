import { readFileSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { detectClaudeVersion, hookForm, parseVersion, type HookForm } from '../detect/claude-version.js';
import { effectiveCapture, planHooks, type GuardSource, type HookPlan } from '../detect/hook-plan.js';
import {
  NEVO_HOOK_EVENTS,
  SCOPES,
  eventsWithNevoHooks,
  installHooks,
  installedCommand,
  isScope,
  nodeHookCommand,
  settingsPath,
  stripClaudeVersion,
  uninstallHooks,
  withClaudeVersion,
  type Scope,
} from '../detect/hooks-settings.js';
import { pluginEnabledFor } from '../detect/plugin.js';
import { deleteSettings, readSettings, writeSettings } from '../detect/settings-file.js';
import { sessionContextPossible, SESSION_CONTEXT_FILE, type ContextRule } from '../detect/session-context.js';
import { UserError } from '../errors.js';
import { emit } from '../output.js';
import { compileGuards, guardSources } from '../rules/guards.js';
import { loadRules } from '../rules/load.js';
import type { Workspace } from '../workspace/workspace.js';
import { workspaceOf } from './context.js';
import { eventStatus, handlerCommands, probeCommands, type EventState, type Probe } from './hooks-status.js';
import { ensureLocalIgnored, type IgnoreResult } from './hooks-ignore.js';

export interface HooksOptions {
  scope?: string;
  dryRun?: boolean;
  json?: boolean;
  command?: string;
  claudeVersion?: string;
}

type Action = 'install' | 'uninstall' | 'status';

const LIVE_NOTE = 'Claude Code picks up settings changes live; running sessions need no restart.';

/** `nevo-tui hooks install`: registers `nevo-tui hook` in a Claude Code settings file. */
export const install = (opts: HooksOptions, cmd: Command) => run('install', opts, cmd);
/** `nevo-tui hooks uninstall`: takes nevo-tui's entries out of it. */
export const uninstall = (opts: HooksOptions, cmd: Command) => run('uninstall', opts, cmd);
/** `nevo-tui hooks status`: what is registered there, and whether each registered command works. */
export const status = (opts: HooksOptions, cmd: Command) => run('status', opts, cmd);

async function run(action: Action, opts: HooksOptions, cmd: Command): Promise<void> {
  const scope = opts.scope ?? 'local';
  if (!isScope(scope)) throw new UserError(`--scope must be one of ${SCOPES.join(', ')}, not "${scope}".`);
  if (opts.command !== undefined && opts.command.trim() === '') throw new UserError('--command must not be empty');
  if (opts.claudeVersion !== undefined && !parseVersion(opts.claudeVersion)) throw new UserError(`--claude-version takes a version such as 2.1.332 (got "${opts.claudeVersion}")`);

  const home = homedir();
  // The user scope needs no workspace; the project scopes edit the workspace's project folder.
  const ws = scope === 'user' ? null : workspaceOf(cmd);
  const projectRoot = ws ? ws.projectRoot : home;
  const file = settingsPath(scope, projectRoot, home);
  const shown = displayPath(file, scope, home);
  const before = readSettings(file, shown);
  const t: Target = { scope, file, shown, projectRoot, ws, json: opts.json, dryRun: opts.dryRun, plugin: pluginsEnabled(projectRoot, home) };

  switch (action) {
    case 'status':
      return statusOf(before, t, opts.command);
    case 'uninstall':
      return uninstallFrom(before, t, opts.command ?? hookCommandFor(scope));
    case 'install': {
      const fromEnv = claudeVersionFromEnv();
      const version = opts.claudeVersion !== undefined ? parseVersion(opts.claudeVersion) : fromEnv !== undefined ? fromEnv : detectClaudeVersion();
      const command = withClaudeVersion(opts.command ?? hookCommandFor(scope), version);
      return installInto(before, t, command, hookForm(version));
    }
  }
}

/**
 * NEVO_CLAUDE_VERSION, when set, stands for what `claude --version` would answer: a version, or
 * empty for none (the form every version reads). undefined: not set, ask claude.
 */
function claudeVersionFromEnv(): string | null | undefined {
  const v = process.env.NEVO_CLAUDE_VERSION;
  if (v === undefined) return undefined;
  if (v.trim() && !parseVersion(v)) throw new UserError(`NEVO_CLAUDE_VERSION takes a version such as 2.1.332, or nothing (got "${v}")`);
  return parseVersion(v);
}

interface Target {
  scope: Scope;
  file: string;
  shown: string;
  projectRoot: string;
  ws: Workspace | null;
  json?: boolean;
  dryRun?: boolean;
  /** nevo-tui's Claude Code plugin, where a settings file this project reads enables it. */
  plugin: EnabledPlugin[];
}

export interface EnabledPlugin {
  id: string;
  file: string;
}

/** nevo-tui's plugin where the settings files Claude Code reads for this project enable it, each file as shown. */
function pluginsEnabled(projectRoot: string, home: string): EnabledPlugin[] {
  return pluginEnabledFor(projectRoot, home).map((p) => ({ id: p.id, file: displayPath(p.file, p.scope, home) }));
}

/** Its hook script steps aside wherever a settings file has nevo-tui's hooks, so an event is recorded once; install and status say so. */
function pluginNote(t: Target, installed: boolean): string | null {
  if (!t.plugin.length) return null;
  const where = t.plugin.map((p) => `${p.id} in ${p.file}`).join(', ');
  return installed
    ? `The nevo-tui plugin is enabled too (${where}): its hooks step aside wherever a settings file has nevo-tui's hooks, so each event is recorded once; its nevo-memory skill and /nevo stay.`
    : `The nevo-tui plugin is enabled (${where}): its hooks record in this project when no settings file has nevo-tui's hooks.`;
}

/** What nevo-tui registers in this scope's file, for a form: the workspace's guards and context decide PreToolUse and SessionStart. */
function planFor(t: Target, form: HookForm): HookPlan {
  // The user's file serves every project, each with its own capture: by call, which every workspace reads.
  if (!t.ws) return planHooks({ form, guards: 'any', sessionContext: true, capture: 'call' });
  return planHooks({ form, guards: workspaceGuards(t.ws), sessionContext: contextPossible(t.ws), capture: t.ws.config.hooks.capture });
}

function workspaceGuards(ws: Workspace): GuardSource[] {
  const { rules } = loadRules(ws.root);
  return guardSources(rules, compileGuards(rules, ws.projectRoot));
}

/** From the candidates the last export wrote; none written yet: SessionStart stays in the foreground. */
function contextPossible(ws: Workspace): boolean {
  try {
    const data = JSON.parse(readFileSync(join(ws.root, SESSION_CONTEXT_FILE), 'utf8')) as { rules?: ContextRule[] };
    return sessionContextPossible(ws.projectRoot, ws.config.rules.sessionStartContext, Array.isArray(data.rules) ? data.rules : []);
  } catch {
    return true;
  }
}

function formNote(form: HookForm): string {
  if (!form.version) return 'Claude Code was not found on PATH (`claude --version`), so every event runs in the foreground, the form every version reads; give --claude-version VERSION, or install with `claude` on PATH, for lighter hooks.';
  if (!form.async) return `Claude Code ${form.version} has no background hooks (2.1.23 and later do): every event runs in the foreground.`;
  const pre = form.ifs ? 'PreToolUse starts only for calls an active guard could block' : 'PreToolUse runs for every call while a guard is active (Claude Code 2.1.89 and later filter it per guard)';
  return `For Claude Code ${form.version}: capture runs in the background, Stop and SessionEnd in the foreground; ${pre}.`;
}

/** How this scope's entries capture calls, and how to have the other way. */
function captureNote(t: Target, form: HookForm): string | null {
  if (!t.ws) return null;
  if (effectiveCapture(form, t.ws.config.hooks.capture) === 'turn') {
    return 'Capture by turn (the default): a call that works starts no hook; ingest reads it from the session\'s transcript (at every ingest while the session is open, and when a turn ends); failures and guard blocks come at once. `"hooks": { "capture": "call" }` in config.json starts a background hook for every call instead.';
  }
  if (t.ws.config.hooks.capture === 'turn') return null; // no background hooks in this version: by call, as formNote says
  return 'Capture by call (hooks.capture in config.json): every call starts a background hook. With "turn" (the default for new workspaces) a call that works starts none: ingest reads it from the transcript.';
}

async function installInto(before: string | null, t: Target, command: string, form: HookForm): Promise<void> {
  const had = eventsWithNevoHooks(before, t.shown, command);
  const after = installHooks(before, t.shown, command, planFor(t, form));
  const changed = after !== before;
  const now = eventsWithNevoHooks(after, t.shown, command);
  const added = now.filter((e) => !had.includes(e));
  if (changed && !t.dryRun) writeSettings(t.file, after, before !== null);
  // A local settings file holds this machine's paths: git must not pick it up.
  const ignored: IgnoreResult | null = t.scope === 'local' && !t.dryRun ? await ensureLocalIgnored(t.projectRoot, t.file) : null;
  // Run once as Claude Code will: a command that cannot work is said now, not found out later.
  const probe = t.dryRun ? undefined : probeCommands(handlerCommands(after, t.shown, command).slice(0, 1), t.projectRoot, t.scope !== 'user')[0];
  if (probe && !probe.ok) process.stderr.write(`nevo-tui: warning: the hook command does not work when run as Claude Code runs it: ${probe.reason}\n`);

  const data = { action: 'install', scope: t.scope, file: t.file, changed, dryRun: Boolean(t.dryRun), written: changed && !t.dryRun, command, claudeVersion: form.version, added, events: now, ...(ignored ? { gitignore: ignored } : {}), ...(probe ? { probe } : {}), plugin: t.plugin, ...(t.dryRun ? { content: after } : {}) };
  if (t.dryRun && !t.json) {
    process.stderr.write(`Dry run: ${changed ? `this is what install would write to ${t.shown}` : `${t.shown} would not change`}; nothing was written.\n`);
    process.stdout.write(after);
    return;
  }
  emit(t.json, data, () => {
    const lines: string[] = [];
    if (!changed) lines.push(`nevo-tui hooks are already installed in ${t.shown} as they should be; nothing changed.`);
    else if (added.length && !had.length) lines.push(`Installed nevo-tui hooks for ${added.length} event${added.length === 1 ? '' : 's'} in ${t.shown}.`);
    else if (installedCommand(before, t.shown)?.base !== command) lines.push(`Updated the command of nevo-tui's hooks in ${t.shown} (they ran another command)${added.length ? `, and added ${added.length} event${added.length === 1 ? '' : 's'}` : ''}.`);
    else lines.push(`Updated nevo-tui's hooks in ${t.shown} to what the active guards and this Claude Code version need${added.length ? ` (${added.length} event${added.length === 1 ? '' : 's'} added)` : ''}.`);
    if (changed) lines.push(`Command: ${stripClaudeVersion(command)}`, formNote(form));
    const capture = changed ? captureNote(t, form) : null;
    if (capture) lines.push(capture);
    if (ignored?.added) lines.push(`Added ${ignored.line} to ${ignored.file} so git does not pick up this machine's settings.`);
    if (changed) lines.push(LIVE_NOTE);
    const note = pluginNote(t, true);
    if (note) lines.push(note);
    return lines.join('\n');
  });
}

function uninstallFrom(before: string | null, t: Target, command: string): void {
  const had = eventsWithNevoHooks(before, t.shown, command);
  // Uninstall answers null when the file should not exist: install created it.
  const after = uninstallHooks(before, t.shown, command);
  const changed = after !== before;
  const deleted = changed && after === null;
  const now = eventsWithNevoHooks(after, t.shown, command);
  const removed = had.filter((e) => !now.includes(e));
  if (changed && !t.dryRun) {
    if (after === null) deleteSettings(t.file);
    else writeSettings(t.file, after, before !== null);
  }
  const data = { action: 'uninstall', scope: t.scope, file: t.file, changed, dryRun: Boolean(t.dryRun), written: changed && !t.dryRun, removed, deleted, plugin: t.plugin, ...(t.dryRun ? { content: after } : {}) };
  if (t.dryRun && !t.json) {
    const what = deleted ? `uninstall would delete ${t.shown} (install created it)` : changed ? `this is what uninstall would write to ${t.shown}` : `${t.shown} would not change`;
    process.stderr.write(`Dry run: ${what}; nothing was written.\n`);
    if (after !== null) process.stdout.write(after);
    return;
  }
  emit(t.json, data, () => {
    if (before === null) return `${t.shown} does not exist; no nevo-tui hooks to remove, nothing changed.`;
    if (!changed) return `No nevo-tui hooks in ${t.shown}; nothing changed.`;
    const note = pluginNote(t, false);
    return [`Removed nevo-tui hooks for ${removed.length} event${removed.length === 1 ? '' : 's'} from ${t.shown}${deleted ? ', and the file, which install had created' : ''}.`, LIVE_NOTE, ...(note ? [note] : [])].join('\n');
  });
}

function statusOf(before: string | null, t: Target, command: string | undefined): void {
  const installed = installedCommand(before, t.shown);
  const form = hookForm(installed?.version ?? null);
  const events: EventState[] = eventStatus(before, t.shown, command, planFor(t, form));
  // The user's file serves every folder: its hook finds no workspace from the home folder.
  const probes: Probe[] = probeCommands(handlerCommands(before, t.shown, command), t.projectRoot, t.scope !== 'user');
  const count = events.filter((e) => e.installed).length;
  const expected = events.filter((e) => e.expected).length;
  const missing = events.filter((e) => e.expected && !e.installed).length;
  const failing = probes.filter((p) => !p.ok);
  const stale = events.filter((e) => e.stale || (e.installed && !e.expected)).map((e) => e.event);
  const data = { scope: t.scope, file: t.file, exists: before !== null, claudeVersion: form.version, capture: t.ws ? effectiveCapture(form, t.ws.config.hooks.capture) : 'call', events, installed: count, expected, total: NEVO_HOOK_EVENTS.length, stale, probes, failing: failing.length, plugin: t.plugin };
  emit(t.json, data, () => {
    const width = Math.max(...events.map((e) => e.event.length));
    const lines = [`Settings  ${t.shown}${before === null ? ' (does not exist)' : ''}${form.version ? `  (written for Claude Code ${form.version})` : ''}`];
    for (const e of events) {
      const state = e.installed ? `installed${e.handlers ? `, ${e.handlers}` : ''}` : e.expected ? 'not installed' : e.event === 'PreToolUse' ? 'not needed (no active guard)' : 'not needed (capture by turn: ingest reads it from the transcript)';
      lines.push(`  ${e.event.padEnd(width)}  ${state}`);
    }
    const capture = before === null ? null : captureNote(t, form);
    if (capture) lines.push(capture);
    for (const p of probes) {
      const shownCommand = p.command.length > 100 ? `${p.command.slice(0, 99)}…` : p.command;
      lines.push(p.ok ? `Ran ${shownCommand}: works (${p.events.length} event${p.events.length === 1 ? '' : 's'})${p.note ? `; ${p.note}` : ''}` : `FAILS: ${shownCommand}\n  ${p.reason}${p.note ? `\n  ${p.note}` : ''}`);
    }
    if (failing.length) lines.push(`${failing.length} registered command${failing.length === 1 ? '' : 's'} failed when run once as Claude Code runs ${failing.length === 1 ? 'it' : 'them'}: nothing is recorded through ${failing.length === 1 ? 'it' : 'them'} and no guard blocks.`);
    else if (missing) lines.push(`nevo-tui hooks are installed for ${expected - missing} of ${expected} events; run \`nevo-tui hooks install${scopeFlag(t.scope)}\` to add the rest.`);
    else lines.push(`nevo-tui hooks are installed for all ${expected} events they need.`);
    const note = pluginNote(t, count > 0);
    if (note) lines.push(note);
    if (stale.length && !failing.length) lines.push(`${stale.join(', ')}: not as install would write them now (rules or settings changed); \`nevo-tui hooks install${scopeFlag(t.scope)}\` brings them in step.`);
    return lines.join('\n');
  });
  if (failing.length) process.exitCode = 1;
}

/** `~/…` for the user's file, relative to the current folder when inside it, else absolute. */
function displayPath(file: string, scope: Scope, home: string): string {
  const fromHome = relative(home, file);
  if (scope === 'user' && fromHome && !fromHome.startsWith('..') && !isAbsolute(fromHome)) return join('~', fromHome);
  const fromCwd = relative(process.cwd(), file);
  return fromCwd && !fromCwd.startsWith('..') && !isAbsolute(fromCwd) ? fromCwd : file;
}

function scopeFlag(scope: Scope): string {
  return scope === 'local' ? '' : ` --scope ${scope}`;
}

/**
 * A command that works whatever PATH Claude Code runs hooks with. The local and user files belong
 * to this machine: this Node running this bin.cjs, by absolute paths. The project file is
 * committed: a POSIX shell finds nevo-tui when the hook runs (the project's node_modules/.bin,
 * then PATH, then npx's cache) and, when it cannot, says so on stderr and exits 0, so the agent's
 * call goes on.
 */
export function hookCommandFor(scope: Scope): string {
  return scope === 'project' ? PROJECT_HOOK_COMMAND : thisNodeCommand();
}

function thisNodeCommand(): string {
  const script = process.argv[1];
  if (!script) return 'nevo-tui hook';
  let cli = resolve(script);
  try {
    cli = realpathSync(cli);
  } catch {
    // keep the resolved path
  }
  return nodeHookCommand(process.execPath, cli);
}

/**
 * Without single quotes: it sits in one single-quoted argument of /bin/sh (zsh would stop at a glob
 * that matches nothing). Short: Claude Code shows the command to the model with a block.
 */
const RESOLVER = [
  'command -v node >/dev/null || { echo "nevo-tui: no node on PATH ($PATH); event not recorded" >&2; exit 0; }',
  'for p in "${CLAUDE_PROJECT_DIR:-.}/node_modules/.bin/nevo-tui" "$(command -v nevo-tui)" "$HOME"/.npm/_npx/*/node_modules/.bin/nevo-tui; do [ -x "$p" ] && exec "$p" hook; done',
  'echo "nevo-tui: not in node_modules/.bin, on PATH ($PATH) or in the npx cache; event not recorded (npm i -D nevo-tui)" >&2',
  'exit 0',
].join('; ');

export const PROJECT_HOOK_COMMAND = `/bin/sh -c '${RESOLVER}' nevo-tui-hook`;
