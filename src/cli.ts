// The ES module entry: dist/bin.cjs sends the TUI here when DEV=true (React's devtools), and the
// tests hold the CommonJS bundles' answers to this build's. It stays tiny; each command's code
// loads only when that command runs. `node dist/cli.js hook` works too.
const argv = process.argv.slice(2);
if (argv[0] === 'hook' && !argv.slice(1).some((a) => a === '--help' || a === '-h')) {
  let code = 0;
  try {
    const { runHook } = await import('./hook.js');
    code = (await runHook(argv.slice(1))) === 2 ? 2 : 0;
  } catch {
    // Whatever happens, the agent's tool call must not fail because of us.
  }
  process.exitCode = code;
} else {
  const { main } = await import('./main.js');
  process.exitCode = await main(argv);
}
