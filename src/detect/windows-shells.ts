// What Windows shells add to reading a failed call (cause.ts): PowerShell, Claude Code's shell tool
// on Windows, with its own checks, filters and errors, and Git Bash, whose path conversion turns the
// `/x` options of Windows programs into paths.
import type { ShellCommand } from './shell.js';

/**
 * PowerShell's commands in lower case: PowerShell reads `Get-ChildItem`, `get-childitem` and
 * `GET-CHILDITEM` as one, so a program is looked up by `psName` of it. Their full names only: short
 * aliases (`gcm`, `gp`, `gi`) are also names people give git and other tools in their shells.
 */
function psNames(names: string): string[] {
  return names.split(' ').map((n) => n.toLowerCase());
}

export const psName = (program: string): string => (/[A-Z]/.test(program) && /^[\w.-]+$/.test(program) ? program.toLowerCase() : program);

/** PowerShell's word for a program it cannot find (5.1: "as the name of", 7: "as a name of"); the term is the program, or its path. */
export const PS_NOT_RECOGNIZED = /The term '([^']+)' is not recognized as (?:the|a) name of a cmdlet/;

/** PowerShell's filters at the end of a pipe, as `head` and `tail` are Bash's. */
export const PS_FILTERS = psNames('Select-Object Out-String Out-Host Out-Null Format-Table Format-List Sort-Object Measure-Object Tee-Object ForEach-Object Where-Object');
/** PowerShell's and Windows' checks anywhere in a chain, as `which` is. */
export const PS_CHECKS = psNames('Get-Command Test-Connection Test-NetConnection where.exe');
/** PowerShell's looks at paths, as `ls` and `stat` are. */
export const PS_LOOKS = psNames('Test-Path Get-ChildItem dir Get-Item Get-ItemProperty Resolve-Path');
/**
 * Errors silenced in PowerShell's ways: `2>$null`, `-ErrorAction SilentlyContinue`, `-EA 0`,
 * `$ErrorActionPreference = 'SilentlyContinue'`, PowerShell 7's `|| Write-Output`.
 */
export const PS_SILENCED = /[2*]>\s*\$null\b|(?:^|\s)-(?:ErrorAction|EA)(?::\s*|\s+)['"]?(?:SilentlyContinue|Ignore|0)\b|\$ErrorActionPreference\s*=\s*['"]?(?:SilentlyContinue|Ignore)\b|\|\|\s*Write-(?:Host|Output)\b/i;

/** The last command's "no", in its own words: nothing matched, no such process or service, no connection. */
const ANSWERS_NO: Record<string, (text: string) => boolean> = {
  // Exit 1 with nothing said is no match; "FINDSTR: Cannot open" is findstr failing.
  findstr: (text) => !/^FINDSTR:/m.test(text),
  'get-process': (text) => /Cannot find a process with the name/.test(text),
  'stop-process': (text) => /Cannot find a process with the (?:name|process identifier)/.test(text),
  'get-service': (text) => /Cannot find any service with service name/.test(text),
  'get-nettcpconnection': (text) => /No MSFT_NetTCPConnection objects found/.test(text),
};
/** Whether PowerShell's last command (its name in lower case) answered no, as `pgrep` finding nothing does. */
export function psAnswersNo(last: ShellCommand, text: string): boolean {
  return ANSWERS_NO[last.program]?.(text) ?? false;
}

/**
 * Bash written in the PowerShell tool, in PowerShell's words: `&&` in Windows PowerShell 5.1, a
 * Bash builtin taken for a command, Bash flags given to PowerShell's own `rm`, `ls`, `mkdir`,
 * `/dev/null`, a heredoc.
 */
const BASH_IN_POWERSHELL = [
  /The token '(?:&&|\|\|)' is not a valid statement separator/,
  /The term '(?:export|source|unset|shopt|declare|local|readonly|fi|then|done|esac)' is not recognized as (?:the|a) name of a cmdlet/,
  /Could not find a part of the path '[A-Za-z]:\\dev\\null'/,
  /Missing file specification after redirection operator|The '<' operator is reserved for future use/,
];

/** PowerShell's aliases named like Unix programs, which take PowerShell's parameters, not the Unix flags. */
const UNIX_ALIASES = new Set(['rm', 'ls', 'cp', 'mv', 'mkdir', 'cat', 'ps', 'kill', 'sort', 'echo', 'rmdir', 'sleep', 'diff', 'man', 'pwd']);
export function bashInPowerShell(cmds: ShellCommand[], text: string): boolean {
  if (BASH_IN_POWERSHELL.some((re) => re.test(text))) return true;
  // The parameter PowerShell names must be a Unix flag given to one of those aliases (`rm -rf`).
  const param = /A parameter cannot be found that matches parameter name '(\w+)'|Parameter cannot be processed because the parameter name '(\w+)' is ambiguous/.exec(text);
  const name = (param?.[1] ?? param?.[2])?.toLowerCase();
  return !!name && cmds.some((c) => UNIX_ALIASES.has(c.program) && c.args.some((a) => /^-[a-z]{1,3}$/.test(a) && a.slice(1).toLowerCase() === name));
}

/**
 * Windows' own programs, which take options as `/x`. Git Bash (MSYS) rewrites an argument that
 * starts with `/` into a Windows path before they see it, so `findstr /i` looks for a file
 * `C:/Program Files/Git/i`. Names Unix has too (`find`, `sort`, `timeout`) are left out.
 */
const SLASH_OPTION_PROGRAMS = new Set(['findstr', 'powercfg', 'ipconfig', 'taskkill', 'tasklist', 'netsh', 'schtasks', 'sc', 'reg', 'icacls', 'robocopy', 'xcopy', 'where', 'shutdown', 'wmic', 'net', 'cmd', 'systeminfo', 'attrib', 'certutil', 'bcdedit', 'dism', 'sfc', 'chkdsk', 'msiexec', 'setx', 'netstat', 'ping', 'tracert', 'nslookup', 'driverquery', 'fc', 'start']);
const UNIX_ROOTS = /^\/(?:tmp|usr|etc|var|dev|opt|home|bin|sbin|lib|lib64|proc|mnt|media|srv|sys|boot|root|run|snap|nix|app|workspace|workspaces|data|code|src|Users|Volumes|private|Applications|Library|System)$/;
/** What a Windows program says when a mangled option reached it as a path. */
const MANGLED = /[A-Za-z]:\/Program Files\/Git\/|Cannot open |Invalid (?:argument\/option|parameters?|switch)|Invalid Parameters/i;
/**
 * A Windows program given a `/x` option in Git Bash, without turning the rewriting off: it must be
 * the command that failed (the last one that is not a filter), and its output must say so.
 */
export function slashOptionsMangled(cmds: ShellCommand[], source: string, text: string, filters: ReadonlySet<string>): boolean {
  if (/\bMSYS_NO_PATHCONV=1|\bMSYS2_ARG_CONV_EXCL=/.test(source) || !MANGLED.test(text)) return false;
  const working = cmds.filter((c) => !c.nested && !filters.has(c.program));
  const last = working[working.length - 1];
  if (!last || !SLASH_OPTION_PROGRAMS.has(last.program.toLowerCase().replace(/\.exe$/, ''))) return false;
  // `/tmp`, `/Users`: a Unix folder given to a program of the same name elsewhere is no option.
  return last.args.some((a) => /^\/[A-Za-z?][\w?:-]*$/.test(a) && !UNIX_ROOTS.test(a));
}
