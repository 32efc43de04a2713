import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { matchGuard } from '../../src/detect/guard-match.js';
import { compileGuards } from '../../src/rules/guards.js';
import type { Rule } from '../../src/rules/rule.js';

// The hand-kept lists of the analysis bench: what a guard on a missing program must let through
// (the name in quotes, heredocs, comments, paths, flags; asked about; installed first) and block.
const lists = JSON.parse(readFileSync('bench/corpus/guards.json', 'utf8')) as { classes: Record<string, { legitimate: string[]; mistaken: string[] }> };

describe.each(Object.entries(lists.classes))('the guard for %s', (cls, list) => {
  const program = cls.split(':')[1]!;
  const guards = compileGuards([{ id: 'PROJ-001', title: '', status: 'active', guard: { tool: 'Bash', program }, body: '' } as unknown as Rule], '/p');
  const blocks = (command: string) => matchGuard(guards, 'Bash', { command }) !== null;
  it('blocks no legitimate command', () => expect(list.legitimate.filter(blocks)).toEqual([]));
  it('blocks every mistaken one', () => expect(list.mistaken.filter((c) => !blocks(c))).toEqual([]));
});
