import { chmodSync, existsSync, mkdirSync, readdirSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { basename, join } from 'node:path';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { isPrivateFolder, type SocketPlace } from './socket-path.js';
import { ACK, answerEnv, envDifference, servableArgv, type ServeAnswer, type ServeRequest } from './protocol.js';

/** Runs a request's words as a command and returns what it printed and its exit code. */
export type RunServed = (argv: string[]) => Promise<{ code: number; stdout: string; stderr: string }>;

export interface CommandServer {
  close(): Promise<void>;
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
/** A client that connects and says nothing is let go after this long. */
const IDLE_MS = 30_000;

/**
 * Answers `memory search` for one workspace on its socket, so the agent's searches need not start
 * the whole CLI while a TUI or the daemon is open. A request for another workspace, from another
 * build or with another environment is declined, and the client runs the command itself; so is a
 * run that failed for a reason of this process (exit code 2). Resolves to null when another live
 * process already serves the workspace, the socket's folder is not safe, or there is no place
 * (Windows); never throws for that.
 */
export async function serveCommands(opts: { root: string; build: string; place: SocketPlace | null; uid: number; run: RunServed; env?: NodeJS.ProcessEnv }): Promise<CommandServer | null> {
  const { place } = opts;
  if (!place) return null;
  try {
    mkdirSync(place.dir, { recursive: true, mode: 0o700 });
  } catch {
    return null;
  }
  if (!isPrivateFolder(place.dir, opts.uid)) return null;
  const ownEnv = answerEnv(opts.env ?? process.env);
  const sockets = new Set<Socket>();
  // One run at a time: a run reads and restores the process's exit code (commands/serve-search.ts),
  // and a search is short.
  let queue: Promise<unknown> = Promise.resolve();
  const runAlone = (argv: string[]) => {
    const next = queue.then(() => opts.run(argv));
    queue = next.catch(() => undefined);
    return next;
  };
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
    const ran = await runAlone(argv);
    // An internal error may be this process's alone (its descriptors, its memory): the client's own run decides.
    if (ran.code === 2) return { served: false, why: 'the run failed here' };
    return { served: true, ...ran };
  };
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.setTimeout(IDLE_MS, () => socket.destroy());
    // Said at once, so a client can tell a busy process from a slow search (src/serve/client.ts).
    socket.write(ACK);
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
  server.maxConnections = 64;
  // Not one more reason for the process to stay up: the TUI and the daemon decide that.
  server.unref();
  if (existsSync(place.path) && (await answers(place.path))) return null;
  // Listened on a name of its own, then renamed into place: closing a server removes the name it
  // listened on, which must never be the place a later server took. The rename replaces a socket
  // left by a process that is gone.
  const temp = `${place.path}.${process.pid}.tmp`;
  dropDeadTemps(place.dir, basename(place.path));
  // A process that ends while it listens on the temporary name (a signal in between) removes it too.
  const dropTemp = () => {
    try {
      unlinkSync(temp);
    } catch {
      // renamed, or never made
    }
  };
  process.on('exit', dropTemp);
  let ino: number;
  try {
    if (existsSync(temp)) unlinkSync(temp);
    await listen(server, temp);
    chmodSync(temp, 0o600);
    ino = statSync(temp).ino;
    renameSync(temp, place.path);
  } catch {
    server.close();
    dropTemp();
    return null;
  } finally {
    process.removeListener('exit', dropTemp);
  }
  // After listening: an accept that fails (too many open files) costs that client, not the TUI or daemon.
  server.on('error', () => undefined);
  // The place is removed only while it is still this server's: a later one may have taken it.
  const remove = () => {
    try {
      if (existsSync(place.path) && statSync(place.path).ino === ino) unlinkSync(place.path);
    } catch {
      // Gone already.
    }
  };
  // Also when the process ends without closing it (process.exit, a signal its owner turns into one).
  process.on('exit', remove);
  return {
    close: () =>
      new Promise<void>((resolve) => {
        process.removeListener('exit', remove);
        remove();
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Removes the temporary names of servers whose process is gone (killed between listening and renaming). */
function dropDeadTemps(dir: string, name: string): void {
  let files: string[];
  try {
    files = readdirSync(dir);
  } catch {
    return;
  }
  for (const f of files) {
    const pid = f.startsWith(`${name}.`) && f.endsWith('.tmp') ? Number(f.slice(name.length + 1, -4)) : NaN;
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || alive(pid)) continue;
    try {
      unlinkSync(join(dir, f));
    } catch {
      // another server took it away first
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: a process of another user has that id now; it is not ours to judge, so the file stays.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

