// The program of `memory search` alone, with only that command declared: the same options, help,
// output and errors as through `main.ts`. Run by its own process (`search-main.ts`, dist/search.cjs)
// and by an open TUI or daemon for another process (`serve-search.ts`).
import { declareSearch, memoryGroup } from './memory.cmd.js';
import { newProgram, runProgram } from './program.js';

export function runSearchProgram(argv: string[]): Promise<number> {
  const program = newProgram();
  declareSearch(memoryGroup(program));
  return runProgram(program, argv);
}
