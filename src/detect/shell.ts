// What a Bash command line runs, read with a real shell parser (unbash) instead of regular
// expressions: text inside quotes, heredocs and comments is never a command, and a program is seen
// wherever it runs (after `sudo`, `env`, `xargs`, `time`, assignments, as an absolute path, in
// every part of `&&`, `;`, `|`, subshells and `$(...)`). It runs in the hook (guards) as well as
// in the analyst, so it never throws: a line it cannot read yields what it could read.
import { forEachChild, parse, type SyntaxNode } from 'unbash';

export interface ShellCommand {
  /** The program as written, basename only: `/usr/bin/tree` → `tree`. */
  program: string;
  /** The words after it, unquoted. */
  args: string[];
  /** The program as written: `./scripts/x.sh`, `/usr/bin/tree`. */
  raw: string;
  /** Where it starts in the source, for order. */
  pos: number;
  /** Inside `$(...)`, backticks or `<(...)`: its output feeds another command. */
  nested?: boolean;
}

/** Programs that run the command given in their arguments, with the options that take a value. */
const WRAPPERS: Record<string, { valued: string[]; firstIsValue?: boolean }> = {
  sudo: { valued: ['-u', '-g', '-h', '-p', '-C', '-D', '-r', '-t', '-U', '--user', '--group', '--host', '--prompt', '--chdir'] },
  doas: { valued: ['-u', '-C'] },
  env: { valued: ['-u', '-C', '-S', '--unset', '--chdir', '--split-string'] },
  xargs: { valued: ['-I', '-n', '-P', '-d', '-L', '-s', '-a', '-E', '-e', '--max-args', '--max-procs', '--delimiter', '--arg-file'] },
  time: { valued: ['-f', '-o', '--format', '--output'] },
  nohup: { valued: [] },
  nice: { valued: ['-n', '--adjustment'] },
  ionice: { valued: ['-c', '-n', '-p'] },
  timeout: { valued: ['-s', '-k', '--signal', '--kill-after'], firstIsValue: true },
  stdbuf: { valued: ['-i', '-o', '-e'] },
  exec: { valued: ['-a'] },
  builtin: { valued: [] },
  command: { valued: [] },
  wsl: { valued: ['-d', '--distribution', '-u', '--user', '--cd'] },
};

/** `bash -c '…'` runs the text as a command line of its own. */
const SHELLS = new Set(['bash', 'sh', 'zsh', 'dash', 'ksh']);

const baseName = (word: string): string => word.replace(/^.*\//, '');

/**
 * The command a wrapper runs, or null when it runs none: `sudo -u me tree` → `tree`;
 * `command -v tree` asks whether `tree` exists and runs nothing.
 */
function unwrap(words: string[]): string[] | null {
  let rest = words;
  for (let depth = 0; depth < 8; depth++) {
    const head = rest[0];
    if (head === undefined) return null;
    const spec = WRAPPERS[baseName(head)];
    if (!spec) return rest;
    if (baseName(head) === 'command' && rest.slice(1).some((w) => w === '-v' || w === '-V')) return null;
    let i = 1;
    let valueTaken = false;
    while (i < rest.length) {
      const w = rest[i]!;
      if (w === '--') {
        i++;
        break;
      }
      if (baseName(head) === 'env' && /^[A-Za-z_]\w*=/.test(w)) {
        i++;
        continue;
      }
      if (w.startsWith('-') && w.length > 1) {
        if (baseName(head) === 'wsl' && (w === '-e' || w === '--exec' || w === '--')) {
          i++;
          break;
        }
        i += spec.valued.includes(w) ? 2 : 1;
        continue;
      }
      if (spec.firstIsValue && !valueTaken) {
        valueTaken = true;
        i++;
        continue;
      }
      break;
    }
    rest = rest.slice(i);
  }
  return rest.length ? rest : null;
}

/** `git -C dir -c k=v push` is a push: the options before git's subcommand say where, not what. */
function withoutGitOptions(args: string[]): string[] {
  let i = 0;
  while (i < args.length && args[i]!.startsWith('-')) i += ['-C', '-c', '--git-dir', '--work-tree', '--namespace', '--exec-path'].includes(args[i]!) ? 2 : 1;
  return args.slice(i);
}

type Node = SyntaxNode & { type: string; pos: number; end: number };

function wordText(source: string, word: { pos: number; end: number; value?: string } | undefined): string | undefined {
  if (!word) return undefined;
  return typeof word.value === 'string' ? word.value : source.slice(word.pos, word.end);
}

/** Every command the line runs, in source order. */
export function shellCommands(source: string, depth = 0): ShellCommand[] {
  const out: ShellCommand[] = [];
  let ast: SyntaxNode;
  try {
    ast = parse(source) as SyntaxNode;
  } catch {
    return out;
  }
  const visit = (node: Node, nested: boolean): void => {
    if (node.type === 'Command') {
      const cmd = node as unknown as { name?: { pos: number; end: number; value?: string }; suffix?: readonly ({ type: string; pos: number; end: number; value?: string })[] };
      const name = wordText(source, cmd.name);
      const words = [name ?? '', ...(cmd.suffix ?? []).filter((s) => s.type === 'Word').map((s) => wordText(source, s) ?? '')];
      const run = name ? unwrap(words) : null;
      if (run && run[0]) {
        const program = baseName(run[0]);
        const args = program === 'git' ? withoutGitOptions(run.slice(1)) : run.slice(1);
        out.push({ program, args, raw: run[0], pos: node.pos, ...(nested ? { nested } : {}) });
        const inline = args.findIndex((a) => /^-[a-z]*c$/.test(a));
        if (SHELLS.has(program) && inline >= 0 && args[inline + 1] && depth < 4) {
          for (const inner of shellCommands(args[inline + 1]!, depth + 1)) out.push({ ...inner, pos: node.pos });
        }
      }
    }
    try {
      const inner = nested || node.type === 'CommandExpansion' || node.type === 'ProcessSubstitution';
      forEachChild(node, (child) => visit(child as Node, inner));
    } catch {
      // a part the parser could not resolve is skipped; the rest still counts
    }
  };
  visit(ast as Node, false);
  return out.sort((a, b) => a.pos - b.pos);
}

const INSTALLERS = new Set(['apt', 'apt-get', 'brew', 'yum', 'dnf', 'apk', 'pacman', 'snap', 'port', 'zypper', 'npm', 'pnpm', 'yarn', 'bun', 'pip', 'pip3', 'pipx', 'uv', 'cargo', 'go', 'gem', 'conda', 'mamba', 'nix-env', 'choco', 'winget', 'scoop']);
const INSTALL_VERBS = new Set(['install', 'add', 'i', '-S', '-i']);

/** A package name as the program it brings: `jq=1.6` → `jq`, `@biomejs/biome@1` → `biome`, `golang.org/x/tools/cmd/goimports@latest` → `goimports`. */
function packageProgram(arg: string): string {
  return baseName(arg.replace(/@[^/]*$/, '').replace(/[=<>~!].*$/, ''));
}

/** Packages whose program has another name. */
const PROVIDES: Record<string, string[]> = {
  ripgrep: ['rg'],
  'fd-find': ['fd', 'fdfind'],
  httpie: ['http', 'https'],
  nodejs: ['node', 'npm', 'npx'],
  golang: ['go', 'gofmt'],
  'github-cli': ['gh'],
  the_silver_searcher: ['ag'],
  'silversearcher-ag': ['ag'],
  'python-is-python3': ['python'],
  python3: ['python3', 'python'],
  'python3-pip': ['pip', 'pip3'],
  typescript: ['tsc'],
  corepack: ['pnpm', 'yarn'],
};

/** Whether this command installs `program`: a package of that name, one whose name holds it, or one known to provide it. */
export function installs(cmd: ShellCommand, program: string): boolean {
  if (!INSTALLERS.has(cmd.program) || !cmd.args.some((a) => INSTALL_VERBS.has(a))) return false;
  return cmd.args.some((a) => {
    if (a.startsWith('-') || INSTALL_VERBS.has(a)) return false;
    const pkg = packageProgram(a);
    return pkg === program || pkg.includes(program) || (PROVIDES[pkg]?.includes(program) ?? false);
  });
}

/**
 * Whether the line runs `program` itself, not as text: not in quotes, a heredoc or a comment,
 * not after an install of it on the same line, not only asked about (`command -v`).
 */
export function runsProgram(source: string, program: string): boolean {
  // The parser is only worth its cost when the name appears at all.
  if (!source.includes(program)) return false;
  const commands = shellCommands(source);
  for (let i = 0; i < commands.length; i++) {
    if (commands[i]!.program !== program) continue;
    if (commands.slice(0, i).some((c) => installs(c, program))) return false;
    return true;
  }
  return false;
}
