#!/usr/bin/env node
// The `nevo-tui` executable. `nevo-tui hook` runs on every tool call of the agent, so it starts
// through CommonJS (no ES module loader to boot) with one bundled file; every other command goes
// to the ES module CLI, which loads each command's code only when it runs.
'use strict';
// `nevo-tui hook --help` is for a person: it goes to the CLI, which describes the hook.
if (process.argv[2] === 'hook' && !process.argv.slice(3).some((a) => a === '--help' || a === '-h')) {
  // The hook exits 2 only when it chose to (a rule's guard blocks the call); anything that goes
  // wrong, a throw or a rejection, ends in 0 so the agent's tool call never fails because of us.
  try {
    require('./hook.cjs')
      .main()
      .then(
        (code) => {
          process.exitCode = code === 2 ? 2 : 0;
        },
        () => {
          process.exitCode = 0;
        },
      );
  } catch {
    process.exitCode = 0;
  }
} else {
  import('./cli.js');
}
