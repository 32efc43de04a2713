import type { Workspace } from '../workspace/workspace.js';
import { exportRules } from '../rules/export.js';
import { loadRules } from '../rules/load.js';
import { parseRule } from '../rules/rule.js';
import { revertCommitWith, type RevertResult, type RevertWrite } from '../store/revert.js';

export type { RevertResult };

/** Takes back one commit (`nevo-tui revert`, undo in the TUI), and the agent's copy of the rules with it. */
export function revertCommit(ws: Workspace, ref: string): Promise<RevertResult> {
  return revertCommitWith(ws, ref, (tx, writes) => {
    if (writes.some((w) => w.path.startsWith('rules/'))) exportRules(ws, rulesAfter(ws, writes), tx);
  });
}

/** The workspace's rules as they are once `writes` are made: a reverted approval leaves .claude/rules/nevo/ too. */
function rulesAfter(ws: Workspace, writes: RevertWrite[]) {
  const { rules } = loadRules(ws.root);
  const byFile = new Map(writes.map((w) => [w.path, w.content]));
  const after = rules.filter((r) => !byFile.has(r.file));
  for (const [path, content] of byFile) {
    if (!path.startsWith('rules/') || content === null) continue;
    try {
      after.push(parseRule(content, path));
    } catch {
      // an unparseable rule is not exported; lint reports it
    }
  }
  return after;
}
