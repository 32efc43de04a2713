import { resolve } from 'node:path';
import { History } from '../store/history.js';
import { Store } from '../store/store.js';
import { loadConfig, type Config } from './config.js';
import { discoverWorkspace, type DiscoverOptions } from './discover.js';
import { layout, type Layout } from './layout.js';

export type Clock = () => Date;

/** Everything a command needs about one workspace; disk, git and the clock are reached through it. */
export interface Workspace {
  root: string;
  layout: Layout;
  config: Config;
  /** The agent's project folder (where `.claude/` lives). */
  projectRoot: string;
  clock: Clock;
  history: History;
  store: Store;
}

export function openWorkspace(root: string, opts: { clock?: Clock; config?: Config } = {}): Workspace {
  const clock = opts.clock ?? (() => new Date());
  const lay = layout(resolve(root));
  const config = opts.config ?? loadConfig(lay.config);
  const history = new History(lay.root, config.author, clock);
  return {
    root: lay.root,
    layout: lay,
    config,
    projectRoot: resolve(lay.root, config.projectRoot),
    clock,
    history,
    store: new Store(lay, config, history, clock),
  };
}

export function findAndOpen(opts: DiscoverOptions & { clock?: Clock }): Workspace {
  return openWorkspace(discoverWorkspace(opts), { clock: opts.clock });
}
