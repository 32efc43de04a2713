import type { Command } from 'commander';
import { jsonOption, lazy } from './declare.js';

export function declare(program: Command): void {
  program
    .command('rules')
    .description('list, show, review (approve, reject, edit, deprecate, restore), lint and export rules')
    .argument('[action]', 'list (default), show, approve, reject, edit, deprecate, restore, lint or export')
    .argument('[id]', 'rule id such as PROJ-001')
    .option('--status <status>', 'list: only rules with this status')
    .option('--reason <text>', 'reject, deprecate: why')
    .option('--title <text>', 'edit: new title')
    .option('--body <text>', 'edit: new body (1 to 3 sentences, at most 400 characters)')
    .option('--trigger <text>', 'edit: when the rule applies')
    .option('--enforcement <text>', 'edit: what the agent must do')
    .option('--verification <text>', 'edit: how to see that it worked')
    .option('--paths <globs>', 'edit: comma-separated globs the rule is scoped to ("" for none)')
    .option('--guard <json>', 'edit: {"tool":"Bash","command":"regex"} or {"tool":"Edit","paths":["glob"]}; "none" removes it')
    .addOption(jsonOption())
    .action(lazy(() => import('./rules.js')));
}
