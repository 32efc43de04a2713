import type { Command } from 'commander';
import { jsonOption, lazy } from './declare.js';

export function declare(program: Command): void {
  program
    .command('doctor')
    .description('check every file of the workspace; restore a broken one from its last commit')
    .option('--restore <file>', 'restore FILE (relative to the workspace) from its last committed version')
    .option('--secrets', 'look for secrets in the workspace and its whole git history (file, commit and kind; never the value)')
    .option('--purge', 'with --secrets: rewrite the history with every secret redacted (keeps the old one under a backup ref)')
    .option('--dry-run', 'with --purge: say what would be rewritten, change nothing')
    .option('--drop-backup', 'with --secrets: delete the backup refs of a purge and the objects nothing reaches any more')
    .option('--migrate', 'split the documents still kept in one file each (incidents, facts, narratives, sessions, ledger) into monthly shards now, keeping the old history under a backup ref')
    .option('--clear-lost', 'set the count of events the hook could not write (a full disk) back to zero, once seen')
    .addOption(jsonOption())
    .action(lazy(() => import('./doctor.js')));
}
