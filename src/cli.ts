#!/usr/bin/env node
// The entry stays tiny: `nevo-tui hook` is on the agent's critical path and must not pay for
// the argument parser, schemas or git. Everything else loads with the command that needs it.
const argv = process.argv.slice(2);
if (argv[0] === 'hook') {
  const { runHook } = await import('./hook.js');
  await runHook(argv.slice(1));
} else {
  const { main } = await import('./main.js');
  process.exitCode = await main(argv);
}
