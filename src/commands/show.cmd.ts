import type { Command } from 'commander';
import { jsonOption, lazy } from './declare.js';

export function declare(program: Command): void {
  program
    .command('show')
    .description('one commit of the history with its diff')
    .argument('<commit>', 'commit id (or a unique prefix)')
    .addOption(jsonOption())
    .action(lazy(() => import('./show.js')));
}
