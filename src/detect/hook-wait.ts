// Claude Code cancels the background (async) hook handlers still running when a headless session
// ends, right after its Stop handlers return: the capture of the session's last tool calls would
// be lost. The Stop hook runs in the foreground, so it waits here until nevo-tui's handlers that
// the same Claude Code process started before it have finished. They are found in the process
// table: descendants of that process whose command line is a nevo-tui hook's. Light: the hook
// imports it; Linux reads /proc, other systems ask `ps`, and where neither works it waits for
// nothing.
import { readdirSync, readFileSync } from 'node:fs';

/** Longer than any capture takes; Claude Code's own timeout for nevo's handlers is 10 s. */
export const WAIT_LIMIT_MS = 5000;
const POLL_MS = 15;
/**
 * In the command line of every handler nevo-tui writes: its marker comment (detect/hooks-settings.ts,
 * NEVO_MARKER), and the name the project-scope command gives its inner shell.
 */
const MARKER = 'nevo-tui-hook';

export interface Proc {
  pid: number;
  ppid: number;
  args: string;
  zombie: boolean;
}

function fromProc(): Proc[] | null {
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return null;
  }
  const out: Proc[] = [];
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // The command name in parentheses may hold spaces and parentheses: fields follow the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const args = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ').trim();
      out.push({ pid: Number(name), ppid: Number(fields[1]), args, zombie: fields[0] === 'Z' });
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return out;
}

async function fromPs(): Promise<Proc[] | null> {
  try {
    // Loaded only here: every other hook run starts without it.
    const { spawnSync } = await import('node:child_process');
    const r = spawnSync('ps', ['-A', '-o', 'pid=,ppid=,stat=,args='], { encoding: 'utf8', timeout: 2000, stdio: ['ignore', 'pipe', 'ignore'] });
    if (r.status !== 0) return null;
    return String(r.stdout)
      .split('\n')
      .flatMap((line) => {
        const m = /^\s*(\d+)\s+(\d+)\s+(\S+)\s+(.*)$/.exec(line);
        return m ? [{ pid: Number(m[1]), ppid: Number(m[2]), args: m[4]!.trim(), zombie: m[3]!.startsWith('Z') }] : [];
      });
  } catch {
    return null;
  }
}

export async function processTable(): Promise<Proc[] | null> {
  if (process.platform === 'win32') return null;
  return (process.platform === 'linux' ? fromProc() : null) ?? fromPs();
}

/**
 * nevo-tui hook processes started by the same Claude Code process as `self`, still running: the
 * Claude Code process is the first ancestor that is not itself a hook process (the shell running
 * the marked command, or a node running the same hook command line).
 */
export function pendingHookProcesses(table: Proc[], self: { pid: number; args: string }): number[] {
  const byPid = new Map(table.map((p) => [p.pid, p]));
  const isHook = (p: Proc) => p.args.includes(MARKER) || p.args === self.args;
  const ancestors = new Set<number>([self.pid]);
  let root = byPid.get(self.pid)?.ppid;
  while (root !== undefined && byPid.get(root) && isHook(byPid.get(root)!)) {
    ancestors.add(root);
    root = byPid.get(root)!.ppid;
  }
  if (root === undefined || root <= 1) return [];
  const children = new Map<number, Proc[]>();
  for (const p of table) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const pending: number[] = [];
  const walk = (pid: number): void => {
    for (const child of children.get(pid) ?? []) {
      if (!ancestors.has(child.pid) && isHook(child) && !child.zombie) pending.push(child.pid);
      walk(child.pid);
    }
  };
  walk(root);
  return pending;
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (process.platform !== 'linux') return true;
  try {
    // A finished child its parent has not reaped yet is a zombie: done.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits, at most `limitMs`, until the other nevo-tui hooks of this Claude Code process have ended. Never throws. */
export async function waitForSiblingHooks(limitMs = WAIT_LIMIT_MS): Promise<number> {
  try {
    const table = await processTable();
    if (!table) return 0;
    let pending = pendingHookProcesses(table, { pid: process.pid, args: table.find((p) => p.pid === process.pid)?.args ?? process.argv.join(' ') });
    const deadline = Date.now() + limitMs;
    const waited = pending.length;
    while (pending.length && Date.now() < deadline) {
      await sleep(POLL_MS);
      pending = pending.filter(running);
    }
    return waited;
  } catch {
    return 0;
  }
}
