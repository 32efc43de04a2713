// What a command run by another process (src/serve/server.ts) is asked and answers, one JSON line
// each way. Only `memory search` is served: it reads, and the agent runs it often.

export interface ServeRequest {
  v: 1;
  /** The client's build (dist/build-id): another build's code might answer differently. */
  build: string;
  /** The workspace the client resolved (from --workspace, NEVO_WORKSPACE or its folder). */
  root: string;
  /** The words after `nevo-tui`, with `--workspace ROOT` in place of any workspace option. */
  argv: string[];
  /** The client's environment that can change an answer (TZ, and every NEVO_ variable but two). */
  env: Record<string, string>;
}

export type ServeAnswer = { served: true; code: number; stdout: string; stderr: string } | { served: false; why: string };

// TZ: a day is the system zone's when the config names none. Not the colour switches: a search
// prints no colour, wherever it runs (test/serve/served-cli.test.ts holds a served answer equal to
// one printed to a pipe), and the agent's shell and the TUI's terminal often differ in them.
const ENV_KEYS = ['TZ'];
/** Chooses serving or not. */
export const SERVE_SWITCH = 'NEVO_SERVE';
/** How long a client waits for a server to take its request, in ms (default ASK_WAIT_MS in client.ts). */
export const WAIT_SWITCH = 'NEVO_SERVE_WAIT_MS';
/** What a server says as soon as it accepts a connection. */
export const ACK = 'nevo-tui serves\n';
/**
 * Not compared: the switches; the workspace, which the client resolves and names in the request;
 * and credentials (a sync token's variable), which change no search and need not travel.
 */
const NOT_COMPARED = [SERVE_SWITCH, WAIT_SWITCH, 'NEVO_WORKSPACE'];
const CREDENTIAL = /TOKEN|SECRET|PASSWORD|PASSWD|KEY|CREDENTIAL/i;

/** The part of an environment that can change what a command prints. */
export function answerEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && (ENV_KEYS.includes(k) || (k.startsWith('NEVO_') && !NOT_COMPARED.includes(k) && !CREDENTIAL.test(k)))) out[k] = v;
  return out;
}

/** The first variable whose value differs between the two, or null. */
export function envDifference(a: Record<string, string>, b: Record<string, string>): string | null {
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) if (a[k] !== b[k]) return k;
  return null;
}

/**
 * The command line read as commander reads the global workspace option: the words without it, and
 * the value of its last use. Null when the line is not one to serve: a `--`, or `-w` with no value,
 * which the command itself must say is missing.
 */
export function workspaceOption(args: string[]): { words: string[]; flag: string | undefined } | null {
  const words: string[] = [];
  let flag: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '--') return null;
    if (a === '-w' || a === '--workspace') {
      if (i === args.length - 1) return null;
      flag = args[++i];
    } else if (a.startsWith('--workspace=')) flag = a.slice('--workspace='.length);
    else if (/^-w./.test(a)) flag = a.slice(2);
    else words.push(a);
  }
  return { words, flag };
}

/** The words after `nevo-tui`, for a served run, when the request is one a server answers; else null. */
export function servableArgv(args: string[], root: string): string[] | null {
  const words = workspaceOption(args)?.words;
  if (!words || words[0] !== 'memory' || words[1] !== 'search' || words.includes('--help') || words.includes('-h')) return null;
  return [...words, '--workspace', root];
}
