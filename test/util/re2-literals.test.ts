import { describe, expect, it } from 'vitest';
import { requiredLiterals } from '../../src/util/re2.js';
import { RE2JS } from 're2js';

// The hook skips a guard whose literals a command lacks: a literal that is not really required
// would let a call through that the guard blocks. Every match below must contain one of them.
const CASES: [string, string[]][] = [
  ['\\b(?:rm\\s+-rf|git\\s+push\\s+--force)\\s+\\S*step-12\\b', ['rm -rf x/step-12', 'git push --force step-12']],
  ['colou?r', ['color', 'colour']],
  ['ab+c', ['abc', 'abbbbc']],
  ['x{0,3}yz', ['yz', 'xxxyz']],
  ['ab{2}c', ['abbc']],
  ['x{2,}y', ['xxy', 'xxxxy']],
  ['^git push --force|^git push -f', ['git push --force', 'git push -f origin']],
  ['\\.env$', ['cat .env']],
  ['(a|a)*b$', ['aab', 'b']],
  ['(.*a){2}x$', ['aax', 'zazax']],
  ['foo\\s*bar', ['foo bar', 'foobar']],
  ['[a-z]+\\.sh', ['run.sh']],
];

describe('requiredLiterals', () => {
  it.each(CASES)('every match of %s holds one of its literals', (source, matching) => {
    const re = RE2JS.compile(source);
    const literals = requiredLiterals(source);
    for (const text of matching) {
      expect(re.matcher(text).find()).toBe(true);
      if (literals) expect(literals.some((l) => text.includes(l))).toBe(true);
    }
  });

  it('tells nothing when it cannot be sure', () => {
    expect(requiredLiterals('(?i)secret')).toBeNull();
    expect(requiredLiterals('[a-z]+')).toBeNull();
    expect(requiredLiterals('rm|')).toBeNull();
    expect(requiredLiterals('(rm|mv) -rf')).toEqual([' -rf']);
  });
});
