// What nevo-tui registers for each hook event, for a Claude Code version (detect/claude-version.ts),
// the workspace's guards and its SessionStart context. Pure: data in, data out.
//
// The agent waits for a synchronous handler and not for an async one. Capture events run in the
// background, except Stop: Claude Code cancels the background handlers still running when a
// headless session ends, right after its Stop handlers return, so Stop runs in the foreground and
// the hook waits there for the session's capture handlers still running (hook-wait.ts). SessionEnd
// runs after that cancellation and stays in the foreground too. PreToolUse starts only for calls a
// guard could block: `if` patterns compiled from the guards.
import type { HookForm } from './claude-version.js';

export interface HandlerSpec {
  async?: true;
  /** Permission-rule syntax: the handler starts only for calls it matches. */
  if?: string;
}

/** Handlers of nevo's one matcher group, by event; an empty list means no group at all. */
export type HookPlan = Record<string, HandlerSpec[]>;

/** A rule's guard as written (globs, not compiled): what an `if` pattern is made from. */
export interface GuardSource {
  tool: string;
  program?: string;
  command?: string;
  paths?: string[];
  input?: string;
}

/** Past this many PreToolUse handlers one without `if` is cheaper: Claude Code starts every `if` handler for a command it cannot read (`$(...)`). */
export const MAX_IF_HANDLERS = 8;

const CAPTURE = ['PostToolUse', 'PostToolUseFailure', 'SubagentStop', 'UserPromptSubmit', 'TaskCompleted'];
/** What the transcript reads give (of the open sessions, and at the end of a turn), when the capture is by turn. */
const TURN_READS = ['PostToolUse', 'UserPromptSubmit'];

/** Tools whose file paths Claude Code's `if` matches with globs. */
const PATH_TOOLS = new Set(['Read', 'Edit', 'Write']);
/** A tool name that is safe to write bare in permission-rule syntax. */
const TOOL_NAME = /^[A-Za-z0-9_-]+$/;
/** Characters a path glob may hold to mean the same to Claude Code (gitignore-style) as to the guard. */
const SIMPLE_GLOB = /^[A-Za-z0-9_.*?/@+-]+$/;

/**
 * A guard's path glob as an `if` path pattern that matches every file the guard does: the guard
 * matches the path as given and relative to the project, Claude Code matches the absolute path,
 * so the glob may start at any folder (`**\/`). Null when the glob is not plain enough.
 */
export function pathPattern(glob: string): string | null {
  let g = glob.startsWith('./') ? glob.slice(2) : glob;
  if (!SIMPLE_GLOB.test(g) || g.split('/').some((part) => part === '..')) return null;
  if (g.startsWith('/')) g = g.replace(/^\/+/, '');
  if (!g) return null;
  return g.startsWith('**/') ? g : `**/${g}`;
}

/**
 * The `if` patterns that start the PreToolUse handler for every call this guard could block, or
 * `[tool]` (every call of its tool) when its pattern cannot be expressed so. A program guard
 * becomes `Bash(*tree*)`: Claude Code splits compound commands and removes quotes, and a
 * wildcard on both sides also covers `sudo tree`, `/usr/bin/tree`, `bash -c 'tree'`. A command
 * or input regex stays tool-wide: Claude Code drops redirection targets, comments and `FOO=1`
 * prefixes before it matches, so a text the regex needs may not be there.
 */
export function guardIfs(guard: GuardSource, form: Pick<HookForm, 'pathIfs'>): string[] | null {
  if (!TOOL_NAME.test(guard.tool)) return null;
  // A guard blocks only when all its patterns match, so one pattern it has is enough to filter by.
  if (guard.tool === 'Bash' && guard.program) return [`Bash(*${guard.program}*)`];
  if (form.pathIfs && PATH_TOOLS.has(guard.tool) && guard.paths?.length) {
    const patterns = guard.paths.map(pathPattern);
    if (patterns.every((p): p is string => p !== null)) return patterns.map((p) => `${guard.tool}(${p})`);
  }
  return [guard.tool];
}

/** The PreToolUse handlers for these guards: none without guards, one without `if` when they cannot be told apart. */
export function preToolUse(guards: GuardSource[] | 'any', form: HookForm): HandlerSpec[] {
  if (guards === 'any') return [{}];
  if (!guards.length) return form.async ? [] : [{}];
  if (!form.ifs) return [{}];
  const byTool = new Map<string, Set<string>>();
  for (const guard of guards) {
    const patterns = guardIfs(guard, form);
    if (!patterns) return [{}];
    const set = byTool.get(guard.tool) ?? new Set<string>();
    for (const p of patterns) set.add(p);
    byTool.set(guard.tool, set);
  }
  const ifs: string[] = [];
  for (const [tool, set] of [...byTool].sort(([a], [b]) => a.localeCompare(b))) {
    // A tool-wide handler already starts for every call of its tool.
    if (set.has(tool)) ifs.push(tool);
    else ifs.push(...[...set].sort());
  }
  return ifs.length > MAX_IF_HANDLERS ? [{}] : ifs.map((p) => ({ if: p }));
}

export type Capture = 'call' | 'turn';

export interface PlanInput {
  form: HookForm;
  /** Config `hooks.capture`; default "turn" (by call where Claude Code has no background hooks). */
  capture?: Capture;
  /** Active guards of the workspace; 'any' when the settings serve every project (user scope). */
  guards: GuardSource[] | 'any';
  /** SessionStart may print context (see sessionContextPossible): it must run in the foreground. */
  sessionContext: boolean;
}

/**
 * The handlers of every event. A version without `async` gets the form every version reads: one
 * foreground handler per event, PreToolUse for every call.
 */
export function planHooks({ form, guards, sessionContext, capture = 'turn' }: PlanInput): HookPlan {
  const plan: HookPlan = {};
  const bg: HandlerSpec[] = form.async ? [{ async: true }] : [{}];
  for (const event of CAPTURE) plan[event] = bg;
  // By turn: the calls that worked and the prompts are read from the transcript when the turn ends
  // (Stop), so a call that works starts nothing; a failure still comes at once, for Watch.
  // Without background handlers every hook would make the agent wait: by call is then no dearer.
  if (capture === 'turn' && form.async) for (const event of TURN_READS) plan[event] = [];
  plan.Stop = [{}];
  plan.SessionEnd = [{}];
  plan.SessionStart = sessionContext ? [{}] : bg;
  plan.PreToolUse = preToolUse(guards, form);
  if (form.instructionsLoaded) plan.InstructionsLoaded = bg;
  return plan;
}

/** How calls are captured with these entries: by turn only where Claude Code runs hooks in the background. */
export function effectiveCapture(form: Pick<HookForm, 'async'>, capture: Capture = 'turn'): Capture {
  return capture === 'turn' && form.async ? 'turn' : 'call';
}
