// The `memory search` an open TUI or daemon answers for other processes (src/serve/ carries the
// requests): the program of dist/search.cjs (search-program.ts), run with its output kept for the answer.
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withOutput } from '../output.js';
import { SERVE_SWITCH } from '../serve/protocol.js';
import { serveCommands, type CommandServer, type RunServed } from '../serve/server.js';
import { socketPlace } from '../serve/socket-path.js';
import { packageRoot } from '../util/package-root.js';
import type { Workspace } from '../workspace/workspace.js';
import { runSearchProgram } from './search-program.js';

/** `memory search` run for a client: the program of dist/search.cjs, its output kept for the answer. */
export const runServedSearch: RunServed = async (argv) => {
  let stdout = '';
  let stderr = '';
  // runProgram reads the exit code a command sets; this process's own must neither leak in nor
  // change (the server runs one request at a time).
  const before = process.exitCode;
  process.exitCode = undefined;
  try {
    const code = await withOutput({ out: (t) => void (stdout += t), err: (t) => void (stderr += t) }, () => runSearchProgram(argv));
    return { code, stdout, stderr };
  } finally {
    process.exitCode = before;
  }
};

/**
 * Serves the workspace's `memory search` from this process (the TUI, the daemon) while it runs.
 * Null when NEVO_SERVE=0, when the code runs unbuilt (no dist/build-id), or when another process
 * already serves it.
 */
export async function startServing(ws: Workspace): Promise<CommandServer | null> {
  if (process.env[SERVE_SWITCH] === '0') return null;
  let build: string;
  try {
    build = readFileSync(join(packageRoot(), 'dist', 'build-id'), 'utf8').trim();
  } catch {
    return null;
  }
  const uid = process.getuid?.() ?? 0;
  return serveCommands({ root: ws.root, build, place: socketPlace(ws.root, process.env, tmpdir(), uid, process.platform), uid, run: runServedSearch });
}
