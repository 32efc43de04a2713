#!/usr/bin/env node
// Writes bench/corpus/SOURCES.md from the .source.json of every corpus file: where each came from
// (repository, commit, paths), under which licence, and whether the bench holds it out.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = 'bench/corpus/analysis';
const split = (repo) => (parseInt(createHash('sha256').update(repo).digest('hex').slice(0, 2), 16) < 86 ? 'holdout' : 'tune');
const rows = [];
let calls = 0;
let failed = 0;
for (const f of readdirSync(dir).filter((x) => x.endsWith('.source.json')).sort()) {
  const s = JSON.parse(readFileSync(join(dir, f), 'utf8'));
  const lines = readFileSync(join(dir, f.replace('.source.json', '.jsonl')), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const bad = lines.filter((l) => !l.ok);
  calls += lines.length;
  failed += bad.length;
  const noise = bad.filter((l) => l.label && !l.label.actionable).length;
  rows.push(`| ${s.repo} | \`${s.commit.slice(0, 12)}\` | ${s.licence} (${s.licenceFile ?? 'see notes'}) | ${split(s.repo)} | ${lines.length} | ${bad.length} (${bad.length - noise} actionable, ${noise} noise) | ${s.files.length} file(s): ${s.files.slice(0, 3).map((p) => `\`${p}\``).join(', ')}${s.files.length > 3 ? ', …' : ''} | ${String(s.notes ?? '').replace(/\|/g, '/')} |`);
}
const text = `# Sources of the analysis corpus

Real Claude Code sessions and hook logs that public projects committed, cut down to what the
analysis bench needs: each tool call (tool, trimmed input), whether it worked, the error of a failed
one (at most 1,500 characters), its session and time. Nothing else of the projects is copied. Every
failed call is labelled by hand (see LABELS.md and CLASSES.md). Sources are split by a hash of their
name (\`bench/analysis.bench.ts\`, \`splitOf\`): the holdout sources were never looked at while the
analyst was tuned. The full paths and commits are in each \`analysis/*.source.json\`.

${rows.length} sources, ${calls} tool calls, ${failed} failed.

| repository | commit | licence | split | calls | failed | files | notes |
| --- | --- | --- | --- | --- | --- | --- | --- |
${rows.join('\n')}
`;
writeFileSync('bench/corpus/SOURCES.md', text);
console.log(`${rows.length} sources, ${calls} calls, ${failed} failed`);
