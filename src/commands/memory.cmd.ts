import type { Command } from 'commander';
import { jsonOption, lazyNamed } from './declare.js';

const load = () => import('./memory.js');
const loadSearch = () => import('./memory-search.js');

/** The `memory` command, with no subcommand yet. */
export function memoryGroup(program: Command): Command {
  return program.command('memory').description('search, consolidate, pin, hide and forget what the agent remembers: facts, session narratives, digests');
}

/** `memory search`: also declared alone by the entry that runs only it (`search-main.ts`). */
export function declareSearch(memory: Command): void {
  memory
    .command('search')
    .description('ranked, typo-tolerant search over facts, narratives and digests (no query: the most relevant first)')
    .argument('[query...]', 'words to look for')
    .option('--category <c>', 'only this category: preference, lesson, config, project, decision, event, narrative, weekly, monthly')
    .option('--since <date>', 'only items from this day on (YYYY-MM-DD)')
    .option('--kind <kind>', 'only facts, narratives or digests (fact, narrative, digest)')
    .option('--all', 'include items marked never-recall')
    .option('-n, --limit <n>', 'how many results', '20')
    .addOption(jsonOption())
    .action(lazyNamed(loadSearch, 'search'));
}

export function declare(program: Command): void {
  const memory = memoryGroup(program);
  declareSearch(memory);
  memory
    .command('show')
    .description('one memory item: a fact with its source and expiry, a narrative or a digest in full')
    .argument('<id>', 'fact:<hash>, narrative:<session> or digest:weekly:<week>')
    .option('--query <q>', 'also say why the item ranks where it does for this query')
    .addOption(jsonOption())
    .action(lazyNamed(load, 'show'));
  memory
    .command('consolidate')
    .description('fold old narratives into weekly digests and old weeklies into monthly ones, drop expired facts, snapshot fitness; one commit')
    .option('--dry-run', 'say what would change, change nothing')
    .addOption(jsonOption())
    .action(lazyNamed(load, 'consolidate'));
  memory
    .command('forget')
    .description('remove memory items by query (every word must appear), category, date range, session or id; one commit, revertable')
    .argument('[query...]', 'words every forgotten item holds')
    .option('--category <c>', 'only this category')
    .option('--from <date>', 'items from this day on')
    .option('--to <date>', 'items up to this day')
    .option('--session <id>', "one session's narrative, raw journal and facts")
    .option('--id <id...>', 'these items')
    .option('--dry-run', 'list what would go, change nothing')
    .addOption(jsonOption())
    .action(lazyNamed(load, 'forget'));
  for (const [name, what] of [
    ['pin', 'keep an item on top of results; a pinned item never expires or folds'],
    ['unpin', 'undo pin'],
    ['hide', 'never recall an item: kept, but out of results unless --all'],
    ['unhide', 'recall a hidden item again'],
  ] as const) {
    memory
      .command(name)
      .description(what)
      .argument('<id>', 'the item (ids are in `memory search --json`)')
      .addOption(jsonOption())
      .action(lazyNamed(load, name));
  }
  memory
    .command('narrate')
    .description("(re)build the narratives and facts of sessions from their journal (default: every session)")
    .argument('[session...]', 'session ids')
    .addOption(jsonOption())
    .action(lazyNamed(load, 'narrate'));
  memory
    .command('add')
    .description('remember a statement as a fact')
    .argument('<statement...>', 'the fact, in one sentence')
    .requiredOption('--category <c>', 'preference, lesson, config, project, decision or event')
    .addOption(jsonOption())
    .action(lazyNamed(load, 'add'));
  memory
    .command('pending')
    .description("preferences and lessons the agent (or an external extractor) proposed: they wait for a person's review")
    .addOption(jsonOption())
    .action(lazyNamed(load, 'pending'));
  for (const [name, what] of [
    ['approve', 'take a proposed fact as your own: it is recalled from now on'],
    ['reject', 'drop a proposed fact for good'],
  ] as const) {
    memory
      .command(name)
      .description(what)
      .argument('<id>', 'the fact (ids are in `memory pending`)')
      .option('--reason <text>', 'why, kept in the commit message')
      .addOption(jsonOption())
      .action(lazyNamed(load, name));
  }
}
