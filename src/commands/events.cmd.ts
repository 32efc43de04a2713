import type { Command } from 'commander';
import { jsonOption, lazy } from './declare.js';

export function declare(program: Command): void {
  program
    .command('events')
    .description('recent events and the fate of each: opened or counted into an incident, journal only, blocked, rejected')
    .option('-n, --limit <n>', 'how many', '30')
    .addOption(jsonOption())
    .action(lazy(() => import('./events.js')));
}
