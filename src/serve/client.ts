// `nevo-tui memory search` asks the process that serves its workspace (the open TUI, or the
// daemon) before starting the CLI: answered there, a search costs Node's start and little more.
// Built alone as dist/client.cjs, small, so a search nobody serves loses next to nothing. Any
// doubt (no server, another build, another environment, no answer) and the caller runs the
// command itself, with the same result.
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discoverWorkspace } from '../workspace/discover.js';
import { ACK, answerEnv, SERVE_SWITCH, servableArgv, WAIT_SWITCH, workspaceOption, type ServeAnswer, type ServeRequest } from './protocol.js';
import { isPrivateFolder, socketPlace } from './socket-path.js';

/**
 * How long a client waits, once connected, for the server to say it took the request: a TUI or
 * daemon busy with a job for longer than this is not waited for (NEVO_SERVE_WAIT_MS sets it).
 */
const ASK_WAIT_MS = 500;
/** And then for the answer: a search that takes longer is run here instead. */
const ANSWER_WAIT_MS = 10_000;

export interface Served {
  code: number;
  stdout: string;
  stderr: string;
}

async function ask(path: string, req: ServeRequest, askWaitMs: number): Promise<ServeAnswer | null> {
  const { connect } = await import('node:net');
  return new Promise((resolve) => {
    let buf = '';
    let done = false;
    let acked = false;
    const finish = (a: ServeAnswer | null) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(a);
    };
    const socket = connect(path);
    let timer = setTimeout(() => finish(null), askWaitMs);
    socket.setEncoding('utf8');
    // Sent at once: the server reads it after its acknowledgement, so no round trip is lost.
    socket.once('connect', () => socket.write(`${JSON.stringify(req)}\n`));
    socket.on('data', (chunk: string) => {
      buf += chunk;
      if (!acked) {
        if (buf.length < ACK.length) return;
        if (!buf.startsWith(ACK)) return finish(null);
        acked = true;
        buf = buf.slice(ACK.length);
        clearTimeout(timer);
        timer = setTimeout(() => finish(null), ANSWER_WAIT_MS);
      }
      const nl = buf.indexOf('\n');
      if (nl < 0) return;
      try {
        const a = JSON.parse(buf.slice(0, nl)) as ServeAnswer;
        finish(a?.served === true && typeof a.code === 'number' && typeof a.stdout === 'string' && typeof a.stderr === 'string' ? a : a?.served === false ? a : null);
      } catch {
        finish(null);
      }
    });
    socket.once('error', () => finish(null));
    socket.once('close', () => finish(null));
  });
}

/** The answer of the process serving the workspace, or null: then run the command here. */
export async function served(args: string[], distDir: string, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Promise<Served | null> {
  try {
    if (env[SERVE_SWITCH] === '0') return null;
    const uid = process.getuid?.() ?? 0;
    const line = workspaceOption(args);
    if (!line) return null;
    const root = discoverWorkspace({ flag: line.flag, env: env.NEVO_WORKSPACE, cwd });
    const argv = servableArgv(args, root);
    if (!argv) return null;
    const place = socketPlace(root, env, tmpdir(), uid, process.platform);
    // No socket, no server: said before anything more is loaded, as this is the common case.
    if (!place || !existsSync(place.path)) return null;
    // Trusted only in a folder of the user's own that nobody else can write to.
    if (!isPrivateFolder(place.dir, uid)) return null;
    const build = readFileSync(join(distDir, 'build-id'), 'utf8').trim();
    const wait = Number(env[WAIT_SWITCH]);
    const a = await ask(place.path, { v: 1, build, root, argv, env: answerEnv(env) }, Number.isFinite(wait) && wait > 0 ? wait : ASK_WAIT_MS);
    return a?.served === true ? { code: a.code, stdout: a.stdout, stderr: a.stderr } : null;
  } catch {
    return null;
  }
}
