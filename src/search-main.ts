// `nevo-tui memory search` alone: the agent runs it as a process, often (the memory skill), so
// dist/bin.cjs sends it here, built as one CommonJS file that starts through V8's code cache (see
// src/bin.cjs). The program is the CLI's own, with only this command declared (commands/search-program.ts).
import { runSearchProgram } from './commands/search-program.js';

export function main(argv: string[]): Promise<number> {
  return runSearchProgram(argv);
}
