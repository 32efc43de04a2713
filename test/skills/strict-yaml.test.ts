import { describe, expect, it } from 'vitest';
import { loadStrictYaml, pyStrip, StrictYamlError, TaggedScalar } from '../../src/skills/strict-yaml.js';

const data = (text: string) => loadStrictYaml(text).data;
const failure = (text: string) => {
  try {
    loadStrictYaml(text);
  } catch (e) {
    if (e instanceof StrictYamlError) return e.kind;
    throw e;
  }
  return null;
};

// The cases that decide a verdict are in test/fixtures/skills-parity (recorded from strictyaml);
// these pin down the values strictyaml gives, which the field checks read.
describe("strict YAML: strictyaml's reading of a front matter", () => {
  it('every scalar is a string; block scalars fold and chomp as in ruamel', () => {
    expect(data('a: 1\nb: true\nc: null\nd: ~\ne:\nf: 2024-01-01')).toEqual(new Map([['a', '1'], ['b', 'true'], ['c', 'null'], ['d', '~'], ['e', ''], ['f', '2024-01-01']]));
    expect(data('a: >\n  one\n  two\n\n  three\nb: |-\n  x\n  y\n')).toEqual(new Map([['a', 'one two\nthree\n'], ['b', 'x\ny']]));
    expect(data('a: "x\\ty\\u00e9"\nb: \'it\'\'s\'\nc: one\n  two')).toEqual(new Map([['a', 'x\tyé'], ['b', "it's"], ['c', 'one two']]));
  });

  it('`=` and `<<` are tagged, not strings; a `<<` key at the top level loses its keys, deeper it merges', () => {
    const v = data('a: =\nb: <<') as Map<string, unknown>;
    expect(v.get('a')).toBeInstanceOf(TaggedScalar);
    expect(v.get('b')).toBeInstanceOf(TaggedScalar);
    expect(data('<<:\n  a: x\nb: y')).toEqual(new Map([['b', 'y']]));
    expect(data('m:\n  <<:\n    a: x\n  b: y')).toEqual(new Map([['m', new Map([['b', 'y'], ['a', 'x']])]]));
  });

  it('a document that is not a mapping or a list is the text itself', () => {
    expect(data('')).toBe('');
    expect(data('\n# only a comment\n')).toBe('\n# only a comment\n');
    expect(data('just text')).toBe('just text');
    expect(data('- a\n- b')).toEqual(['a', 'b']);
  });

  it('refuses as strictyaml does, and says where its own bugs would crash it', () => {
    expect(failure('a:\tb')).toBe('yaml');
    expect(failure('a: b\t')).toBe('yaml');
    expect(failure('a: b\u2028c: d')).toBe('yaml');
    expect(failure('a: b\x07')).toBe('crash');
    expect(failure('? - a\n: b')).toBe('crash');
    expect(failure('a: "\\x07"')).toBeNull();
  });

  it("pyStrip is Python's str.strip(): U+001C-U+001F and U+0085 are spaces, U+FEFF is not", () => {
    expect(pyStrip('\x1c\x1d x \x1e\x1f\x85')).toBe('x');
    expect(pyStrip('\uFEFFx\uFEFF')).toBe('\uFEFFx\uFEFF');
    expect(pyStrip('\u3000\u00a0x\u2028')).toBe('x');
  });
});
