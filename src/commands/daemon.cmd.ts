import type { Command } from 'commander';
import { jsonOption, lazy } from './declare.js';

export function declare(program: Command): void {
  program
    .command('daemon')
    .description('run the scheduled jobs without the TUI, until stopped; one runner per workspace (a second one exits and names the first)')
    .option('--once', 'run the jobs that are due (missed times, waiting triggers) and exit')
    .addOption(jsonOption('print each run as a JSON line (with --once: one JSON result)'))
    .action(lazy(() => import('./daemon.js')));
}
