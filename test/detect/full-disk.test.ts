import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

// A full disk, injected: the write of a trigger's temp file leaves it empty and fails with ENOSPC,
// as writeFileSync does when the disk fills between open and write.
const full = { on: false };
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  const writeFileSync = ((file: unknown, data: unknown, opts?: unknown) => {
    if (full.on && String(file).includes(`${join('triggers', '.nevo-tmp-')}`)) {
      real.writeFileSync(file as string, '');
      throw Object.assign(new Error(`ENOSPC: no space left on device, write`), { code: 'ENOSPC', errno: -28, syscall: 'write' });
    }
    return (real.writeFileSync as (...a: unknown[]) => void)(file, data, opts);
  }) as typeof real.writeFileSync;
  return { ...real, default: { ...real, writeFileSync }, writeFileSync };
});

const { handleHook } = await import('../../src/hook.js');
const { readLostTally } = await import('../../src/detect/lost-tally.js');
const { freshWorkspace, scratch } = await import('../helpers/workspace.js');
const { cli } = await import('../helpers/cli.js');

const PAYLOADS = JSON.parse(readFileSync('test/fixtures/claude-code/hook-payloads/quantstats__post_tool_use.json', 'utf8')) as Record<string, unknown>[];
const input = (p: unknown) => {
  const head = Buffer.from(JSON.stringify(p));
  return { head, bytes: head.length, timedOut: false };
};

describe('the hook on a full disk', () => {
  it('exits clean, leaves no empty temp file, and counts every event it could not write', async () => {
    const ws = await freshWorkspace();
    const env = { NEVO_WORKSPACE: ws.root, XDG_STATE_HOME: scratch('nevo-state-') };
    expect(handleHook(input(PAYLOADS[0]), env).file).not.toBeNull();
    full.on = true;
    try {
      for (let i = 0; i < 60; i++) expect(handleHook(input(PAYLOADS[i % PAYLOADS.length]), env).file).toBeNull();
    } finally {
      full.on = false;
    }
    const tally = readLostTally(ws.layout.triggers);
    expect(tally.counts).toEqual({ 'disk full': 60, permission: 0, other: 0 });
    expect(tally.last?.error).toMatch(/ENOSPC/);
    expect(readdirSync(ws.layout.triggers).filter((f) => f.startsWith('.nevo-tmp-'))).toEqual([]);
  });
});

// The same with a real full filesystem, where one can be mounted (root in a container that allows it).
const mountPoint = join(tmpdir(), `nevo-full-${process.pid}`);
function mountTmpfs(): boolean {
  try {
    mkdirSync(mountPoint, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mountPoint], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const mounted = process.platform === 'linux' && process.getuid?.() === 0 && mountTmpfs();
afterAll(() => {
  if (mounted) spawnSync('umount', [mountPoint]);
  rmSync(mountPoint, { recursive: true, force: true });
});

describe.skipIf(!mounted)('a workspace on a real full disk (tmpfs)', () => {
  it('counts what the real hook lost, and commands say the disk is full, exit 1 and leave every file whole', () => {
    const project = join(mountPoint, 'project');
    mkdirSync(project);
    expect(cli(['init'], { cwd: project }).code).toBe(0);
    const root = join(project, '.nevo');
    // Fill what is left of the disk.
    const filler = join(mountPoint, 'filler');
    const block = Buffer.alloc(64 * 1024, 1);
    try {
      for (;;) writeFileSync(filler, block, { flag: 'a' });
    } catch {
      // full
    }
    try {
      for (const p of Array.from({ length: 20 }, (_, i) => PAYLOADS[i % PAYLOADS.length])) {
        const r = cli(['hook'], { cwd: project, input: JSON.stringify({ ...p, cwd: project }), env: { XDG_STATE_HOME: join(mountPoint, 'state') } });
        expect(r.code).toBe(0);
      }
      const status = JSON.parse(cli(['status', '--json'], { cwd: project }).stdout);
      expect(status.lost.counts['disk full']).toBe(20);
      const add = cli(['memory', 'add', 'The project uses pnpm', '--category', 'preference'], { cwd: project });
      expect(add.code).toBe(1);
      expect(add.stderr).toMatch(/the disk is full: could not write .*\.nevo/);
      expect(readdirSync(join(root, 'triggers')).filter((f) => f.startsWith('.nevo-tmp-'))).toEqual([]);
      for (const f of readdirSync(join(root, 'store'))) {
        expect(f.startsWith('.nevo-tmp-'), f).toBe(false);
        expect(() => JSON.parse(readFileSync(join(root, 'store', f), 'utf8')), f).not.toThrow();
      }
    } finally {
      rmSync(filler, { force: true });
    }
    const doctor = cli(['doctor'], { cwd: project });
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toMatch(/could not record 20 events \(20 disk full\)/);
    expect(cli(['doctor', '--clear-lost'], { cwd: project }).code).toBe(0);
    expect(JSON.parse(cli(['status', '--json'], { cwd: project }).stdout).lost.line).toBeNull();
    expect(existsSync(join(root, 'triggers', '.lost-tally'))).toBe(true);
  });
});
