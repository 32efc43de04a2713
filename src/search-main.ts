// `nevo-tui memory search` alone: the agent runs it as a process, often (the memory skill), so
// dist/bin.cjs sends it here, built as one CommonJS file that starts through V8's code cache (see
// src/bin.cjs). The program is the CLI's own, with only this command declared: the same options,
// help, output and errors as through `main.ts`.
import { declareSearch, memoryGroup } from './commands/memory.cmd.js';
import { newProgram, runProgram } from './commands/program.js';

export async function main(argv: string[]): Promise<number> {
  const program = newProgram();
  declareSearch(memoryGroup(program));
  return runProgram(program, argv);
}
