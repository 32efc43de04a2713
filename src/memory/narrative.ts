import { dayAndMinute } from '../util/day.js';
import type { JournalLine } from '../store/raw-journal.js';

/**
 * The deterministic narrative builder: a session's journal compressed into what a person (or the
 * agent, next time) needs: what was asked, what was decided, what changed, what failed and what
 * was learnt. Every failed call and every changed file is named; everything else is counted.
 */
export interface NarrativeContext {
  session: string;
  cwd?: string;
  timeZone: string;
  /** Incidents by id: their rules make the lessons. */
  incidents: ReadonlyMap<string, { rules: string[] }>;
  /** Rules by id: their text and status (a lesson is an active rule; a proposed one is still waiting). */
  rules: ReadonlyMap<string, { text: string; status: string }>;
}

export interface BuiltNarrative {
  title: string;
  markdown: string;
  /** Searchable text, at most SUMMARY_CHARS. */
  summary: string;
  start: string;
  end: string;
  calls: number;
  failures: number;
  files: string[];
  prompts: string[];
}

const EDIT_TOOLS = new Set(['Write', 'Edit', 'MultiEdit', 'NotebookEdit']);
const TEST_COMMAND = /\b(test|tests|pytest|vitest|jest|mocha|rspec|phpunit|tox|cargo test|go test|check)\b/;
const BUILD_COMMAND = /\b(build|tsc|compile|make|bundle)\b/;
const MAX_PROMPTS = 3;
const PROMPT_CHARS = 160;
const MAX_COMMANDS = 10;
const MAX_DECISIONS = 6;
const ERROR_CHARS = 110;
export const SUMMARY_CHARS = 600;
const DECISION_WORDS = /\b(let's|lets|go with|decided|we will|we'll|instead of|switch to|from now on)\b/i;

const oneLine = (s: string, n: number) => {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > n ? `${t.slice(0, n - 1)}…` : t;
};

function duration(start: string, end: string): string {
  const min = Math.round((Date.parse(end) - Date.parse(start)) / 60000);
  return min < 60 ? `${min} min` : `${Math.floor(min / 60)} h ${min % 60} min`;
}

/** A path relative to the session's folder, when it is inside it: shorter, and the same across machines. */
function shortPath(path: string, cwd?: string): string {
  if (cwd && path.startsWith(`${cwd}/`)) return path.slice(cwd.length + 1);
  return path;
}

/** Distinct keys in order of first appearance, with how many times each came. */
function tally<T>(items: T[], key: (t: T) => string): { key: string; first: T; n: number; items: T[] }[] {
  const map = new Map<string, { key: string; first: T; n: number; items: T[] }>();
  for (const item of items) {
    const k = key(item);
    const e = map.get(k);
    if (e) {
      e.n++;
      e.items.push(item);
    } else map.set(k, { key: k, first: item, n: 1, items: [item] });
  }
  return [...map.values()];
}

const times = (n: number) => (n > 1 ? ` ×${n}` : '');

/** Text shown as a quotation, not as prose: in a code span, its own backticks made plain quotes. */
const quoted = (text: string): string => `\`${text.replace(/`/g, "'")}\``;

export function buildNarrative(lines: JournalLine[], ctx: NarrativeContext): BuiltNarrative {
  const cwd = ctx.cwd ?? lines.find((l) => l.cwd)?.cwd;
  const start = lines[0]?.time ?? new Date(0).toISOString();
  const end = lines.at(-1)?.time ?? start;
  const calls = lines.filter((l) => l.ok !== undefined);
  const failed = calls.filter((l) => l.ok === false);
  const prompts = lines.filter((l) => l.event === 'UserPromptSubmit' && !l.agent && (l.detail || l.target)).map((l) => (l.detail ?? l.target)!);
  const tasks = lines.filter((l) => l.event === 'SubagentStart' && l.detail).map((l) => `Subagent task: ${l.detail!}`);
  const asked = [...prompts, ...tasks];
  const agents = new Set(lines.flatMap((l) => (l.agent ? [l.agent] : [])));

  const files = [...new Set(calls.filter((l) => l.ok && l.tool && EDIT_TOOLS.has(l.tool) && l.target).map((l) => shortPath(l.target!, cwd)))];
  const commands = tally(calls.filter((l) => l.tool === 'Bash' && l.target), (l) => oneLine(l.target!, 70));
  const tests = commands.filter((c) => TEST_COMMAND.test(c.key));
  const builds = commands.filter((c) => BUILD_COMMAND.test(c.key) && !TEST_COMMAND.test(c.key));
  const otherTools = tally(calls.filter((l) => l.tool !== 'Bash' && !(l.tool && EDIT_TOOLS.has(l.tool))), (l) => l.tool ?? l.event);

  const s = dayAndMinute(start, ctx.timeZone);
  const e = dayAndMinute(end, ctx.timeZone);
  const id8 = ctx.session.slice(0, 8);
  const title = asked[0] ? oneLine(asked[0], 80) : `${files.length ? `changed ${files.slice(0, 3).join(', ')}` : `${calls.length} tool calls`}${agents.size ? ' (subagent)' : ''}`;

  const md: string[] = [];
  md.push(`# Session ${id8} · ${s.day} ${s.hm}–${e.day === s.day ? '' : `${e.day} `}${e.hm} (${duration(start, end)})`);
  const facts = [`${calls.length} calls, ${failed.length} failed`];
  if (agents.size) facts.push(`${agents.size} subagent${agents.size > 1 ? 's' : ''}`);
  if (cwd) facts.unshift(`in ${cwd}`);
  md.push(facts.join(' · '));

  md.push('', '## Intent');
  if (asked.length) {
    for (const p of asked.slice(0, MAX_PROMPTS)) md.push(`- ${oneLine(p, PROMPT_CHARS)}`);
    if (asked.length > MAX_PROMPTS) md.push(`- (${asked.length - MAX_PROMPTS} more prompts)`);
  } else md.push(agents.size ? '- (a subagent: its task came from the parent session)' : '- (no prompt recorded)');

  const decisions = decisionsOf(lines, prompts);
  if (decisions.length) {
    md.push('', '## Decisions');
    for (const d of decisions) md.push(`- ${d}`);
  }

  md.push('', '## Outcomes');
  md.push(files.length ? `- Changed (${files.length}): ${files.join(', ')}` : '- No file changed');
  if (commands.length) {
    const shown = commands.slice(0, MAX_COMMANDS).map((c) => `\`${c.key}\`${outcome(c.items)}`);
    md.push(`- Ran (${commands.length}): ${shown.join(', ')}${commands.length > MAX_COMMANDS ? `, +${commands.length - MAX_COMMANDS} more` : ''}`);
  }
  if (tests.length) md.push(`- Tests: ${tests.map((t) => `\`${t.key}\` ${lastOutcome(t.items)}`).join(', ')}`);
  if (builds.length) md.push(`- Builds: ${builds.map((t) => `\`${t.key}\` ${lastOutcome(t.items)}`).join(', ')}`);
  if (otherTools.length) md.push(`- Also: ${otherTools.map((t) => `${t.key} ${t.n}`).join(', ')}`);

  const failures = tally(failed, (l) => `${l.tool ?? l.event}\n${l.target ?? ''}\n${oneLine(l.detail ?? '', 60)}`);
  if (failures.length) {
    md.push('', '## Failures');
    for (const f of failures) {
      const l = f.first;
      const target = l.target ? ` \`${oneLine(shortPath(l.target, cwd), 70)}\`` : '';
      // What a tool printed is data: quoted as such, so no line of it reads as something to do.
      md.push(`- ${l.tool ?? l.event}${target}${times(f.n)}: tool output ${quoted(oneLine(l.detail ?? 'failed', ERROR_CHARS))}${l.incident ? ` (${l.incident})` : ''}`);
    }
  }

  const lessons = lessonsOf(lines, ctx);
  if (lessons.length) {
    md.push('', '## Lessons');
    for (const l of lessons) md.push(`- ${l}`);
  }

  const markdown = `${md.join('\n')}\n`;
  const summaryParts = [
    asked[0] ? oneLine(asked[0], 200) : title,
    files.length ? `Changed: ${files.join(', ')}` : '',
    failures.length ? `Failed: ${failures.map((f) => `${f.first.tool ?? f.first.event} (tool output ${quoted(oneLine(f.first.detail ?? '', 50))})`).join('; ')}` : '',
    lessons.length ? `Lessons: ${lessons.join('; ')}` : '',
  ].filter(Boolean);
  const summary = oneLine(summaryParts.map((p) => p.replace(/[.\s]+$/, '')).join('. '), SUMMARY_CHARS);
  return { title, markdown, summary, start, end, calls: calls.length, failures: failed.length, files, prompts };
}

function outcome(items: JournalLine[]): string {
  const ok = items.filter((i) => i.ok).length;
  const bad = items.length - ok;
  return bad === 0 ? (ok > 1 ? ` ✓${ok}` : ' ✓') : ok === 0 ? (bad > 1 ? ` ✗${bad}` : ' ✗') : ` ✓${ok} ✗${bad}`;
}

function lastOutcome(items: JournalLine[]): string {
  const last = items.at(-1)!;
  return last.ok ? (items.some((i) => !i.ok) ? 'passed in the end' : 'passed') : 'failed last';
}

/** The last todo list and plan of the session, and prompts that decided something. */
function decisionsOf(lines: JournalLine[], prompts: string[]): string[] {
  const out: string[] = [];
  const plan = lines.filter((l) => l.tool === 'ExitPlanMode' && l.ok && l.detail).at(-1);
  if (plan?.detail) out.push(`Plan: ${oneLine(plan.detail, 140)}`);
  const todos = lines.filter((l) => l.tool === 'TodoWrite' && l.ok !== false && l.detail).at(-1);
  if (todos?.detail) for (const t of todos.detail.split('\n').slice(0, MAX_DECISIONS)) out.push(oneLine(t, 120));
  for (const p of prompts) {
    const sentence = p.split(/(?<=[.!?])\s+|\n+/).find((x) => DECISION_WORDS.test(x));
    if (sentence && out.length < MAX_DECISIONS + 2) out.push(`Asked: ${oneLine(sentence, 120)}`);
  }
  return out;
}

function lessonsOf(lines: JournalLine[], ctx: NarrativeContext): string[] {
  const out: string[] = [];
  const incidents = [...new Set(lines.flatMap((l) => (l.incident ? [l.incident] : [])))];
  for (const id of incidents) {
    for (const id2 of ctx.incidents.get(id)?.rules ?? []) {
      const rule = ctx.rules.get(id2);
      if (!rule) continue;
      out.push(rule.status === 'active' ? `${id} → ${id2}: ${oneLine(rule.text, 140)}` : `${id} → ${id2} (${rule.status})`);
    }
  }
  const fired = tally(lines.filter((l) => l.rule), (l) => l.rule!);
  for (const f of fired) out.push(`${f.key} blocked ${f.first.tool ?? 'a call'}${f.first.target ? ` \`${oneLine(f.first.target, 50)}\`` : ''}${times(f.n)}`);
  return out;
}
