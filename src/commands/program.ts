// The program every entry shares: its name, version and global options, and how a run ends (every
// error said one way, as text or, with --json, as JSON on stdout). `main.ts` declares every command
// on it; `search-program.ts` declares `memory search` alone, for the process the agent runs often.
import { Command, CommanderError, Option } from 'commander';
import { isUserError } from '../errors.js';
import { output } from '../output.js';
import { failedTarget } from '../util/atomic-write.js';
import { packageVersion } from '../util/package-root.js';

/** The program with no command declared yet. */
export function newProgram(): Command {
  return (
    new Command('nevo-tui')
      .description('Makes a coding agent better every day: incidents, reviewed rules, memory and skills over plain, versioned files.')
      .version(packageVersion(), '-V, --version')
      .addOption(new Option('-w, --workspace <dir>', 'workspace folder (default: NEVO_WORKSPACE, else the nearest .nevo/ above)'))
      .showHelpAfterError('(run with --help for usage)')
      // Through output(): a served run (src/serve/) answers with it. One prefix for every error,
      // commander's own ("error: unknown option") included.
      .configureOutput({ writeOut: (str) => output().out(str), writeErr: (str) => output().err(str), outputError: (str, write) => write(str.replace(/^error: /, 'nevo-tui: ')) })
  );
}

/** Every command of the program, its subcommands included. */
function allCommands(cmd: Command): Command[] {
  return [cmd, ...cmd.commands.flatMap(allCommands)];
}

/** Runs the program on the command line's words (after the executable's) and returns the exit code. */
export async function runProgram(program: Command, argv: string[]): Promise<number> {
  // Subcommands too: their errors come back here as a CommanderError instead of exiting the process.
  for (const c of allCommands(program)) c.exitOverride();
  // With --json, a failure is JSON on stdout too, so a script reads one format whatever happens:
  // commander's own errors (an unknown option, a missing argument) are said below, not on stderr.
  const json = argv.includes('--json');
  if (json) for (const c of allCommands(program)) c.configureOutput({ outputError: () => {} }).showHelpAfterError(false);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
      if (json) output().out(`${JSON.stringify({ error: { kind: 'user', message: err.message.replace(/^error: /, '') } })}\n`);
      return 1;
    }
    const fail = (kind: 'user' | 'disk-full' | 'internal', message: string, code: number): number => {
      if (json) output().out(`${JSON.stringify({ error: { kind, message } })}\n`);
      else output().err(`nevo-tui: ${message}\n`);
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
    if (process.env.NEVO_DEBUG) output().err(`nevo-tui: internal error\n${e?.stack ?? String(err)}\n`);
    return fail('internal', `internal error: ${e?.message ?? String(err)}${json ? '' : '\n(set NEVO_DEBUG=1 to see the stack trace, and report it)'}`, 2);
  }
}
