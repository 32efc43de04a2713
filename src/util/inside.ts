import { isAbsolute, relative, resolve } from 'node:path';

/** Whether `path` (absolute, or relative to `root`) is strictly inside `root`: no `..` way out, not `root` itself. */
export function isInside(root: string, path: string): boolean {
  const r = relative(resolve(root), resolve(root, path));
  return r !== '' && !r.startsWith('..') && !isAbsolute(r);
}
