import { join } from 'node:path';

/** The folder name a workspace gets at the root of a project, found by walking up like `.git`. */
export const WORKSPACE_DIRNAME = '.nevo';

export interface Layout {
  root: string;
  config: string;
  store: string;
  rules: string;
  skills: string;
  journal: string;
  triggers: string;
  /** Lock directory (created and removed by the lock library). */
  lock: string;
  /** Who holds the lock: pid, host, command; read to name a live holder in a timeout. */
  lockOwner: string;
  /** Serialises the breaking of a dead holder's lock. */
  lockBreak: string;
  /** Held by the one process that runs the scheduled jobs (TUI or daemon), with its owner file. */
  runnerLock: string;
  runnerOwner: string;
  runnerBreak: string;
  /** Pending batched changes not yet committed (not versioned). */
  historyState: string;
  /** The stamps of the document files the store wrote (not versioned; see store.ts). */
  storeStamps: string;
}

export function layout(root: string): Layout {
  return {
    root,
    config: join(root, 'config.json'),
    store: join(root, 'store'),
    rules: join(root, 'rules'),
    skills: join(root, 'skills'),
    journal: join(root, 'journal'),
    triggers: join(root, 'triggers'),
    lock: join(root, '.lock'),
    lockOwner: join(root, '.lock-owner.json'),
    lockBreak: join(root, '.lock-break'),
    runnerLock: join(root, '.runner.lock'),
    runnerOwner: join(root, '.runner.json'),
    runnerBreak: join(root, '.runner-break'),
    historyState: join(root, '.history-state.json'),
    storeStamps: join(root, '.cache', 'store-stamps.json'),
  };
}

/** Files and folders of the workspace that are never versioned. */
export const UNVERSIONED = ['.broken/', '.cache/', '.tx-journal.json', 'triggers/', '.lock/', '.lock-owner.json', '.lock-break/', '.history-state.json', '.runner.lock/', '.runner.json', '.runner-break/', '.nevo-tmp-*'];
