import { failedTarget } from './util/atomic-write.js';
import { Command, CommanderError, Option } from 'commander';
import { isUserError } from './errors.js';
import { packageVersion } from './util/package-root.js';
import * as hook from './commands/hook.cmd.js';
import * as tui from './commands/tui.cmd.js';
import * as init from './commands/init.cmd.js';
import * as status from './commands/status.cmd.js';
import * as ingest from './commands/ingest.cmd.js';
import * as events from './commands/events.cmd.js';
import * as incidents from './commands/incidents.cmd.js';
import * as stats from './commands/stats.cmd.js';
import * as report from './commands/report.cmd.js';
import * as gate from './commands/gate.cmd.js';
import * as hooks from './commands/hooks.cmd.js';
import * as importTranscripts from './commands/import.cmd.js';
import * as analyze from './commands/analyze.cmd.js';
import * as rules from './commands/rules.cmd.js';
import * as review from './commands/review.cmd.js';
import * as memory from './commands/memory.cmd.js';
import * as skills from './commands/skills.cmd.js';
import * as jobs from './commands/jobs.cmd.js';
import * as daemon from './commands/daemon.cmd.js';
import * as log from './commands/log.cmd.js';
import * as revert from './commands/revert.cmd.js';
import * as show from './commands/show.cmd.js';
import * as commit from './commands/commit.cmd.js';
import * as sync from './commands/sync.cmd.js';
import * as doctor from './commands/doctor.cmd.js';
import * as demo from './commands/demo.cmd.js';
import * as schemas from './commands/schemas.cmd.js';

export interface GlobalOptions {
  workspace?: string;
}

type Action = (program: Command) => Promise<void>;

/** Commander calls actions with (args..., options, command); this resolves the global flags. */
export function globals(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals() as GlobalOptions;
}

/**
 * A command's declaration, `commands/<name>.cmd.ts`: it adds the command (its arguments, options
 * and help) to the program, and loads the command's module only when the command runs.
 */
interface CommandModule {
  declare(program: Command): void;
}

/** Every command, in the order `nevo-tui --help` lists them. */
const COMMANDS: CommandModule[] = [hook, tui, init, status, ingest, events, incidents, stats, report, gate, hooks, importTranscripts, analyze, rules, review, memory, skills, jobs, daemon, log, revert, show, commit, sync, doctor, demo, schemas];

export function buildProgram(): Command {
  const program = new Command('nevo-tui')
    .description('Makes a coding agent better every day: incidents, reviewed rules, memory and skills over plain, versioned files.')
    .version(packageVersion(), '-V, --version')
    .addOption(new Option('-w, --workspace <dir>', 'workspace folder (default: NEVO_WORKSPACE, else the nearest .nevo/ above)'))
    .showHelpAfterError('(run with --help for usage)')
    // One prefix for every error, commander's own ("error: unknown option") included.
    .configureOutput({ outputError: (str, write) => write(str.replace(/^error: /, 'nevo-tui: ')) });

  for (const command of COMMANDS) command.declare(program);
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
