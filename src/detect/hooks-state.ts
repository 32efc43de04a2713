// Whether Claude Code will call nevo's hook at all, over the three settings files it reads: what a
// screen with no events yet must say (waiting for the first call, or how to install the hooks).
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { NEVO_HOOK_EVENTS, SCOPES, eventsWithNevoHooks, settingsPath, type Scope } from './hooks-settings.js';

export interface HooksState {
  /** The settings files that hold nevo's hook, each with the events it has it for. */
  files: { scope: Scope; file: string; events: string[] }[];
  /** Events no settings file has nevo's hook for. */
  missing: string[];
  /** Settings files that could not be read or parsed, with why. */
  unreadable: { file: string; error: string }[];
}

/** Pure: the state from each scope's settings text (null: no such file); `shown` names a file for people. */
export function hooksStateOf(settings: { scope: Scope; shown: string; text: string | null }[]): HooksState {
  const files: HooksState['files'] = [];
  const unreadable: HooksState['unreadable'] = [];
  for (const s of settings) {
    try {
      const events = eventsWithNevoHooks(s.text, s.shown);
      if (events.length) files.push({ scope: s.scope, file: s.shown, events });
    } catch (err) {
      unreadable.push({ file: s.shown, error: (err as Error).message });
    }
  }
  const covered = new Set(files.flatMap((f) => f.events));
  return { files, missing: NEVO_HOOK_EVENTS.filter((e) => !covered.has(e)), unreadable };
}

/** Reads the project's and the user's settings files. */
export function readHooksState(projectRoot: string, home = homedir()): HooksState {
  return hooksStateOf(
    SCOPES.map((scope) => {
      const file = settingsPath(scope, projectRoot, home);
      let text: string | null = null;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        // no settings file at this scope
      }
      const shown = scope === 'user' ? '~/.claude/settings.json' : scope === 'project' ? '.claude/settings.json' : '.claude/settings.local.json';
      return { scope, shown, text };
    }),
  );
}

/**
 * Pure: what to say while no event has arrived. Installed: Claude Code calls the hook on its next
 * tool call, so say where to look; not installed (or only partly): how to install.
 */
export function waitingForEvents(state: HooksState, project: string): string[] {
  const unreadable = state.unreadable.map((u) => u.error);
  if (!state.files.length) {
    return [
      'No events yet: the hooks are not installed, so Claude Code does not call nevo-tui.',
      `Install them in ${project}: nevo-tui hooks install (or count past sessions: nevo-tui import).`,
      ...unreadable,
    ];
  }
  const where = state.files.map((f) => f.file).join(', ');
  if (state.missing.length) {
    return [
      `No events yet. The hooks are installed in ${where} for ${NEVO_HOOK_EVENTS.length - state.missing.length} of ${NEVO_HOOK_EVENTS.length} events; missing: ${state.missing.join(', ')}.`,
      'nevo-tui hooks install adds the rest.',
      ...unreadable,
    ];
  }
  return [
    `No events yet. The hooks are installed (${where}): waiting for the first tool call.`,
    `Run Claude Code in ${project}: each tool call appears on the Watch screen and in nevo-tui events as it happens.`,
    ...unreadable,
  ];
}
