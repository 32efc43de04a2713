import { chmodSync, existsSync, lstatSync, mkdirSync, statSync, unlinkSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { SocketPlace } from './socket-path.js';
import { answerEnv, envDifference, servableArgv, type ServeAnswer, type ServeRequest } from './protocol.js';

/** Runs a request's words as a command and returns what it printed and its exit code. */
export type RunServed = (argv: string[]) => Promise<{ code: number; stdout: string; stderr: string }>;

export interface CommandServer {
  close(): Promise<void>;
}

/** A folder of the user's own, closed to others, and no link: where a socket is safe to listen and to trust. */
export function ownFolder(dir: string, uid: number): boolean {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = lstatSync(dir);
    return st.isDirectory() && st.uid === uid && (st.mode & 0o077) === 0;
  } catch {
    return false;
  }
}

/** Whether a process answers on the socket: a file left by a killed one does not. */
function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(path);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

function listen(server: Server, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const failed = (err: Error) => reject(err);
    server.once('error', failed);
    server.listen(path, () => {
      server.removeListener('error', failed);
      resolve();
    });
  });
}

const MAX_REQUEST = 1 << 20;

/**
 * Answers `memory search` for one workspace on its socket, so the agent's searches need not start
 * the whole CLI while a TUI or the daemon is open. A request for another workspace, from another
 * build or with another environment is declined, and the client runs the command itself. Resolves
 * to null when another live process already serves the workspace or the socket's folder is not
 * safe; never throws for that.
 */
export async function serveCommands(opts: { root: string; build: string; place: SocketPlace; uid: number; run: RunServed; env?: NodeJS.ProcessEnv }): Promise<CommandServer | null> {
  const { place } = opts;
  if (place.dir && !ownFolder(place.dir, opts.uid)) return null;
  const ownEnv = answerEnv(opts.env ?? process.env);
  const sockets = new Set<Socket>();
  const answer = async (line: string): Promise<ServeAnswer> => {
    let req: ServeRequest;
    try {
      req = JSON.parse(line) as ServeRequest;
    } catch {
      return { served: false, why: 'not JSON' };
    }
    if (req?.v !== 1 || !Array.isArray(req.argv) || !req.argv.every((a) => typeof a === 'string')) return { served: false, why: 'not a request' };
    if (req.build !== opts.build) return { served: false, why: 'another build' };
    if (req.root !== opts.root) return { served: false, why: 'another workspace' };
    // The words again, as the client should have sent them: the workspace is this server's, whatever they name.
    const argv = servableArgv(req.argv, opts.root);
    if (!argv) return { served: false, why: 'not a served command' };
    const differs = envDifference(ownEnv, req.env ?? {});
    if (differs) return { served: false, why: `${differs} differs` };
    return { served: true, ...(await opts.run(argv)) };
  };
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let buf = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buf += chunk;
      const nl = buf.indexOf('\n');
      if (nl < 0) {
        if (buf.length > MAX_REQUEST) socket.destroy();
        return;
      }
      socket.removeAllListeners('data');
      void answer(buf.slice(0, nl))
        .catch((err: unknown): ServeAnswer => ({ served: false, why: `failed: ${(err as Error)?.message ?? err}` }))
        .then((a) => socket.end(`${JSON.stringify(a)}\n`));
    });
  });
  try {
    await listen(server, place.path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || (await answers(place.path))) return null;
    try {
      unlinkSync(place.path);
      await listen(server, place.path);
    } catch {
      return null;
    }
  }
  let ino: number | null = null;
  if (place.dir) {
    chmodSync(place.path, 0o600);
    ino = statSync(place.path).ino;
  }
  // The file is removed only while it is still this server's: a later one may have taken the place.
  const remove = () => {
    try {
      if (ino !== null && existsSync(place.path) && statSync(place.path).ino === ino) unlinkSync(place.path);
    } catch {
      // Gone already.
    }
  };
  // Also when the process ends without closing it (process.exit, a signal its owner turns into one).
  process.on('exit', remove);
  // Not one more reason for the process to stay up: the TUI and the daemon decide that.
  server.unref();
  return {
    close: () =>
      new Promise<void>((resolve) => {
        process.removeListener('exit', remove);
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
        remove();
      }),
  };
}
