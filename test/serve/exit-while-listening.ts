// A process that serves and ends at once after listening on its temporary name, before the rename:
// what a TUI stopped by a signal at that instant does. Argument: the socket's place as JSON.
import { Server } from 'node:net';
import { serveCommands } from '../../src/serve/server.js';

const place = JSON.parse(process.argv[2]!) as { dir: string; path: string };
const listen = Server.prototype.listen;
Server.prototype.listen = function (this: Server, ...args: unknown[]) {
  const done = args.at(-1) as () => void;
  return (listen as (...a: unknown[]) => Server).apply(this, [...args.slice(0, -1), () => {
    void done;
    process.exit(129);
  }]);
} as typeof Server.prototype.listen;
await serveCommands({ root: '/nowhere', build: 'b', place, uid: process.getuid!(), run: async () => ({ code: 0, stdout: '', stderr: '' }) });
