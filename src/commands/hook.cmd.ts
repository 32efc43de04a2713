import type { Command } from 'commander';

export function declare(program: Command): void {
  program
    .command('hook')
    .description('what Claude Code runs on each hook event: reads one event (JSON) on stdin, redacts it, queues it in triggers/ and exits 0; exits 2 with the rule on stderr when an active guard blocks the call')
    .action(async () => {
      process.exitCode = await (await import('../hook.js')).runHook([]);
    });
}
