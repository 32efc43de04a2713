import { existsSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateSkillFolder } from '../../src/skills/load.js';
import { checkScripts, detectLanguage, parseScript, readBashErrors, spawnRunner, type Runner, type ScriptFile } from '../../src/skills/script-check.js';
import { scratch } from '../helpers/workspace.js';
import { HAS_BASH, HAS_PYTHON3, skillMd, snapshot, writeTree } from './helpers.js';

const file = (name: string, text: string): ScriptFile => ({ file: `skills/s/scripts/${name}`, name, source: { bytes: new TextEncoder().encode(text) } });

describe('script syntax checks', () => {
  it('knows a script by its extension, else by its #! line', () => {
    expect(detectLanguage('a.js', '')).toBe('javascript');
    expect(detectLanguage('a.cjs', '')).toBe('javascript');
    expect(detectLanguage('a.mts', '')).toBe('typescript');
    expect(detectLanguage('a.tsx', '')).toBe('typescript');
    expect(detectLanguage('a.py', '')).toBe('python');
    expect(detectLanguage('a.sh', '#!/bin/sh')).toBe('shell');
    expect(detectLanguage('a.sh', '#!/usr/bin/env zsh')).toBeNull();
    expect(detectLanguage('tool', '#!/usr/bin/env python3')).toBe('python');
    expect(detectLanguage('tool', '#!/usr/bin/env -S node --no-warnings')).toBe('javascript');
    expect(detectLanguage('tool', '#!/bin/bash -e')).toBe('shell');
    expect(detectLanguage('tool', '#!/usr/bin/env ruby')).toBeNull();
    expect(detectLanguage('data.json', '{')).toBeNull();
    expect(detectLanguage('README', 'Read me')).toBeNull();
  });

  it('parses JavaScript and TypeScript with @babel/parser, with the line and column of an error', () => {
    expect(parseScript('import fs from "node:fs";\nexport const a = await fs.promises.readFile("x");\n', 'a.mjs', 'javascript')).toBeNull();
    expect(parseScript('#!/usr/bin/env node\nif (!process.argv[2]) return;\nmodule.exports = 1;\n', 'a.cjs', 'javascript')).toBeNull();
    // .js: a module or a script, whichever parses.
    expect(parseScript('with (Math) { max(1, 2); }\n', 'a.js', 'javascript')).toBeNull();
    expect(parseScript('const x: number = 1;\nenum E { A }\nexport type T = { a?: string };\n', 'a.ts', 'typescript')).toBeNull();
    expect(parseScript('export const C = (p: { n: number }) => <b>{p.n}</b>;\n', 'a.tsx', 'typescript')).toBeNull();
    expect(parseScript('const a = 1;\nlet b = ;\n', 'a.js', 'javascript')).toEqual({ line: 2, column: 9, message: 'Unexpected token' });
    expect(parseScript('const a: number = 1;\nconst b: = 2;\n', 'a.ts', 'typescript')).toMatchObject({ line: 2 });
    expect(parseScript('import x from "y";\nconst x = 2;\n', 'a.mjs', 'javascript')).toEqual({ line: 2, column: 7, message: "Identifier 'x' has already been declared." });
    // TypeScript syntax is an error in a .js file.
    expect(parseScript('const x: number = 1;\n', 'a.js', 'javascript')).not.toBeNull();
  });

  it("reads bash -n's errors", () => {
    expect(readBashErrors("bash: line 3: syntax error near unexpected token `fi'\nbash: line 3: `fi'\n")).toEqual([
      { line: 3, message: "syntax error near unexpected token `fi'" },
      { line: 3, message: '`fi\'' },
    ]);
  });

  it.runIf(HAS_BASH && HAS_PYTHON3)('reports syntax errors of every language as errors naming the file and line', async () => {
    const r = await checkScripts(
      [file('ok.sh', 'echo hi\n'), file('bad.sh', 'if true\nthen echo\n'), file('ok.py', 'print(1)\n'), file('bad.py', 'def f(:\n  pass\n'), file('bad.js', 'let = ;\n'), file('bad.ts', 'let x: = 1;\n'), file('notes.txt', '{{')],
      'skills/s/scripts',
    );
    expect(r.errors.map((e) => [e.file, e.line])).toEqual([
      ['skills/s/scripts/bad.js', 1],
      ['skills/s/scripts/bad.ts', 1],
      ['skills/s/scripts/bad.py', 1],
      ['skills/s/scripts/bad.sh', 3],
    ]);
    expect(r.errors.map((e) => e.message)).toEqual([
      'JavaScript syntax error at line 1, column 7: Unexpected token', // as a script, `let` is a name: the `;` is wrong
      expect.stringMatching(/^TypeScript syntax error at line 1, column \d+: /),
      expect.stringMatching(/^Python syntax error at line 1, column \d+: /),
      expect.stringMatching(/^Shell syntax error at line 3: syntax error: unexpected end of file/),
    ]);
    expect(r.errors.every((e) => e.rule === 'script-syntax' && /parsed, not run/.test(e.fix ?? ''))).toBe(true);
    expect(r.warnings).toEqual([]);
    expect(Object.fromEntries(r.scripts.map((s) => [s.file.split('/').pop(), s.status]))).toEqual({
      'ok.sh': 'ok',
      'bad.sh': 'error',
      'ok.py': 'ok',
      'bad.py': 'error',
      'bad.js': 'error',
      'bad.ts': 'error',
      'notes.txt': 'not-checked',
    });
  });

  it('hands the checkers the source on stdin, never a path into the skill', async () => {
    const calls: Array<{ command: string; args: string[]; input: string }> = [];
    const runner: Runner = async (command, args, { input }) => {
      calls.push({ command, args, input });
      return command === 'bash' ? { code: 0, stdout: '', stderr: '' } : { code: 0, stdout: JSON.stringify({ version: '3.12.0', results: [null] }), stderr: '' };
    };
    const r = await checkScripts([file('a.sh', 'echo "$1"\n'), file('b.py', 'print(2)\n')], 'skills/s/scripts', runner);
    expect(r.errors).toEqual([]);
    expect(calls.map((c) => c.command)).toEqual(['python3', 'bash']);
    expect(calls[0]!.args.slice(0, 3)).toEqual(['-I', '-S', '-B']);
    expect(calls[1]!.args).toEqual(['--norc', '--noprofile', '-n']);
    for (const c of calls) expect(c.args.join(' ')).not.toContain('skills/s');
    expect(calls[1]!.input).toBe('echo "$1"\n');
    expect(JSON.parse(calls[0]!.input)).toEqual([['skills/s/scripts/b.py', Buffer.from('print(2)\n').toString('base64')]]);
    expect(r.scripts.find((s) => s.file.endsWith('b.py'))!.note).toBe('python3 3.12.0');
  });

  it('names the python3 that judged a script; syntax newer than it is a warning, not an error', async () => {
    const report = {
      version: '3.11.4',
      executable: '/usr/bin/python3',
      results: [
        { type: 'SyntaxError', msg: 'invalid syntax', line: 1, col: 6, newer: { version: '3.12', what: 'type parameters and the type statement' } },
        { type: 'SyntaxError', msg: 'invalid syntax', line: 2, col: 7 },
      ],
    };
    const runner: Runner = async () => ({ code: 0, stdout: JSON.stringify(report), stderr: '' });
    const r = await checkScripts([file('new.py', 'type X = int\n'), file('bad.py', 'x = 1\ndef f(:\n')], 'skills/s/scripts', runner);
    expect(r.errors).toEqual([
      expect.objectContaining({ rule: 'script-syntax', file: 'skills/s/scripts/bad.py', line: 2, message: 'Python syntax error at line 2, column 7: invalid syntax (python3 3.11.4 at /usr/bin/python3)' }),
    ]);
    expect(r.warnings).toEqual([
      expect.objectContaining({
        rule: 'script-newer-syntax',
        file: 'skills/s/scripts/new.py',
        line: 1,
        message: 'Not checked: Python syntax at line 1 may need Python 3.12 (type parameters and the type statement); python3 3.11.4 at /usr/bin/python3 reports: invalid syntax',
      }),
    ]);
    expect(r.scripts.map((x) => [x.file.split('/').pop(), x.status, x.note])).toEqual([
      ['new.py', 'not-checked', 'needs Python 3.12; python3 here is 3.11.4'],
      ['bad.py', 'error', 'python3 3.11.4'],
    ]);
  });

  it.runIf(HAS_PYTHON3)('with the real python3: Python 3.12 syntax is valid, or a warning under an older python3', async () => {
    const r = await checkScripts([file('generic.py', 'def first[T](xs: list[T]) -> T:\n    return xs[0]\n\ntype Pair = tuple[int, int]\n')], 'skills/s/scripts');
    expect(r.errors).toEqual([]);
    expect(r.warnings.every((w) => w.rule === 'script-newer-syntax' && /may need Python 3\.12/.test(w.message))).toBe(true);
  });

  it('warns, and leaves the skill valid, when python3 or bash is missing or too slow', async () => {
    const missing: Runner = async () => ({ code: null, stdout: '', stderr: '', failure: 'not-found' });
    const r = await checkScripts([file('a.py', 'print(1)\n'), file('b.py', 'x = 1\n'), file('c.sh', 'true\n'), file('d.sh', 'true\n')], 'skills/s/scripts', missing);
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([
      expect.objectContaining({ rule: 'script-checker-missing', file: 'skills/s/scripts', message: 'python3 not found: 2 Python script(s) not checked for syntax', fix: 'install Python 3 to check them' }),
      expect.objectContaining({ rule: 'script-checker-missing', file: 'skills/s/scripts', message: 'bash not found: 2 shell script(s) not checked for syntax' }),
    ]);
    expect(r.scripts.every((s) => s.status === 'not-checked')).toBe(true);

    const slow: Runner = async () => ({ code: null, stdout: '', stderr: '', failure: 'timeout' });
    const t = await checkScripts([file('a.py', 'print(1)\n'), file('c.sh', 'true\n')], 'skills/s/scripts', slow, 2000);
    expect(t.warnings.map((w) => w.message)).toEqual(['python3 took over 2 s: 1 Python script(s) not checked for syntax', 'Not checked: bash -n took over 2 s']);
  });

  it('kills a checker that runs past its timeout', async () => {
    const started = Date.now();
    const r = await spawnRunner(process.execPath, ['-e', 'setTimeout(() => {}, 20000)'], { input: '', timeoutMs: 300 });
    expect(r.failure).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect((await spawnRunner('nevo-no-such-program', [], { input: '', timeoutMs: 1000 })).failure).toBe('not-found');
  });

  it('never runs a script: scripts that would write files leave nothing behind, and no __pycache__', async () => {
    const markers = scratch('nevo-markers-');
    const at = (name: string) => JSON.stringify(join(markers, name));
    const dir = writeTree(join(scratch(), 'writer'), {
      'SKILL.md': skillMd('writer'),
      'scripts/write.py': `import os\nopen(${at('py')}, "w").write("ran")\nopen(os.path.join(os.path.dirname(os.path.abspath(__file__)), "beside-py"), "w").write("ran")\n`,
      'scripts/tool': `#!/usr/bin/env python3\nopen(${at('tool')}, "w").write("ran")\n`,
      'scripts/lib/helper.py': `open(${at('helper')}, "w").write("ran")\n`,
      'scripts/write.sh': `#!/usr/bin/env bash\ntouch ${at('sh')}\necho "$(touch ${at('sh-subst')})"\ntouch "$(dirname "$0")/beside-sh"\n`,
      'scripts/write.js': `require('node:fs').writeFileSync(${at('js')}, 'ran');\n`,
      'scripts/write.mjs': `import { writeFileSync } from 'node:fs';\nwriteFileSync(${at('mjs')}, 'ran');\n`,
      'scripts/write.ts': `import { writeFileSync } from 'node:fs';\nconst target: string = ${at('ts')};\nwriteFileSync(target, 'ran');\n`,
    });
    const before = snapshot(dir);
    const r = await validateSkillFolder(dir, { cwd: dir });
    expect(r.errors).toEqual([]);
    expect(readdirSync(markers)).toEqual([]);
    expect(snapshot(dir)).toEqual(before);
    expect(existsSync(join(dir, 'scripts', '__pycache__'))).toBe(false);
    expect(existsSync(join(dir, 'scripts', 'lib', '__pycache__'))).toBe(false);
    const status = Object.fromEntries(r.scripts.map((s) => [s.file, s.status]));
    expect(status['scripts/write.js']).toBe('ok');
    expect(status['scripts/write.mjs']).toBe('ok');
    expect(status['scripts/write.ts']).toBe('ok');
    // Where python3 and bash exist, their scripts were really checked (and still not run).
    if (HAS_PYTHON3) expect([status['scripts/write.py'], status['scripts/tool'], status['scripts/lib/helper.py']]).toEqual(['ok', 'ok', 'ok']);
    if (HAS_BASH) expect(status['scripts/write.sh']).toBe('ok');
  });

  it('walks scripts/ through symbolic links without looping, and reports broken ones', async () => {
    const dir = writeTree(join(scratch(), 'linked'), { 'SKILL.md': skillMd('linked'), 'scripts/a.js': 'export const a = 1;\n' });
    symlinkSync('..', join(dir, 'scripts', 'up'));
    symlinkSync('.', join(dir, 'scripts', 'here'));
    symlinkSync('missing.py', join(dir, 'scripts', 'dangling.py'));
    symlinkSync('loop.py', join(dir, 'scripts', 'loop.py'));
    mkdirSync(join(dir, 'scripts', '.hidden'));
    const r = await validateSkillFolder(dir, { cwd: dir });
    expect(r.valid).toBe(true);
    expect(r.scripts.map((s) => s.file).sort()).toEqual(['scripts/a.js', 'scripts/dangling.py', 'scripts/loop.py', 'scripts/up/SKILL.md']);
    expect(r.warnings.map((w) => w.message).sort()).toEqual(['Not checked: it does not exist (a broken symbolic link?)', 'Not checked: it is a symbolic link loop']);
  });
});
