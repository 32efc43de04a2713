import type { Command } from 'commander';
import { jsonOption, lazy } from './declare.js';

export function declare(program: Command): void {
  program
    .command('gate')
    .description('run the quality gate of config.json (gate.stages: typecheck, test, lint...) in order; each failure is a quality incident; with gate.refine, retry up to gate.maxIterations then open a breaker incident; exit code 1 when a stage failed')
    .addOption(jsonOption())
    .action(lazy(() => import('./gate.js')));
}
