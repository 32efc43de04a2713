// `nevo-tui hooks status`: what is registered against what should be, and whether each
// registered command works: it is run once, as Claude Code runs it, with a harmless payload and
// NEVO_HOOK_PROBE set, so the hook only answers that it runs and records nothing.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import type { HandlerSpec, HookPlan } from '../detect/hook-plan.js';
import { ALL_NEVO_EVENTS, NEVO_HOOK_EVENTS, nevoHandlersByEvent, type InstalledHandler } from '../detect/hooks-settings.js';
import { PROBE_ANSWER, PROBE_ENV } from '../detect/probe.js';

export interface EventState {
  event: string;
  installed: boolean;
  /** The plan registers this event (PreToolUse only while a guard is active). */
  expected: boolean;
  /** How the installed handlers run: `background`, `foreground`, `if Bash(*tree*)`... */
  handlers: string;
  /** The installed handlers differ from the plan: `hooks install` would rewrite them. */
  stale: boolean;
}

function describe(handlers: (InstalledHandler | HandlerSpec)[]): string {
  if (!handlers.length) return '';
  const ifs = handlers.flatMap((h) => (h.if ? [h.if] : []));
  const mode = handlers.every((h) => h.async) ? 'background' : 'foreground';
  return ifs.length ? `${mode}, only for ${ifs.join(', ')}` : mode;
}

export function eventStatus(text: string | null, file: string, command: string | undefined, plan: HookPlan): EventState[] {
  const installed = nevoHandlersByEvent(text, file, command);
  // A versioned event shows when the form expects it or it is there.
  return ALL_NEVO_EVENTS.filter((event) => NEVO_HOOK_EVENTS.includes(event) || (plan[event]?.length ?? 0) > 0 || (installed[event]?.length ?? 0) > 0).map((event) => {
    const has = installed[event] ?? [];
    const want = plan[event] ?? [];
    return { event, installed: has.length > 0, expected: want.length > 0, handlers: describe(has), stale: has.length > 0 && describe(has) !== describe(want) };
  });
}

/** Each distinct command nevo-tui registered, with the events that run it. */
export function handlerCommands(text: string | null, file: string, command: string | undefined): { command: string; events: string[] }[] {
  const byCommand = new Map<string, string[]>();
  for (const [event, handlers] of Object.entries(nevoHandlersByEvent(text, file, command))) {
    for (const h of handlers) {
      const events = byCommand.get(h.command) ?? [];
      if (!events.includes(event)) events.push(event);
      byCommand.set(h.command, events);
    }
  }
  return [...byCommand].map(([c, events]) => ({ command: c, events }));
}

export interface Probe {
  command: string;
  events: string[];
  ok: boolean;
  exitCode: number | null;
  /** Why it failed. */
  reason?: string;
  /** The workspace the hook found from the project. */
  workspace?: string | null;
  /** A command that runs `nevo-tui` from PATH works only where that PATH is. */
  note?: string;
}

/** The line of an error output that says what went wrong (Node prints the source line and a caret first). */
function tellingLine(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  return (lines.find((l) => /\b(?:Error|error|not found|No such|denied|[Cc]annot)\b/.test(l)) ?? lines[0] ?? '').slice(0, 300);
}

const PAYLOAD = (cwd: string) => `${JSON.stringify({ hook_event_name: 'Notification', session_id: 'nevo-tui-hooks-status', cwd, message: 'nevo-tui hooks status' })}\n`;

/** `needWorkspace`: the project's own files, whose hook must find the workspace. */
export function probeCommands(commands: { command: string; events: string[] }[], projectRoot: string, needWorkspace = true): Probe[] {
  return commands.map(({ command, events }) => {
    const env = { ...process.env, CLAUDE_PROJECT_DIR: projectRoot, [PROBE_ENV]: '1' };
    // As Claude Code runs a command hook: through the shell, in the project.
    const r = process.platform === 'win32'
      ? spawnSync(command, { shell: true, cwd: projectRoot, env, input: PAYLOAD(projectRoot), encoding: 'utf8', timeout: 20_000 })
      : spawnSync('/bin/sh', ['-c', command], { cwd: projectRoot, env, input: PAYLOAD(projectRoot), encoding: 'utf8', timeout: 20_000 });
    return readProbe(command, events, r, projectRoot, needWorkspace);
  });
}

/** What one run of a hook command says about it; apart from the run so a pipe closed early can be tested without racing for it. */
export function readProbe(command: string, events: string[], r: Pick<SpawnSyncReturns<string>, 'stdout' | 'stderr' | 'status' | 'signal' | 'error'>, projectRoot: string, needWorkspace: boolean): Probe {
  const stdout = String(r.stdout ?? '');
  const stderr = String(r.stderr ?? '').trim();
  const probe: Probe = { command, events, ok: false, exitCode: r.status };
  if (/^nevo-tui hook\b/.test(command.trim())) probe.note = 'it runs `nevo-tui` from PATH, so it fails wherever Claude Code runs without that PATH';
  const answer = stdout.split('\n').find((l) => l.startsWith(PROBE_ANSWER));
  // EPIPE: the shell exited before reading the payload (a command that never reached nevo-tui); its exit status still tells.
  const error = r.error && !((r.error as NodeJS.ErrnoException).code === 'EPIPE' && r.status !== null) ? r.error : undefined;
  if (error) probe.reason = (error as NodeJS.ErrnoException).code === 'ETIMEDOUT' ? 'it did not answer within 20 s' : error.message;
  else if (!answer) probe.reason = `exit ${r.status ?? r.signal}${stderr ? `: ${tellingLine(stderr)}` : ''}${r.status === 0 ? ' (it never reached nevo-tui hook)' : ''}`;
  else {
    try {
      probe.workspace = (JSON.parse(answer.slice(PROBE_ANSWER.length)) as { workspace: string | null }).workspace;
    } catch {
      probe.workspace = null;
    }
    if (needWorkspace && !probe.workspace) probe.reason = `nevo-tui hook runs but finds no workspace from ${projectRoot}: events would go to its rejected log`;
    else probe.ok = true;
  }
  return probe;
}
