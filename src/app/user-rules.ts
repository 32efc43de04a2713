// A lesson about the agent itself is learned once per person, not once per repository: an
// agent-scope rule (AGENT-NNN) moves from a project's workspace to the person's user-level
// workspace (`nevo-tui init ~` makes it, in ~/.nevo). That workspace's project is the home folder,
// so its active rules are written to ~/.claude/rules/nevo/, which Claude Code loads in every
// project; the project keeps its copy, deprecated, naming where it went.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { exportRules } from '../rules/export.js';
import { loadRules } from '../rules/load.js';
import { allocateRuleId, findRule, writeRule } from '../rules/repository.js';
import { deprecateRule, type ReviewResult } from '../rules/review.js';
import { ruleFileName, type Rule } from '../rules/rule.js';
import { layout } from '../workspace/layout.js';
import { openWorkspace, type Workspace } from '../workspace/workspace.js';

/** The user-level workspace: NEVO_USER_WORKSPACE when set, else ~/.nevo. */
export function userWorkspaceRoot(env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
  return resolve(env.NEVO_USER_WORKSPACE || join(home, '.nevo'));
}

export interface Promotion {
  /** The rule's id in the project, and in the user-level workspace. */
  from: string;
  to: string;
  userWorkspace: string;
  /** Where Claude Code reads it from in every project (when it is active). */
  exported: string;
  /** False when the user-level workspace already held the same rule (a second run). */
  added: boolean;
  project: ReviewResult;
}

const sameText = (a: Pick<Rule, 'title' | 'body'>, b: Pick<Rule, 'title' | 'body'>) => a.title === b.title && a.body.trim() === b.body.trim();

export async function promoteRule(ws: Workspace, id: string, userRoot = userWorkspaceRoot()): Promise<Promotion> {
  const rule = findRule(ws, id);
  if (!rule) throw new UserError(`No rule ${id.toUpperCase()}; \`nevo-tui rules list\` shows them.`);
  if (!rule.scope.startsWith('agent')) throw new UserError(`${rule.id} is about this project (scope ${rule.scope}): only rules about the agent itself (AGENT-NNN) go to the user-level workspace.`);
  if (rule.status !== 'active' && rule.status !== 'proposed') throw new UserError(`${rule.id} is ${rule.status}: restore it first (\`nevo-tui rules restore ${rule.id}\`), or leave it where it is.`);
  if (!existsSync(layout(userRoot).config)) throw new UserError(`No user-level workspace at ${userRoot}: make it once with \`nevo-tui init ~\` (or point NEVO_USER_WORKSPACE at one), then run this again.`);
  if (resolve(userRoot) === resolve(ws.root)) throw new UserError(`${ws.root} is the user-level workspace already: ${rule.id} is read by every project.`);
  const user = openWorkspace(userRoot);
  const project = ws.projectRoot;

  // The user-level workspace first: if the project's step fails, running it again finds the rule there.
  const { to, added } = await user.store.transact(
    async (tx) => {
      const rules = loadRules(user.root).rules;
      const have = rules.find((r) => r.scope.startsWith('agent') && sameText(r, rule));
      if (have) return { to: have.id, added: false };
      const newId = await allocateRuleId(tx, user, 'AGENT');
      const { file: _file, ...rest } = rule;
      const moved: Rule = { ...rest, id: newId, novelty: `${rule.novelty ? `${rule.novelty}; ` : ''}learned in ${project} as ${rule.id}`, file: ruleFileName(newId) };
      delete moved.decidedBy;
      writeRule(tx, moved);
      exportRules(user, [...rules, moved], tx);
      tx.message('rules', `take ${rule.id} from ${project} as ${newId}: every project reads it`, [newId]);
      return { to: newId, added: true };
    },
    { purpose: `nevo-tui rules promote ${rule.id}` },
  );
  const done = await deprecateRule(ws, rule.id, `moved to the user-level workspace as ${to} (${userRoot}): every project reads it`);
  return { from: rule.id, to, userWorkspace: userRoot, exported: join(user.projectRoot, user.config.rules.exportDir, `${to}.md`), added, project: done };
}
