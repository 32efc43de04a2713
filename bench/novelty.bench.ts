// The novelty check of one proposal against every rule, as the rules pile up: every analysis runs
// it (built-in or external), inside the store's lock. Rules are made from the corpus's real
// failures (bench/corpus/analysis), so their words are as varied as a workspace's.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { checkNovelty } from '../src/rules/novelty.js';
import type { RuleStatus } from '../src/rules/rule.js';
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
