import { failedTarget } from './util/atomic-write.js';
import { Command, CommanderError, Option } from 'commander';
import { isUserError } from './errors.js';
import { packageVersion } from './util/package-root.js';
import { jsonOption } from './commands/declare.js';

export interface GlobalOptions {
  workspace?: string;
}

type Action = (program: Command) => Promise<void>;

/** Commander calls actions with (args..., options, command); this resolves the global flags. */
export function globals(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals() as GlobalOptions;
}

/** Loads a command's module only when the command runs, then calls its `name` export. */
function lazyNamed<M>(load: () => Promise<M>, name: keyof M) {
  return async (...args: unknown[]) => {
    const mod = await load();
    await (mod[name] as (...a: unknown[]) => Promise<void>)(...args);
  };
}

const lazy = <M extends { run: unknown }>(load: () => Promise<M>) => lazyNamed(load, 'run');

export function buildProgram(): Command {
  const program = new Command('nevo-tui')
    .description('Makes a coding agent better every day: incidents, reviewed rules, memory and skills over plain, versioned files.')
    .version(packageVersion(), '-V, --version')
    .addOption(new Option('-w, --workspace <dir>', 'workspace folder (default: NEVO_WORKSPACE, else the nearest .nevo/ above)'))
    .showHelpAfterError('(run with --help for usage)')
    // One prefix for every error, commander's own ("error: unknown option") included.
    .configureOutput({ outputError: (str, write) => write(str.replace(/^error: /, 'nevo-tui: ')) });

  program
    .command('hook')
    .description('what Claude Code runs on each hook event: reads one event (JSON) on stdin, redacts it, queues it in triggers/ and exits 0; exits 2 with the rule on stderr when an active guard blocks the call')
    .action(async () => {
      process.exitCode = await (await import('./hook.js')).runHook([]);
    });

  program
    .command('tui')
    .description('open the terminal UI on the workspace (what `nevo-tui` alone does)')
    .option('--screen <name>', 'start on watch, review, rules, incidents, history, memory, skills or jobs', 'watch')
    .option('--no-jobs', 'do not run the scheduled jobs in this TUI (it still ingests when no other process runs them)')
    .action(lazy(() => import('./commands/tui.js')));

  program
    .command('init')
    .description('create a workspace in DIR/.nevo (default: the current folder) and make its first commit')
    .argument('[dir]', 'project folder')
    .option('--gitignore', "add the lines that keep .nevo/ and .claude/settings.local.json out of the project's git to its .gitignore (without it, init only prints them)")
    .addOption(jsonOption())
    .action(lazy(() => import('./commands/init.js')));

  program
    .command('status')
    .description('workspace path, counts of every document, last commit')
    .addOption(jsonOption())
    .action(lazy(() => import('./commands/status.js')));

  program
    .command('ingest')
    .description('turn waiting hook events (triggers/) into events and incidents')
    .addOption(jsonOption())
    .action(lazy(() => import('./commands/ingest.js')));

  program
    .command('events')
    .description('recent events and the fate of each: opened or counted into an incident, journal only, blocked, rejected')
    .option('-n, --limit <n>', 'how many', '30')
    .addOption(jsonOption())
    .action(lazy(() => import('./commands/events.js')));

  program
    .command('incidents')
    .description('list incidents, show one with its recent events, or dismiss one as noise')
    .argument('[action]', 'list (default), show or dismiss')
    .argument('[id]', 'incident id (or a unique prefix) for show and dismiss')
    .option('--reason <text>', 'dismiss: why it is noise')
    .option('--sort <key>', 'count, last or category', 'count')
    .option('--status <status>', 'only incidents with this status')
    .option('--all', 'include dismissed incidents')
    .addOption(jsonOption())
    .action(lazy(() => import('./commands/incidents.js')));

  program
    .command('stats')
    .description('tool calls, failures and failure rate per day; the top repeated errors of the last 7 days')
    .option('--days <n>', 'how many days', '7')
    .addOption(jsonOption())
    .action(lazy(() => import('./commands/stats.js')));

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
    .action(lazy(() => import('./commands/report.js')));

  program
    .command('gate')
    .description('run the quality gate of config.json (gate.stages: typecheck, test, lint...) in order; each failure is a quality incident; with gate.refine, retry up to gate.maxIterations then open a breaker incident; exit code 1 when a stage failed')
    .addOption(jsonOption())
    .action(lazy(() => import('./commands/gate.js')));

  program
    .command('hooks')
    .description("install, remove or check nevo-tui's hooks in Claude Code's settings")
    .argument('<action>', 'install, uninstall or status')
    .option('--scope <scope>', 'project (.claude/settings.json), local (.claude/settings.local.json) or user (~/.claude/settings.json)', 'local')
    .option('--dry-run', 'print the resulting settings file and write nothing')
    .option('--command <cmd>', 'the hook command (default: this node and bin.cjs by absolute path for local and user; for project, a shell command that finds nevo-tui in node_modules/.bin, on PATH or in the npx cache)')
    .option('--claude-version <version>', 'write the entries for this Claude Code version (default: what `claude --version` answers; without one, the form every version reads)')
    .addOption(jsonOption())
    .action(lazy(() => import('./commands/hooks.js')));

  program
    .command('import')
    .description('turn past Claude Code transcripts into events and incidents (subagents included); importing twice adds nothing')
    .argument('[path]', "a .jsonl transcript, a project folder, or a folder of projects (default: this project's sessions in ~/.claude/projects)")
    .option('--all-projects', 'with no path: every project in ~/.claude/projects, not only the sessions that ran in this project or below it')
    .addOption(jsonOption())
    .action(lazy(() => import('./commands/import.js')));

  program
    .command('analyze')
    .description('analyze incidents: root cause and a novelty-checked rule proposal (default: every new incident)')
    .argument('[id]', 'one incident (id or unique prefix)')
    .option('--all', 'every new incident (the default)')
    .option('--builtin', 'use the built-in analyst even when analyst.command is set')
    .addOption(jsonOption())
    .action(lazy(() => import('./commands/analyze.js')));

  program
    .command('rules')
    .description('list, show, review (approve, reject, edit, deprecate, restore), lint and export rules')
    .argument('[action]', 'list (default), show, approve, reject, edit, deprecate, restore, lint or export')
    .argument('[id]', 'rule id such as PROJ-001')
    .option('--status <status>', 'list: only rules with this status')
    .option('--reason <text>', 'reject, deprecate: why')
    .option('--title <text>', 'edit: new title')
    .option('--body <text>', 'edit: new body (1 to 3 sentences, at most 400 characters)')
    .option('--trigger <text>', 'edit: when the rule applies')
    .option('--enforcement <text>', 'edit: what the agent must do')
    .option('--verification <text>', 'edit: how to see that it worked')
    .option('--paths <globs>', 'edit: comma-separated globs the rule is scoped to ("" for none)')
    .option('--guard <json>', 'edit: {"tool":"Bash","command":"regex"} or {"tool":"Edit","paths":["glob"]}; "none" removes it')
    .addOption(jsonOption())
    .action(lazy(() => import('./commands/rules.js')));

  program
    .command('review')
    .description('what waits for a person, in the order the Review screen shows it: gate escalations, proposed rules with the evidence to decide on them (count, sessions, first and last seen, the guard\'s backtest, the closest rule and why it is or is not the same mistake, contradictions, preferences it goes against), proposed facts; and the recent reject reasons')
    .addOption(jsonOption())
    .action(lazy(() => import('./commands/review.js')));

  const memory = program.command('memory').description('search, consolidate, pin, hide and forget what the agent remembers: facts, session narratives, digests');
  memory
    .command('search')
    .description('ranked, typo-tolerant search over facts, narratives and digests (no query: the most relevant first)')
    .argument('[query...]', 'words to look for')
    .option('--category <c>', 'only this category: preference, lesson, config, project, decision, event, narrative, weekly, monthly')
    .option('--since <date>', 'only items from this day on (YYYY-MM-DD)')
    .option('--kind <kind>', 'only facts, narratives or digests (fact, narrative, digest)')
    .option('--all', 'include items marked never-recall')
    .option('-n, --limit <n>', 'how many results', '20')
    .addOption(jsonOption())
    .action(lazyNamed(() => import('./commands/memory.js'), 'search'));
  memory
    .command('show')
    .description('one memory item: a fact with its source and expiry, a narrative or a digest in full')
    .argument('<id>', 'fact:<hash>, narrative:<session> or digest:weekly:<week>')
    .option('--query <q>', 'also say why the item ranks where it does for this query')
    .addOption(jsonOption())
    .action(lazyNamed(() => import('./commands/memory.js'), 'show'));
  memory
    .command('consolidate')
    .description('fold old narratives into weekly digests and old weeklies into monthly ones, drop expired facts, snapshot fitness; one commit')
    .option('--dry-run', 'say what would change, change nothing')
    .addOption(jsonOption())
    .action(lazyNamed(() => import('./commands/memory.js'), 'consolidate'));
  memory
    .command('forget')
    .description('remove memory items by query (every word must appear), category, date range, session or id; one commit, revertable')
    .argument('[query...]', 'words every forgotten item holds')
    .option('--category <c>', 'only this category')
    .option('--from <date>', 'items from this day on')
    .option('--to <date>', 'items up to this day')
    .option('--session <id>', "one session's narrative, raw journal and facts")
    .option('--id <id...>', 'these items')
    .option('--dry-run', 'list what would go, change nothing')
    .addOption(jsonOption())
    .action(lazyNamed(() => import('./commands/memory.js'), 'forget'));
  for (const [name, what] of [
    ['pin', 'keep an item on top of results; a pinned item never expires or folds'],
    ['unpin', 'undo pin'],
    ['hide', 'never recall an item: kept, but out of results unless --all'],
    ['unhide', 'recall a hidden item again'],
  ] as const) {
    memory
      .command(name)
      .description(what)
      .argument('<id>', 'the item (ids are in `memory search --json`)')
      .addOption(jsonOption())
      .action(lazyNamed(() => import('./commands/memory.js'), name));
  }
  memory
    .command('narrate')
    .description("(re)build the narratives and facts of sessions from their journal (default: every session)")
    .argument('[session...]', 'session ids')
    .addOption(jsonOption())
    .action(lazyNamed(() => import('./commands/memory.js'), 'narrate'));
  memory
    .command('add')
    .description('remember a statement as a fact')
    .argument('<statement...>', 'the fact, in one sentence')
    .requiredOption('--category <c>', 'preference, lesson, config, project, decision or event')
    .addOption(jsonOption())
    .action(lazyNamed(() => import('./commands/memory.js'), 'add'));
  memory
    .command('pending')
    .description("preferences and lessons the agent (or an external extractor) proposed: they wait for a person's review")
    .addOption(jsonOption())
    .action(lazyNamed(() => import('./commands/memory.js'), 'pending'));
  for (const [name, what] of [
    ['approve', 'take a proposed fact as your own: it is recalled from now on'],
    ['reject', 'drop a proposed fact for good'],
  ] as const) {
    memory
      .command(name)
      .description(what)
      .argument('<id>', 'the fact (ids are in `memory pending`)')
      .option('--reason <text>', 'why, kept in the commit message')
      .addOption(jsonOption())
      .action(lazyNamed(() => import('./commands/memory.js'), name));
  }

  const skills = program.command('skills').description('check, deploy and track skills: validation, the inventory, deploy to .claude/skills/, drift and effectiveness');
  skills
    .command('validate')
    .description("check a skill or a folder of skills (default: the workspace's skills/) as the official Agent Skills validator does; scripts are parsed, never run; exit code 1 when any skill is invalid, or PATH holds no skill")
    .argument('[path]', 'a skill folder (holding SKILL.md) or a folder of skill folders')
    .option('--allow-empty', 'a PATH with no skill in it is no skills (exit 0), not a missing SKILL.md')
    .addOption(jsonOption())
    .action(lazyNamed(() => import('./commands/skills-validate.js'), 'validate'));
  skills
    .command('list')
    .description("list the skills of the inventory and of the workspace's skills/: status, validity, drift, recurrences since deploy")
    .addOption(jsonOption())
    .action(lazyNamed(() => import('./commands/skills.js'), 'list'));
  skills
    .command('forge')
    .description('turn skill-gap incidents and tool-call sequences repeated across sessions into draft skills in skills/ (validated, one commit; rule-sized ones are listed, not forged)')
    .option('--dry-run', 'list the candidates and their evaluation; write nothing')
    .addOption(jsonOption())
    .action(lazyNamed(() => import('./commands/skills.js'), 'forge'));
  skills
    .command('show')
    .description('show a skill: its inventory record, validation, recurrences and the diff of any drift')
    .argument('<name>', 'the skill (its folder name)')
    .addOption(jsonOption())
    .action(lazyNamed(() => import('./commands/skills.js'), 'show'));
  skills
    .command('approve')
    .description('approve a draft skill: validate it and deploy it to .claude/skills/ in the project (one commit)')
    .argument('<name>', 'the skill (its folder in skills/)')
    .option('--reason <text>', 'why the skill was made')
    .option('--fingerprint <fp...>', 'incident fingerprints the skill answers')
    .option('--force', 'replace a .claude/skills/<name> that nevo did not deploy')
    .addOption(jsonOption())
    .action(lazyNamed(() => import('./commands/skills.js'), 'approve'));
  skills
    .command('deploy')
    .description('deploy an active skill again (after an edit: records the new hash, clears drift)')
    .argument('<name>', 'the skill')
    .addOption(jsonOption())
    .action(lazyNamed(() => import('./commands/skills.js'), 'deploy'));
  skills
    .command('deactivate')
    .description('remove a skill from .claude/skills/ (it stays in skills/ and the inventory)')
    .argument('<name>', 'the skill')
    .option('--reason <text>', 'why')
    .addOption(jsonOption())
    .action(lazyNamed(() => import('./commands/skills.js'), 'deactivate'));
  skills
    .command('reactivate')
    .description('validate and deploy an inactive skill again')
    .argument('<name>', 'the skill')
    .addOption(jsonOption())
    .action(lazyNamed(() => import('./commands/skills.js'), 'reactivate'));

  const jobs = program.command('jobs').description('the scheduled jobs: ingest, consolidate, validate-skills, self-review, fitness');
  jobs
    .command('list', { isDefault: true })
    .description('each job: schedule, next run, last run, duration, outcome; and which process runs them')
    .addOption(jsonOption())
    .action(lazyNamed(() => import('./commands/jobs.js'), 'list'));
  jobs
    .command('run')
    .description('run one job now, in this process (refused while another process runs it); exit code 1 when it fails')
    .argument('<name>', 'ingest, consolidate, validate-skills, self-review or fitness')
    .addOption(jsonOption())
    // how the TUI's runner hands a job to a child process: not for people
    .addOption(new Option('--reason <reason>').hideHelp())
    .addOption(new Option('--slot <time>').hideHelp())
    .addOption(new Option('--by <label>').hideHelp())
    .action(lazyNamed(() => import('./commands/jobs.js'), 'runOne'));

  program
    .command('daemon')
    .description('run the scheduled jobs without the TUI, until stopped; one runner per workspace (a second one exits and names the first)')
    .option('--once', 'run the jobs that are due (missed times, waiting triggers) and exit')
    .addOption(jsonOption('print each run as a JSON line (with --once: one JSON result)'))
    .action(lazy(() => import('./commands/daemon.js')));

  program
    .command('log')
    .description("list the workspace's history, newest first")
    .option('-n, --limit <n>', 'how many commits', '30')
    .option('--path <file>', 'only commits touching this file (relative to the workspace)')
    .addOption(jsonOption())
    .action(lazy(() => import('./commands/log.js')));

  program
    .command('revert')
    .description('undo one commit with a new commit')
    .argument('<commit>', 'commit id (or a unique prefix)')
    .addOption(jsonOption())
    .action(lazy(() => import('./commands/revert.js')));

  program
    .command('show')
    .description('one commit of the history with its diff')
    .argument('<commit>', 'commit id (or a unique prefix)')
    .addOption(jsonOption())
    .action(lazy(() => import('./commands/show.js')));

  program
    .command('commit')
    .description('commit batched record changes now instead of waiting for the batch to fill')
    .addOption(jsonOption())
    .action(lazy(() => import('./commands/commit.js')));

  program
    .command('doctor')
    .description('check every file of the workspace; restore a broken one from its last commit')
    .option('--restore <file>', 'restore FILE (relative to the workspace) from its last committed version')
    .option('--secrets', 'look for secrets in the workspace and its whole git history (file, commit and kind; never the value)')
    .option('--purge', 'with --secrets: rewrite the history with every secret redacted (keeps the old one under a backup ref)')
    .option('--dry-run', 'with --purge: say what would be rewritten, change nothing')
    .option('--drop-backup', 'with --secrets: delete the backup refs of a purge and the objects nothing reaches any more')
    .option('--clear-lost', 'set the count of events the hook could not write (a full disk) back to zero, once seen')
    .addOption(jsonOption())
    .action(lazy(() => import('./commands/doctor.js')));

  program
    .command('demo')
    .description('make a demo workspace with sample sessions in a scratch folder and open the TUI on it (what `npm start` runs)')
    .option('--dir <dir>', 'where to make it (default: a new temporary folder)')
    .option('--no-tui', 'print its status instead of opening the TUI')
    .option('--as-recorded', "keep the sample sessions' own dates (by default they are moved to the last days)")
    .addOption(jsonOption())
    .action(lazy(() => import('./commands/demo.js')));

  program
    .command('schemas')
    .description("print the JSON Schema of every store document (the package's store/*.schema.json)")
    .option('--write <dir>', 'write them into DIR instead of printing')
    .action(lazy(() => import('./commands/schemas.js')));

  return program;
}

/** `nevo-tui` alone (or with only `--workspace DIR`) opens the TUI. */
export function withDefaultCommand(argv: string[]): string[] {
  const rest = argv.filter((a, i) => !(a === '-w' || a === '--workspace' || a.startsWith('--workspace=') || argv[i - 1] === '-w' || argv[i - 1] === '--workspace'));
  return rest.length === 0 ? [...argv, 'tui'] : argv;
}

/** Every command of the program, its subcommands included. */
function allCommands(cmd: Command): Command[] {
  return [cmd, ...cmd.commands.flatMap(allCommands)];
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  // Subcommands too: their errors come back here as a CommanderError instead of exiting the process.
  for (const c of allCommands(program)) c.exitOverride();
  // With --json, a failure is JSON on stdout too, so a script reads one format whatever happens:
  // commander's own errors (an unknown option, a missing argument) are said below, not on stderr.
  const json = argv.includes('--json');
  if (json) for (const c of allCommands(program)) c.configureOutput({ outputError: () => {} }).showHelpAfterError(false);
  try {
    await program.parseAsync(withDefaultCommand(argv), { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
      if (json) process.stdout.write(`${JSON.stringify({ error: { kind: 'user', message: err.message.replace(/^error: /, '') } })}\n`);
      return 1;
    }
    const fail = (kind: 'user' | 'disk-full' | 'internal', message: string, code: number): number => {
      if (json) process.stdout.write(`${JSON.stringify({ error: { kind, message } })}\n`);
      else process.stderr.write(`nevo-tui: ${message}\n`);
      return code;
    };
    if (isUserError(err)) return fail('user', err.message, 1);
    const e = err as Error;
    const code = (err as NodeJS.ErrnoException)?.code;
    if (code === 'ENOSPC' || code === 'EDQUOT') {
      const file = failedTarget(err);
      return fail(
        'disk-full',
        `the disk is full${file ? `: could not write ${file}` : ''}.\n` +
          'Free space on that disk and run the command again. Nothing was half written: each file is whole, old or new, and a change cut short is finished from .tx-journal.json by the next command.',
        1,
      );
    }
    if (process.env.NEVO_DEBUG) process.stderr.write(`nevo-tui: internal error\n${e?.stack ?? String(err)}\n`);
    return fail('internal', `internal error: ${e?.message ?? String(err)}${json ? '' : '\n(set NEVO_DEBUG=1 to see the stack trace, and report it)'}`, 2);
  }
}

export type { Action };
