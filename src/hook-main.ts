// Entry of the CommonJS hook bundle (dist/hook.cjs): starting through CommonJS skips the ES
// module loader's start-up, which is a measurable share of the hook's budget.
import { runHook } from './hook.js';

export function main(): Promise<void> {
  return runHook(process.argv.slice(3));
}
