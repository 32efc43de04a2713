import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeCacheFileSync } from '../util/atomic-write.js';
import { parseRule, RULE_ID, RuleParseError, type Rule } from './rule.js';

/**
 * Parsed rules, remembered by file size and modification time in `.cache/rules.json`: parsing the
 * YAML of 500 rules takes about 200 ms, reading this file a few. Derived data only: a missing,
 * stale or broken cache just means parsing again.
 */
const CACHE_FILE = join('.cache', 'rules.json');

interface CacheEntry {
  size: number;
  mtimeMs: number;
  /** Atomic writes give every version of a file a new inode: a same-size rewrite in the same instant still misses. */
  ino: number;
  rule: Rule;
}

function readCache(root: string): Record<string, CacheEntry> {
  try {
    const data = JSON.parse(readFileSync(join(root, CACHE_FILE), 'utf8')) as { version: number; entries: Record<string, CacheEntry> };
    return data.version === 2 ? data.entries : {};
  } catch {
    return {};
  }
}

export interface LoadedRules {
  rules: Rule[];
  errors: RuleParseError[];
}

/** Every rules/*.md of a workspace, parsed; a broken file is reported with its line, not fatal. */
export function loadRules(root: string): LoadedRules {
  const dir = join(root, 'rules');
  const out: LoadedRules = { rules: [], errors: [] };
  if (!existsSync(dir)) return out;
  const cache = readCache(root);
  const fresh: Record<string, CacheEntry> = {};
  let missed = false;
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.md')).sort()) {
    const file = `rules/${name}`;
    let st;
    try {
      st = statSync(join(dir, name));
    } catch {
      continue; // removed meanwhile
    }
    const hit = cache[name];
    if (hit && hit.size === st.size && hit.mtimeMs === st.mtimeMs && hit.ino === st.ino) {
      out.rules.push(structuredClone(hit.rule));
      fresh[name] = hit;
      continue;
    }
    missed = true;
    try {
      const rule = parseRule(readFileSync(join(dir, name), 'utf8'), file);
      if (`${rule.id}.md` !== name) throw new RuleParseError(file, 2, `id ${rule.id} does not match the file name; rename the file to ${rule.id}.md or fix the id`);
      out.rules.push(rule);
      fresh[name] = { size: st.size, mtimeMs: st.mtimeMs, ino: st.ino, rule: structuredClone(rule) };
    } catch (err) {
      if (err instanceof RuleParseError) out.errors.push(err);
      else throw err;
    }
  }
  // A read-only workspace still works, only slower.
  if (missed || Object.keys(cache).length !== Object.keys(fresh).length) writeCacheFileSync(join(root, CACHE_FILE), JSON.stringify({ version: 2, entries: fresh }));
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
