// Keeps the hook entries of the project's Claude Code settings in step with the guards: when the
// active rules change, the PreToolUse handlers are compiled again from their guards (and
// SessionStart follows whether it may print context). Called by the rules export, under the
// workspace lock. Only entries written for a known Claude Code version change; the form every
// version reads (no version recorded) has no guard-specific part.
import { join, relative } from 'node:path';
import { errorMessage } from '../errors.js';
import { hookForm } from './claude-version.js';
import { planHooks, type Capture, type GuardSource } from './hook-plan.js';
import { installHooks, installedCommand } from './hooks-settings.js';
import { readSettings, writeSettings } from './settings-file.js';

export interface RefreshResult {
  /** The settings file, relative to the project. */
  file: string;
  changed: boolean;
  /** Why it could not be refreshed (the file is not valid JSON, say); the rules change still stands. */
  error?: string;
}

/** The settings files whose nevo-tui entries belong to this project. */
export function projectSettingsFiles(projectRoot: string): string[] {
  return [join(projectRoot, '.claude', 'settings.json'), join(projectRoot, '.claude', 'settings.local.json')];
}

export function refreshHookSettings(projectRoot: string, input: { guards: GuardSource[]; sessionContext: boolean; capture?: Capture }): RefreshResult[] {
  const results: RefreshResult[] = [];
  for (const file of projectSettingsFiles(projectRoot)) {
    const shown = relative(projectRoot, file);
    try {
      const text = readSettings(file, shown);
      const installed = installedCommand(text, shown);
      if (!installed?.version) continue;
      const plan = planHooks({ form: hookForm(installed.version), guards: input.guards, sessionContext: input.sessionContext, capture: input.capture });
      const after = installHooks(text, shown, installed.base, plan);
      if (after !== text) writeSettings(file, after, true);
      results.push({ file: shown, changed: after !== text });
    } catch (err) {
      results.push({ file: shown, changed: false, error: errorMessage(err) });
    }
  }
  return results;
}
