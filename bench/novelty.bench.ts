// The novelty check of one proposal against every rule, as the rules pile up: every analysis runs
// it (built-in or external), inside the store's lock. Rules are made from the corpus's real
// failures (bench/corpus/analysis), so their words are as varied as a workspace's.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { projectEnvironment } from '../src/rules/environment.js';
import { evidenceFor } from '../src/rules/evidence.js';
import { lintRules } from '../src/rules/lint.js';
import { checkNovelty } from '../src/rules/novelty.js';
import type { Rule, RuleStatus } from '../src/rules/rule.js';
import { fmt, median } from './util.js';

const dir = join('bench', 'corpus', 'analysis');
const failures = readdirSync(dir)
  .filter((f) => f.endsWith('.jsonl'))
  .sort()
  .flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').filter((l) => l.includes('"ok":false')))
  .map((l) => JSON.parse(l) as { tool: string; error?: string; input?: { command?: string; file_path?: string } });
const rules = failures.map((f, i) => {
  const what = String(f.input?.command ?? f.input?.file_path ?? f.tool).split('\n')[0]!.slice(0, 80);
  const error = String(f.error ?? '').split('\n').find((l) => l.trim() && !/^Exit code/.test(l))?.slice(0, 120) ?? 'it failed';
  return { id: `PROJ-${String(i + 1).padStart(4, '0')}`, title: `Check before ${what}`, status: 'proposed' as RuleStatus, trigger: `Before ${f.tool} runs ${what}`, enforcement: `Avoid: ${error}`, verification: `No more ${error}`, body: `When ${f.tool} runs ${what}, it failed with ${error}. Check first.` };
});

console.log(`novelty check of one proposal, ${rules.length.toLocaleString('en')} rules made from the corpus's failures`);
for (const n of [50, 200, 800, 1600]) {
  if (n > rules.length - 5) break;
  const times: number[] = [];
  for (let k = 0; k < 5; k++) {
    const candidate = rules[rules.length - 1 - k]!;
    const t = performance.now();
    checkNovelty(candidate, rules.slice(0, n));
    times.push(performance.now() - t);
  }
  console.log(`  against ${String(n).padStart(4)} rules: median ${fmt(median(times))} over 5 proposals`);
}

/** The bench's rule as a stored one, as evidence reads it. */
const asRule = (r: (typeof rules)[number]) => ({ ...r, scope: 'project', incidents: [], novelty: '', created: '2026-11-21', updated: '2026-11-21', hits: 0, file: `rules/${r.id}.md` }) as Rule;

// What the Review screen and `nevo-tui review` show of the first proposal of a queue: its closest
// rule by wording among all the others, from a new evidenceFor (a new snapshot).
console.log(`the first proposal's evidence in review (its closest rule), same rules`);
for (const n of [50, 200, 800, 1600]) {
  if (n > rules.length - 5) break;
  const times: number[] = [];
  for (let k = 0; k < 5; k++) {
    const candidate = asRule(rules[rules.length - 1 - k]!);
    const all = [...rules.slice(0, n).map(asRule), candidate];
    const t = performance.now();
    evidenceFor({ rules: all, incidents: [], preferences: [], threshold: 0.6 })(candidate);
    times.push(performance.now() - t);
  }
  console.log(`  among ${String(n).padStart(4)} rules: median ${fmt(median(times))} over 5 proposals`);
}

// `nevo-tui review`: the evidence of a whole queue of 20 proposals, asked for together.
console.log(`the evidence of a queue of 20 proposals in \`nevo-tui review\`, same rules`);
for (const n of [50, 200, 800, 1600]) {
  if (n + 20 > rules.length) break;
  const times: number[] = [];
  for (let k = 0; k < 3; k++) {
    const queue = rules.slice(rules.length - 20 - k, rules.length - k).map(asRule);
    const all = [...rules.slice(0, n).map(asRule), ...queue];
    const t = performance.now();
    const evidenceOf = evidenceFor({ rules: all, incidents: [], preferences: [], threshold: 0.6, subjects: queue });
    for (const p of queue) evidenceOf(p);
    times.push(performance.now() - t);
  }
  console.log(`  among ${String(n).padStart(4)} rules: median ${fmt(median(times))} over 3 queues`);
}

// `nevo-tui rules list` and `rules lint` lint every rule: every pair is compared (overlap,
// contradiction) and each rule's programs and paths are looked up in the project and on PATH.
console.log('lint of every rule (`rules list`, `rules lint`), the same rules active, this folder as the project');
for (const n of [50, 200, 800]) {
  if (n > rules.length) break;
  const active = rules.slice(0, n).map((r) => ({ ...asRule(r), status: 'active' as RuleStatus }));
  const times: number[] = [];
  for (let k = 0; k < 3; k++) {
    const t = performance.now();
    lintRules(active, [], projectEnvironment(process.cwd()));
    times.push(performance.now() - t);
  }
  console.log(`  ${String(n).padStart(4)} rules: median ${fmt(median(times))} over 3 runs`);
}
