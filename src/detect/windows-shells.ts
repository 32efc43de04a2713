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

/** PowerShell's filters at the end of a pipe, as `head` and `tail` are Bash's. */
export const PS_FILTERS = psNames('Select-Object Out-String Out-Host Out-Null Format-Table Format-List Sort-Object Measure-Object Tee-Object ForEach-Object Where-Object');
/** PowerShell's and Windows' checks anywhere in a chain, as `which` and `pgrep` are. */
export const PS_CHECKS = psNames('Get-Command Get-Process Get-Service Test-Connection Test-NetConnection where.exe Get-NetTCPConnection');
/** PowerShell's looks at paths, as `ls` and `stat` are. */
export const PS_LOOKS = psNames('Test-Path Get-ChildItem dir Get-Item Get-ItemProperty Resolve-Path');
/** Windows' and PowerShell's checks whose "no" is an error: findstr matching nothing (not "FINDSTR: Cannot open"), no process to stop. */
export const PS_ANSWERS = new Set(psNames('findstr Stop-Process'));

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
  return /A parameter cannot be found that matches parameter name '\w+'|Parameter cannot be processed because the parameter name '\w+' is ambiguous/.test(text) && cmds.some((c) => UNIX_ALIASES.has(c.program) && c.args.some((a) => /^-[a-z]{1,3}$/.test(a)));
}

/**
 * Windows' own programs, which take options as `/x`. Git Bash (MSYS) rewrites an argument that
 * starts with `/` into a Windows path before they see it, so `findstr /i` looks for a file
 * `C:/Program Files/Git/i`. Names Unix has too (`find`, `sort`, `timeout`) are left out.
 */
const SLASH_OPTION_PROGRAMS = new Set(['findstr', 'powercfg', 'ipconfig', 'taskkill', 'tasklist', 'netsh', 'schtasks', 'sc', 'reg', 'icacls', 'robocopy', 'xcopy', 'where', 'shutdown', 'wmic', 'net', 'cmd', 'systeminfo', 'attrib', 'certutil', 'bcdedit', 'dism', 'sfc', 'chkdsk', 'msiexec', 'setx', 'netstat', 'ping', 'tracert', 'nslookup', 'driverquery', 'fc', 'start']);
const UNIX_ROOTS = /^\/(?:tmp|usr|etc|var|dev|opt|home|bin|sbin|lib|proc|mnt|srv|sys|root|run|Users|Volumes|private|Applications|Library|System)$/;
/** A Windows program given a `/x` option in Git Bash, without turning the rewriting off. */
export function slashOptionsMangled(cmds: ShellCommand[], source: string): boolean {
  if (/\bMSYS_NO_PATHCONV=1|\bMSYS2_ARG_CONV_EXCL=/.test(source)) return false;
  return cmds.some((c) => {
    const name = c.program.toLowerCase().replace(/\.exe$/, '');
    if (!SLASH_OPTION_PROGRAMS.has(name)) return false;
    // `/tmp`, `/Users`: a Unix folder given to a program of the same name elsewhere is no option.
    return c.args.some((a) => /^\/[A-Za-z?][\w?:-]*$/.test(a) && !UNIX_ROOTS.test(a));
  });
}
