// What the declarations of the commands share. Each command declares itself in
// `commands/<name>.cmd.ts` (its name, arguments, options and help) and `main.ts` lists them; the
// declaration imports nothing but commander and this file, and loads the command's own module, with
// the store, git and the rest behind it, only when the command runs, so `--help` and a command that
// needs none of them start fast.
import { Option, type Command } from 'commander';
import { UserError } from '../errors.js';

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

/** `a, b or c`. */
function oneOf(words: string[]): string {
  return words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)!}`;
}

export interface ActionWords {
  /** With no word: run this subcommand (`incidents` lists), or say the argument of this name is missing. */
  none: { run: string } | { missing: string };
  /** How the valid words are named when an unknown one is refused (default: the subcommands' names). */
  use?: string;
}

/**
 * A command whose subcommands are action words (`rules show ID`, `hooks install`) reads the command
 * lines it read when the word was its first argument, with the same results:
 * - every option of its subcommands is the command's own too, hidden from its help, so an option
 *   stands anywhere, before the word as well (`rules --json show ID`), and one an action does not
 *   use is taken and left unused as it always was; the action finds it among its own options;
 * - no word runs `none.run` or says the word is missing, as commander says a missing argument;
 * - an unknown word is refused, naming the valid ones (`Unknown action "x"; use a, b or c.`).
 * Call it once the subcommands are declared.
 */
export function actionWords(group: Command, words: ActionWords): Command {
  const names = new Set(group.options.map((o) => o.name()));
  for (const sub of group.commands) {
    for (const o of sub.options) {
      if (names.has(o.name())) continue;
      names.add(o.name());
      group.addOption(new Option(o.flags, o.description).hideHelp());
    }
  }
  group.hook('preAction', (_, action) => {
    if (action === group) return;
    for (const [key, value] of Object.entries(group.opts())) {
      if (group.getOptionValueSource(key) === 'cli') action.setOptionValueWithSource(key, value, 'cli');
    }
  });
  return group.allowExcessArguments().action(async (_opts: unknown, cmd: Command) => {
    const [word] = cmd.args;
    if (word !== undefined) throw new UserError(`Unknown action "${word}"; use ${words.use ?? oneOf(group.commands.map((c) => c.name()))}.`);
    if ('missing' in words.none) return cmd.error(`error: missing required argument '${words.none.missing}'`, { code: 'commander.missingArgument' });
    const name = words.none.run;
    await group.commands.find((c) => c.name() === name)!.parseAsync([], { from: 'user' });
  });
}
