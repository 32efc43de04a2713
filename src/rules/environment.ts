import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** What `rules lint` checks stale names against: the project's files, scripts and PATH, as they are now (one lint's worth). */
export function projectEnvironment(projectRoot: string, env: NodeJS.ProcessEnv = process.env) {
  let scripts: Record<string, string> = {};
  try {
    scripts = (JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { scripts?: Record<string, string> }).scripts ?? {};
  } catch {
    // no package.json: no scripts
  }
  // The project's own tools (node_modules/.bin) count as installed, like those on PATH.
  const dirs = [join(projectRoot, 'node_modules', '.bin'), ...(env.PATH ?? '').split(delimiter)];
  // One lint asks about the same programs and files for many rules: each is looked up once.
  const programs = new Map<string, boolean>();
  const files = new Map<string, boolean>();
  const onPath = (program: string) => {
    let found = programs.get(program);
    if (found === undefined) {
      found = dirs.some((dir) => {
        try {
          accessSync(join(dir, program), constants.X_OK);
          return true;
        } catch {
          return false;
        }
      });
      programs.set(program, found);
    }
    return found;
  };
  return {
    fileExists: (rel: string) => {
      let found = files.get(rel);
      if (found === undefined) files.set(rel, (found = existsSync(join(projectRoot, rel))));
      return found;
    },
    commandExists: (cmd: string) => {
      const words = cmd.trim().split(/\s+/);
      const [first, second, third] = words;
      if (!first) return true;
      if ((first === 'npm' || first === 'pnpm' || first === 'yarn' || first === 'bun') && second === 'run' && third) return third in scripts;
      if ((first === 'pnpm' || first === 'yarn') && second && !second.startsWith('-') && second in scripts) return true;
      if (first in scripts) return true;
      return onPath(first);
    },
  };
}
