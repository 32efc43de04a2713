// A guard is tried on the workspace's own past before it is proposed: the failures of the mistake
// it answers that it would have blocked, and the calls that worked that it would have blocked too.
// One legitimate call blocked is enough to leave the guard out: a guard that stalls real work
// teaches the agent to route around nevo, and the rule still reaches it as text.
import { matchGuard } from '../detect/guard-match.js';
import { isShellTool } from '../detect/shell-tool.js';
import { compileGuards } from './guards.js';
import type { Guard, RuleMeta } from './rule.js';

/** A past tool call as the journal keeps it. */
export interface PastCall {
  tool: string;
  /** The command (first line) or the file the call worked on. */
  target: string;
  ok: boolean;
  /** The incident a failure was counted in. */
  incident?: string;
}

export type Backtest = NonNullable<RuleMeta['backtest']>;

/** The tool input a past call stands for, as the hook would have seen it. */
function inputOf(call: PastCall): Record<string, unknown> {
  return isShellTool(call.tool) ? { command: call.target } : { file_path: call.target };
}

/** Pure: what `guard` would have blocked among `calls`; `incidents` are the ids of the mistake it answers. */
export function backtestGuard(guard: Guard, calls: PastCall[], incidents: readonly string[], projectRoot: string): Backtest {
  const compiled = compileGuards([{ id: 'PROJ-000', title: '', status: 'active', guard, body: '' } as never], projectRoot);
  const result: Backtest = { failuresBlocked: 0, failuresTotal: 0, successesBlocked: 0, successesTotal: 0 };
  if (!compiled.guards.length) return { ...result, dropped: 'the guard does not compile' };
  const ids = new Set(incidents);
  for (const call of calls) {
    if (call.tool !== guard.tool || !call.target) continue;
    const blocked = matchGuard(compiled, call.tool, inputOf(call)) !== null;
    if (call.ok) {
      result.successesTotal++;
      if (blocked) result.successesBlocked++;
    } else if (call.incident && ids.has(call.incident)) {
      result.failuresTotal++;
      if (blocked) result.failuresBlocked++;
    }
  }
  if (result.successesBlocked > 0) result.dropped = `it would have blocked ${result.successesBlocked} of ${result.successesTotal} past ${guard.tool} calls that worked`;
  else if (result.failuresTotal > 0 && result.failuresBlocked === 0) result.dropped = `it would have blocked none of the ${result.failuresTotal} failures it is meant to stop`;
  // A program is found in a command line with a Bash parser (detect/shell.ts): PowerShell's
  // here-strings, script blocks and escapes are not Bash's, so a line that only mentions the
  // program could be blocked. Whichever analyst proposed it, such a guard is not kept.
  else if (guard.program && guard.tool === 'PowerShell') result.dropped = "PowerShell's command lines are read with a Bash parser, which could block a line that only mentions the program";
  return result;
}

/** One line for Review and `rules show`. */
export function describeBacktest(b: Backtest): string {
  const line = `blocks ${b.failuresBlocked} of ${b.failuresTotal} past failures, ${b.successesBlocked} of ${b.successesTotal} past calls that worked`;
  return b.dropped ? `${line}; guard left out: ${b.dropped}` : line;
}

/** What a guard blocks, in a few words: `Bash runs \`tree\``, `Bash ^rm -rf`; 'none' without one. */
export function describeGuard(g: Guard | undefined | null): string {
  return g ? `${g.tool} ${g.program ? `runs \`${g.program}\`` : g.command ?? g.paths?.join(', ') ?? g.input ?? ''}` : 'none';
}

/** A rule's guard and its backtest in one line, for Review and `rules show`. */
export function guardLine(rule: Pick<RuleMeta, 'guard' | 'backtest'>): string {
  const what = describeGuard(rule.guard);
  return rule.backtest ? `${what} · backtest: ${describeBacktest(rule.backtest)}` : what;
}
