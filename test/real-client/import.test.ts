// `nevo-tui import` of the transcripts the real Claude Code CLI wrote (issue 16, items 4 to 6):
// nevo's own guard blocks, other projects' sessions, failures older than a rule.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Incident } from '../../src/store/schemas.js';
import type { Rule } from '../../src/rules/rule.js';
import { bash, end, steps, toolResults } from '../helpers/mock-messages.js';
import { CLAUDE_CODE_VERSION, claudeCode, folder, initProject, nevo, nevoJson, runSession, scratchProject, skipNote, storeDoc, transcripts, type Scratch, useMockMessages, linkNevo } from '../helpers/real-client.js';

const cc = claudeCode();
const LIMIT = 300_000;

type Ev = { kind: string; tool?: string; target?: string; ok?: boolean; fate: { kind: string; rule?: string }; category?: string };
const incidentsOf = (s: Scratch, workspace?: string): Incident[] =>
  workspace ? nevoJson<{ incidents: Incident[] }>(s, ['--workspace', workspace, 'incidents', '--all']).incidents : storeDoc<{ records: Incident[] }>(s, 'incidents').records;

describe.skipIf(!cc.ok)(`the real Claude Code ${CLAUDE_CODE_VERSION}: import${skipNote(cc)}`, () => {
  const api = useMockMessages();

  it(
    "counts nevo's own guard blocks in a transcript as the hook does live: blocks tallied against their rule, not failed calls (issue 16, item 4)",
    async () => {
      const s = scratchProject();
      initProject(s);
      api.mock.setScript(steps(bash('pnmp install'), end()));
      await runSession(cc, s, api.mock, 'Install.');
      nevo(s, ['ingest']);
      const rule = nevoJson<{ rules: Rule[] }>(s, ['rules', 'list', '--status', 'proposed']).rules[0]!;
      nevo(s, ['rules', 'approve', rule.id]);
      api.mock.setScript(steps(bash('pnmp install'), end()));
      const blocked = await runSession(cc, s, api.mock, 'Install again.');
      expect(toolResults(blocked.turns.at(-1)!).at(-1)!.text).toMatch(/^PreToolUse:Bash hook error: .*nevo-tui blocked this call: /);

      // A workspace that did not record these sessions live imports both transcripts.
      const other = join(s.project, '..', 'imported');
      nevo(s, ['--workspace', other, 'init']);
      const r = nevoJson(s, ['--workspace', other, 'import', join(s.home, '.claude', 'projects')]);
      expect(r.files).toHaveLength(2);
      expect(incidentsOf(s, other).map((i) => [i.category, i.count])).toEqual([['command not found', 1]]);
      const events = nevoJson<{ events: Ev[] }>(s, ['--workspace', other, 'events']).events;
      expect(events.filter((e) => e.fate.kind === 'blocked').map((e) => [e.kind, e.tool, e.target, e.fate.rule])).toEqual([['PreToolUse', 'Bash', 'pnmp install', rule.id]]);
      expect(JSON.parse(readFileSync(join(other, 'store', 'blocks.json'), 'utf8')).records).toMatchObject([{ id: rule.id, count: 1 }]);
      // As live: the blocked call never ran, so it is no failed call either.
      expect(nevoJson(s, ['--workspace', other, 'stats']).total).toMatchObject({ calls: 1, failures: 1 });
    },
    LIMIT,
  );

  it(
    "imports with no path only the sessions that ran in this project (subfolders included); --all-projects takes the others' too (issue 16, item 5)",
    async () => {
      const s = scratchProject();
      nevo(s, ['init']);
      api.mock.setScript(steps(bash('npm run nonexistent'), end()));
      const here = await runSession(cc, s, api.mock, 'Here.');
      api.mock.setScript(steps(bash('pnmp install'), end()));
      const sub = await runSession(cc, s, api.mock, 'In a subfolder.', { cwd: folder(s, 'packages/app') });
      api.mock.setScript(steps(bash('yarnn build'), end()));
      const elsewhere = await runSession(cc, s, api.mock, 'Another project.', { cwd: folder(s, '../elsewhere') });
      // A project whose folder name starts with this one's is another project too.
      api.mock.setScript(steps(bash('bunn test'), end()));
      const lookalike = await runSession(cc, s, api.mock, 'A look-alike.', { cwd: folder(s, '../project-two') });
      expect(transcripts(s)).toHaveLength(4);

      const r = nevoJson(s, ['import']);
      expect(r.files.map((f: { session: string }) => f.session).sort()).toEqual([here.session, sub.session].sort());
      expect(r.otherProjects).toBe(2);
      expect(incidentsOf(s).map((i) => i.category).sort()).toEqual(['command not found', 'missing script']);
      expect(nevo(s, ['import']).stdout).toMatch(/Left out 2 transcript\(s\) of other projects; `--all-projects` imports them too\./);

      const all = nevoJson(s, ['import', '--all-projects']);
      expect(all.files.filter((f: { status: string }) => f.status === 'imported').map((f: { session: string }) => f.session).sort()).toEqual([elsewhere.session, lookalike.session].sort());
      expect(incidentsOf(s)).toHaveLength(4);
    },
    LIMIT,
  );

  it(
    "does not reopen a ruled incident for failures older than the rule's approval; a later one still reopens it (issue 16, item 6)",
    async () => {
      const s = scratchProject();
      nevo(s, ['init']);
      // Before the hooks: a failure only the transcript knows.
      api.mock.setScript(steps(bash('pnmp install'), end()));
      await runSession(cc, s, api.mock, 'Install, before the hooks.');
      linkNevo(s);
      nevo(s, ['hooks', 'install', '--scope', 'project']);
      await runSession(cc, s, api.mock, 'Install, with the hooks.');
      nevo(s, ['ingest']);
      const rule = nevoJson<{ rules: Rule[] }>(s, ['rules', 'list', '--status', 'proposed']).rules[0]!;
      nevo(s, ['rules', 'approve', rule.id]);
      expect(incidentsOf(s).map((i) => [i.status, i.count])).toEqual([['ruled', 1]]);

      const past = nevoJson(s, ['import']);
      // The session with the hooks: ingest read its transcript already (the capture by turn).
      expect(past.files.map((f: { status: string }) => f.status).sort()).toEqual(['imported', 'unchanged']);
      expect(past.counted).toBe(1);
      expect(incidentsOf(s).map((i) => [i.status, i.count, i.reopened])).toEqual([['ruled', 2, 0]]);

      // After the approval, without the hooks (so no guard): it happened again, and that reopens it.
      nevo(s, ['hooks', 'uninstall', '--scope', 'project']);
      await runSession(cc, s, api.mock, 'Install, after the rule.');
      const later = nevoJson(s, ['import']);
      expect(later.files.filter((f: { status: string }) => f.status === 'imported')).toHaveLength(1);
      expect(incidentsOf(s).map((i) => [i.status, i.count, i.reopened])).toEqual([['new', 3, 1]]);
    },
    LIMIT,
  );
});
