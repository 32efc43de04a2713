import type { Command } from 'commander';
import { jsonOption, lazy } from './declare.js';

export function declare(program: Command): void {
  program
    .command('demo')
    .description('make a demo workspace with sample sessions in a scratch folder and open the TUI on it (what `npm start` runs)')
    .option('--dir <dir>', 'where to make it (default: a new temporary folder)')
    .option('--no-tui', 'print its status instead of opening the TUI')
    .option('--as-recorded', "keep the sample sessions' own dates (by default they are moved to the last days)")
    .addOption(jsonOption())
    .action(lazy(() => import('./demo.js')));
}
