import type { Command } from 'commander';
import { jsonOption, lazy } from './declare.js';

export function declare(program: Command): void {
  program
    .command('analyze')
    .description('analyze incidents: root cause and a novelty-checked rule proposal (default: every new incident)')
    .argument('[id]', 'one incident (id or unique prefix)')
    .option('--all', 'every new incident (the default)')
    .option('--builtin', 'use the built-in analyst even when analyst.command is set')
    .addOption(jsonOption())
    .action(lazy(() => import('./analyze.js')));
}
