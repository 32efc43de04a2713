import type { FactCandidate } from './facts.js';
import { typedText } from '../detect/transcript.js';
import type { JournalLine } from '../store/raw-journal.js';

/**
 * The deterministic fact extractors: the user's own standing instructions, the commands that
 * actually worked in this project, and the lessons of incidents that got a rule.
 */
export interface ExtractContext {
  session: string;
  /** Incidents by id: their rules, and the error they were opened with. */
  incidents: ReadonlyMap<string, { rules: string[]; error?: string }>;
  rules: ReadonlyMap<string, { text: string; status: string }>;
}

/**
 * A standing instruction is said as one: it starts with the word ("Always run...", "Never use...",
 * "Prefer...", "From now on..."), or asks to use one thing instead of another. "It never works"
 * or a pasted "should never be closed" is not an instruction.
 */
const PREFERENCE = /^(please\s+)?(always|never|prefer|from now on|make sure to|don't ever|do not ever)\b|^(please\s+)?use\b.*\binstead of\b/i;
const DECISION = /^(we decided|we've decided|we have decided|let's go with|lets go with|we'll use|we will use|we'll go with|we will go with)\b/i;
const PACKAGE_MANAGERS = /^(npm|pnpm|yarn|bun|pip|pip3|poetry|uv|cargo|go|bundle|composer|gradle|mvn|dotnet)$/;
/** The command head must start with a runner: `ls test` or `mkdir test` is not how tests run. */
const RUNNER = /^(npm|pnpm|yarn|bun|npx|pnpx|bunx|deno|node|python3?|pytest|vitest|jest|mocha|tox|cargo|go|make|mvn|gradle|\.\/gradlew|dotnet|rspec|bundle|rake|phpunit|tsc|uv|poetry)\b/;
const TEST = /\b(test|tests|pytest|vitest|jest|mocha|rspec|phpunit|tox)\b/;
const BUILD = /\b(build|tsc|compile)\b/;
const MIN_CHARS = 12;
const MAX_CHARS = 240;

const sentences = (text: string) =>
  text
    .replace(/```[\s\S]*?```/g, ' ')
    .split(/(?<=[.!])\s+|\n+/)
    .map((s) => s.replace(/\s+/g, ' ').trim())
    .filter(Boolean);

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const finish = (s: string) => (/[.!?]$/.test(s) ? s : `${s}.`);

/** Standing instructions in the user's own words: "always ...", "never ...", "use X instead of Y". */
function fromPrompt(line: JournalLine, session: string): FactCandidate[] {
  const out: FactCandidate[] = [];
  // The person's words only: the editor selection or a reminder attached to a prompt is file text.
  for (const s of sentences(typedText(line.detail ?? ''))) {
    if (s.length < MIN_CHARS || s.length > MAX_CHARS || s.endsWith('?')) continue;
    const category = PREFERENCE.test(s) ? 'preference' : DECISION.test(s) ? 'decision' : null;
    if (!category) continue;
    out.push({
      statement: finish(capitalise(s)),
      category,
      confidence: category === 'preference' ? 0.9 : 0.7,
      time: line.time,
      source: { session, by: 'prompt', ...(line.line !== undefined ? { line: line.line } : {}) },
      provenance: 'typed',
    });
  }
  return out;
}

/**
 * The stable head of a command: `cd x && npm test -- a.ts` gives `npm test`. Paths, flags and
 * arguments after `--` vary from run to run and would make a new fact each time.
 */
export function commandHead(command: string, match: RegExp): string | null {
  for (const part of command.split(/&&|\|\||;|\|/)) {
    const words = part.trim().split(/\s+/);
    const head: string[] = [];
    for (const w of words) {
      if (w === '--' || w.startsWith('-') || w.includes('/') || /\.\w+$/.test(w) || /^[A-Z_]+=/.test(w) || head.length >= 4) break;
      head.push(w);
    }
    const text = head.join(' ');
    if (head.length && RUNNER.test(text) && match.test(text)) return text;
  }
  return null;
}

function fromCommand(line: JournalLine, session: string): FactCandidate[] {
  if (line.tool !== 'Bash' || line.ok !== true || !line.target) return [];
  const source = { session, by: 'command', ...(line.line !== undefined ? { line: line.line } : {}) };
  const out: FactCandidate[] = [];
  // Every part of a chain: `cd app && pnpm install` uses pnpm.
  const managers = new Set(
    line.target
      .split(/&&|\|\||;|\|/)
      .map((part) => part.trim().split(/\s+/)[0] ?? '')
      .map((first) => (first === 'npx' ? 'npm' : first === 'pnpx' ? 'pnpm' : first === 'bunx' ? 'bun' : first))
      .filter((m) => PACKAGE_MANAGERS.test(m)),
  );
  for (const manager of managers) out.push({ statement: `The project uses ${manager}.`, category: 'project', confidence: 0.6, time: line.time, source });
  const test = commandHead(line.target, TEST);
  if (test) out.push({ statement: `Tests run with \`${test}\`.`, category: 'config', confidence: 0.7, time: line.time, source });
  else {
    const build = commandHead(line.target, BUILD);
    if (build) out.push({ statement: `It builds with \`${build}\`.`, category: 'config', confidence: 0.7, time: line.time, source });
  }
  return out;
}

export function extractFacts(lines: JournalLine[], ctx: ExtractContext): FactCandidate[] {
  const out: FactCandidate[] = [];
  const lessons = new Set<string>();
  const failures = new Set<string>();
  for (const line of lines) {
    // The user's own words only: not a slash command, not a task the parent agent wrote.
    if (line.event === 'UserPromptSubmit' && !line.agent && !line.detail?.startsWith('/')) out.push(...fromPrompt(line, ctx.session));
    out.push(...fromCommand(line, ctx.session));
    if (!line.incident) continue;
    const incident = ctx.incidents.get(line.incident);
    const source = { session: ctx.session, by: 'lesson', ...(line.line !== undefined ? { line: line.line } : {}) };
    for (const rule of incident?.rules ?? []) {
      const r = ctx.rules.get(rule);
      if (!r || r.status !== 'active' || lessons.has(rule)) continue;
      lessons.add(rule);
      out.push({ statement: finish(r.text.replace(/\s+/g, ' ').trim()), category: 'lesson', confidence: 0.9, time: line.time, source, provenance: 'person' });
    }
    if (!failures.has(line.incident)) {
      failures.add(line.incident);
      // The incident's first error, not this occurrence's text: the next occurrence refreshes the same fact.
      const error = (incident?.error ?? line.detail ?? 'failed').replace(/\s+/g, ' ').trim().slice(0, 120);
      out.push({ statement: `${line.tool ?? line.event} failed: ${error} (incident ${line.incident}).`, category: 'event', confidence: 0.6, time: line.time, source: { ...source, by: 'incident' }, provenance: 'tool-output' });
    }
  }
  return out;
}
