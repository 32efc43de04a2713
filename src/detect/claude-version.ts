// Which hook settings fields a Claude Code version reads, from its changelog, checked against the
// settings schema of the pinned client (README, "Hook up Claude Code"). A version older than a
// field ignores it, so every field is written only for versions that honour it.
import { spawnSync } from 'node:child_process';

/**
 * `async: true` (the handler runs in the background). The changelog names background hooks first
 * at 2.1.19 and 2.1.23 (pending ones cancelled when a headless session ends); not before 2.1.23.
 */
export const ASYNC_SINCE = '2.1.23';
/**
 * `if` with permission-rule syntax (`Bash(*pnmp*)`): added in 2.1.85, but until 2.1.89 a compound
 * command (`cd x && pnmp i`) or an env-prefixed one never matched, so a guard would be skipped.
 */
export const IF_SINCE = '2.1.89';
/** The InstructionsLoaded event (which instruction files reached the agent) exists from 2.1.69. */
export const INSTRUCTIONS_LOADED_SINCE = '2.1.69';
/** `if` over Read, Edit and Write paths (`Edit(**\/generated/**)`) matched correctly from 2.1.176. */
export const PATH_IF_SINCE = '2.1.176';

export interface HookForm {
  /** The Claude Code version it was chosen for; null when unknown (the form every version reads). */
  version: string | null;
  async: boolean;
  /** PreToolUse handlers filtered with `if` from the guards' programs. */
  ifs: boolean;
  /** ...and from their path globs. */
  pathIfs: boolean;
  /** InstructionsLoaded is registered: `rules show` says when each rule reached the agent. */
  instructionsLoaded: boolean;
}

/** `2.1.332` out of `2.1.332 (Claude Code)`; null for anything else. */
export function parseVersion(text: string): string | null {
  return /^\s*(\d+\.\d+\.\d+)\b/.exec(text)?.[1] ?? null;
}

/** Negative when a < b, 0 when equal, positive when a > b (numeric parts). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

export function hookForm(version: string | null): HookForm {
  const since = (v: string) => version !== null && compareVersions(version, v) >= 0;
  return { version, async: since(ASYNC_SINCE), ifs: since(IF_SINCE), pathIfs: since(PATH_IF_SINCE), instructionsLoaded: since(INSTRUCTIONS_LOADED_SINCE) };
}

/** `claude --version` of the `claude` on PATH; null when there is none or it answers something else. */
export function detectClaudeVersion(env: NodeJS.ProcessEnv = process.env): string | null {
  try {
    const r = spawnSync('claude', ['--version'], { encoding: 'utf8', timeout: 15_000, env: { ...env, DISABLE_AUTOUPDATER: '1' }, shell: process.platform === 'win32', stdio: ['ignore', 'pipe', 'ignore'] });
    return r.status === 0 ? parseVersion(String(r.stdout)) : null;
  } catch {
    return null;
  }
}
