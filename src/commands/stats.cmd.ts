import type { Command } from 'commander';
import { jsonOption, lazy } from './declare.js';

export function declare(program: Command): void {
  program
    .command('stats')
    .description('tool calls, failures and failure rate per day; the top repeated errors of the last 7 days')
    .option('--days <n>', 'how many days', '7')
    .addOption(jsonOption())
    .action(lazy(() => import('./stats.js')));
}
