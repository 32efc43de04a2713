/**
 * Lines a shell prints at every start whatever the command (a misconfigured zoxide's doctor notice,
 * a locale the machine lacks). Claude Code's shell sources the person's rc files, so they open the
 * output of every failed call: read as its first line, they made unrelated failures one incident
 * and hid each failure's own message.
 */
const BLOCKS: RegExp[] = [
  // zoxide 0.9.7+: printed when `zoxide init` is not the last line of the rc file.
  /^zoxide: detected a possible configuration issue\.\n(?:.*\n){0,8}?Disable this message by setting _ZO_DOCTOR=0\.\n?/gm,
];
const LINES = /^(?:[\w./-]*(?:bash|zsh|sh): )?(?:warning: )?setlocale: LC_\w+: cannot change locale \([^)]*\)(?: ?: No such file or directory)?\n?/gm;

export function withoutShellNoise(error: string): string {
  if (!error.includes('zoxide: detected') && !error.includes('setlocale:')) return error;
  let out = error;
  for (const re of BLOCKS) out = out.replace(re, '');
  return out.replace(LINES, '');
}
