import type { Command } from 'commander';
import { jsonOption, lazy } from './declare.js';

export function declare(program: Command): void {
  program
    .command('revert')
    .description('undo one commit with a new commit')
    .argument('<commit>', 'commit id (or a unique prefix)')
    .addOption(jsonOption())
    .action(lazy(() => import('./revert.js')));
}
