import type { Command } from 'commander';
import { lazy } from './declare.js';

export function declare(program: Command): void {
  program
    .command('tui')
    .description('open the terminal UI on the workspace (what `nevo-tui` alone does)')
    .option('--screen <name>', 'start on watch, review, rules, incidents, history, memory, skills or jobs', 'watch')
    .option('--no-jobs', 'do not run the scheduled jobs in this TUI (it still ingests when no other process runs them)')
    .action(lazy(() => import('./tui.js')));
}
