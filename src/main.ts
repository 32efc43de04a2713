import type { Command } from 'commander';
import { newProgram, runProgram } from './commands/program.js';
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
  const program = newProgram();
  for (const command of COMMANDS) command.declare(program);
  return program;
}

/** `nevo-tui` alone (or with only `--workspace DIR`) opens the TUI. */
export function withDefaultCommand(argv: string[]): string[] {
  const rest = argv.filter((a, i) => !(a === '-w' || a === '--workspace' || a.startsWith('--workspace=') || argv[i - 1] === '-w' || argv[i - 1] === '--workspace'));
  return rest.length === 0 ? [...argv, 'tui'] : argv;
}

export async function main(argv: string[]): Promise<number> {
  return runProgram(buildProgram(), withDefaultCommand(argv));
}

export type { Action };
