// A real git smart-HTTP server for tests: bare repositories served by git's own `git http-backend`,
// run as a CGI program behind a small Node http server on 127.0.0.1.
import { execFileSync, spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface GitHttpServer {
  /** The URL of a bare repository `name` (made with `repo`). */
  url(name: string): string;
  /** Creates the bare repository `name` (pushes allowed), returns its path. */
  repo(name: string): string;
  /** Every request's method and path, in order. */
  requests: { method: string; path: string }[];
  /** Bytes of request and response bodies so far, as the client sees them: what it sent, what it received. */
  traffic: { sent: number; received: number };
  /**
   * From now on, the first request `match` accepts is held: never answered, either before git
   * sees it (`before`: the remote is unchanged) or after git has done it (`after`: a push has
   * landed, its client never hears so). Resolves once such a request has arrived and is held.
   */
  hold(match: (method: string, path: string) => boolean, at: 'before' | 'after'): Promise<void>;
  close(): Promise<void>;
}

export interface GitHttpOptions {
  /** When set, every request must carry `Authorization: Basic` with this password (any user name). */
  token?: string;
}

export async function startGitHttpServer(root: string, opts: GitHttpOptions = {}): Promise<GitHttpServer> {
  const execPath = execFileSync('git', ['--exec-path'], { encoding: 'utf8' }).trim();
  const backend = join(execPath, 'git-http-backend');
  const requests: GitHttpServer['requests'] = [];
  const traffic = { sent: 0, received: 0 };
  let held: { match: (method: string, path: string) => boolean; at: 'before' | 'after'; arrived: () => void } | null = null;

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push({ method: req.method ?? 'GET', path: url.pathname });
    const hold = held && held.match(req.method ?? 'GET', url.pathname) ? held : null;
    if (hold) held = null;
    if (hold?.at === 'before') {
      req.resume();
      hold.arrived();
      return;
    }
    if (opts.token !== undefined) {
      const header = req.headers.authorization ?? '';
      const given = header.startsWith('Basic ') ? Buffer.from(header.slice(6), 'base64').toString('utf8').split(':').slice(1).join(':') : null;
      if (given !== opts.token) {
        res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"', 'Content-Type': 'text/plain' });
        res.end('authentication required\n');
        return;
      }
    }
    const child = spawn(backend, [], {
      env: {
        PATH: process.env.PATH ?? '',
        GIT_PROJECT_ROOT: root,
        GIT_HTTP_EXPORT_ALL: '1',
        REMOTE_USER: 'tester',
        REMOTE_ADDR: '127.0.0.1',
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.replace(/^\?/, ''),
        REQUEST_METHOD: req.method ?? 'GET',
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        ...(req.headers['content-encoding'] ? { HTTP_CONTENT_ENCODING: req.headers['content-encoding'] } : {}),
        ...(req.headers['git-protocol'] ? { GIT_PROTOCOL: String(req.headers['git-protocol']) } : {}),
        GATEWAY_INTERFACE: 'CGI/1.1',
        SERVER_PROTOCOL: 'HTTP/1.1',
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    req.on('data', (chunk: Buffer) => (traffic.sent += chunk.length));
    req.pipe(child.stdin);
    let head = Buffer.alloc(0);
    let headersDone = false;
    child.stdout.on('data', (chunk: Buffer) => {
      if (hold) return;
      if (headersDone) {
        traffic.received += chunk.length;
        res.write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      let end = head.indexOf('\r\n\r\n');
      let sep = 4;
      if (end < 0) {
        end = head.indexOf('\n\n');
        sep = 2;
      }
      if (end < 0) return;
      headersDone = true;
      let status = 200;
      const headers: Record<string, string> = {};
      for (const line of head.subarray(0, end).toString('utf8').split(/\r?\n/)) {
        const i = line.indexOf(':');
        if (i < 0) continue;
        const name = line.slice(0, i).trim();
        const value = line.slice(i + 1).trim();
        if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10);
        else headers[name] = value;
      }
      res.writeHead(status, headers);
      traffic.received += head.length - end - sep;
      res.write(head.subarray(end + sep));
    });
    child.stderr.resume();
    child.on('close', () => {
      if (hold) {
        hold.arrived();
        return;
      }
      if (!headersDone) {
        res.writeHead(500);
        res.end(head);
      } else res.end();
    });
    child.on('error', () => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  };

  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    requests,
    traffic,
    hold: (match, at) => new Promise<void>((arrived) => (held = { match, at, arrived })),
    url: (name) => `http://127.0.0.1:${port}/${name}`,
    repo(name) {
      const path = join(root, name);
      execFileSync('git', ['init', '--bare', '--quiet', '--initial-branch=main', path]);
      execFileSync('git', ['-C', path, 'config', 'http.receivepack', 'true']);
      return path;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
