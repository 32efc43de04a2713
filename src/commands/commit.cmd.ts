import type { Command } from 'commander';
import { jsonOption, lazy } from './declare.js';

export function declare(program: Command): void {
  program
    .command('commit')
    .description('commit batched record changes now instead of waiting for the batch to fill')
    .addOption(jsonOption())
    .action(lazy(() => import('./commit.js')));
}
