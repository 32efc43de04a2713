// `nevo-tui` with no command, `tui` and `demo` as one CommonJS file, so the TUI starts through V8's
// code cache too (src/bin.cjs). Ink loads its layout engine with a top-level await, which CommonJS
// cannot hold: here it is loaded first, and Ink's import of it is served from that (scripts/build.mjs).
import { loadYoga } from 'yoga-layout/load';

export async function main(argv: string[]): Promise<number> {
  (globalThis as { __nevoYoga?: unknown }).__nevoYoga = await loadYoga();
  const cli = await import('./main.js');
  return cli.main(argv);
}
