import type { Command } from 'commander';
import { actionWords, jsonOption, lazyNamed } from './declare.js';

const load = () => import('./incidents.js');

export function declare(program: Command): void {
  const incidents = program.command('incidents').description('list incidents, show one with its recent events, or dismiss one as noise');
  incidents
    .command('list')
    .description('incidents, dismissed ones with --all (what `incidents` alone does)')
    .option('--sort <key>', 'count, last or category', 'count')
    .option('--status <status>', 'only incidents with this status')
    .option('--all', 'include dismissed incidents')
    .addOption(jsonOption())
    .action(lazyNamed(load, 'list'));
  incidents
    .command('show')
    .description('one incident with its sample error and recent events')
    .argument('[id]', 'incident id (or a unique prefix)')
    .addOption(jsonOption())
    .action(lazyNamed(load, 'show'));
  incidents
    .command('dismiss')
    .description('mark an incident as noise')
    .argument('[id]', 'incident id (or a unique prefix)')
    .option('--reason <text>', 'why it is noise')
    .addOption(jsonOption())
    .action(lazyNamed(load, 'dismiss'));
  actionWords(incidents, { none: { run: 'list' }, use: 'list, show ID or dismiss ID' });
}
