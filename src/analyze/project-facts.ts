// What the agent's project declares, read from its files (the edge: disk), so a proposed rule can
// name the fix in the project's own terms: its scripts, its package manager.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProjectFacts } from './schema.js';

const LOCKS: [string, string][] = [
  ['pnpm-lock.yaml', 'pnpm'],
  ['yarn.lock', 'yarn'],
  ['bun.lockb', 'bun'],
  ['bun.lock', 'bun'],
  ['package-lock.json', 'npm'],
];

export function readProjectFacts(projectRoot: string): ProjectFacts {
  const facts: ProjectFacts = {};
  try {
    const pkg = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { scripts?: Record<string, unknown>; packageManager?: unknown };
    if (pkg.scripts && typeof pkg.scripts === 'object') facts.scripts = Object.keys(pkg.scripts);
    if (typeof pkg.packageManager === 'string') facts.packageManager = pkg.packageManager.split('@')[0]!;
  } catch {
    // no package.json, or one that does not parse: nothing to say about scripts
  }
  if (!facts.packageManager) {
    const lock = LOCKS.find(([file]) => existsSync(join(projectRoot, file)));
    if (lock) facts.packageManager = lock[1];
  }
  if (existsSync(join(projectRoot, 'uv.lock'))) facts.pythonManager = 'uv';
  else if (existsSync(join(projectRoot, 'poetry.lock'))) facts.pythonManager = 'poetry';
  else if (existsSync(join(projectRoot, 'requirements.txt')) || existsSync(join(projectRoot, 'pyproject.toml'))) facts.pythonManager = 'pip';
  return facts;
}
