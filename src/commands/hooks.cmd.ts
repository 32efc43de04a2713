import type { Command } from 'commander';
import { jsonOption, lazy } from './declare.js';

export function declare(program: Command): void {
  program
    .command('hooks')
    .description("install, remove or check nevo-tui's hooks in Claude Code's settings")
    .argument('<action>', 'install, uninstall or status')
    .option('--scope <scope>', 'project (.claude/settings.json), local (.claude/settings.local.json) or user (~/.claude/settings.json)', 'local')
    .option('--dry-run', 'print the resulting settings file and write nothing')
    .option('--command <cmd>', 'the hook command (default: this node and bin.cjs by absolute path for local and user; for project, a shell command that finds nevo-tui in node_modules/.bin, on PATH or in the npx cache)')
    .option('--claude-version <version>', 'write the entries for this Claude Code version (default: what `claude --version` answers; without one, the form every version reads)')
    .addOption(jsonOption())
    .action(lazy(() => import('./hooks.js')));
}
