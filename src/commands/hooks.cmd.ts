import { Option, type Command } from 'commander';
import { actionWords, jsonOption, lazyNamed } from './declare.js';

const load = () => import('./hooks.js');

const scope = () => new Option('--scope <scope>', 'project (.claude/settings.json), local (.claude/settings.local.json) or user (~/.claude/settings.json)').default('local');
const dryRun = () => new Option('--dry-run', 'print the resulting settings file and write nothing');
const command = () => new Option('--command <cmd>', 'the hook command (default: this node and bin.cjs by absolute path for local and user; for project, a shell command that finds nevo-tui in node_modules/.bin, on PATH or in the npx cache)');

export function declare(program: Command): void {
  const hooks = program.command('hooks').description("install, remove or check nevo-tui's hooks in Claude Code's settings");
  hooks
    .command('install')
    .description('register `nevo-tui hook` for the events it needs, in the form the Claude Code version honours, and run it once as Claude Code will')
    .addOption(scope())
    .addOption(dryRun())
    .addOption(command())
    .option('--claude-version <version>', 'write the entries for this Claude Code version (default: what `claude --version` answers; without one, the form every version reads)')
    .addOption(jsonOption())
    .action(lazyNamed(load, 'install'));
  hooks
    .command('uninstall')
    .description("take nevo-tui's entries out of the settings file (and the file, when install created it)")
    .addOption(scope())
    .addOption(dryRun())
    .addOption(command())
    .addOption(jsonOption())
    .action(lazyNamed(load, 'uninstall'));
  hooks
    .command('status')
    .description('what is registered for each event, and whether each registered command works when run once as Claude Code runs it; exit code 1 when one fails')
    .addOption(scope())
    .addOption(command())
    .addOption(jsonOption())
    .action(lazyNamed(load, 'status'));
  actionWords(hooks, { none: { missing: 'action' } });
}
