// Claude Code's tools that run a command line: Bash, and PowerShell on Windows. Their input is
// `command`, their failures start with "Exit code N", and a cause is read from the line they ran.
// A module of its own, with no imports: the hook's normaliser asks it too.

/** Whether the tool runs a command line (its input is `command`), not a file or a search. */
export function isShellTool(tool: string | undefined): boolean {
  return tool === 'Bash' || tool === 'PowerShell';
}
