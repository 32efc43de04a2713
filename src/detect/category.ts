// The list of categories is in store/schemas.ts, where config.json's noisyCategories can check against it.
import type { Category } from '../store/vocabulary.js';

const RULES: [Category, RegExp][] = [
  ['interrupted', /\[Request interrupted|interrupted by user|^Interrupted\b|\bwas interrupted\b/im],
  ['command not found', /command not found|missing script:|not recognized as an internal or external command|is not recognized as (?:the|a) name of a cmdlet|^Exit code 127$|: not found$/im],
  ['module not found', /Cannot find (module|package)|ERR_MODULE_NOT_FOUND|ModuleNotFoundError|No module named|Could not resolve (dependency|module)|Module not found|cannot find crate|unresolved import/i],
  ['file not read first', /has not been read yet|must read .* before (editing|writing)|Read it first/i],
  ['edit mismatch', /String to replace not found|old_string.*not (found|unique)|Found \d+ matches of the string to replace|No changes to make|not unique in the file/i],
  ['input validation', /InputValidationError|Invalid (input|parameters|arguments)|exceeds maximum allowed|is too large|required parameter|validation (error|failed)/i],
  ['type error', /error TS\d+|is not assignable to|TypeError|type error|mypy|Property '.*' does not exist on type|cannot find name/i],
  ['file not found', /ENOENT|No such file or directory|File does not exist|does not exist|cannot find the path|not a file/i],
  ['permission', /EACCES|EPERM|Permission denied|permission to (write|read|use)|haven't granted|not permitted|Operation not permitted|access denied/i],
  ['timeout', /timed? ?out|ETIMEDOUT|deadline exceeded|took too long/i],
  ['network', /ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|getaddrinfo|Could not resolve host|socket hang up|network (is )?unreachable|fetch failed|TLS handshake|certificate/i],
  ['lint', /eslint|prettier|\blint(ing|er)?\b|ruff|flake8|pylint|clippy|\[FORMAT\]|stylelint|biome/i],
  ['test failure', /\bFAIL(ED)?\b|tests? failed|AssertionError|assert(ion)? failed|expected .* (to|but) |failing tests?|\d+ failed/i],
];

export function categorise(error: string, opts: { interrupted?: boolean } = {}): Category {
  if (opts.interrupted) return 'interrupted';
  for (const [category, re] of RULES) if (re.test(error)) return category;
  return 'other';
}
