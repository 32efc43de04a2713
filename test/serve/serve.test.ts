// `memory search` answered by the process that serves its workspace (src/serve/): the client and
// the server in this process, over a real socket, and what each declines.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { served } from '../../src/serve/client.js';
import { answerEnv, envDifference, servableArgv } from '../../src/serve/protocol.js';
import { serveCommands, type CommandServer, type RunServed } from '../../src/serve/server.js';
import { socketPlace } from '../../src/serve/socket-path.js';
import { closeAfterTest } from '../helpers/cleanup.js';
import { bundleScript } from '../helpers/scripts.js';
import { scratch } from '../helpers/workspace.js';

const uid = process.getuid?.() ?? 0;

/** A folder that discovery takes for a workspace, a dist folder with a build id, and a runtime folder of its own. */
function setUp(build = 'build-1') {
  const project = scratch('nevo-serve-');
  const root = join(project, '.nevo');
  mkdirSync(root);
  writeFileSync(join(root, 'config.json'), '{}');
  const dist = join(project, 'dist');
  mkdirSync(dist);
  writeFileSync(join(dist, 'build-id'), `${build}\n`);
  const env = { XDG_RUNTIME_DIR: join(project, 'run') };
  return { project, root, dist, env, place: socketPlace(root, env, tmpdir(), uid, process.platform)! };
}

/** Answers with the words it was given, so a test sees what reached the server. */
const echo: RunServed = async (argv) => ({ code: 3, stdout: argv.join(' '), stderr: 'said on stderr' });

async function serve(s: ReturnType<typeof setUp>, opts: { build?: string; run?: RunServed; env?: NodeJS.ProcessEnv } = {}): Promise<CommandServer | null> {
  const server = await serveCommands({ root: s.root, build: opts.build ?? 'build-1', place: s.place, uid, run: opts.run ?? echo, env: opts.env ?? s.env });
  if (server) closeAfterTest(() => void server.close());
  return server;
}

describe('a served memory search', () => {
  it('answers with what the command printed and its exit code, for the workspace the client named in any way', async () => {
    const s = setUp();
    expect(await serve(s)).not.toBeNull();
    const want = { code: 3, stdout: `memory search cache engine --json --workspace ${s.root}`, stderr: 'said on stderr' };
    expect(await served(['memory', 'search', 'cache', 'engine', '--json'], s.dist, s.env, s.project)).toEqual(want);
    expect(await served(['-w', relative(tmpdir(), s.project), 'memory', 'search', 'cache', 'engine', '--json'], s.dist, s.env, tmpdir())).toEqual(want);
    expect(await served(['memory', 'search', 'cache', 'engine', '--json'], s.dist, { ...s.env, NEVO_WORKSPACE: s.root }, tmpdir())).toEqual(want);
    expect(await served(['memory', 'search', '--workspace=' + s.project, 'cache', 'engine', '--json'], s.dist, s.env, tmpdir())).toEqual(want);
  });

  it('runs a request in its own workspace, whatever workspace its words name, and declines what is not a request', async () => {
    const s = setUp();
    await serve(s);
    const ask = (line: string) =>
      new Promise<string>((resolve) => {
        let got = '';
        const c = connect(s.place.path, () => c.write(`${line}\n`));
        c.on('data', (d) => (got += d));
        // After the line that says the request was taken.
        c.on('close', () => resolve(got.slice(got.indexOf('\n') + 1).trim()));
      });
    expect(JSON.parse(await ask(JSON.stringify({ v: 1, build: 'build-1', root: s.root, argv: ['memory', 'search', '-w', '/etc', 'q', '--workspace=/tmp'], env: {} })))).toEqual({ served: true, code: 3, stdout: `memory search q --workspace ${s.root}`, stderr: 'said on stderr' });
    expect(JSON.parse(await ask('not json'))).toMatchObject({ served: false });
    expect(JSON.parse(await ask(JSON.stringify({ v: 1, build: 'build-1', root: '/elsewhere', argv: ['memory', 'search', 'q'], env: {} })))).toEqual({ served: false, why: 'another workspace' });
    expect(JSON.parse(await ask(JSON.stringify({ v: 1, build: 'build-1', root: s.root, argv: ['rules', 'approve', 'PROJ-001'], env: {} })))).toEqual({ served: false, why: 'not a served command' });
  });

  it('is declined for another build, another environment, another command, help, or NEVO_SERVE=0: the client then runs it itself', async () => {
    const s = setUp();
    await serve(s, { build: 'build-2' });
    expect(await served(['memory', 'search', 'x'], s.dist, s.env, s.project)).toBeNull();
    const t = setUp();
    await serve(t, { env: { ...t.env, TZ: 'Europe/Paris' } });
    expect(await served(['memory', 'search', 'x'], t.dist, t.env, t.project)).toBeNull();
    expect(await served(['memory', 'search', 'x'], t.dist, { ...t.env, TZ: 'Europe/Paris' }, t.project)).toMatchObject({ code: 3 });
    expect(await served(['memory', 'search', 'x'], t.dist, { ...t.env, TZ: 'Europe/Paris', NEVO_DEBUG: '1' }, t.project)).toBeNull();
    expect(await served(['memory', 'search', 'x'], t.dist, { ...t.env, TZ: 'Europe/Paris', NEVO_SERVE: '0' }, t.project)).toBeNull();
    expect(await served(['memory', 'show', 'x'], t.dist, { ...t.env, TZ: 'Europe/Paris' }, t.project)).toBeNull();
    expect(await served(['memory', 'search', '--help'], t.dist, { ...t.env, TZ: 'Europe/Paris' }, t.project)).toBeNull();
    expect(await served(['memory', 'search', '--', '-w'], t.dist, { ...t.env, TZ: 'Europe/Paris' }, t.project)).toBeNull();
  });

  it('is not there when nobody serves: no socket, a socket file a killed server left, or no workspace at all', async () => {
    const s = setUp();
    expect(await served(['memory', 'search', 'x'], s.dist, s.env, s.project)).toBeNull();
    mkdirSync(s.place.dir, { recursive: true, mode: 0o700 });
    writeFileSync(s.place.path, '');
    expect(await served(['memory', 'search', 'x'], s.dist, s.env, s.project)).toBeNull();
    expect(await served(['memory', 'search', 'x'], s.dist, s.env, scratch('nevo-none-'))).toBeNull();
  });

  it('takes the place of a server that is gone, but never of one that answers', async () => {
    const s = setUp();
    mkdirSync(s.place.dir, { recursive: true, mode: 0o700 });
    writeFileSync(s.place.path, '');
    const first = await serve(s);
    expect(first).not.toBeNull();
    expect(await serve(s, { run: async () => ({ code: 0, stdout: 'second', stderr: '' }) })).toBeNull();
    expect(await served(['memory', 'search', 'x'], s.dist, s.env, s.project)).toMatchObject({ code: 3 });
    await first!.close();
    expect(existsSync(s.place.path)).toBe(false);
    expect(await served(['memory', 'search', 'x'], s.dist, s.env, s.project)).toBeNull();
  });

  it('leaves no temporary socket when its process ends while listening, and removes those of processes that are gone', async () => {
    const s = setUp();
    mkdirSync(s.place.dir, { recursive: true, mode: 0o700 });
    const ended = spawnSync(process.execPath, [bundleScript('test/serve/exit-while-listening.ts'), JSON.stringify(s.place)], { encoding: 'utf8' });
    expect(ended.status).toBe(129);
    expect(readdirSync(s.place.dir)).toEqual([]);

    // Left by a process killed (SIGKILL) at that instant; one of a live process and another workspace's stay.
    const name = s.place.path.split(/[\\/]/).pop()!;
    const dead = ended.pid!;
    writeFileSync(`${s.place.path}.${dead}.tmp`, '');
    writeFileSync(`${s.place.path}.${process.ppid}.tmp`, '');
    writeFileSync(join(s.place.dir, `other.sock.${dead}.tmp`), '');
    expect(await serve(s)).not.toBeNull();
    expect(readdirSync(s.place.dir).sort()).toEqual([name, `${name}.${process.ppid}.tmp`, `other.sock.${dead}.tmp`].sort());
  });

  it('neither listens nor connects in a folder other users could write to', async () => {
    const s = setUp();
    mkdirSync(s.place.dir, { recursive: true, mode: 0o700 });
    chmodSync(s.place.dir, 0o777);
    expect(await serve(s)).toBeNull();
    chmodSync(s.place.dir, 0o700);
    expect(await serve(s)).not.toBeNull();
    chmodSync(s.place.dir, 0o777);
    expect(await served(['memory', 'search', 'x'], s.dist, s.env, s.project)).toBeNull();
    chmodSync(s.place.dir, 0o700);
  });

  it('a server whose run throws declines, and the client runs the command itself', async () => {
    const s = setUp();
    await serve(s, { run: async () => Promise.reject(new Error('boom')) });
    expect(await served(['memory', 'search', 'x'], s.dist, s.env, s.project)).toBeNull();
  });
});

describe('a served memory search, when the server cannot or should not answer', () => {
  it('answers requests that arrive together, each with its own words and exit code', async () => {
    const s = setUp();
    await serve(s, { run: async (argv) => ({ code: argv.includes('bad') ? 1 : 0, stdout: argv[2]!, stderr: '' }) });
    const words = ['alpha', 'bad', 'gamma', 'delta', 'bad', 'zeta'];
    const answers = await Promise.all(words.map((w) => served(['memory', 'search', w], s.dist, s.env, s.project)));
    expect(answers).toEqual(words.map((w) => ({ code: w === 'bad' ? 1 : 0, stdout: w, stderr: '' })));
  });

  it('is not waited for when it does not take the request in time, or answers with an internal error', async () => {
    const s = setUp();
    mkdirSync(s.place.dir, { recursive: true, mode: 0o700 });
    // A process that accepts and never says a word, as one whose jobs hold its event loop would.
    const mute = createServer((c) => void c.resume()).listen(s.place.path);
    await once(mute, 'listening');
    closeAfterTest(() => void mute.close());
    expect(await served(['memory', 'search', 'x'], s.dist, { ...s.env, NEVO_SERVE_WAIT_MS: '50' }, s.project)).toBeNull();
    await new Promise<void>((r) => mute.close(() => r()));
    await serve(s, { run: async () => ({ code: 2, stdout: '', stderr: 'nevo-tui: internal error: EMFILE' }) });
    expect(await served(['memory', 'search', 'x'], s.dist, s.env, s.project)).toBeNull();
  });

  it('has no place on Windows, where a named pipe has no folder to say whose it is', async () => {
    expect(socketPlace('C:\\w\\.nevo', {}, 'C:\\tmp', 0, 'win32')).toBeNull();
    expect(await serveCommands({ root: '/w', build: 'b', place: null, uid, run: echo })).toBeNull();
  });
});

describe('what may be served', () => {
  it('keeps the words of `memory search` and names the workspace absolutely, whatever option named it', () => {
    expect(servableArgv(['-w', 'a', 'memory', 'search', 'q', '-n', '3'], '/r')).toEqual(['memory', 'search', 'q', '-n', '3', '--workspace', '/r']);
    expect(servableArgv(['memory', '-wa', 'search', 'q'], '/r')).toEqual(['memory', 'search', 'q', '--workspace', '/r']);
    expect(servableArgv(['memory', 'search', '-h'], '/r')).toBeNull();
    // `-w` with nothing after it is the command's error to say.
    expect(servableArgv(['memory', 'search', 'q', '-w'], '/r')).toBeNull();
    expect(servableArgv(['memory', 'search', 'q', '--workspace'], '/r')).toBeNull();
    expect(servableArgv(['rules', 'approve', 'PROJ-001'], '/r')).toBeNull();
  });

  it('compares TZ and every NEVO_ variable but the switch and the workspace, and nothing else', () => {
    expect(envDifference({ TZ: 'UTC', NEVO_A: '1' }, { NEVO_A: '1', TZ: 'UTC' })).toBeNull();
    expect(envDifference({ TZ: 'UTC' }, {})).toBe('TZ');
    expect(envDifference({}, { NEVO_A: '' })).toBe('NEVO_A');
    expect(answerEnv({ TZ: 'UTC', NO_COLOR: '1', FORCE_COLOR: '3', NEVO_DEBUG: '1', NEVO_SERVE: '1', NEVO_SERVE_WAIT_MS: '9', NEVO_WORKSPACE: '/w', NEVO_SYNC_TOKEN: 'ghp_x', HOME: '/h' })).toEqual({ TZ: 'UTC', NEVO_DEBUG: '1' });
  });
});
