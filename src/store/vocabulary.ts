// The store's words: plain lists that commands, screens and the schemas share. They are kept apart
// from the schemas (schemas.ts) so that naming one does not build every document's schema: a
// command that reads only files the store wrote itself, `memory search` say, never needs them.

/** Where an event came from: a live hook, an imported transcript, a report (`nevo-tui report`). */
export const SOURCES = ['hook', 'transcript', 'report'] as const;
export type Source = (typeof SOURCES)[number];
/** What a report may say failed: a quality gate stage, a circuit breaker, a task. */
export const REPORT_SIGNALS = ['quality', 'breaker', 'task'] as const;
/** What noticed a failure: the source, or for a report its signal. */
export const SIGNALS = ['hook', 'transcript', ...REPORT_SIGNALS] as const;
export type Signal = (typeof SIGNALS)[number];
/** The taxonomy of mistakes; each incident gets exactly one, the first that matches (detect/category.ts). */
export const CATEGORIES = [
  'interrupted',
  'command not found',
  'missing script',
  'module not found',
  'dependency conflict',
  'file not read first',
  'edit mismatch',
  'input validation',
  'tool unavailable',
  'is a directory',
  'type error',
  'syntax error',
  'usage error',
  'runtime error',
  'file not found',
  'wrong directory',
  'git',
  'permission',
  'timeout',
  'network',
  'lint',
  'test failure',
  'other',
] as const;

export type Category = (typeof CATEGORIES)[number];

export const FACT_CATEGORIES = ['preference', 'lesson', 'config', 'project', 'decision', 'event'] as const;
export type FactCategory = (typeof FACT_CATEGORIES)[number];

/**
 * Where a fact's words came from. Only `typed` (what the person typed as a prompt) and `person`
 * (entered or approved by a person at the CLI or TUI) can make a preference or a lesson; the
 * others are data the agent, a tool or a file produced, never an instruction.
 */
export const PROVENANCES = ['typed', 'person', 'assistant', 'tool-output', 'file-text', 'teammate'] as const;
export type Provenance = (typeof PROVENANCES)[number];

export const JOB_NAMES = ['ingest', 'consolidate', 'validate-skills', 'self-review', 'fitness', 'sync'] as const;
export type JobName = (typeof JOB_NAMES)[number];
