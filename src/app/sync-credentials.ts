// The credentials a sync gives the remote: the token in the environment variable config names
// (sync.tokenEnv), else whatever git's own credential helpers hold for that URL (`gh auth
// setup-git`, the macOS keychain, Git Credential Manager, `store`), so a person whose git already
// pushes there sets nothing up. Nothing is ever written to the workspace.
import { execFile } from 'node:child_process';
import type { GitAuth } from 'isomorphic-git';

export interface Credential {
  username: string;
  password: string;
}

export type CredentialAction = 'fill' | 'approve' | 'reject';

/** Runs `git credential ACTION` for `url` (with `cred` for approve and reject); the credential filled, or null. */
export type CredentialCommand = (action: CredentialAction, url: string, cred?: Credential) => Promise<Credential | null>;

/** git's credential protocol: the URL's parts, one `key=value` a line, a blank line to end. */
export function credentialInput(url: string, cred?: Credential): string {
  const u = new URL(url);
  const lines = [`protocol=${u.protocol.replace(/:$/, '')}`, `host=${u.host}`, `path=${u.pathname.replace(/^\//, '')}`];
  if (cred) lines.push(`username=${cred.username}`, `password=${cred.password}`);
  return `${lines.join('\n')}\n\n`;
}

export function parseCredential(out: string): Credential | null {
  const kv = new Map<string, string>();
  for (const line of out.split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) kv.set(line.slice(0, at), line.slice(at + 1));
  }
  const password = kv.get('password');
  if (!password) return null;
  return { username: kv.get('username') || 'x-access-token', password };
}

/**
 * The real `git credential`. It never asks anyone: a sync runs in the background too, where a
 * prompt (a terminal's, an askpass program's, Credential Manager's window) would wait forever.
 */
export const gitCredential: CredentialCommand = (action, url, cred) =>
  new Promise((resolve) => {
    const env = { ...process.env, GIT_TERMINAL_PROMPT: '0', GCM_INTERACTIVE: 'never', GIT_ASKPASS: 'false', SSH_ASKPASS: 'false' };
    const child = execFile('git', ['credential', action], { env, timeout: 20_000, maxBuffer: 64 * 1024 }, (err, stdout) => {
      resolve(!err && action === 'fill' ? parseCredential(String(stdout)) : null);
    });
    child.on('error', () => resolve(null));
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(credentialInput(url, cred));
  });

/** Where the credential came from, for the message when the remote refuses it. */
export interface CredentialSource {
  used: 'env' | 'helper' | null;
}

/**
 * isomorphic-git's callbacks: asked for credentials, the environment's token first, then git's
 * helpers; a credential from a helper that worked is approved to it, one refused is rejected (so
 * a stale one is not offered again), and nothing is retried in a loop.
 */
export function syncAuth(tokenEnv: string, command: CredentialCommand = gitCredential): { onAuth: (url: string) => Promise<GitAuth>; onAuthSuccess: (url: string, auth: GitAuth) => Promise<void>; onAuthFailure: (url: string, auth: GitAuth) => Promise<GitAuth>; source: CredentialSource } {
  const source: CredentialSource = { used: null };
  let fromHelper: Credential | null = null;
  let approved = false;
  return {
    source,
    async onAuth(url) {
      const token = tokenEnv ? process.env[tokenEnv] : undefined;
      if (token) {
        source.used = 'env';
        return { username: 'x-access-token', password: token };
      }
      // One sync asks once: the same remote answers its listing, fetches and push.
      fromHelper ??= await command('fill', url);
      if (!fromHelper) return { cancel: true };
      source.used = 'helper';
      return { ...fromHelper };
    },
    async onAuthSuccess(url) {
      if (source.used !== 'helper' || !fromHelper || approved) return;
      approved = true;
      await command('approve', url, fromHelper);
    },
    async onAuthFailure(url) {
      if (source.used === 'helper' && fromHelper) await command('reject', url, fromHelper);
      fromHelper = null;
      return { cancel: true };
    },
  };
}
