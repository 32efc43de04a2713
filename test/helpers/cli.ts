import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI } from './scripts.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built `nevo-tui` binary as a user would. */
export function cli(args: string[], opts: SpawnSyncOptions & { input?: string } = {}): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    ...opts,
    // No `claude` this machine may have decides which hook entries a test sees.
    env: { ...process.env, NODE_ENV: 'production', NEVO_WORKSPACE: '', NEVO_CLAUDE_VERSION: '', ...opts.env },
  });
  return { code: r.status ?? -1, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') };
}

/** `nevo-tui ARGS --json` in `cwd`, parsed; a non-zero exit throws with its stderr. */
export function cliJson(args: string[], cwd: string): any {
  const r = cli([...args, '--json'], { cwd });
  if (r.code !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

/** A new project folder made a workspace by `nevo-tui init`, as a person makes one; the caller removes it. */
export function initProject(): { project: string; workspace: string } {
  const project = mkdtempSync(join(tmpdir(), 'nevo-test-'));
  const r = cli(['init', project]);
  if (r.code !== 0) throw new Error(`nevo-tui init failed: ${r.stderr}`);
  return { project, workspace: join(project, '.nevo') };
}
