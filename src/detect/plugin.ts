// nevo-tui as a Claude Code plugin (plugin/ in the package, listed by .claude-plugin/marketplace.json):
// the hook entries its hooks/hooks.json holds, and finding the plugin enabled in the settings files
// Claude Code reads for a project.
import { readFileSync } from 'node:fs';
import { parse } from 'jsonc-parser';
import { hookForm } from './claude-version.js';
import { planHooks } from './hook-plan.js';
import { ALL_NEVO_EVENTS, nevoGroup, settingsPath, type NevoHandlerJson, type Scope } from './hooks-settings.js';

/** The plugin's name (plugin/.claude-plugin/plugin.json): Claude Code names it `nevo-tui@<marketplace>`. */
export const PLUGIN_NAME = 'nevo-tui';

/** The skills the plugin carries (plugin/skills/), the same as the package's: deployed as well, the model would see each twice. */
export const PLUGIN_SKILLS: readonly string[] = Object.freeze(['nevo-memory']);

/**
 * The oldest Claude Code the plugin's hooks are written for (its manifest's `engines`): the
 * InstructionsLoaded event came in 2.1.69, background hooks in 2.1.23.
 */
export const PLUGIN_CLAUDE_CODE = '2.1.69';

/**
 * The hook command for one event: a POSIX shell runs the plugin's script, which finds nevo-tui
 * when it runs (the plugin ships none) and steps aside where settings hooks already record. The
 * event is passed only so that PreToolUse can skip Node in a workspace without guards.
 */
export function pluginHookCommand(event: string): string {
  return `/bin/sh "\${CLAUDE_PLUGIN_ROOT}/hooks/nevo-tui-hook.sh" ${event}`;
}

/**
 * plugin/hooks/hooks.json: the entries `hooks install` writes for that version in a file that
 * serves every project (the user scope), since a plugin cannot know a project's guards or its
 * SessionStart context: capture by call in the background, Stop and SessionEnd in the foreground,
 * SessionStart in the foreground (it may print context), PreToolUse on every call (the script
 * skips Node where no guard is active), InstructionsLoaded in the background.
 */
export function pluginHooks(): { hooks: Record<string, { hooks: NevoHandlerJson[] }[]> } {
  // By call: a file that serves every project cannot know which of them read transcripts.
  const plan = planHooks({ form: hookForm(PLUGIN_CLAUDE_CODE), guards: 'any', sessionContext: true, capture: 'call' });
  const hooks: Record<string, { hooks: NevoHandlerJson[] }[]> = {};
  for (const event of ALL_NEVO_EVENTS) {
    const specs = plan[event] ?? [];
    if (specs.length) hooks[event] = [nevoGroup(pluginHookCommand(event), specs)];
  }
  return { hooks };
}

/**
 * The nevo-tui plugin ids (`nevo-tui@<marketplace>`) a settings file turns on (true) or off
 * (false) in `enabledPlugins`; nothing for a file that is not JSON. Claude Code reads the user's,
 * the project's and the local file, the later ones overriding the earlier.
 */
export function nevoPluginEntries(text: string | null): Record<string, boolean> {
  if (!text?.trim()) return {};
  const settings = parse(text, [], { allowTrailingComma: true }) as unknown;
  if (!settings || typeof settings !== 'object') return {};
  const enabled = (settings as { enabledPlugins?: unknown }).enabledPlugins;
  if (!enabled || typeof enabled !== 'object' || Array.isArray(enabled)) return {};
  const out: Record<string, boolean> = {};
  for (const [id, on] of Object.entries(enabled as Record<string, unknown>)) if (id.startsWith(`${PLUGIN_NAME}@`) && typeof on === 'boolean') out[id] = on;
  return out;
}

/** The plugin ids enabled by a list of settings files, most general first (user, project, local), with the file that decided. */
export function enabledNevoPlugins(files: { file: string; text: string | null }[]): { id: string; file: string }[] {
  const state = new Map<string, { on: boolean; file: string }>();
  for (const { file, text } of files) for (const [id, on] of Object.entries(nevoPluginEntries(text))) state.set(id, { on, file });
  return [...state].filter(([, s]) => s.on).map(([id, s]) => ({ id, file: s.file }));
}

/**
 * nevo-tui's plugin where the settings files Claude Code reads for a project enable it (the
 * user's, the project's, the local one), with the file and scope that decided. A file that cannot
 * be read enables nothing.
 */
export function pluginEnabledFor(projectRoot: string, home: string): { id: string; file: string; scope: Scope }[] {
  const scopes = new Map<string, Scope>();
  const files = (['user', 'project', 'local'] as const).flatMap((scope) => {
    const file = settingsPath(scope, projectRoot, home);
    if (scopes.has(file)) return [];
    scopes.set(file, scope);
    let text: string | null = null;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      // none, or not readable: it enables nothing
    }
    return [{ file, text }];
  });
  return enabledNevoPlugins(files).map((p) => ({ ...p, scope: scopes.get(p.file)! }));
}
