import type { Command } from 'commander';
import { SCREENS, type ScreenId } from '../tui/keymap.js';
import { UserError } from '../errors.js';
import { workspaceOf } from './context.js';
import { startServing } from './serve-search.js';

export async function run(opts: { screen?: string; jobs?: boolean }, cmd: Command): Promise<void> {
  const screen = (opts.screen ?? 'watch') as ScreenId;
  if (!SCREENS.some((s) => s.id === screen)) throw new UserError(`--screen must be one of ${SCREENS.map((s) => s.id).join(', ')}, not "${screen}".`);
  const ws = workspaceOf(cmd);
  const { runTui } = await (await import('../tui/load.js')).loadTui();
  await runTui(ws, { screen, jobs: opts.jobs !== false, serve: startServing });
}
