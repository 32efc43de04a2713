import type { Command } from 'commander';
import { jsonOption, lazy } from './declare.js';

export function declare(program: Command): void {
  program
    .command('incidents')
    .description('list incidents, show one with its recent events, or dismiss one as noise')
    .argument('[action]', 'list (default), show or dismiss')
    .argument('[id]', 'incident id (or a unique prefix) for show and dismiss')
    .option('--reason <text>', 'dismiss: why it is noise')
    .option('--sort <key>', 'count, last or category', 'count')
    .option('--status <status>', 'only incidents with this status')
    .option('--all', 'include dismissed incidents')
    .addOption(jsonOption())
    .action(lazy(() => import('./incidents.js')));
}
