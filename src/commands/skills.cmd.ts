import type { Command } from 'commander';
import { jsonOption, lazyNamed } from './declare.js';

const load = () => import('./skills.js');

export function declare(program: Command): void {
  const skills = program.command('skills').description('check, deploy and track skills: validation, the inventory, deploy to .claude/skills/, drift and effectiveness');
  skills
    .command('validate')
    .description("check a skill or a folder of skills (default: the workspace's skills/) as the official Agent Skills validator does; scripts are parsed, never run; exit code 1 when any skill is invalid, or PATH holds no skill")
    .argument('[path]', 'a skill folder (holding SKILL.md) or a folder of skill folders')
    .option('--allow-empty', 'a PATH with no skill in it is no skills (exit 0), not a missing SKILL.md')
    .addOption(jsonOption())
    .action(lazyNamed(() => import('./skills-validate.js'), 'validate'));
  skills
    .command('list')
    .description("list the skills of the inventory and of the workspace's skills/: status, validity, drift, recurrences since deploy")
    .addOption(jsonOption())
    .action(lazyNamed(load, 'list'));
  skills
    .command('forge')
    .description('turn skill-gap incidents and tool-call sequences repeated across sessions into draft skills in skills/ (validated, one commit; rule-sized ones are listed, not forged)')
    .option('--dry-run', 'list the candidates and their evaluation; write nothing')
    .addOption(jsonOption())
    .action(lazyNamed(load, 'forge'));
  skills
    .command('show')
    .description('show a skill: its inventory record, validation, recurrences and the diff of any drift')
    .argument('<name>', 'the skill (its folder name)')
    .addOption(jsonOption())
    .action(lazyNamed(load, 'show'));
  skills
    .command('approve')
    .description('approve a draft skill: validate it and deploy it to .claude/skills/ in the project (one commit)')
    .argument('<name>', 'the skill (its folder in skills/)')
    .option('--reason <text>', 'why the skill was made')
    .option('--fingerprint <fp...>', 'incident fingerprints the skill answers')
    .option('--force', 'replace a .claude/skills/<name> that nevo did not deploy')
    .addOption(jsonOption())
    .action(lazyNamed(load, 'approve'));
  skills
    .command('deploy')
    .description('deploy an active skill again (after an edit: records the new hash, clears drift)')
    .argument('<name>', 'the skill')
    .addOption(jsonOption())
    .action(lazyNamed(load, 'deploy'));
  skills
    .command('deactivate')
    .description('remove a skill from .claude/skills/ (it stays in skills/ and the inventory)')
    .argument('<name>', 'the skill')
    .option('--reason <text>', 'why')
    .addOption(jsonOption())
    .action(lazyNamed(load, 'deactivate'));
  skills
    .command('reactivate')
    .description('validate and deploy an inactive skill again')
    .argument('<name>', 'the skill')
    .addOption(jsonOption())
    .action(lazyNamed(load, 'reactivate'));
}
