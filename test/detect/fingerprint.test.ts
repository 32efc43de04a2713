import { describe, expect, it } from 'vitest';
import { categorise } from '../../src/detect/category.js';
import { errorSignature, fingerprint, normaliseError } from '../../src/detect/fingerprint.js';

describe('fingerprints', () => {
  it('make the same mistake in another file, line or value one fingerprint', () => {
    const a = fingerprint('Bash', "Exit code 1\nError: Cannot find module '/home/u/app/src/util.js' imported from /home/u/app/src/main.ts:12:5");
    const b = fingerprint('Bash', "Exit code 1\nError: Cannot find module '/srv/other/lib/x.js' imported from /srv/other/index.ts:3:1");
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(a.signature).toBe('Exit code 1\nError: Cannot find module <q> imported from <path>:<n>');
  });

  it('keep different mistakes apart, and the tool apart', () => {
    const notFound = fingerprint('Bash', 'Exit code 127\n(eval):1: command not found: tree');
    expect(notFound.fingerprint).not.toBe(fingerprint('Bash', 'Exit code 127\n(eval):1: command not found: jq').fingerprint);
    expect(notFound.fingerprint).not.toBe(fingerprint('Bash', 'Exit code 1\nnpm ERR! missing script: test').fingerprint);
    expect(fingerprint('Read', 'File does not exist.').fingerprint).not.toBe(fingerprint('Write', 'File does not exist.').fingerprint);
  });

  it('replace uuids, timestamps, hex ids and numbers', () => {
    expect(normaliseError('session 1af7fc5e-8455-4414-9ccd-011d40f70b2a at 2026-11-21T10:00:00.123Z commit 9367cf006be9 took 42 ms')).toBe(
      'session <uuid> at <time> commit <hex> took <n> ms',
    );
    expect(normaliseError('at C:\\Users\\me\\app\\index.js:3:14 and ./src/a.ts')).toBe('at <path>:<n> and <path>');
  });

  it('replace branch names, refs, temp folders and pids, which differ from run to run', () => {
    const a = fingerprint('Bash', 'Exit code 1\nerror: failed to push some refs to origin/feature/login-form\nhint: branch feature/login-form is behind; pid 4242 wrote /tmp/tmp.Xa81/out.log');
    const b = fingerprint('Bash', 'Exit code 1\nerror: failed to push some refs to origin/fix-12\nhint: branch fix-12 is behind; pid 77 wrote /tmp/tmp.Q2zz/out.log');
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(a.signature).toContain('branch <ref>');
    expect(a.signature).toContain('<tmp>');
  });

  it('ignore stack frames and the output after the first lines', () => {
    const withStack = 'Exit code 1\nTypeError: x is not a function\n    at foo (/a/b.js:1:2)\n    at bar (/a/c.js:3:4)';
    expect(errorSignature(withStack)).toBe('Exit code 1\nTypeError: x is not a function');
  });

  it('strip the tool_use_error wrapper', () => {
    expect(errorSignature('<tool_use_error>File has not been read yet. Read it first before writing to it.</tool_use_error>')).toBe(
      'File has not been read yet. Read it first before writing to it.',
    );
  });
});

describe('categories', () => {
  it.each([
    ['Exit code 127\n(eval):1: command not found: tree', 'command not found'],
    ["Exit code 1\nError: Cannot find module 'express'", 'module not found'],
    ['File has not been read yet. Read it first before writing to it.', 'file not read first'],
    ['File does not exist.', 'file not found'],
    ["Claude requested permissions to write to /x/CLAUDE.md, but you haven't granted it yet.", 'permission'],
    ['Command timed out after 2m 0.0s', 'timeout'],
    ['Exit code 6\ncurl: (6) Could not resolve host: example.com', 'network'],
    ["src/a.ts(3,5): error TS2322: Type 'string' is not assignable to type 'number'.", 'type error'],
    ['Exit code 1\n✖ 3 problems (3 errors, 0 warnings) eslint', 'lint'],
    ['Exit code 1\nFAIL test/a.test.ts > adds\nAssertionError: expected 2 to be 3', 'test failure'],
    ['String to replace not found in file.\nString: foo', 'edit mismatch'],
    ['InputValidationError: Read failed due to the following issue:\nThe parameter `limit` type is expected as `number` but provided as `string`', 'input validation'],
    ['File content (806.5KB) exceeds maximum allowed size (256KB). Please use offset and limit parameters', 'input validation'],
    ['Something odd happened', 'other'],
  ])('%s → %s', (error, category) => {
    expect(categorise(error)).toBe(category);
  });

  it('calls an interrupted call interrupted, whatever its text', () => {
    expect(categorise('Exit code 130', { interrupted: true })).toBe('interrupted');
  });
});
