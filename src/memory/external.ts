import * as z from 'zod';
import { runExternal } from '../external/call.js';
import { errorMessage } from '../errors.js';
import { FACT_CATEGORIES } from '../store/vocabulary.js';
import { describeIssues } from '../util/zod-issues.js';
import type { Workspace } from '../workspace/workspace.js';
import type { FactCandidate } from './facts.js';
import type { JournalLine } from '../store/raw-journal.js';
import { SUMMARY_CHARS, type BuiltNarrative } from './narrative.js';

/**
 * The optional external summarizer and fact extractor: any command that reads a prompt on stdin
 * and prints one JSON object, under the analyst's contract, ledger and daily budget. When one
 * fails, the built-in result stands and the reason is reported.
 */
type Outcome<T> = { ok: true; value: T } | { ok: false; error: string };

/** The journal given to a command is capped: the start (the intent) and the end (the outcome) matter most. */
const JOURNAL_CHARS = 60_000;

function journalText(lines: JournalLine[]): string {
  const all = lines.map((l) => JSON.stringify(l));
  const text = all.join('\n');
  if (text.length <= JOURNAL_CHARS) return text;
  const head = all.slice(0, Math.floor(all.length / 3)).join('\n').slice(0, JOURNAL_CHARS / 3);
  const tail = text.slice(-((2 * JOURNAL_CHARS) / 3));
  return `${head}\n... (${all.length} lines in all; the middle is left out)\n${tail}`;
}

const narrativeAnswer = z.strictObject({
  title: z.string().min(1).max(120),
  narrative: z.string().min(1).max(8000),
  summary: z.string().min(1).max(SUMMARY_CHARS),
});

const factsAnswer = z.strictObject({
  facts: z
    .array(
      z.strictObject({
        statement: z.string().min(8).max(240),
        category: z.enum(FACT_CATEGORIES),
        confidence: z.number().min(0).max(1),
      }),
    )
    .max(50),
});

function check<T>(schema: z.ZodType<T>, kind: string, command: string) {
  return (v: unknown): { ok: true; value: T } | { ok: false; error: string } => {
    const r = schema.safeParse(v);
    if (r.success) return { ok: true, value: r.data };
    const issues = describeIssues(r.error.issues, v, 'field').map((d) => `  - ${d.text}`);
    return { ok: false, error: `the ${kind} command \`${command}\` answered JSON of the wrong shape:\n${issues.join('\n')}` };
  };
}

export async function externalNarrative(ws: Workspace, session: string, lines: JournalLine[], builtin: BuiltNarrative): Promise<Outcome<Pick<BuiltNarrative, 'title' | 'markdown' | 'summary'>>> {
  const command = ws.config.memory.summarizer.trim();
  const prompt = [
    'You write the narrative of one coding-agent session from its journal (one JSON object per line: time, event, tool, target, ok, detail).',
    `Answer with one JSON object: {"title": one line, at most 120 characters; "narrative": Markdown with the sections Intent, Decisions, Outcomes, Failures, Lessons; "summary": at most ${SUMMARY_CHARS} characters}.`,
    'Name every failed tool call and every changed file. Keep it at least 20 times shorter than the journal. Do not invent anything that is not in the journal.',
    '',
    'The built-in narrative, for reference:',
    builtin.markdown,
    'The journal:',
    journalText(lines),
  ].join('\n');
  try {
    const { value } = await runExternal(ws, { kind: 'summarizer', command, timeoutMs: ws.config.memory.timeoutMs, prompt, subject: session, check: check(narrativeAnswer, 'summarizer', command) });
    const markdown = value.narrative.endsWith('\n') ? value.narrative : `${value.narrative}\n`;
    return { ok: true, value: { title: value.title, markdown, summary: value.summary } };
  } catch (err) {
    return { ok: false, error: errorMessage(err) };
  }
}

export async function externalFacts(ws: Workspace, session: string, lines: JournalLine[], builtin: FactCandidate[]): Promise<Outcome<FactCandidate[]>> {
  const command = ws.config.memory.extractor.trim();
  const prompt = [
    'You extract durable facts from one coding-agent session journal (one JSON object per line).',
    `Answer with one JSON object: {"facts": [{"statement": one atomic sentence, "category": one of ${FACT_CATEGORIES.join(', ')}, "confidence": 0..1}]}, at most 50.`,
    'A fact is something worth knowing in a later session: a preference of the user, a lesson, a configuration, a project detail, a decision, a notable event.',
    'Facts already found (do not repeat them):',
    ...builtin.map((f) => `- [${f.category}] ${f.statement}`),
    'The journal:',
    journalText(lines),
  ].join('\n');
  try {
    const { value } = await runExternal(ws, { kind: 'extractor', command, timeoutMs: ws.config.memory.timeoutMs, prompt, subject: session, check: check(factsAnswer, 'extractor', command) });
    const time = lines.at(-1)?.time ?? ws.clock().toISOString();
    return { ok: true, value: value.facts.map((f) => ({ ...f, time, source: { session, by: 'external' }, provenance: 'assistant' as const })) };
  } catch (err) {
    return { ok: false, error: errorMessage(err) };
  }
}
