import { describe, expect, it } from 'vitest';
import { runsProgram, shellCommands } from '../../src/detect/shell.js';

describe('shellCommands', () => {
  it('finds programs in command position through wrappers, paths, lists, pipes and substitutions', () => {
    const line = 'FOO=1 sudo -u me tree -L 2 && git status | xargs -n 1 wc; echo $(jq .a f) ; (cd x && /usr/bin/tree) # tree';
    expect(shellCommands(line).map((c) => c.program)).toEqual(['tree', 'git', 'wc', 'echo', 'jq', 'cd', 'tree']);
  });
  it('reads the command of bash -c', () => {
    expect(shellCommands(`bash -c 'tree src'`).map((c) => c.program)).toEqual(['bash', 'tree']);
  });
  it('runs nothing for command -v and timeout takes its duration', () => {
    expect(shellCommands('command -v tree || timeout 5 make test').map((c) => c.program)).toEqual(['make']);
  });
});

describe('runsProgram', () => {
  const blocked = ['tree', 'tree -L 2', 'sudo tree', '/usr/bin/tree .', 'ls | xargs tree', 'cd src && tree', 'time tree', 'env A=1 tree', 'nohup tree &', '(tree)', 'echo "$(tree)"', `bash -c "tree -a"`];
  const allowed = [
    'git commit -m "perf: fewer deps; tree shaking"',
    `echo 'tree'`,
    'cat <<EOF\ntree\nEOF',
    'ls # then tree',
    'command -v tree',
    'which tree',
    'apt-get install -y tree && tree -L 2',
    'brew install tree; tree',
    'npm run build -- --tree',
    'git ls-tree HEAD',
    'treefmt .',
  ];
  it.each(blocked)('blocks %s', (line) => expect(runsProgram(line, 'tree')).toBe(true));
  it.each(allowed)('lets %s through', (line) => expect(runsProgram(line, 'tree')).toBe(false));
  it('never throws on broken input', () => {
    for (const junk of ['tree "unclosed', '$((', 'if then fi tree', '\u0000tree', 'tree <<']) expect(() => runsProgram(junk, 'tree')).not.toThrow();
  });
});
