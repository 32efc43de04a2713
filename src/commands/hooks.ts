import { accessSync, constants, realpathSync, statSync, promises as fs } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import {
  NEVO_HOOK_EVENTS,
  SCOPES,
  eventsWithNevoHooks,
  hooksStatus,
  installHooks,
  isScope,
  nodeHookCommand,
  settingsPath,
  uninstallHooks,
  type Scope,
} from '../detect/hooks-settings.js';
import { UserError, errorMessage } from '../errors.js';
import { emit } from '../output.js';
import { atomicWriteFile } from '../util/atomic-write.js';
import { workspaceOf } from './context.js';

export interface HooksOptions {
  scope?: string;
  dryRun?: boolean;
  json?: boolean;
  command?: string;
}

const ACTIONS = ['install', 'uninstall', 'status'] as const;
type Action = (typeof ACTIONS)[number];

const LIVE_NOTE = 'Claude Code picks up settings changes live; running sessions need no restart.';

/** `nevo-tui hooks install|uninstall|status`: registers `nevo-tui hook` in a Claude Code settings file. */
export async function run(action: string, opts: HooksOptions, cmd: Command): Promise<void> {
  if (!(ACTIONS as readonly string[]).includes(action)) {
    throw new UserError(`unknown hooks action "${action}"; use one of: ${ACTIONS.join(', ')}`);
  }
  const scope = opts.scope ?? 'local';
  if (!isScope(scope)) throw new UserError(`--scope must be one of: ${SCOPES.join(', ')} (got "${scope}")`);
  if (opts.command !== undefined && opts.command.trim() === '') throw new UserError('--command must not be empty');

  const home = homedir();
  // The user scope needs no workspace; the project scopes edit the workspace's project folder.
  const projectRoot = scope === 'user' ? home : workspaceOf(cmd).projectRoot;
  const file = settingsPath(scope, projectRoot, home);
  const shown = displayPath(file, scope, home);
  const command = opts.command ?? defaultHookCommand();
  const before = await readSettings(file, shown);

  switch (action as Action) {
    case 'status':
      return status(before, { scope, file, shown, command, json: opts.json });
    case 'install':
    case 'uninstall':
      return change(action as 'install' | 'uninstall', before, { scope, file, shown, command, json: opts.json, dryRun: opts.dryRun });
  }
}

interface Target {
  scope: Scope;
  file: string;
  shown: string;
  command: string;
  json?: boolean;
  dryRun?: boolean;
}

function status(before: string | null, t: Target): void {
  const events = hooksStatus(before, t.shown, t.command);
  const installed = events.filter((e) => e.installed).length;
  emit(t.json, { scope: t.scope, file: t.file, exists: before !== null, events, installed, total: events.length }, () => {
    const width = Math.max(...events.map((e) => e.event.length));
    return [
      `Settings  ${t.shown}${before === null ? ' (does not exist)' : ''}`,
      ...events.map((e) => `  ${e.event.padEnd(width)}  ${e.installed ? 'installed' : 'not installed'}`),
      installed === events.length
        ? `nevo-tui hooks are installed for all ${events.length} events.`
        : `nevo-tui hooks are installed for ${installed} of ${events.length} events; run \`nevo-tui hooks install${scopeFlag(t.scope)}\` to add the rest.`,
    ].join('\n');
  });
}

async function change(action: 'install' | 'uninstall', before: string | null, t: Target): Promise<void> {
  const had = eventsWithNevoHooks(before, t.shown, t.command);
  // Uninstall answers null when the file should not exist: install created it.
  const after = action === 'install' ? installHooks(before, t.shown, t.command) : uninstallHooks(before, t.shown, t.command);
  const changed = after !== before;
  const deleted = changed && after === null;
  const now = eventsWithNevoHooks(after, t.shown, t.command);
  const events = action === 'install' ? now.filter((e) => !had.includes(e)) : had.filter((e) => !now.includes(e));

  if (changed && !t.dryRun) {
    if (after === null) await deleteSettings(t.file);
    else await writeSettings(t.file, after, before !== null);
  }

  const data = {
    action,
    scope: t.scope,
    file: t.file,
    changed,
    dryRun: Boolean(t.dryRun),
    written: changed && !t.dryRun,
    ...(action === 'install' ? { command: t.command, added: events } : { removed: events, deleted }),
    ...(t.dryRun ? { content: after } : {}),
  };
  if (t.dryRun && !t.json) {
    const what = deleted ? `uninstall would delete ${t.shown} (install created it)` : changed ? `this is what ${action} would write to ${t.shown}` : `${t.shown} would not change`;
    process.stderr.write(`Dry run: ${what}; nothing was written.\n`);
    if (after !== null) process.stdout.write(after);
    return;
  }
  emit(t.json, data, () => {
    if (action === 'install') {
      if (!changed) return `nevo-tui hooks are already installed for all ${NEVO_HOOK_EVENTS.length} events in ${t.shown}; nothing changed.`;
      const already = NEVO_HOOK_EVENTS.length - events.length;
      const first = events.length
        ? `Installed nevo-tui hooks for ${events.length} event${events.length === 1 ? '' : 's'} in ${t.shown}${already ? ` (${already} already had one)` : ''}.`
        : `Updated the command of nevo-tui's hooks in ${t.shown} (they ran another command).`;
      return [first, `Command: ${t.command}`, LIVE_NOTE].join('\n');
    }
    if (before === null) return `${t.shown} does not exist; no nevo-tui hooks to remove, nothing changed.`;
    if (!changed) return `No nevo-tui hooks in ${t.shown}; nothing changed.`;
    return [
      `Removed nevo-tui hooks for ${events.length} event${events.length === 1 ? '' : 's'} from ${t.shown}${deleted ? ', and the file, which install had created' : ''}.`,
      LIVE_NOTE,
    ].join('\n');
  });
}

async function readSettings(file: string, shown: string): Promise<string | null> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new UserError(`cannot read ${shown}: ${errorMessage(err)}`);
  }
}

/**
 * Replaces the file atomically. A symlinked settings file (dotfile managers) is written through
 * its link, and an existing file keeps its permission bits.
 */
async function writeSettings(file: string, text: string, existed: boolean): Promise<void> {
  let target = file;
  let mode: number | undefined;
  if (existed) {
    target = await fs.realpath(file);
    mode = (await fs.stat(target)).mode & 0o7777;
  } else {
    await fs.mkdir(dirname(file), { recursive: true });
  }
  await atomicWriteFile(target, text);
  if (mode !== undefined) await fs.chmod(target, mode).catch(() => undefined);
}

/**
 * Removes the settings file install created. A symlink (a dotfile manager took the file over)
 * stays, and its target gets the `{}` install started from.
 */
async function deleteSettings(file: string): Promise<void> {
  const stat = await fs.lstat(file).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  if (stat?.isSymbolicLink()) await writeSettings(file, '{}\n', true);
  else if (stat) await fs.unlink(file);
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
 * `nevo-tui hook` when an executable `nevo-tui` is on PATH; otherwise this Node running this
 * CLI file by absolute path, so the hook works without a global install.
 */
export function defaultHookCommand(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (onPath('nevo-tui', env.PATH ?? env.Path ?? '', platform, env.PATHEXT)) return 'nevo-tui hook';
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

function onPath(name: string, pathEnv: string, platform: NodeJS.Platform, pathExt: string | undefined): boolean {
  const names = platform === 'win32' ? [name, ...(pathExt ?? '.COM;.EXE;.BAT;.CMD').split(';').filter(Boolean).map((ext) => name + ext.toLowerCase())] : [name];
  for (const dir of pathEnv.split(delimiter)) {
    if (!dir) continue;
    for (const candidate of names) {
      const p = join(dir, candidate);
      try {
        if (!statSync(p).isFile()) continue;
        if (platform !== 'win32') accessSync(p, constants.X_OK);
        return true;
      } catch {
        // not here, or not executable
      }
    }
  }
  return false;
}
