import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const DESCRIPTION = 'Does one thing well. Use when a test needs a skill.';

/** Writes `files` (path relative to `root` → content) and returns root. */
export function writeTree(root: string, files: Record<string, string | Uint8Array>): string {
  for (const [rel, content] of Object.entries(files)) {
    const p = join(root, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, content);
  }
  return root;
}

/** A valid SKILL.md for a folder named `name`. */
export const skillMd = (name: string, extra = '') => `---\nname: ${name}\ndescription: ${DESCRIPTION}\n${extra}---\n# ${name}\n\nSteps.\n`;

/** Every file and folder under `root` with its size and modification time, to prove nothing changed. */
export function snapshot(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, rel: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      const r = `${rel}${e.name}`;
      if (e.isSymbolicLink()) out.push(`${r} -> link`);
      else if (e.isDirectory()) {
        out.push(`${r}/`);
        walk(p, `${r}/`);
      } else {
        const st = statSync(p);
        out.push(`${r} ${st.size} ${st.mtimeMs}`);
      }
    }
  };
  walk(root, '');
  return out.sort();
}

const has = (cmd: string, args: string[]) => spawnSync(cmd, args, { encoding: 'utf8' }).status === 0;
export const HAS_PYTHON3 = has('python3', ['-c', 'import sys; sys.exit(0 if sys.version_info[0] == 3 else 1)']);
export const HAS_BASH = has('bash', ['-c', 'exit 0']);
