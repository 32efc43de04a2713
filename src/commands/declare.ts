// What the declarations of the commands share. Each command declares itself in
// `commands/<name>.cmd.ts` (its name, arguments, options and help) and `main.ts` lists them; the
// declaration imports nothing but commander and this file, and loads the command's own module, with
// the store, git and the rest behind it, only when the command runs, so `--help` and a command that
// needs none of them start fast.
import { Option } from 'commander';

/**
 * `--json`, which every command that prints a result takes: the result as JSON for a script, and
 * any failure as one line of JSON on stdout (see `main`). A command whose JSON is something else
 * says so in its own words.
 */
export function jsonOption(description = 'print the result as JSON'): Option {
  return new Option('--json', description);
}

/** Loads a command's module only when the command runs, then calls its `name` export with commander's (args..., options, command). */
export function lazyNamed<M>(load: () => Promise<M>, name: keyof M) {
  return async (...args: unknown[]) => {
    const mod = await load();
    await (mod[name] as (...a: unknown[]) => Promise<void>)(...args);
  };
}

/** `lazyNamed` for a module whose command is its `run`. */
export const lazy = <M extends { run: unknown }>(load: () => Promise<M>) => lazyNamed(load, 'run');
