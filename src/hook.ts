/** Placeholder entry for `nevo-tui hook`; the detect issue fills it. Exits 0 whatever it is fed. */
export async function runHook(_args: string[]): Promise<void> {
  process.exitCode = 0;
}
