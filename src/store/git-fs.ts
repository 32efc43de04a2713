import { promises as fs } from 'node:fs';
import { tempPathFor } from '../util/atomic-write.js';

/**
 * Node's fs for isomorphic-git, except that every file it writes (objects, index, refs) goes
 * through a temp file and a rename: a process killed mid-commit never leaves a torn object or
 * an empty ref behind. No fsync: rename is enough against a killed process, and commits stay fast.
 */
export const gitFs = {
  readFile: fs.readFile,
  async writeFile(path: string, data: string | Uint8Array, options?: unknown) {
    const tmp = tempPathFor(path);
    try {
      await fs.writeFile(tmp, data, options as Parameters<typeof fs.writeFile>[2]);
      await fs.rename(tmp, path);
    } catch (err) {
      await fs.unlink(tmp).catch(() => undefined);
      throw err;
    }
  },
  mkdir: fs.mkdir,
  rmdir: fs.rmdir,
  rm: fs.rm,
  unlink: fs.unlink,
  stat: fs.stat,
  lstat: fs.lstat,
  readdir: fs.readdir,
  readlink: fs.readlink,
  symlink: fs.symlink,
  chmod: fs.chmod,
};
