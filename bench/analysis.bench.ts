// The analysis bench: real failed Claude Code tool calls from public projects (bench/corpus/),
// labelled by hand, go through the hook's cleaning, ingest and the built-in analyst, one fresh
// workspace per project, and the outcome is scored against the labels (see analysis-score.ts).
// Sources are split by a hash of their name: the holdout part is never looked at while tuning,
// so its figures say how the analyst does on data it was not shaped on.
// `npm run bench -- analysis [--split tune|holdout] [--verbose]`
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeMany } from '../src/analyze/analyze.js';
import { builtinAnalyst } from '../src/analyze/builtin.js';
import { causeOf } from '../src/detect/cause.js';
import { cleanPayload } from '../src/detect/clean.js';
import { matchGuard } from '../src/detect/guard-match.js';
import { ingestTriggers } from '../src/detect/ingest.js';
import { writeTrigger } from '../src/detect/trigger.js';
import { compileGuards } from '../src/rules/guards.js';
import { loadRules } from '../src/rules/load.js';
import type { Rule } from '../src/rules/rule.js';
import { initWorkspace } from '../src/app/init.js';
import { openWorkspace } from '../src/workspace/workspace.js';
import { HEADER, merge, namesFix, pct, row, score, table, type Label, type Score, type ScoredCall, type ScoredIncident, type ScoredRule } from './analysis-score.js';

const CORPUS = process.env.BENCH_CORPUS ?? 'bench/corpus/analysis';
const args = process.argv.slice(2);
const splitArg = args.includes('--split') ? args[args.indexOf('--split') + 1] : process.env.BENCH_SPLIT;
const verbose = args.includes('--verbose') || process.env.BENCH_VERBOSE === '1';

interface CorpusLine {
  source: string;
  session?: string;
  time?: string | null;
  tool: string;
  input?: Record<string, unknown>;
  ok: boolean;
  error?: string;
  interrupt?: boolean;
  label?: Label;
}

/** About a third of the sources, chosen by name and never by content, are held out. */
export function splitOf(source: string): 'tune' | 'holdout' {
  return parseInt(createHash('sha256').update(source).digest('hex').slice(0, 2), 16) < 86 ? 'holdout' : 'tune';
}

/** The starter rules answer these classes. */
const STARTER: Record<string, string[]> = { 'AGENT-001': ['read-before-edit', 'write-before-read'] };

/** A guard on `p` must let these through: the program's name as text, asked about, installed first. */
function legitimateVariants(p: string): string[] {
  return [
    `git commit -m "docs: explain why ${p} is not used; see notes"`,
    `echo '${p}'`,
    `command -v ${p}`,
    `which ${p} || echo "no ${p}"`,
    `apt-get install -y ${p} && ${p} --version`,
    `cat <<'EOF' > notes.md\n${p} is missing here\nEOF`,
    `grep -rn "${p}" src`,
    `ls -la # ${p} later`,
    `npm run build -- --${p}`,
    `git log --oneline -- ${p}.md`,
  ];
}

/** … and block these: the program run in every command position a shell has. */
function mistakenVariants(p: string): string[] {
  return [`${p}`, `${p} --help`, `sudo ${p}`, `/usr/bin/${p}`, `cd src && ${p}`, `ls | xargs ${p}`, `FOO=1 ${p}`, `time ${p}`, `(${p})`, `echo "$(${p})"`, `env LANG=C ${p}`, `nohup ${p} &`, `bash -c '${p}'`];
}

function readCorpus(): Map<string, CorpusLine[]> {
  const out = new Map<string, CorpusLine[]>();
  for (const file of readdirSync(CORPUS).filter((f) => f.endsWith('.jsonl')).sort()) {
    const lines = readFileSync(join(CORPUS, file), 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as CorpusLine);
    if (lines.length) out.set(lines[0]!.source, lines);
  }
  return out;
}

function payloadOf(line: CorpusLine, project: string, time: string): Record<string, unknown> {
  const p: Record<string, unknown> = {
    session_id: line.session ?? 'no-session',
    cwd: project,
    hook_event_name: line.ok ? 'PostToolUse' : 'PostToolUseFailure',
    tool_name: line.tool,
    tool_input: line.input ?? {},
    timestamp: time,
  };
  if (line.ok) p.tool_response = line.interrupt ? { interrupted: true } : {};
  else {
    p.error = line.error ?? '';
    p.is_interrupt = line.interrupt === true;
  }
  return p;
}

async function runSource(source: string, lines: CorpusLine[]): Promise<Score> {
  // The checkout is named like the repository, as a person's clone is.
  const scratch = mkdtempSync(join(tmpdir(), 'nevo-bench-analysis-'));
  const project = join(scratch, source.split('/').pop()!);
  mkdirSync(project);
  try {
    const { workspace } = await initWorkspace({ project, cwd: project });
    // Every call's fate is read from store/events.json, which keeps the latest `store.recentEvents`:
    // a source with more calls than that would lose the fates of its first ones.
    const configFile = join(workspace, 'config.json');
    const config = JSON.parse(readFileSync(configFile, 'utf8'));
    writeFileSync(configFile, JSON.stringify({ ...config, store: { ...config.store, recentEvents: Math.max(2000, lines.length + 100) } }, null, 2));
    const ws = openWorkspace(workspace);
    const starters = new Set(loadRules(ws.root).rules.map((r) => r.id));
    // Calls go in session by session, each session analysed after its ingest, as the live loop does.
    const sessions = new Map<string, { line: CorpusLine; index: number }[]>();
    lines.forEach((line, index) => {
      const s = line.session ?? 'no-session';
      sessions.set(s, [...(sessions.get(s) ?? []), { line, index }]);
    });
    const base = Date.parse('2026-06-01T00:00:00Z');
    let clock = 0;
    const eventOf = new Map<number, string>();
    for (const calls of sessions.values()) {
      for (const { line, index } of calls) {
        const original = line.time ? Date.parse(line.time) : NaN;
        const time = new Date(Number.isNaN(original) ? base + clock * 1000 : original).toISOString();
        clock++;
        const id = `${String(index).padStart(6, '0')}-c${index}`;
        eventOf.set(index, id);
        writeTrigger(ws.layout.triggers, { v: 1, id, receivedAt: time, source: 'hook', payload: cleanPayload(payloadOf(line, project, time)) });
      }
      await ingestTriggers(ws);
      await analyzeMany(ws, undefined, { builtin: true });
    }
    const events = new Map((await ws.store.read('events')).records.map((e) => [e.id, e]));
    const incidentsDoc = (await ws.store.read('incidents')).records;
    const { rules } = loadRules(ws.root);
    const calls: ScoredCall[] = [];
    lines.forEach((line, index) => {
      if (line.ok || !line.label) return;
      const ev = events.get(eventOf.get(index)!);
      const fate = ev?.fate.kind ?? 'missing';
      const incident = ev && (ev.fate.kind === 'opened' || ev.fate.kind === 'counted') ? ev.fate.incident : undefined;
      calls.push({ source, label: line.label, fate, ...(incident ? { incident } : {}) });
      if (verbose && !line.label.actionable && fate !== 'noise') {
        const what = String(line.input?.command ?? line.input?.file_path ?? line.input?.pattern ?? '').replace(/\n/g, '⏎').slice(0, 90);
        console.log(`   noise reached review [${line.label.noise ?? '?'}] ${line.tool}: ${what} | ${(line.error ?? '').replace(/\n/g, '⏎').slice(0, 120)}`);
      }
      if (verbose && line.label.actionable && fate === 'noise') {
        const what = String(line.input?.command ?? line.input?.file_path ?? line.input?.pattern ?? '').replace(/\n/g, '⏎').slice(0, 90);
        console.log(`   mistake kept out as noise [${line.label.class}] ${line.tool}: ${what} | ${(line.error ?? '').replace(/\n/g, '⏎').slice(0, 120)}`);
      }
    });
    const incidents = new Map<string, ScoredIncident>(
      incidentsDoc.map((i) => [i.id, { id: i.id, status: i.status, rules: i.rules, decision: i.analysis?.decision === 'link' ? 'linked' : i.analysis?.decision === 'propose' ? 'proposed' : i.analysis?.decision ?? 'none' }]),
    );
    const classesByIncident = new Map<string, string[]>();
    for (const c of calls) if (c.incident) classesByIncident.set(c.incident, [...(classesByIncident.get(c.incident) ?? []), c.label.class]);
    const successes = lines.filter((l) => l.ok && l.tool === 'Bash' && typeof l.input?.command === 'string').map((l) => String(l.input!.command));
    const scored = new Map<string, ScoredRule>();
    for (const rule of rules) {
      const origin = STARTER[rule.id] ?? (rule.incidents[0] ? [...new Set(classesByIncident.get(rule.incidents[0].id) ?? [])] : []);
      const sr: ScoredRule = { id: rule.id, origin, status: rule.status, body: rule.body, title: rule.title, starter: starters.has(rule.id) };
      if (rule.guard && !sr.starter) {
        const failing = lines.filter((l) => !l.ok && l.label?.actionable && origin.includes(l.label.class) && typeof l.input?.command === 'string').map((l) => String(l.input!.command));
        const p = rule.guard.program;
        sr.guardProgram = p ?? rule.guard.command ?? '';
        const legit = [...(p ? legitimateVariants(p) : []), ...successes];
        const mistaken = [...(p ? mistakenVariants(p) : []), ...failing];
        const compiled = compileGuards([{ ...rule, status: 'active' } as Rule], project);
        const blocks = (command: string) => matchGuard(compiled, rule.guard!.tool, { command }) !== null;
        sr.legitimate = [legit.filter(blocks).length, legit.length];
        sr.mistaken = [mistaken.filter(blocks).length, mistaken.length];
        if (verbose) for (const c of legit.filter(blocks)) console.log(`   ${rule.id} blocks a legitimate call: ${c.slice(0, 100)}`);
      }
      scored.set(rule.id, sr);
    }
    const result = score(calls, incidents, scored);
    if (verbose) {
      for (const u of result.uncovered) console.log(`   uncovered: ${u}`);
      for (const w of result.wrong) console.log(`   wrong link: ${w}`);
      for (const r of rules.filter((x) => !starters.has(x.id))) console.log(`   ${r.id} [${scored.get(r.id)?.origin.join(',')}] ${r.title}${r.guard ? ` {guard ${r.guard.program ?? r.guard.command}}` : ''}${r.backtest?.dropped ? ` {guard dropped: ${r.backtest.dropped}}` : ''}${namesFix(r.body) ? '' : ` {names no fix: ${r.body.replace(/\n/g, ' ').slice(0, 160)}}`}`);
    }
    return result;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

interface GuardLists {
  classes: Record<string, { legitimate: string[]; mistaken: string[] }>;
}

/**
 * The guard the built-in analyst proposes for each guarded class of bench/corpus/guards.json, tried
 * on that class's lists. (Each project's own calls that worked are the per-source table's
 * "legit blocked": another project's calls that ran the program say nothing, it is installed there.)
 */
function guardTable(): string[][] {
  const lists = JSON.parse(readFileSync('bench/corpus/guards.json', 'utf8')) as GuardLists;
  const rows = [['guarded class', 'guard', 'legitimate blocked', 'mistakes blocked']];
  let legit = [0, 0];
  let mistaken = [0, 0];
  for (const [cls, list] of Object.entries(lists.classes)) {
    const program = cls.split(':')[1]!;
    const error = `Exit code 127\n/bin/bash: line 1: ${program}: command not found`;
    const cause = causeOf({ tool: 'Bash', target: `${program} --version`, error });
    const incident = { id: '2026-01-01-aaaa', fingerprint: 'aaaa', signature: error, category: cause.category, key: cause.key, signal: 'hook', tool: 'Bash', sample: { error, event: 'PostToolUseFailure', time: '2026-01-01T00:00:00.000Z', target: `${program} --version` }, count: 1, sessions: ['s'], firstSeen: '2026-01-01T00:00:00.000Z', lastSeen: '2026-01-01T00:00:00.000Z', recurring: false, status: 'new', rules: [], skills: [], reopened: 0, daily: {} } as const;
    const analysis = builtinAnalyst({ incident: incident as never, rules: [], recentEvents: [] }, '/p');
    const guard = analysis.decision.action === 'propose' ? analysis.decision.rule.guard : undefined;
    if (!guard) {
      rows.push([cls, 'none proposed', '-', '-']);
      continue;
    }
    const compiled = compileGuards([{ id: 'PROJ-001', title: '', status: 'active', guard, body: '' } as unknown as Rule], '/p');
    const blocks = (command: string) => matchGuard(compiled, guard.tool, { command }) !== null;
    const l = list.legitimate.filter(blocks);
    const m = list.mistaken.filter(blocks);
    legit = [legit[0]! + l.length, legit[1]! + list.legitimate.length];
    mistaken = [mistaken[0]! + m.length, mistaken[1]! + list.mistaken.length];
    rows.push([cls, guard.program ? `program ${guard.program}` : guard.command ?? '', `${l.length}/${list.legitimate.length}`, `${m.length}/${list.mistaken.length}`]);
    if (verbose) for (const c of l) console.log(`   ${cls} blocks a legitimate call: ${c.replace(/\n/g, '⏎').slice(0, 100)}`);
    if (verbose) for (const c of list.mistaken.filter((x) => !blocks(x))) console.log(`   ${cls} lets a mistake through: ${c.replace(/\n/g, '⏎').slice(0, 100)}`);
  }
  rows.push(['all', '', `${legit[0]}/${legit[1]}`, `${mistaken[0]}/${mistaken[1]} ${pct(mistaken[0]!, mistaken[1]!)}`]);
  return rows;
}

function plainTable(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')).join('\n');
}

const corpus = readCorpus();
const results: { source: string; split: string; score: Score }[] = [];
for (const [source, lines] of corpus) {
  const split = splitOf(source);
  if (splitArg && split !== splitArg) continue;
  if (verbose) console.log(`-- ${source} (${split})`);
  results.push({ source, split, score: await runSource(source, lines) });
}
const rows = [HEADER];
for (const r of results) rows.push(row(`${r.source} (${r.split})`, r.score));
for (const split of ['tune', 'holdout']) {
  const part = results.filter((r) => r.split === split);
  if (part.length) rows.push(row(`all ${split} (${part.length} sources)`, merge(part.map((r) => r.score))));
}
rows.push(row(`all (${results.length} sources)`, merge(results.map((r) => r.score))));
console.log(table(rows));
console.log('');
console.log(plainTable(guardTable()));
console.log('');
console.log('goals: noise kept out >= 90%, classes covered >= 90%, wrong links <= 3%, legitimate blocked 0, mistakes blocked >= 95%');
