// Entry of the CommonJS hook bundle (dist/hook.cjs): starting through CommonJS skips the ES
// module loader's start-up, which is a measurable share of the hook's budget.
import { runHook } from './hook.js';

/** Resolves to the hook's exit code: 2 when a rule's guard blocks the tool call, else 0. */
export function main(): Promise<number> {
  return runHook(process.argv.slice(3));
}
