import { Option, type Command } from 'commander';
import { jsonOption, lazyNamed } from './declare.js';

const load = () => import('./jobs.js');

export function declare(program: Command): void {
  const jobs = program.command('jobs').description('the scheduled jobs: ingest, consolidate, validate-skills, self-review, fitness');
  jobs
    .command('list', { isDefault: true })
    .description('each job: schedule, next run, last run, duration, outcome; and which process runs them')
    .addOption(jsonOption())
    .action(lazyNamed(load, 'list'));
  jobs
    .command('run')
    .description('run one job now, in this process (refused while another process runs it); exit code 1 when it fails')
    .argument('<name>', 'ingest, consolidate, validate-skills, self-review or fitness')
    .addOption(jsonOption())
    // how the TUI's runner hands a job to a child process: not for people
    .addOption(new Option('--reason <reason>').hideHelp())
    .addOption(new Option('--slot <time>').hideHelp())
    .addOption(new Option('--by <label>').hideHelp())
    .action(lazyNamed(load, 'runOne'));
}
