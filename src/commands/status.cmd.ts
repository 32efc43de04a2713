import type { Command } from 'commander';
import { jsonOption, lazy } from './declare.js';

export function declare(program: Command): void {
  program
    .command('status')
    .description('workspace path, counts of every document, last commit')
    .addOption(jsonOption())
    .action(lazy(() => import('./status.js')));
}
