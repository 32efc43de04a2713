import { lstatSync } from 'node:fs';
import { join } from 'node:path';

/** FNV-1a over the string's UTF-16 units, twice with different seeds: 16 hex digits with no node:crypto to load. */
function shortHash(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x01000193 + 2) >>> 0;
  }
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}

export interface SocketPlace {
  /** The folder that must be the user's own and closed to others. */
  dir: string;
  path: string;
}

/**
 * Where the process serving a workspace listens. Not in the workspace: a socket's path is limited
 * to about 100 bytes. In the user's runtime folder when there is one, else in a folder of the user's
 * under the temporary one. The hash only names the place: the server also checks the workspace asked
 * for. None on Windows: a named pipe has no folder whose owner says who may answer on it.
 */
export function socketPlace(root: string, env: { XDG_RUNTIME_DIR?: string | undefined }, tmpdir: string, uid: number, platform: string): SocketPlace | null {
  if (platform === 'win32') return null;
  const dir = env.XDG_RUNTIME_DIR ? join(env.XDG_RUNTIME_DIR, 'nevo-tui') : join(tmpdir, `nevo-tui-${uid}`);
  return { dir, path: join(dir, `nevo-tui-${shortHash(root)}.sock`) };
}

/** A folder of the user's own, closed to others, and no link: where a socket is safe to listen on and to trust. */
export function isPrivateFolder(dir: string, uid: number): boolean {
  try {
    const st = lstatSync(dir);
    return st.isDirectory() && st.uid === uid && (st.mode & 0o077) === 0;
  } catch {
    return false;
  }
}
