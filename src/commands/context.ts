import type { Command } from 'commander';
import { findAndOpen, type Workspace } from '../workspace/workspace.js';

/** The workspace a command acts on: `--workspace`, else NEVO_WORKSPACE, else the nearest `.nevo/`. */
export function workspaceOf(cmd: Command): Workspace {
  const opts = cmd.optsWithGlobals() as { workspace?: string };
  return findAndOpen({ flag: opts.workspace, env: process.env.NEVO_WORKSPACE, cwd: process.cwd() });
}
