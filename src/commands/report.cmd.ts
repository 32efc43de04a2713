import type { Command } from 'commander';
import { jsonOption, lazy } from './declare.js';

export function declare(program: Command): void {
  program
    .command('report')
    .description('record a failure from another source: a quality-gate stage, a circuit breaker, a task')
    .option('--signal <signal>', 'quality, breaker or task')
    .option('--name <name>', 'the stage, breaker or task that failed')
    .option('--error <text>', 'what went wrong')
    .option('--session <id>', 'the agent session it belongs to')
    .option('--target <target>', 'the file or command involved')
    .option('--stdin', 'read many events as JSON lines ({"signal":..., "error":..., "name":...}) from stdin')
    .addOption(jsonOption())
    .action(lazy(() => import('./report.js')));
}
