import { parseDocument, stringify } from 'yaml';
import * as z from 'zod';
import { redactString } from '../redact/redact.js';
import { describeIssues } from '../util/zod-issues.js';
import { globSource } from './glob-re2.js';
import { isRe2, re2Test } from '../util/re2.js';

export const RULE_ID = /^(PROJ|AGENT)-(\d{3,})$/;

export const ruleStatus = z.enum(['proposed', 'active', 'rejected', 'deprecated']);
export type RuleStatus = z.infer<typeof ruleStatus>;

/**
 * Teeth: a tool name and a pattern over the tool's input. `program` blocks a Bash command that runs
 * that program (read with a shell parser: never text in quotes, heredocs or comments, and not after
 * an install of it on the same line); `command` is a regular expression over a Bash command line;
 * `paths` are globs over the file an Edit, Write or Read works on; `input` is a regular expression
 * over the tool input as JSON, for any other tool.
 */
export const guardSchema = z
  .strictObject({
    tool: z.string().min(1),
    program: z.string().regex(/^[\w.+@-]+$/, 'a program name such as tree or rg, without a path').optional(),
    command: z.string().min(1).optional(),
    paths: z.array(z.string().min(1)).min(1).optional(),
    input: z.string().min(1).optional(),
  })
  .refine((g) => g.program || g.command || g.paths || g.input, 'a guard needs a program, command, paths or input pattern')
  .refine((g) => [g.command, g.input].every((re) => re === undefined || isRe2(re)), 'command and input must be RE2 regular expressions (no lookaround, no backreferences)')
  .superRefine((g, ctx) => {
    const everyday = blocksEverydayCalls(g);
    if (everyday) ctx.addIssue({ code: 'custom', message: `this guard would block ${everyday}: narrow the pattern to the mistake` });
  });

/** Calls no guard may block: an empty command, `ls`, `git status`, `npm test`, any file. */
const EVERYDAY_COMMANDS = ['', 'ls', 'git status', 'npm test'];
const EVERYDAY_FILES = ['a', 'src/index.ts', 'README.md'];

/** What ordinary call the guard would block, or '' when none. */
export function blocksEverydayCalls(g: { command?: string | undefined; input?: string | undefined; paths?: string[] | undefined }): string {
  if (g.command !== undefined && isRe2(g.command)) {
    const hit = EVERYDAY_COMMANDS.find((c) => re2Test(g.command!, c));
    if (hit !== undefined) return hit ? `\`${hit}\`` : 'the empty command';
  }
  if (g.input !== undefined && isRe2(g.input)) {
    if (re2Test(g.input, '{}') || re2Test(g.input, '')) return 'every call of its tool';
  }
  if (g.paths?.length) {
    const sources = g.paths.map(globSource).filter((s): s is string => s !== null);
    if (sources.some((s) => EVERYDAY_FILES.every((f) => re2Test(s, f)))) return 'every file';
  }
  return '';
}

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}/, 'a date like 2026-11-21');

export const ruleFrontMatter = z.strictObject({
  id: z.string().regex(RULE_ID, 'an id like PROJ-001 or AGENT-001'),
  title: z.string().min(1).max(120),
  scope: z.string().regex(/^(project|agent:[\w.-]+)$/, '"project" or "agent:NAME"'),
  status: ruleStatus,
  trigger: z.string().default(''),
  enforcement: z.string().default(''),
  verification: z.string().default(''),
  incidents: z.array(z.strictObject({ id: z.string(), fingerprint: z.string() })).default([]),
  novelty: z.string().default(''),
  created: day,
  updated: day,
  /** When it became active: effectiveness compares the 14 days before and after. */
  activated: day.optional(),
  /** Who made the latest review decision (approve, reject, deprecate) when it came from another member by `nevo-tui sync`. */
  decidedBy: z.string().optional(),
  /** Incidents linked to this rule after it was written (overlapping proposals). */
  hits: z.number().int().min(0).default(0),
  /**
   * The mistakes it answers, as cause keys (`command not found:tree`, see detect/cause.ts): an
   * incident is linked to a rule only when its key is here. `[]`: a general habit that answers no
   * one mistake, never linked to.
   */
  keys: z.array(z.string()).optional(),
  paths: z.array(z.string().min(1)).optional(),
  guard: guardSchema.optional(),
  /** What the guard would have blocked in the workspace's past calls, when it was proposed. */
  backtest: z
    .strictObject({
      failuresBlocked: z.number().int().min(0),
      failuresTotal: z.number().int().min(0),
      successesBlocked: z.number().int().min(0),
      successesTotal: z.number().int().min(0),
      /** Why the guard was left out of the proposal, when it was. */
      dropped: z.string().optional(),
    })
    .optional(),
  /**
   * Files, scripts and programs the rule names that the project did not have when the rule was
   * written (a file the agent was about to create, a tool missing on this machine): the rule is
   * about them, so lint does not call it stale for lacking them.
   */
  absent: z.array(z.string()).optional(),
  /** Memory the reviewer should weigh: a stated preference this rule goes against. */
  conflicts: z.array(z.string()).optional(),
  reason: z.string().optional(),
  contradicts: z.array(z.string()).optional(),
});

export type RuleMeta = z.infer<typeof ruleFrontMatter>;
export type Guard = z.infer<typeof guardSchema>;

export interface Rule extends RuleMeta {
  body: string;
  /** Path relative to the workspace, e.g. rules/PROJ-001.md. */
  file: string;
}

export class RuleParseError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly detail: string,
  ) {
    super(`${file}:${line}: ${detail}`);
    this.name = 'RuleParseError';
  }
}

/** Parses `---\nYAML\n---\nbody`; errors carry the file and the line. */
export function parseRule(text: string, file: string): Rule {
  const normalised = text.replace(/\r\n/g, '\n');
  if (!normalised.startsWith('---\n')) throw new RuleParseError(file, 1, 'a rule starts with YAML front matter between --- lines');
  const end = normalised.indexOf('\n---', 4);
  if (end < 0) throw new RuleParseError(file, 1, 'the front matter is not closed with a --- line');
  const yamlText = normalised.slice(4, end + 1);
  const doc = parseDocument(yamlText, { prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    const line = (e.linePos?.[0]?.line ?? 1) + 1;
    throw new RuleParseError(file, line, `invalid YAML: ${e.message.split('\n')[0]}`);
  }
  const raw = doc.toJS() as unknown;
  const parsed = ruleFrontMatter.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = String(issue.path[0] ?? '');
    const lineIdx = yamlText.split('\n').findIndex((l) => l.startsWith(`${key}:`));
    const described = describeIssues(parsed.error.issues, raw, 'field').map((d) => d.text).join('; ');
    throw new RuleParseError(file, lineIdx >= 0 ? lineIdx + 2 : 1, described);
  }
  const body = normalised.slice(end + 4).replace(/^\n/, '').trim();
  return { ...parsed.data, body, file };
}

const ORDER: (keyof RuleMeta)[] = ['id', 'title', 'scope', 'status', 'trigger', 'enforcement', 'verification', 'incidents', 'novelty', 'created', 'updated', 'activated', 'decidedBy', 'hits', 'keys', 'paths', 'guard', 'backtest', 'absent', 'conflicts', 'reason', 'contradicts'];

const PROSE = new Set<keyof RuleMeta>(['title', 'trigger', 'enforcement', 'verification', 'novelty', 'reason']);

/** Front matter in a fixed key order, so diffs of rule files stay small and readable. */
export function serialiseRule(rule: Rule | (RuleMeta & { body: string })): string {
  const meta: Record<string, unknown> = {};
  for (const key of ORDER) {
    const v = rule[key];
    if (v === undefined) continue;
    if (Array.isArray(v) && v.length === 0 && (key === 'paths' || key === 'contradicts' || key === 'conflicts' || key === 'absent')) continue;
    // Every rule file passes here, whoever wrote it (an analyst, an edit): its prose is redacted.
    // Patterns (keys, paths, guard) are left as they are: a guard against `--password=\S+` is one.
    meta[key] = typeof v === 'string' && PROSE.has(key) ? redactString(v) : v;
  }
  return `---\n${stringify(meta, { lineWidth: 0 })}---\n${redactString(rule.body.trim())}\n`;
}

export function ruleFileName(id: string): string {
  return `rules/${id}.md`;
}

/** Sentences of a rule body: ends of . ! ? followed by space or end. */
export function sentences(text: string): string[] {
  return text
    .replace(/`[^`]*`/g, (m) => m.replace(/[.!?]/g, '_'))
    .split(/(?<=[.!?])\s+/)
    .map((s) => s.trim())
    .filter(Boolean);
}
