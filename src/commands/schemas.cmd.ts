import type { Command } from 'commander';
import { lazy } from './declare.js';

export function declare(program: Command): void {
  program
    .command('schemas')
    .description("print the JSON Schema of every store document (the package's store/*.schema.json)")
    .option('--write <dir>', 'write them into DIR instead of printing')
    .action(lazy(() => import('./schemas.js')));
}
