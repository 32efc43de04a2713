// Reads the one JSON object an external command answers, bare or inside the envelope and fences
// that `claude -p --output-format json` wraps it in, with the token usage when it says.
import { errorMessage } from '../errors.js';

export interface Usage {
  input: number;
  output: number;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The JSON object in a text: the whole text, its one fenced block, or the span from its first `{` to its last `}`. */
function objectInText(text: string, what: string): unknown {
  const trimmed = text.trim();
  if (trimmed === '') throw new Error(`${what} is empty`);
  const whole = tryParse(trimmed);
  if (whole.ok) return whole.value;

  const blocks = [...trimmed.matchAll(/(`{3,})[ \t]*([\w-]*)[^\n]*\n([\s\S]*?)\n?[ \t]*\1/g)].map((m) => ({ lang: (m[2] ?? '').toLowerCase(), body: m[3] ?? '' }));
  const candidates = blocks.filter((b) => b.lang === 'json' || b.lang === '' || b.lang === 'jsonc');
  const parsed = candidates.flatMap((b) => {
    const r = tryParse(b.body.trim());
    return r.ok && isObject(r.value) ? [r.value] : [];
  });
  if (parsed.length === 1) return parsed[0];
  if (parsed.length > 1) throw new Error(`${what} has ${parsed.length} fenced JSON blocks; expected exactly one`);
  if (candidates.length > 0) {
    const first = tryParse(candidates[0]!.body.trim());
    throw new Error(`${what} has a fenced block that is not a JSON object${first.ok ? '' : ` (${first.error})`}`);
  }

  const start = trimmed.indexOf('{');
  const end = trimmed.lastIndexOf('}');
  if (start >= 0 && end > start) {
    const span = tryParse(trimmed.slice(start, end + 1));
    if (span.ok) return span.value;
  }
  throw new Error(`${what} is not JSON (${whole.error}) and holds no fenced JSON block`);
}

function tryParse(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    return { ok: false, error: errorMessage(err) };
  }
}

function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.round(v) : 0;
}

/** The `claude -p --output-format json` result envelope (or, with --verbose, the last result of the array). */
function envelopeOf(value: unknown): Record<string, unknown> | null {
  if (isObject(value) && value.type === 'result' && typeof value.result === 'string') return value;
  if (Array.isArray(value)) {
    const last = value.filter((v): v is Record<string, unknown> => isObject(v) && v.type === 'result' && typeof v.result === 'string').at(-1);
    return last ?? null;
  }
  return null;
}

export function parseOutput(stdout: string): { value: unknown; usage?: Usage } {
  const top = objectInText(stdout, 'the output');
  const envelope = envelopeOf(top);
  if (envelope) {
    if (envelope.is_error === true) {
      const subtype = typeof envelope.subtype === 'string' ? ` (${envelope.subtype})` : '';
      throw new Error(`the output is an error result${subtype}: ${String(envelope.result).trim().slice(0, 300) || 'no message'}`);
    }
    const value = objectInText(envelope.result as string, 'the result text');
    if (!isObject(value)) throw new Error('the result text holds JSON that is not an object');
    let usage: Usage | undefined;
    if (isObject(envelope.usage)) {
      const u = envelope.usage;
      usage = { input: num(u.input_tokens) + num(u.cache_creation_input_tokens) + num(u.cache_read_input_tokens), output: num(u.output_tokens) };
    }
    return { value, usage };
  }
  if (!isObject(top)) throw new Error(`the output is JSON but not an object (${Array.isArray(top) ? 'an array' : typeof top})`);
  return { value: top };
}

/**
 * The JSON object an analyst printed: a bare object, the `claude -p --output-format json` envelope
 * (whose `result` text holds the object, possibly in a ```json fence), or text with one fenced JSON
 * block. Throws an Error saying what was wrong otherwise.
 */
export function extractJson(stdout: string): unknown {
  return parseOutput(stdout).value;
}
