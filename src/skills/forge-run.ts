// `nevo-tui skills forge`: detects skill candidates (analyzed incidents, repeated tool-call
// sequences of the raw journal), evaluates them, generates a draft for each skill (the built-in
// template or the external writer), validates it and writes only the valid drafts, in one commit,
// to skills/<name>/SKILL.md with a draft record in the inventory. `skills approve` deploys them.
import { existsSync } from 'node:fs';
import * as z from 'zod';
import { runExternal } from '../external/call.js';
import { errorMessage } from '../errors.js';
import { describeIssues } from '../util/zod-issues.js';
import { journalFilesBySession, readSessionJournal } from '../store/raw-journal-files.js';
import type { JournalLine } from '../store/raw-journal.js';
import type { Workspace } from '../workspace/workspace.js';
import { workspaceSkillDir } from './deploy.js';
import { renderTemplate, repeatedSequences, skillCandidates, skillMarkdown, type Candidate } from './forge.js';
import { validateSkill, type Problem } from './validate.js';

export type ForgeStatus = 'forged' | 'exists' | 'invalid' | 'not-forged' | 'candidate';

export interface ForgeItem {
  candidate: Candidate;
  /** forged: written as a draft; exists: a skill of that name is there already; invalid: the draft failed validation;
   * not-forged: evaluated as a rule, a hook or an agent change; candidate: a dry run. */
  status: ForgeStatus;
  /** Who wrote the draft. */
  generator: 'template' | 'writer' | null;
  /** Why the external writer's draft was not used, when it was not. */
  fallback?: string;
  errors: Problem[];
  /** The workspace-relative file written. */
  file?: string;
}

export interface ForgeResult {
  dryRun: boolean;
  items: ForgeItem[];
  commit: string | null;
}

/** The external writer's answer. */
const writerAnswerSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().min(1),
  body: z.string().min(1),
});

export const WRITER_CONTRACT =
  'Write one Agent Skill (SKILL.md) for the candidate below. Answer with one JSON object and nothing else: ' +
  '{"name": the candidate\'s name exactly, "description": what the skill does and when to use it (at most 1024 characters), ' +
  '"body": the Markdown instructions after the front matter (steps, knowledge, what to do instead; under 500 lines)}.';

export function writerPrompt(c: Candidate): string {
  return `${WRITER_CONTRACT}\n\nCandidate:\n${JSON.stringify({ name: c.name, kind: c.kind, evidence: c.evidence, evaluation: c.evaluation }, null, 2)}\n`;
}

/** Validates a SKILL.md text as skills/<name>/SKILL.md. */
export function checkDraft(name: string, text: string): Problem[] {
  return validateSkill({ path: `skills/${name}`, dirName: name, entries: ['SKILL.md'], skillMd: { kind: 'read', fileName: 'SKILL.md', bytes: new TextEncoder().encode(text) } }).errors;
}

/** Every session's journal, keyed by its file name. */
function journals(root: string): Map<string, JournalLine[]> {
  const out = new Map<string, JournalLine[]>();
  for (const [session, files] of journalFilesBySession(root)) out.set(session, readSessionJournal(root, session, files).lines);
  return out;
}

/** The external writer's draft, or why it cannot be used. */
async function writerDraft(ws: Workspace, c: Candidate, command: string): Promise<{ text: string } | { error: string }> {
  try {
    const { value } = await runExternal(ws, {
      kind: 'skill-writer',
      command,
      timeoutMs: ws.config.skills.timeoutMs,
      prompt: writerPrompt(c),
      subject: c.name,
      check: (v) => {
        const r = writerAnswerSchema.safeParse(v);
        if (!r.success) return { ok: false, error: `the skill-writer command \`${command}\` answered JSON that is not { name, description, body }: ${describeIssues(r.error.issues, v, 'field').map((d) => d.text).join('; ')}` };
        if (r.data.name !== c.name) return { ok: false, error: `the skill-writer command \`${command}\` named the skill "${r.data.name}", not "${c.name}"` };
        return { ok: true, value: r.data };
      },
    });
    const text = skillMarkdown(c.name, value.description, value.body);
    const errors = checkDraft(c.name, text);
    if (errors.length) return { error: `the skill-writer's draft is not valid: ${errors.map((e) => e.message).join('; ')}` };
    return { text };
  } catch (err) {
    return { error: errorMessage(err) };
  }
}

/** Detects, evaluates, generates and validates; writes the valid drafts in one commit (none with `dryRun`). */
export async function forgeSkills(ws: Workspace, opts: { dryRun?: boolean; writer?: string } = {}): Promise<ForgeResult> {
  const incidents = await ws.store.incidents.list();
  const candidates = skillCandidates(incidents, repeatedSequences(journals(ws.root)));
  const records = await ws.store.skills.list();
  const exists = (name: string) => records.some((r) => r.id === name) || existsSync(workspaceSkillDir(ws, name));
  const items: ForgeItem[] = [];
  const drafts = new Map<string, string>();
  const command = (opts.writer ?? ws.config.skills.writer).trim();
  for (const c of candidates) {
    if (c.evaluation.choice !== 'skill') {
      items.push({ candidate: c, status: 'not-forged', generator: null, errors: [] });
      continue;
    }
    if (exists(c.name)) {
      items.push({ candidate: c, status: 'exists', generator: null, errors: [] });
      continue;
    }
    if (opts.dryRun) {
      items.push({ candidate: c, status: 'candidate', generator: null, errors: [] });
      continue;
    }
    const item: ForgeItem = { candidate: c, status: 'forged', generator: 'template', errors: [] };
    let text: string | null = null;
    if (command) {
      const d = await writerDraft(ws, c, command);
      if ('text' in d) {
        text = d.text;
        item.generator = 'writer';
      } else item.fallback = d.error;
    }
    text ??= renderTemplate(c);
    item.errors = checkDraft(c.name, text);
    if (item.errors.length) item.status = 'invalid';
    else drafts.set(c.name, text);
    items.push(item);
  }
  if (opts.dryRun || drafts.size === 0) return { dryRun: !!opts.dryRun, items, commit: null };

  const before = await ws.history.head();
  await ws.store.transact(
    async (tx) => {
      const now = ws.clock().toISOString();
      const written: string[] = [];
      for (const item of items) {
        const text = drafts.get(item.candidate.name);
        if (text === undefined) continue;
        const name = item.candidate.name;
        // Re-checked under the lock: a skill made meanwhile is never overwritten.
        if ((await tx.skills.get(name)) || existsSync(workspaceSkillDir(ws, name))) {
          item.status = 'exists';
          continue;
        }
        const file = `skills/${name}/SKILL.md`;
        tx.writeFile(file, text);
        item.file = file;
        await tx.skills.upsert([{ id: name, created: now, reason: item.candidate.evaluation.why, fingerprints: [...item.candidate.fingerprints].sort(), status: 'draft', hash: null }]);
        written.push(name);
      }
      if (!written.length) return;
      tx.message('skills', `forge ${written.length} draft(s)`, written);
      tx.forceCommit = true;
    },
    { purpose: 'nevo-tui skills forge' },
  );
  const head = await ws.history.head();
  return { dryRun: false, items, commit: head !== before ? head : null };
}
