/** Prints a command's result: JSON for scripts with `--json`, text for people otherwise. */
export function emit(json: boolean | undefined, data: unknown, text: () => string): void {
  if (json) process.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
  else {
    const out = text();
    if (out) process.stdout.write(out.endsWith('\n') ? out : `${out}\n`);
  }
}
