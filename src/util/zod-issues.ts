import type { core } from 'zod';
import { plural } from './format.js';

type Path = readonly PropertyKey[];

/** `$.records[3].count`: how a store error points into a JSON document. */
export function jsonPath(path: Path): string {
  return path.reduce<string>(
    (acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : /^[A-Za-z_$][\w$]*$/.test(String(key)) ? `${acc}.${String(key)}` : `${acc}[${JSON.stringify(String(key))}]`),
    '$',
  );
}

/** `history.batchMinutes`: how a config error names a field. */
export function fieldPath(path: Path): string {
  return path.map((k) => (typeof k === 'number' ? `[${k}]` : String(k))).join('.').replace(/\.\[/g, '[') || '(top level)';
}

export function valueAt(input: unknown, path: Path): unknown {
  let cur: unknown = input;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key as string];
  }
  return cur;
}

export function showValue(value: unknown): string {
  if (value === undefined) return 'missing';
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Rewrites zod's wording into "what is allowed" for the common cases. */
function allowed(issue: core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_value':
      return `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_type':
      return `a value of type ${issue.expected}`;
    case 'too_small':
      return issue.origin === 'string'
        ? Number(issue.minimum) === 1
          ? 'non-empty text'
          : `text of at least ${plural(Number(issue.minimum), 'character')}`
        : issue.origin === 'array'
          ? `at least ${plural(Number(issue.minimum), 'item')}`
          : `a number ${issue.inclusive ? '>=' : '>'} ${String(issue.minimum)}`;
    case 'too_big':
      return issue.origin === 'string'
        ? `text of at most ${plural(Number(issue.maximum), 'character')}`
        : issue.origin === 'array'
          ? `at most ${plural(Number(issue.maximum), 'item')}`
          : `a number ${issue.inclusive ? '<=' : '<'} ${String(issue.maximum)}`;
    case 'invalid_format':
      // A pattern with its own message says what it wants better than its format's name.
      return issue.message && !issue.message.startsWith('Invalid') ? issue.message : `text in ${issue.format} format`;
    default:
      return issue.message;
  }
}

export interface DescribedIssue {
  path: string;
  value: string;
  expected: string;
  text: string;
}

export function describeIssues(
  issues: readonly core.$ZodIssue[],
  input: unknown,
  style: 'json' | 'field',
): DescribedIssue[] {
  const name = style === 'json' ? jsonPath : fieldPath;
  return issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const where = name(issue.path);
      const keys = issue.keys.map((k) => JSON.stringify(k)).join(', ');
      return {
        path: where,
        value: keys,
        expected: 'only known fields',
        text: `${where}: unknown field ${keys}; remove it or check its spelling`,
      };
    }
    const where = name(issue.path);
    const value = showValue(valueAt(input, issue.path));
    // A check of the whole object (a refine on it) words the whole problem.
    if (issue.code === 'custom' && !issue.path.length) return { path: where, value, expected: issue.message, text: issue.message };
    const expected = allowed(issue);
    return { path: where, value, expected, text: `${where} is ${value}; expected ${expected}` };
  });
}
