import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseRule, RULE_ID, RuleParseError, type Rule } from './rule.js';

export interface LoadedRules {
  rules: Rule[];
  errors: RuleParseError[];
}

/** Every rules/*.md of a workspace, parsed; a broken file is reported with its line, not fatal. */
export function loadRules(root: string): LoadedRules {
  const dir = join(root, 'rules');
  const out: LoadedRules = { rules: [], errors: [] };
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.md')).sort()) {
    const file = `rules/${name}`;
    try {
      const rule = parseRule(readFileSync(join(dir, name), 'utf8'), file);
      if (`${rule.id}.md` !== name) throw new RuleParseError(file, 2, `id ${rule.id} does not match the file name; rename the file to ${rule.id}.md or fix the id`);
      out.rules.push(rule);
    } catch (err) {
      if (err instanceof RuleParseError) out.errors.push(err);
      else throw err;
    }
  }
  return out;
}

/** The next free number for a prefix: above every id in use and every id ever used (`floor`). */
export function nextRuleNumber(rules: { id: string }[], prefix: 'PROJ' | 'AGENT', floor: number): number {
  let max = floor - 1;
  for (const r of rules) {
    const m = RULE_ID.exec(r.id);
    if (m && m[1] === prefix) max = Math.max(max, Number(m[2]));
  }
  return max + 1;
}
