import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, cliJson } from '../helpers/cli.js';
import { CLI } from '../helpers/scripts.js';
import { freshWorkspace, scratch } from '../helpers/workspace.js';
import { removeAfterTest } from '../helpers/cleanup.js';

const git = (dir: string, ...args: string[]) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' });

/** A workspace with one proposal, PROJ-001, made from a real-looking missing-module failure. */
async function withProposal() {
  const ws = await freshWorkspace();
  const r = cli(['report', '--signal', 'quality', '--name', 'test', '--error', "Exit code 1\nError: Cannot find module 'express'", '--json'], { cwd: ws.project });
  expect(JSON.parse(r.stdout).analyzed[0]).toMatchObject({ decision: 'propose', rule: 'PROJ-001' });
  return ws;
}

const json = cliJson;

describe('rule review from the command line', () => {
  it('rejects only with a reason, and each decision is one commit naming the rule and its incidents', async () => {
    const ws = await withProposal();
    const noReason = cli(['rules', 'reject', 'PROJ-001'], { cwd: ws.project });
    expect(noReason.code).toBe(1);
    expect(noReason.stderr).toMatch(/Say why PROJ-001 is rejected/);
    const r = json(['rules', 'reject', 'PROJ-001', '--reason', 'express is vendored here'], ws.project);
    expect(r.rule).toMatchObject({ status: 'rejected', reason: 'express is vendored here' });
    const incident = r.rule.incidents[0].id;
    expect(git(ws.root, 'log', '-1', '--format=%s').trim()).toBe(`rules: reject PROJ-001 (${incident}, express is vendored here)`);
    expect(json(['incidents', 'show', incident], ws.project).incident.status).toBe('analyzed');
    // Restoring a rejected rule makes it a proposal again.
    expect(json(['rules', 'restore', 'PROJ-001'], ws.project).rule.status).toBe('proposed');
  });

  it('deprecates an active rule: its export goes, files nevo did not write stay', async () => {
    const ws = await withProposal();
    const dir = join(ws.project, '.claude', 'rules', 'nevo');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'mine.md'), '# My own rule\n');
    json(['rules', 'approve', 'PROJ-001'], ws.project);
    expect(existsSync(join(dir, 'PROJ-001.md'))).toBe(true);
    expect(existsSync(join(dir, 'AGENT-001.md'))).toBe(true);
    json(['rules', 'deprecate', 'PROJ-001', '--reason', 'moved to a monorepo'], ws.project);
    expect(existsSync(join(dir, 'PROJ-001.md'))).toBe(false);
    expect(readFileSync(join(dir, 'mine.md'), 'utf8')).toBe('# My own rule\n');
    expect(json(['rules', 'restore', 'PROJ-001'], ws.project).rule.status).toBe('active');
    expect(existsSync(join(dir, 'PROJ-001.md'))).toBe(true);
  });

  it('restores a proposal deprecated before anyone approved it as a proposal: it never reaches the agent unreviewed', async () => {
    const ws = await withProposal();
    json(['rules', 'deprecate', 'PROJ-001'], ws.project);
    expect(json(['rules', 'restore', 'PROJ-001'], ws.project).rule.status).toBe('proposed');
    expect(existsSync(join(ws.project, '.claude', 'rules', 'nevo', 'PROJ-001.md'))).toBe(false);
  });

  it('gives the same token count when a rule is approved as rules list gives after', async () => {
    const ws = await withProposal();
    const approved = json(['rules', 'approve', 'PROJ-001'], ws.project);
    expect(approved.export.tokens).toBeGreaterThan(0);
    expect(json(['rules', 'list'], ws.project).tokens.active).toBe(approved.export.tokens);
  });

  it('validates an edit before saving it and leaves the file untouched when it is wrong', async () => {
    const ws = await withProposal();
    const file = join(ws.root, 'rules', 'PROJ-001.md');
    const before = readFileSync(file, 'utf8');
    const long = cli(['rules', 'edit', 'PROJ-001', '--body', 'One. Two. Three. Four.'], { cwd: ws.project });
    expect(long.code).toBe(1);
    expect(long.stderr).toMatch(/body has 4 sentences; at most 3/);
    const badGuard = cli(['rules', 'edit', 'PROJ-001', '--guard', '{"tool":"Bash","command":"(unclosed"}'], { cwd: ws.project });
    expect(badGuard.code).toBe(1);
    expect(readFileSync(file, 'utf8')).toBe(before);
    const ok = json(['rules', 'edit', 'PROJ-001', '--title', 'Declare express before using it', '--paths', 'src/**/*.ts'], ws.project);
    expect(ok.rule).toMatchObject({ title: 'Declare express before using it', paths: ['src/**/*.ts'] });
    expect(git(ws.root, 'log', '-1', '--format=%s').trim()).toMatch(/^rules: edit PROJ-001 \(/);
  });

  it('edits in $EDITOR, and removes its copy of the rule once the edit is saved', async () => {
    const ws = await withProposal();
    const dir = scratch();
    // The editor notes the file it was given, so the test can look for it afterwards.
    const editor = (name: string, body: string) => {
      const file = join(dir, name);
      writeFileSync(file, `#!/bin/sh\necho "$1" > ${join(dir, `${name}.path`)}\n${body}\n`, { mode: 0o755 });
      return { file, given: () => readFileSync(join(dir, `${name}.path`), 'utf8').trim() };
    };
    const edit = (e: { file: string }) => cli(['rules', 'edit', 'PROJ-001', '--json'], { cwd: ws.project, env: { EDITOR: e.file } });
    const good = editor('good.sh', `sed -i 's/^title: .*/title: Edited in the editor/' "$1"`);
    const r = edit(good);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).rule.title).toBe('Edited in the editor');
    expect(existsSync(dirname(good.given()))).toBe(false);
    // An editor that quits with an error and changed nothing leaves nothing behind either.
    const quit = editor('quit.sh', 'exit 1');
    const q = edit(quit);
    expect(q.code).toBe(1);
    expect(JSON.parse(q.stdout).error.message).toMatch(/The editor exited with 1; PROJ-001 was not changed\.$/);
    expect(existsSync(dirname(quit.given()))).toBe(false);
    // A refused edit keeps what the person typed, and says where.
    const long = editor('long.sh', `sed -i '$ a One. Two. Three. Four.' "$1"`);
    const refused = edit(long);
    expect(refused.code).toBe(1);
    const kept = long.given();
    removeAfterTest(dirname(kept));
    expect(JSON.parse(refused.stdout).error.message).toContain(`Your text is kept in ${kept}`);
    expect(readFileSync(kept, 'utf8')).toContain('One. Two. Three. Four.');
    expect(readFileSync(join(ws.root, 'rules', 'PROJ-001.md'), 'utf8')).not.toContain('Four.');
    // An editor that removed the file: a clear word, nothing changed, nothing left behind.
    const gone = editor('gone.sh', 'rm "$1"');
    const g = edit(gone);
    expect(g.code).toBe(1);
    expect(JSON.parse(g.stdout).error.message).toMatch(/The editor left no .*PROJ-001\.md to read back; PROJ-001 was not changed\./);
    expect(existsSync(dirname(gone.given()))).toBe(false);
  });

  it('writes scoped rules with paths front matter, and warns when active rules pass the token budget', async () => {
    const ws = await withProposal();
    json(['rules', 'edit', 'PROJ-001', '--paths', 'src/**/*.ts'], ws.project);
    const config = JSON.parse(readFileSync(ws.layout.config, 'utf8'));
    config.rules.tokenBudget = 100;
    writeFileSync(ws.layout.config, JSON.stringify(config));
    const r = cli(['rules', 'approve', 'PROJ-001'], { cwd: ws.project });
    expect(r.stdout).toMatch(/OVER BUDGET/);
    const exported = readFileSync(join(ws.project, '.claude', 'rules', 'nevo', 'PROJ-001.md'), 'utf8');
    expect(exported.startsWith('---\npaths:\n  - src/**/*.ts\n---\n<!-- nevo-tui: generated')).toBe(true);
  });

  it('hands the agent at SessionStart, when configured, only the active rules no file under .claude/rules/ gives it', async () => {
    const ws = await withProposal();
    const setContext = (on: boolean) => {
      const config = JSON.parse(readFileSync(ws.layout.config, 'utf8'));
      config.rules.sessionStartContext = on;
      writeFileSync(ws.layout.config, JSON.stringify(config));
    };
    const payload = JSON.parse(readFileSync('test/fixtures/claude-code/hook-payloads/fabric__session_start.json', 'utf8'))[0];
    const sessionStart = () => {
      const r = spawnSync(process.execPath, [CLI, 'hook'], { input: JSON.stringify(payload), env: { ...process.env, NEVO_WORKSPACE: '', CLAUDE_PROJECT_DIR: ws.project } });
      expect(r.status).toBe(0);
      return r.stdout.toString();
    };
    setContext(true);
    json(['rules', 'approve', 'PROJ-001'], ws.project);
    // Every active rule is in .claude/rules/nevo/, which Claude Code loads itself.
    expect(sessionStart()).toBe('');
    // A checkout without PROJ-001's file: the hook hands it over, and only it; no export needed.
    rmSync(join(ws.project, '.claude', 'rules', 'nevo', 'PROJ-001.md'));
    const out = JSON.parse(sessionStart());
    expect(out.hookSpecificOutput.hookEventName).toBe('SessionStart');
    expect(out.hookSpecificOutput.additionalContext).toMatch(/^Rules this project learned from past mistakes \(nevo-tui\):\nPROJ-001: /);
    expect(out.hookSpecificOutput.additionalContext).not.toContain('AGENT-001:');
    setContext(false);
    expect(sessionStart()).toBe('');
  });

  it('tidies the old folder when rules.exportDir changes, and never touches files nevo did not write', async () => {
    const ws = await freshWorkspace();
    const old = join(ws.project, '.claude', 'rules', 'nevo');
    expect(readdirSync(old).sort()).toEqual(['AGENT-001.md', 'AGENT-002.md', 'AGENT-003.md']);
    writeFileSync(join(old, 'mine.md'), 'my own rule\n');
    const config = JSON.parse(readFileSync(ws.layout.config, 'utf8'));
    config.rules.exportDir = 'docs/agent-rules';
    writeFileSync(ws.layout.config, JSON.stringify(config));
    const r = json(['rules', 'export'], ws.project);
    expect(r.removed.length).toBe(3);
    expect(readdirSync(old)).toEqual(['mine.md']);
    expect(readdirSync(join(ws.project, 'docs', 'agent-rules')).sort()).toEqual(['AGENT-001.md', 'AGENT-002.md', 'AGENT-003.md']);
  });

  it('never hands the same id to two processes proposing at once', async () => {
    const ws = await freshWorkspace();
    const errors = ["Error: Cannot find module 'left-pad'", 'Command timed out after 2m', 'Exit code 6\ncurl: (6) Could not resolve host: example.com', "src/a.ts(1,1): error TS2304: Cannot find name 'x'."];
    await Promise.all(
      errors.map(
        (error, i) =>
          new Promise((resolve) => {
            const c = spawn(process.execPath, [CLI, 'report', '--signal', 'quality', '--name', `stage${i}`, '--error', error], { cwd: ws.project, env: { ...process.env, NEVO_WORKSPACE: '' } });
            c.on('exit', resolve);
          }),
      ),
    );
    const rules = json(['rules', 'list', '--status', 'proposed'], ws.project).rules.map((r: { id: string }) => r.id);
    expect(rules.sort()).toEqual(['PROJ-001', 'PROJ-002', 'PROJ-003', 'PROJ-004']);
  });

  it('never reuses the id of a deleted rule', async () => {
    const ws = await withProposal();
    execFileSync('git', ['-C', ws.root, 'rm', '-q', 'rules/PROJ-001.md']);
    execFileSync('git', ['-C', ws.root, 'commit', '-qm', 'test: delete PROJ-001']);
    const r = json(['report', '--signal', 'task', '--name', 'x', '--error', 'Command timed out after 10m'], ws.project);
    expect(r.analyzed[0].rule).toBe('PROJ-002');
  });

  it('lints the rules and exits 1 on findings', async () => {
    const ws = await freshWorkspace();
    expect(cli(['rules', 'lint'], { cwd: ws.project }).code).toBe(0);
    writeFileSync(join(ws.root, 'rules', 'PROJ-009.md'), '---\nid: PROJ-009\ntitle: x\nscope: project\nstatus: active\ncreated: 2026-11-21\nupdated: 2026-11-21\nbroken: [\n---\nBody.\n');
    const r = cli(['rules', 'lint', '--json'], { cwd: ws.project });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).findings).toEqual([expect.objectContaining({ kind: 'unparseable', file: 'rules/PROJ-009.md', line: expect.any(Number) })]);
  });
});
