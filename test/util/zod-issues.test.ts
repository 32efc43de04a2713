import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeIssues } from '../../src/util/zod-issues.js';

const said = (schema: z.ZodType, value: unknown) => {
  const r = schema.safeParse(value);
  if (r.success) throw new Error('expected a failure');
  return describeIssues(r.error.issues, value, 'field').map((d) => d.text);
};

describe('validation messages', () => {
  it('count in words that agree: one character, one item, never "1 characters"', () => {
    const rule = z.object({ title: z.string().min(1), tags: z.array(z.string()).min(1), code: z.string().max(1), pair: z.array(z.number()).max(1), name: z.string().min(3) });
    const ok = { title: 'x', tags: ['a'], code: 'a', pair: [], name: 'abc' };
    expect(said(rule, { ...ok, title: '' })).toEqual(['title is ""; expected non-empty text']);
    expect(said(rule, { ...ok, tags: [] })).toEqual(['tags is []; expected at least 1 item']);
    expect(said(rule, { ...ok, code: 'ab' })).toEqual(['code is "ab"; expected text of at most 1 character']);
    expect(said(rule, { ...ok, pair: [1, 2] })).toEqual(['pair is [1,2]; expected at most 1 item']);
    expect(said(rule, { ...ok, name: 'ab' })).toEqual(['name is "ab"; expected text of at least 3 characters']);
  });

  it('gives a pattern\'s own message and a refine\'s words as they are', () => {
    const guard = z.object({ program: z.string().regex(/^\w+$/, 'a program name such as tree or rg, without a path').optional() }).refine((g) => g.program, 'a guard needs a program');
    expect(said(guard, { program: '/usr/bin/tree' })).toEqual(['program is "/usr/bin/tree"; expected a program name such as tree or rg, without a path']);
    expect(said(guard, {})).toEqual(['a guard needs a program']);
    expect(said(z.object({ n: z.number().refine((x) => x > 1, 'more than one, please') }), { n: 1 })).toEqual(['n is 1; expected more than one, please']);
  });
});
