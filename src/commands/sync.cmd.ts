import { Option, type Command } from 'commander';
import { jsonOption, lazy } from './declare.js';

export function declare(program: Command): void {
  program
    .command('sync')
    .description("share rules, skills and incident counts with a team over a git remote: push this member's branch, bring in the others'")
    .option('--remote <url>', 'the git remote (https://...); the first one given is kept in config.json as sync.remote')
    .option('--dry-run', 'list what would leave the machine, change nothing, send nothing')
    .option('--resolve <rule>', "settle a sync conflict on a rule: keep this workspace's version (edit it first to the text you want), or take the other member's with --keep theirs")
    .addOption(new Option('--keep <side>', 'with --resolve: whose version stays').choices(['mine', 'theirs']).default('mine'))
    .option('--from <member>', 'with --resolve --keep theirs: whose version, when the rule is in conflict with several members')
    .addOption(jsonOption())
    .action(lazy(() => import('./sync.js')));
}
