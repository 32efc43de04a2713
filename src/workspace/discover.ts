import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { WORKSPACE_DIRNAME } from './layout.js';

export interface DiscoverOptions {
  /** `--workspace DIR` */
  flag?: string | undefined;
  /** `NEVO_WORKSPACE` */
  env?: string | undefined;
  cwd: string;
}

function isWorkspace(dir: string): boolean {
  return existsSync(join(dir, 'config.json')) && statSync(dir).isDirectory();
}

/** Accepts the workspace folder itself or a project folder that holds `.nevo/`. */
export function resolveNamed(dir: string): string | null {
  if (isWorkspace(dir)) return dir;
  const nested = join(dir, WORKSPACE_DIRNAME);
  if (existsSync(nested) && isWorkspace(nested)) return nested;
  return null;
}

/** Walks up from `cwd` to the nearest folder holding `.nevo/config.json`. */
export function findUp(cwd: string): string | null {
  let dir = resolve(cwd);
  for (;;) {
    const candidate = join(dir, WORKSPACE_DIRNAME);
    if (existsSync(join(candidate, 'config.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/** `--workspace`, else `NEVO_WORKSPACE`, else the nearest `.nevo/` above the current directory. */
export function discoverWorkspace(opts: DiscoverOptions): string {
  for (const [named, source] of [
    [opts.flag, '--workspace'],
    [opts.env, 'NEVO_WORKSPACE'],
  ] as const) {
    if (!named) continue;
    const dir = resolve(opts.cwd, named);
    const found = resolveNamed(dir);
    if (found) return found;
    throw new UserError(
      `${source} names ${dir}, which is not a nevo workspace (no config.json there or in ${join(dir, WORKSPACE_DIRNAME)}).\n` +
        `Create one with: nevo-tui init ${named}`,
    );
  }
  const found = findUp(opts.cwd);
  if (found) return found;
  throw new UserError(
    `No nevo workspace found in ${resolve(opts.cwd)} or any folder above it.\n` +
      `Create one at the root of your project with: nevo-tui init\n` +
      `or name one with --workspace DIR or NEVO_WORKSPACE=DIR.`,
  );
}
