import type { Command } from 'commander';
import { jsonOption, lazy } from './declare.js';

export function declare(program: Command): void {
  program
    .command('review')
    .description('what waits for a person, in the order the Review screen shows it: gate escalations, proposed rules with the evidence to decide on them (count, sessions, first and last seen, the guard\'s backtest, the closest rule and why it is or is not the same mistake, contradictions, preferences it goes against), proposed facts; and the recent reject reasons')
    .addOption(jsonOption())
    .action(lazy(() => import('./review.js')));
}
