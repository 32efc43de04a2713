import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { initWorkspace } from '../../src/app/init.js';
import { loadRules } from '../../src/rules/load.js';
import { allocateRuleId, writeRule } from '../../src/rules/repository.js';
import { approveRule } from '../../src/rules/review.js';
import type { Workspace } from '../../src/workspace/workspace.js';
import { cli } from '../helpers/cli.js';
import { freshWorkspace, scratch } from '../helpers/workspace.js';

/** A rule about the agent itself, active in `ws`, as the analyst would have proposed it and a person approved it. */
async function agentRule(ws: Workspace, title: string, body: string): Promise<string> {
  const id = await ws.store.transact(async (tx) => {
    const id = await allocateRuleId(tx, ws, 'AGENT');
    writeRule(tx, { id, title, scope: 'agent:claude-code', status: 'proposed', trigger: 'before reading a large file', enforcement: 'read it in parts', verification: 'no token-limit errors', incidents: [{ id: '2026-12-01-aaaa', fingerprint: 'fp-big-read' }], novelty: 'checked AGENT-001: no overlap', created: '2026-12-01', updated: '2026-12-01', hits: 0, body });
    tx.message('rules', `propose ${id}`);
    return id;
  });
  await approveRule(ws, id);
  return id;
}

describe('rules promote: a lesson about the agent learned once per person', () => {
  it("moves an active agent rule to the user-level workspace, which writes it where Claude Code reads it in every project; the project keeps it deprecated, and a second project's copy is the same rule", async () => {
    const home = scratch('nevo-home-');
    await initWorkspace({ project: home, cwd: home });
    const env = { NEVO_USER_WORKSPACE: join(home, '.nevo') };
    const a = await freshWorkspace();
    const b = await freshWorkspace();
    const title = 'Read large files in parts';
    const body = 'Read files over 2,000 lines with offset and limit, never whole.';
    const idA = await agentRule(a, title, body);
    const idB = await agentRule(b, title, body);
    expect(existsSync(join(a.project, '.claude', 'rules', 'nevo', `${idA}.md`))).toBe(true);

    const r = cli(['rules', 'promote', idA, '--json'], { cwd: a.project, env });
    expect(r.code, r.stderr).toBe(0);
    const p = JSON.parse(r.stdout);
    expect(p).toMatchObject({ from: idA, added: true, userWorkspace: join(home, '.nevo'), exported: join(home, '.claude', 'rules', 'nevo', `${p.to}.md`) });
    // Where Claude Code reads user rules, for every project.
    expect(readFileSync(p.exported, 'utf8')).toContain(body);
    const there = loadRules(join(home, '.nevo')).rules.find((x) => x.id === p.to);
    expect(there).toMatchObject({ status: 'active', scope: 'agent:claude-code', title, body });
    expect(there?.novelty).toContain(`learned in ${a.project} as ${idA}`);
    // The project no longer writes its own copy to the agent: no rule twice in the context.
    const here = loadRules(a.root).rules.find((x) => x.id === idA);
    expect(here).toMatchObject({ status: 'deprecated' });
    expect(here?.reason).toContain(`moved to the user-level workspace as ${p.to}`);
    expect(existsSync(join(a.project, '.claude', 'rules', 'nevo', `${idA}.md`))).toBe(false);

    const second = cli(['rules', 'promote', idB], { cwd: b.project, env });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain(`already holds ${idB} as ${p.to}`);
    expect(loadRules(join(home, '.nevo')).rules.filter((x) => x.title === title)).toHaveLength(1);
  });

  it('refuses a project rule, a rejected one, and a machine with no user-level workspace, each saying what to do', async () => {
    const a = await freshWorkspace();
    const home = scratch('nevo-home-');
    const env = { NEVO_USER_WORKSPACE: join(home, '.nevo') };
    const id = await agentRule(a, 'Read large files in parts', 'Read files over 2,000 lines with offset and limit.');
    const none = cli(['rules', 'promote', id], { cwd: a.project, env });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain(`No user-level workspace at ${join(home, '.nevo')}: make it once with \`nevo-tui init ~\``);
    expect(loadRules(a.root).rules.find((x) => x.id === id)?.status).toBe('active');
    await initWorkspace({ project: home, cwd: home });
    const proj = await a.store.transact(async (tx) => {
      const pid = await allocateRuleId(tx, a, 'PROJ');
      writeRule(tx, { id: pid, title: 'Use pnpm', scope: 'project', status: 'proposed', trigger: '', enforcement: '', verification: '', incidents: [], novelty: '', created: '2026-12-01', updated: '2026-12-01', hits: 0, body: 'Install with pnpm.' });
      tx.message('rules', `propose ${pid}`);
      return pid;
    });
    const wrong = cli(['rules', 'promote', proj], { cwd: a.project, env });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain(`${proj} is about this project (scope project): only rules about the agent itself (AGENT-NNN) go to the user-level workspace.`);
  });
});
