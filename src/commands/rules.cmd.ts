import type { Command } from 'commander';
import { actionWords, jsonOption, lazyNamed } from './declare.js';

const load = () => import('./rules.js');

export function declare(program: Command): void {
  const rules = program.command('rules').description('list, show, review (approve, reject, edit, deprecate, restore), lint and export rules');
  rules
    .command('list')
    .description('every rule with status, effectiveness and lint flags; the token estimate of the active ones (what `rules` alone does)')
    .option('--status <status>', 'only rules with this status')
    .addOption(jsonOption())
    .action(lazyNamed(load, 'list'));
  rules
    .command('show')
    .description('one rule with its evidence and effectiveness, and when the agent last loaded it')
    .argument('[id]', 'rule id such as PROJ-001')
    .addOption(jsonOption())
    .action(lazyNamed(load, 'show'));
  rules
    .command('approve')
    .description("proposed → active: written to the agent's copy, its guard armed")
    .argument('[id]', 'rule id such as PROJ-001')
    .addOption(jsonOption())
    .action(lazyNamed(load, 'approve'));
  rules
    .command('reject')
    .description('proposed → rejected (a reason is required)')
    .argument('[id]', 'rule id such as PROJ-001')
    .option('--reason <text>', 'why')
    .addOption(jsonOption())
    .action(lazyNamed(load, 'reject'));
  rules
    .command('edit')
    .description('change fields, validated before saving; with no flags, opens the rule in $EDITOR')
    .argument('[id]', 'rule id such as PROJ-001')
    .option('--title <text>', 'new title')
    .option('--body <text>', 'new body (1 to 3 sentences, at most 400 characters)')
    .option('--trigger <text>', 'when the rule applies')
    .option('--enforcement <text>', 'what the agent must do')
    .option('--verification <text>', 'how to see that it worked')
    .option('--paths <globs>', 'comma-separated globs the rule is scoped to ("" for none)')
    .option('--guard <json>', '{"tool":"Bash","command":"regex"} or {"tool":"Edit","paths":["glob"]}; "none" removes it')
    .addOption(jsonOption())
    .action(lazyNamed(load, 'edit'));
  rules
    .command('deprecate')
    .description('active or proposed → deprecated')
    .argument('[id]', 'rule id such as PROJ-001')
    .option('--reason <text>', 'why')
    .addOption(jsonOption())
    .action(lazyNamed(load, 'deprecate'));
  rules
    .command('restore')
    .description('deprecated → active, rejected → proposed')
    .argument('[id]', 'rule id such as PROJ-001')
    .addOption(jsonOption())
    .action(lazyNamed(load, 'restore'));
  rules
    .command('promote')
    .description('move an agent rule (AGENT-NNN) to your user-level workspace (~/.nevo, made by `nevo-tui init ~`), which every project reads; the project keeps it deprecated')
    .argument('[id]', 'rule id such as AGENT-004')
    .addOption(jsonOption())
    .action(lazyNamed(load, 'promote'));
  rules
    .command('lint')
    .description('decorative, long, overlapping, contradicting, stale, unparseable and not working rules; exit code 1 on findings')
    .addOption(jsonOption())
    .action(lazyNamed(load, 'lint'));
  rules
    .command('export')
    .description("write the agent's copy again (after editing rule files by hand)")
    .addOption(jsonOption())
    .action(lazyNamed(load, 'exportRules'));
  actionWords(rules, { none: { run: 'list' } });
}
