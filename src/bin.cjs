#!/usr/bin/env node
// The `nevo-tui` executable. `nevo-tui hook` runs on every tool call of the agent, so it starts
// through CommonJS (no ES module loader to boot) with one bundled file; every other command goes
// to the ES module CLI, which loads each command's code only when it runs.
'use strict';
if (process.argv[2] === 'hook') {
  try {
    require('./hook.cjs')
      .main()
      .catch(() => undefined)
      .finally(() => {
        process.exitCode = 0;
      });
  } catch {
    process.exitCode = 0;
  }
} else {
  import('./cli.js');
}
