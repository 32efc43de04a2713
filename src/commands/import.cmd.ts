import type { Command } from 'commander';
import { jsonOption, lazy } from './declare.js';

export function declare(program: Command): void {
  program
    .command('import')
    .description('turn past Claude Code transcripts into events and incidents (subagents included); importing twice adds nothing')
    .argument('[path]', "a .jsonl transcript, a project folder, or a folder of projects (default: this project's sessions in ~/.claude/projects)")
    .option('--all-projects', 'with no path: every project in ~/.claude/projects, not only the sessions that ran in this project or below it')
    .addOption(jsonOption())
    .action(lazy(() => import('./import.js')));
}
