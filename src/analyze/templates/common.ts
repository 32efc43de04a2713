// What every rule template takes and shares: the incident, its cause, the project's terms.
import type { Cause } from '../../detect/cause.js';
import type { Incident } from '../../store/schemas.js';
import type { AnalystContext, ProposedRule } from '../schema.js';

export interface TemplateInput {
  ctx: AnalystContext;
  cause: Cause;
  incident: Incident;
  error: string;
  target: string | undefined;
  tool: string;
  /** The command that failed, for Bash. */
  cmd: string | undefined;
  /** A glob for the kind of file the call worked on. */
  pattern: string | undefined;
  entity: string;
  /** The project's package manager. */
  pm: string | undefined;
}

/** What to use instead of a program that is missing, in the words a person would say it. */
export const INSTEAD: Record<string, [title: string, body: string]> = {
  tree: ['list folders with Glob or find', 'list folders with the Glob tool or `find . -maxdepth 2 -not -path "*/node_modules/*"`'],
  jq: ['read JSON with node or python3', 'read JSON with `node -e` or `python3 -m json.tool`, or with the Read tool'],
  rg: ['search with Grep or grep -rn', 'search with the Grep tool or `grep -rn`'],
  ag: ['search with Grep or grep -rn', 'search with the Grep tool or `grep -rn`'],
  fd: ['find files with Glob or find', 'find files with the Glob tool or `find`'],
  bat: ['read files with Read or cat', 'read files with the Read tool or `cat`'],
  python: ['use python3', 'run `python3`'],
  pip: ['use python3 -m pip', 'run `python3 -m pip`'],
  pip3: ['use python3 -m pip', 'run `python3 -m pip`'],
  yq: ['read YAML with the Read tool', 'read YAML with the Read tool'],
  gh: ['use git and ask for GitHub steps', 'use `git`, and say which steps need GitHub'],
  timeout: ["use the Bash tool's timeout", "give the Bash tool its own timeout parameter"],
  gtimeout: ["use the Bash tool's timeout", "give the Bash tool its own timeout parameter"],
  realpath: ['use cd and pwd', 'use `cd DIR && pwd`'],
  tsc: ['run it with npx', 'run it through the project with `npx tsc`'],
  eslint: ['run it with npx', 'run it through the project with `npx eslint`'],
  prettier: ['run it with npx', 'run it through the project with `npx prettier`'],
  vitest: ['run it with npx', 'run it through the project with `npx vitest`'],
  jest: ['run it with npx', 'run it through the project with `npx jest`'],
};

export function runScript(pm: string | undefined, script: string): string {
  const m = pm ?? 'npm';
  return m === 'npm' ? `npm run ${script}` : `${m} ${script}`;
}

export function addCommand(pm: string | undefined, pkg: string): string {
  return pm === 'npm' || !pm ? `npm install ${pkg}` : `${pm} add ${pkg}`;
}

export interface Template {
  why: string;
  rule?: ProposedRule;
  dismiss?: string;
}

export const quoteSafe = (s: string) => s.replace(/[`]/g, "'");

