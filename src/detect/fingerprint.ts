import { createHash } from 'node:crypto';
import { withoutShellNoise } from './shell-noise.js';

/**
 * Normalises an error so that the same mistake made on another file, line, id or value reads the
 * same: paths, positions, hex ids, uuids, timestamps, numbers and quoted literals become
 * placeholders. Order matters: quoted text and paths go before numbers eat their digits.
 */
const REPLACEMENTS: [RegExp, string][] = [
  [/\x1b\[[0-9;]*[A-Za-z]/g, ''], // terminal colours
  // Run-specific names: branches, refs, remotes' branches, temp folders and pids.
  [/--set-upstream\s+\S+\s+\S+/g, '--set-upstream <ref>'],
  [/\b(branch|upstream|HEAD ->|tag|ref|refs\/heads\/|refs\/tags\/|origin\/)\s*['"]?[\w./@-]*[\w@-]['"]?/gi, '$1 <ref>'],
  [/(?:\/private)?\/(?:tmp|var\/folders|var\/tmp)\/[^\s'"]*/g, '<tmp>'],
  [/\b(pid|PID|process)\s+\d+/g, '$1 <n>'],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uuid>'],
  [/\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?\b/g, '<time>'],
  [/\b\d{1,2}:\d{2}:\d{2}(\.\d+)?\b/g, '<time>'],
  [/`[^`\n]{1,200}`/g, '<q>'],
  [/"[^"\n]{1,200}"/g, '<q>'],
  [/'[^'\n]{1,200}'/g, '<q>'],
  [/\u2018[^\u2019\n]{1,200}\u2019|\u201c[^\u201d\n]{1,200}\u201d/g, '<q>'],
  [/\b[a-z][a-z0-9+.-]*:\/\/[^\s'"<>)]+/gi, '<url>'],
  [/(?:[A-Za-z]:)?(?:~|\.{1,2})?(?:[\\/][\w@.+-]+)+[\\/]?/g, '<path>'],
  [/\b[\w.-]+\.(?:[cm]?[jt]sx?|json|py|rb|go|rs|java|kt|swift|c|cc|cpp|h|hpp|cs|php|md|ya?ml|toml|lock|txt|sh|css|scss|html|vue|svelte|sql)\b/g, '<path>'],
  [/\b0x[0-9a-f]+\b/gi, '<hex>'],
  [/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{7,}\b/gi, '<hex>'],
  [/<path>(:\d+)+/g, '<path>:<n>'],
  [/\b\d+(\.\d+)*\b/g, '<n>'],
  [/[ \t]+/g, ' '],
];

export function normaliseError(text: string): string {
  let out = text;
  for (const [re, to] of REPLACEMENTS) out = out.replace(re, to);
  return out.trim();
}

const EXIT_LINE = /^Exit code (\d+)$/;

/**
 * The part of an error that says what went wrong: the `Exit code N` line of a shell failure and
 * the first lines that carry a message, normalised; long stack traces and output do not count.
 */
export function errorSignature(error: string, maxLines = 3): string {
  const lines = withoutShellNoise(error)
    .replace(/<\/?tool_use_error>/g, '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const exit = lines[0] && EXIT_LINE.test(lines[0]) ? lines.shift() : undefined;
  // Lines of a stack trace ("at foo (file:1:2)") differ between runs and add nothing.
  const body = lines.filter((l) => !/^at\s/.test(l)).slice(0, maxLines).map((l) => normaliseError(l).slice(0, 200));
  return [exit, ...body].filter(Boolean).join('\n');
}

/**
 * A mistake whose cause is known (see cause.ts) is one incident whatever the wording: zsh's and
 * bash's "command not found" for the same program, npm 6's and npm 10's "missing script".
 */
export function keyFingerprint(tool: string, key: string, error: string): { fingerprint: string; signature: string } {
  const fp = createHash('sha256').update(`${tool}\ncause\n${key}`).digest('hex').slice(0, 16);
  return { fingerprint: fp, signature: errorSignature(error) };
}

/** Tool name + normalised error signature, hashed: one fingerprint per distinct mistake. */
export function fingerprint(tool: string, error: string): { fingerprint: string; signature: string } {
  const signature = errorSignature(error);
  const fp = createHash('sha256').update(`${tool}\n${signature}`).digest('hex').slice(0, 16);
  return { fingerprint: fp, signature };
}
