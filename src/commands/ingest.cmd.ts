import type { Command } from 'commander';
import { jsonOption, lazy } from './declare.js';

export function declare(program: Command): void {
  program
    .command('ingest')
    .description('turn waiting hook events (triggers/) into events and incidents')
    .addOption(jsonOption())
    .action(lazy(() => import('./ingest.js')));
}
