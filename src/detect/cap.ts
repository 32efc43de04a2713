/**
 * Bounds the size of a hook payload before it is written: long strings keep their head (where
 * errors and commands say what happened) and a marker, long arrays keep their first items, deep
 * nesting is cut. Tool output and file contents get the tightest limits.
 */
export interface CapLimits {
  string: number;
  /** Strings under these top-level keys (tool output, file contents). */
  bulky: number;
  array: number;
  depth: number;
}

export const DEFAULT_LIMITS: CapLimits = { string: 8000, bulky: 2000, array: 100, depth: 10 };

const BULKY_KEYS = new Set(['tool_response', 'tool_input', 'last_assistant_message', 'compact_summary', 'background_tasks', 'tool_calls']);
/** Whole-file copies that say nothing about what went wrong; always cut short. */
const FILE_COPIES = new Set(['content', 'originalFile', 'oldString', 'newString', 'old_string', 'new_string', 'fullOutput']);

export const CUT_MARKER = '…[cut by nevo-tui]';

function capString(s: string, max: number): string {
  if (s.length <= max) return s;
  const head = s.endsWith(CUT_MARKER) ? s.slice(0, -CUT_MARKER.length) : s;
  return `${head.slice(0, max)}${CUT_MARKER}`;
}

function capAt(value: unknown, max: number, limits: CapLimits, depth: number, margin: number): unknown {
  if (typeof value === 'string') return capString(value, max + margin);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= limits.depth) return '[nested too deep; cut by nevo-tui]';
  if (Array.isArray(value)) {
    const items = value.slice(0, limits.array).map((v) => capAt(v, max, limits, depth + 1, margin));
    if (value.length > limits.array) items.push(`[${value.length - limits.array} more items cut by nevo-tui]`);
    return items;
  }
  const out: Record<string, unknown> = {};
  const entries = Object.entries(value);
  // Keys count too: an object of a million keys, or one key of megabytes, is cut like an array.
  for (const [k, v] of entries.slice(0, limits.array)) {
    const m = FILE_COPIES.has(k) ? Math.min(max, 500) : max;
    out[capString(k, 200)] = capAt(v, m, limits, depth + 1, margin);
  }
  if (entries.length > limits.array) out['…'] = `[${entries.length - limits.array} more keys cut by nevo-tui]`;
  return out;
}

/**
 * `margin` lets a caller cut a little long, redact, then cut again without margin, so that a secret
 * straddling the first cut is still whole (and so recognised) when redaction runs.
 */
export function capPayload(payload: Record<string, unknown>, limits: CapLimits = DEFAULT_LIMITS, margin = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(payload)) out[k] = capAt(v, BULKY_KEYS.has(k) ? limits.bulky : limits.string, limits, 1, margin);
  return out;
}
