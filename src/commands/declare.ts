import { Option } from 'commander';

/**
 * `--json`, which every command that prints a result takes: the result as JSON for a script, and
 * any failure as one line of JSON on stdout (see `main`). A command whose JSON is something else
 * says so in its own words.
 */
export function jsonOption(description = 'print the result as JSON'): Option {
  return new Option('--json', description);
}
