import type { Command } from 'commander';
import { jsonOption, lazy } from './declare.js';

export function declare(program: Command): void {
  program
    .command('log')
    .description("list the workspace's history, newest first")
    .option('-n, --limit <n>', 'how many commits', '30')
    .option('--path <file>', 'only commits touching this file (relative to the workspace)')
    .addOption(jsonOption())
    .action(lazy(() => import('./log.js')));
}
