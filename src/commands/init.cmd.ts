import type { Command } from 'commander';
import { jsonOption, lazy } from './declare.js';

export function declare(program: Command): void {
  program
    .command('init')
    .description('create a workspace in DIR/.nevo (default: the current folder) and make its first commit')
    .argument('[dir]', 'project folder')
    .option('--gitignore', "add the lines that keep .nevo/ and .claude/settings.local.json out of the project's git to its .gitignore (without it, init only prints them)")
    .addOption(jsonOption())
    .action(lazy(() => import('./init.js')));
}
