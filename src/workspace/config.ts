import { readFileSync } from 'node:fs';
import * as z from 'zod';
import { UserError } from '../errors.js';
import { describeIssues } from '../util/zod-issues.js';
import { parseJsonText } from '../util/json.js';
import { CATEGORIES } from '../store/vocabulary.js';
import { cronProblem } from '../util/cron.js';

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** A job run by a cron expression (minute hour day month weekday) in the workspace's time zone. */
function timedJob(cron: string) {
  return z
    .strictObject({
      enabled: z.boolean().default(true),
      cron: z.string().default(cron).superRefine((value, ctx) => {
        // The job's own default is known good (a test parses every one): opening a workspace with
        // the default schedule then loads no cron parser.
        if (value === cron) return;
        const problem = cronProblem(value);
        if (problem) ctx.addIssue({ code: 'custom', message: `a cron expression such as "${cron}" (minute hour day month weekday): ${problem}` });
      }),
    })
    .prefault({});
}

const email = z.string().regex(/^[^\s<>@]+@[^\s<>@]+$/, 'an address like name@host');

export const configSchema = z.strictObject({
  version: z.literal(1).default(1),
  /** The agent's project, relative to the workspace: where `.claude/` lives. */
  projectRoot: z.string().min(1).default('..'),
  /** IANA time zone that decides what "a day" is for telemetry and digests; empty: the system's. */
  timeZone: z
    .string()
    .default('')
    .refine((tz) => tz === '' || isTimeZone(tz), 'an IANA time zone such as "Europe/Paris", or "" for the system zone'),
  detect: z
    .strictObject({
      /** Failures of these categories are counted but open no incident. */
      noisyCategories: z.array(z.enum(CATEGORIES)).default(['interrupted']),
    })
    .prefault({}),
  analyst: z
    .strictObject({
      /** An external analyst: a shell command that reads a prompt on stdin and prints JSON. Empty: the built-in one. */
      command: z.string().default(''),
      timeoutMs: z.number().int().min(1000).default(120000),
      /** Analyze new incidents right after ingest. */
      auto: z.boolean().default(true),
      /** External calls stop for the day once either is spent. */
      dailyBudget: z
        .strictObject({
          calls: z.number().int().min(0).default(50),
          tokens: z.number().int().min(0).default(400000),
        })
        .prefault({}),
    })
    .prefault({}),
  rules: z
    .strictObject({
      /** Active rules are written here, relative to the project, for Claude Code to load. */
      exportDir: z.string().min(1).default('.claude/rules/nevo'),
      /** At SessionStart, also hand the agent the active rules without paths that no file under .claude/rules/ gives it (read by the hook at each session start). */
      sessionStartContext: z.boolean().default(false),
      /** Estimated tokens all active rules may take in the agent's context before a warning. */
      tokenBudget: z.number().int().min(100).default(2000),
      /** Days before and after activation compared for effectiveness. */
      effectivenessDays: z.number().int().min(1).default(14),
      /** A proposal this similar (0..1) to an existing rule is linked to it instead. */
      overlapThreshold: z.number().min(0).max(1).default(0.6),
    })
    .prefault({}),
  hooks: z
    .strictObject({
      /**
       * How Claude Code's calls reach nevo: "turn" (the default), no hook on a call that works:
       * ingest reads the calls from the transcripts of the open sessions and of each turn that ended
       * (failures and guard blocks still come live); "call", a background hook per call (one Node
       * start per call). A Claude Code without background hooks (before 2.1.23) is captured by
       * call whatever this says. `hooks install` writes the entries for it.
       */
      capture: z.enum(['call', 'turn']).default('turn'),
      /** By turn: a session with no SessionEnd is read while open, up to this many hours after its last event; 0 reads only at turn ends. */
      openSessionHours: z.number().min(0).default(24),
      /** By turn: how often the runner (the TUI's or the daemon's) looks whether an open session's transcript grew, to ingest it. */
      transcriptPollSeconds: z.number().min(1).default(2),
    })
    .prefault({}),
  memory: z
    .strictObject({
      /** Days a fact lives after it was last confirmed, per category; null: permanent. */
      ttlDays: z
        .strictObject({
          preference: z.number().int().min(1).nullable().default(null),
          lesson: z.number().int().min(1).nullable().default(null),
          config: z.number().int().min(1).nullable().default(180),
          project: z.number().int().min(1).nullable().default(365),
          decision: z.number().int().min(1).nullable().default(90),
          event: z.number().int().min(1).nullable().default(30),
        })
        .prefault({}),
      /** Narratives older than this many days are merged into weekly digests... */
      weeklyAfterDays: z.number().int().min(1).default(7),
      /** ...and weekly digests older than this into monthly ones. */
      monthlyAfterDays: z.number().int().min(1).default(30),
      /** Search: how fast recency fades (the weight halves every this many days). */
      halfLifeDays: z.number().min(1).default(30),
      /** An external narrative writer: reads a prompt on stdin, prints JSON. Empty: the built-in builder. */
      summarizer: z.string().default(''),
      /** An external fact extractor, same contract. Empty: the built-in extractors only. */
      extractor: z.string().default(''),
      timeoutMs: z.number().int().min(1000).default(120000),
    })
    .prefault({}),
  skills: z
    .strictObject({
      /** An external skill writer for `skills forge`: reads a prompt on stdin, prints JSON `{ name, description, body }`. Empty: the built-in template. */
      writer: z.string().default(''),
      timeoutMs: z.number().int().min(1000).default(120000),
    })
    .prefault({}),
  gate: z
    .strictObject({
      /**
       * `nevo-tui gate` runs these shell commands in order and stops at the first that exits non-zero.
       * A critique or arbiter stage is a command too (for example `claude -p "..."` that exits 1 on a rejection).
       */
      stages: z
        .array(
          z.strictObject({
            name: z.string().regex(/^[\w.-]{1,40}$/, 'a short name: letters, digits, dot, dash or underscore'),
            command: z.string().min(1),
            /** This stage's own limit; default gate.timeoutMs. */
            timeoutMs: z.number().int().min(1000).optional(),
          }),
        )
        .refine((stages) => new Set(stages.map((s) => s.name)).size === stages.length, 'stage names must be unique')
        .default([
          { name: 'typecheck', command: 'npm run typecheck --if-present' },
          { name: 'test', command: 'npm test --if-present' },
          { name: 'lint', command: 'npm run lint --if-present' },
        ]),
      /** Runs after a failed stage (the failure on stdin), then the gate retries from the first stage. Empty: no retry. */
      refine: z.string().default(''),
      /** Runs of the stages before the gate gives up and opens a circuit-breaker incident. */
      maxIterations: z.number().int().min(1).max(10).default(3),
      /** Limit for each stage and for the refine command; a command still running is stopped. */
      timeoutMs: z.number().int().min(1000).default(600000),
      /** Where the commands run, relative to the project; empty: the project itself. */
      cwd: z.string().default(''),
    })
    .prefault({}),
  schedule: z
    .strictObject({
      /** The TUI runs the jobs while it is open, unless another process (a daemon, say) already does. */
      inTui: z.boolean().default(true),
      jobs: z
        .strictObject({
          /** Ingests new triggers as they arrive, and every `pollSeconds` in case a change was missed. */
          ingest: z.strictObject({ enabled: z.boolean().default(true), pollSeconds: z.number().int().min(5).default(60) }).prefault({}),
          consolidate: timedJob('0 3 * * *'),
          'validate-skills': timedJob('30 3 * * *'),
          'self-review': timedJob('17 0 * * *'),
          fitness: timedJob('55 23 * * *'),
          /** Runs only when `sync.remote` is set. */
          sync: timedJob('*/15 * * * *'),
        })
        .prefault({}),
      selfReview: z
        .strictObject({
          /** The analyst proposes rules for at most this many of the top repeated errors no rule covers. */
          proposals: z.number().int().min(0).max(20).default(3),
          /** Days of failure rate the report shows. */
          days: z.number().int().min(2).max(90).default(14),
          /** A command the person declined in this many sessions is asked about once, as a proposal (0: never). */
          askAfterSessions: z.number().int().min(0).max(100).default(3),
        })
        .prefault({}),
    })
    .prefault({}),
  author: z
    .strictObject({
      name: z.string().min(1).default('nevo-tui'),
      email: email.default('nevo-tui@localhost'),
    })
    .prefault({}),
  sync: z
    .strictObject({
      /** The git remote (an https:// or http:// URL) that `nevo-tui sync` pushes to and fetches from; empty: no team sync. */
      remote: z
        .string()
        .default('')
        .refine((url) => url === '' || /^https?:\/\/[^\s]+$/.test(url), 'an http(s) URL of a git repository, or "" for none')
        .refine((url) => !/^https?:\/\/[^/]*@/.test(url), 'a URL without a user or token in it: name the variable that holds the token in sync.tokenEnv'),
      /** This workspace's name on the remote (branch nevo/members/<member>); empty: made from author.email. */
      member: z.string().default('').refine((m) => m === '' || /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/.test(m), 'letters, digits, dot, dash or underscore (at most 63)'),
      /** The NAME of an environment variable holding the HTTP credential (a token); never the credential itself. */
      tokenEnv: z.string().default('').refine((n) => n === '' || /^[A-Za-z_][A-Za-z0-9_]*$/.test(n), 'an environment variable name such as NEVO_SYNC_TOKEN'),
      /** What goes to the team beside the rules (and comes in from it); the raw journal, events and unreviewed facts never do. */
      share: z
        .strictObject({
          skills: z.boolean().default(true),
          incidents: z.boolean().default(true),
          facts: z.boolean().default(true),
        })
        .prefault({}),
    })
    .prefault({}),
  history: z
    .strictObject({
      /** Commit batched documents once this many records are waiting... */
      batchRecords: z.number().int().min(1).default(10000),
      /** ...or once the oldest waiting change is this old. */
      batchMinutes: z.number().min(0).default(1440),
    })
    .prefault({}),
  store: z
    .strictObject({
      /** store/events.json keeps this many recent events; older ones live on in telemetry and the journal. */
      recentEvents: z.number().int().min(100).default(2000),
    })
    .prefault({}),
  lock: z
    .strictObject({
      /** How long a command waits for the workspace lock before naming its holder. */
      timeoutMs: z.number().int().min(100).default(15000),
      /** A lock folder left without its owner file for this long is abandoned (floor 2000); a lock whose owner is named is broken only when that process is dead. */
      staleMs: z.number().int().min(2000).default(10000),
    })
    .prefault({}),
});

export type Config = z.infer<typeof configSchema>;

export function defaultConfig(): Config {
  return configSchema.parse({});
}

export function parseConfig(raw: unknown, file: string): Config {
  // Read once per process: zod's compiled fast path for its two dozen objects costs more to build
  // than it saves on one parse (7-10 ms against 2.5-4 ms without it, measured at start-up).
  const result = configSchema.safeParse(raw, { jitless: true });
  if (result.success) return result.data;
  const lines = describeIssues(result.error.issues, raw, 'field').map((d) => `  - ${d.text}`);
  throw new UserError(`${file}: invalid configuration\n${lines.join('\n')}\nFix the field in ${file}; \`nevo-tui doctor\` checks it again.`);
}

export function loadConfig(file: string): Config {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UserError(`${file}: cannot read the configuration (${(err as NodeJS.ErrnoException).code ?? err}).`);
  }
  return parseConfig(parseJsonText(text, file), file);
}

/** The member name a workspace syncs under: `sync.member`, else made from the author's email. */
export function syncMember(config: Pick<Config, 'sync' | 'author'>): string {
  if (config.sync.member) return config.sync.member;
  return config.author.email.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, 63) || 'member';
}
