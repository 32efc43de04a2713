// Memory search at scale: 50,000 facts, 5,000 narratives and 100 digests, generated from a seed.
// Index build, save and load; per-query time of searchMemory against a plain Fuse pass over every
// item; and how often the indexed Fuse stage finds the same top 10 as the plain pass. Both use Fuse's
// extended search (options.ts): a query of several words matches where every word does, in any order.
import type { MemoryItem } from '../src/memory/item.js';
import { buildIndex, loadIndex, serializeIndex } from '../src/memory/search/index.js';
import { blendScore, fuseQuery, fuseStage, plainFuse, searchMemory } from '../src/memory/search/rank.js';
import { median, percentile } from './util.js';

const FACTS = Number(process.env.BENCH_FACTS ?? 50_000);
const NARRATIVES = Number(process.env.BENCH_NARRATIVES ?? 5_000);
const DIGESTS = 100;
const PLAIN_TIMED = 30;
const GOAL_P95 = 16;
const GOAL_AGREEMENT = 0.9;
const now = new Date('2026-11-20T12:00:00Z');

// mulberry32: small, seeded, good enough to make a corpus.
let seed = 0x5eed;
function rand(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
const hex = (n: number) => Array.from({ length: n }, () => '0123456789abcdef'[int(0, 15)]).join('');

const TOOLS = 'pnpm npm yarn bun npx node deno vitest jest mocha eslint prettier biome tsc esbuild vite webpack rollup turbo docker podman kubectl helm terraform ansible git gh make cmake cargo rustc clippy gofmt python pip uv poetry pytest ruff mypy black redis postgres sqlite mysql nginx caddy curl jq ripgrep fzf tmux zsh bash ssh rsync aws gcloud playwright storybook prisma drizzle'.split(' ');
const WORDS = ('function module import export async await promise cache index query schema migration endpoint handler router middleware config environment variable secret token session cookie header request response stream buffer parser lexer compiler bundle chunk snapshot fixture mock stub assertion coverage benchmark profile latency throughput memory leak deadlock race mutex lock retry backoff queue worker job scheduler cron webhook payload serializer validator types generic interface enum union tuple decorator closure callback iterator generator reducer selector hook component render state effect context provider store action dispatch build release deploy rollback staging production branch commit merge rebase conflict review lint format typecheck test suite flaky timeout fallback default option flag argument path file directory symlink permission user group process thread signal exit code log trace metric alert dashboard incident outage hotfix patch version tag changelog dependency lockfile workspace monorepo package plugin loader transform minify sourcemap polyfill target runtime container image volume network port proxy certificate domain dns redirect upload download archive backup restore encrypt decrypt hash checksum')
  .split(' ');
const PROJECTS = 'nevo atlas orbit ledger harbor quill beacon pylon sprout vector lumen cobalt'.split(' ');
const VERBS = 'parse load save fetch sync build render resolve validate format merge split index rank cache flush retry spawn watch emit'.split(' ');
const NOUNS = 'Config File Session Store User Profile Token Query Index Cache Event Payload Schema Route Bundle Snapshot Worker Job Hook Rule Memory Fact Digest'.split(' ');
const DIRS = 'src lib test bench scripts packages/api packages/web apps/cli .github/workflows config docs internal'.split(' ');
const NAMES = 'index main config utils store router schema cache worker client server auth session memory search rank hook ingest parse render'.split(' ');
const EXTS = '.ts .tsx .js .mjs .json .yml .md .py .rs .go'.split(' ');
const ERRORS = [
  "Cannot find module './{n}'",
  'ECONNREFUSED 127.0.0.1:5432',
  'ENOENT: no such file or directory',
  "Type 'string' is not assignable to type 'number'",
  'EADDRINUSE: address already in use :::3000',
  'segmentation fault (core dumped)',
  'Permission denied (publickey)',
  'npm ERR! code ERESOLVE',
  'fatal: not a git repository',
  'Maximum call stack size exceeded',
  'JavaScript heap out of memory',
  "ModuleNotFoundError: No module named '{n}'",
  'error[E0382]: borrow of moved value',
  'undefined is not a function',
  'exit code 137',
  'Timeout of 5000ms exceeded',
  'lockfile is out of date',
];
const COMMANDS = ['pnpm install', 'pnpm run build', 'npm ci', 'npx tsc --noEmit', 'git rebase -i main', 'git push --force-with-lease', 'docker compose up -d', 'cargo test --release', 'pytest -x', 'ruff check --fix', 'make lint', 'kubectl rollout restart', 'terraform plan', 'go test ./...', 'vitest run', 'eslint . --fix', 'uv sync', 'gh pr create', 'git stash pop', 'pnpm dlx prisma migrate'];

const ident = () => pick(VERBS) + pick(NOUNS) + (rand() < 0.3 ? pick(NOUNS) : '');
const path = () => `${pick(DIRS)}/${pick(NAMES)}${rand() < 0.3 ? `-${int(1, 40)}` : ''}${pick(EXTS)}`;
const error = () => pick(ERRORS).replace('{n}', pick(NAMES));
const cmd = () => pick(COMMANDS);
const date = () => `2026-${String(int(1, 11)).padStart(2, '0')}-${String(int(1, 28)).padStart(2, '0')}`;
const w = () => pick(WORDS);

const CLAUSES: Record<string, (() => string)[]> = {
  preference: [() => `Prefer ${pick(TOOLS)} over ${pick(TOOLS)} for ${w()} work`, () => `Use ${pick(TOOLS)}, not ${pick(TOOLS)}`, () => `Always run \`${cmd()}\` before a ${w()}`, () => `Keep the ${w()} ${w()} in ${path()}`, () => `Name ${w()} helpers like ${ident()}`],
  lesson: [() => `"${error()}" means the ${w()} is missing; run \`${cmd()}\``, () => `When ${pick(TOOLS)} fails with "${error()}", clear the ${w()} cache`, () => `Tests in ${path()} are flaky under ${pick(TOOLS)}: retry with ${cmd()}`, () => `${ident()} breaks when the ${w()} ${w()} is empty`],
  config: [() => `${path()} sets ${w()} to ${int(1, 9999)}`, () => `The ${w()} port is ${int(1024, 65535)}`, () => `${w().toUpperCase()}_${w().toUpperCase()} must point at ${path()}`, () => `${pick(TOOLS)} reads its ${w()} from ${path()}`],
  project: [() => `${pick(PROJECTS)} uses ${pick(TOOLS)} with ${pick(TOOLS)}`, () => `The ${pick(PROJECTS)} ${w()} lives in ${path()}`, () => `${pick(PROJECTS)} exposes ${ident()} from ${path()}`, () => `${pick(PROJECTS)} builds with \`${cmd()}\``],
  decision: [() => `Decided to replace ${pick(TOOLS)} with ${pick(TOOLS)} in ${pick(PROJECTS)} on ${date()}`, () => `We chose ${w()} over ${w()} for the ${w()} layer`, () => `${pick(PROJECTS)} keeps ${w()} ${w()} behind ${ident()}`],
  event: [() => `Release v${int(0, 4)}.${int(0, 20)}.${int(0, 9)} of ${pick(PROJECTS)} shipped on ${date()}`, () => `Incident: ${error()} in ${pick(PROJECTS)} after deploying ${hex(7)}`, () => `${pick(TOOLS)} upgrade broke ${w()} ${w()} in ${path()}`],
};
const CATEGORIES = Object.keys(CLAUSES);
const sentence = (cat = pick(CATEGORIES)) => pick(CLAUSES[cat]!)();

function fit(text: string, lo: number, hi: number, more: () => string, joiner: string): string {
  while (text.length < lo) text += joiner + more();
  if (text.length <= hi) return text;
  const cut = text.lastIndexOf(' ', hi);
  return text.slice(0, cut > lo ? cut : hi);
}

function time(): string {
  return new Date(now.getTime() - rand() * 365 * 86_400_000).toISOString();
}

function corpus(): MemoryItem[] {
  const items: MemoryItem[] = [];
  for (let i = 0; i < FACTS; i++) {
    const category = pick(CATEGORIES);
    const text = fit(sentence(category), 40, 160, () => sentence(category), '; ');
    items.push({ id: `fact:${hex(12)}`, kind: 'fact', title: text.slice(0, 60), text, category, time: time(), confidence: pick([0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1]), pinned: rand() < 0.01, hidden: rand() < 0.01 });
  }
  for (let i = 0; i < NARRATIVES; i++) {
    const project = pick(PROJECTS);
    const text = fit(`Session on ${project}: ${sentence()}.`, 300, 600, () => `${sentence()}.`, ' ');
    const session = `s-${hex(8)}`;
    items.push({ id: `narrative:${session}`, kind: 'narrative', title: `${project} session`, text, category: 'narrative', time: time(), confidence: 1, pinned: false, hidden: false, session });
  }
  for (let i = 0; i < DIGESTS; i++) {
    const week = `2026-W${String((i % 52) + 1).padStart(2, '0')}`;
    const text = fit(`Week ${week}: ${sentence()}.`, 600, 1200, () => `${sentence()}.`, ' ');
    items.push({ id: `digest:weekly:${week}:${i}`, kind: 'digest', title: `Week ${week}`, text, category: 'weekly', time: time(), confidence: 1, pinned: false, hidden: false });
  }
  return items;
}

function typo(word: string): string {
  const k = int(1, word.length - 2);
  switch (int(0, 3)) {
    case 0:
      return word.slice(0, k - 1) + word[k] + word[k - 1] + word.slice(k + 1); // swap
    case 1:
      return word.slice(0, k) + word.slice(k + 1); // drop
    case 2:
      return word.slice(0, k) + word[k] + word.slice(k); // double
    default:
      return word.slice(0, k) + 'qxz'[int(0, 2)] + word.slice(k + 1); // wrong key
  }
}

function queries(items: MemoryItem[]): { kind: string; q: string }[] {
  const out: { kind: string; q: string }[] = [];
  const add = (kind: string, q: string) => out.push({ kind, q });
  for (let i = 0; i < 50; i++) add('word', pick([...TOOLS, ...WORDS, ...PROJECTS, ident().toLowerCase()]));
  for (let i = 0; i < 40; i++) {
    const ws = items[int(0, items.length - 1)]!.text.toLowerCase().split(/\s+/);
    const n = int(2, 3);
    const at = int(0, Math.max(0, ws.length - n));
    add('phrase', ws.slice(at, at + n).join(' '));
  }
  for (const word of ['pnpm', 'vitest', 'typecheck', 'postgres', 'rebase', 'lockfile', 'snapshot', 'webhook', 'kubectl', 'migration']) {
    for (let n = 1; n <= Math.min(word.length, 5); n++) add(n === 1 ? 'prefix-1' : 'prefix', word.slice(0, n));
  }
  for (let i = 0; i < 40; i++) add('typo', typo(pick([...TOOLS, ...WORDS].filter((x) => x.length >= 5))));
  add('typo', 'pnmp');
  add('typo', 'tpyecheck');
  for (let i = 0; i < 10; i++) add('typo-phrase', `${typo(pick(WORDS.filter((x) => x.length >= 5)))} ${pick(WORDS)}`);
  // What someone remembers of a text: 2-3 of its words, never two side by side, sometimes in another
  // order, sometimes with a typo in one of them.
  for (let i = 0; i < 50; i++) {
    const ws = scattered(items[int(0, items.length - 1)]!.text);
    if (i >= 40) {
      const k = ws.findIndex((x) => x.length >= 5);
      if (k < 0) continue;
      ws[k] = typo(ws[k]!);
    }
    add(i < 40 ? 'words' : 'words-typo', ws.join(' '));
  }
  for (const q of ['src/memory', 'package.json', 'git rebase', '--force-with-lease', 'ECONNREFUSED', 'heap out of memory', 'cannot find module', 'npx tsc --noEmit', 'docker compose', '.github/workflows']) add('path/command', q);
  for (const q of ['flibbertigibbet', 'quokka', 'zygomorphic', 'xylophone', 'qwzvxk', 'marmalade sandwich', 'hovercraft eels', 'bjorkvist', 'ptarmigan', 'zzzqqq', 'ouroboros', 'kumquat', 'sphygmomanometer', 'crwth', 'fjord', 'vexillology', 'gnocchi', 'jazzercise', 'wombat', 'yttrium']) add('no-match', q);
  return out;
}

/** 2 or 3 words of a text (letters and digits, 3 or more), no two adjacent; a third of the time reversed. */
function scattered(text: string): string[] {
  const all = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const at = all.map((x, k) => (x.length >= 3 ? k : -1)).filter((k) => k >= 0);
  const want = int(2, 3);
  let chosen: number[] = [];
  for (let tries = 0; tries < 20 && chosen.length < want; tries++) {
    chosen = [];
    for (const k of at.map((k) => ({ k, r: rand() })).sort((a, b) => a.r - b.r)) if (chosen.length < want && chosen.every((c) => Math.abs(c - k.k) >= 2)) chosen.push(k.k);
  }
  const out = chosen.sort((a, b) => a - b).map((k) => all[k]!);
  return rand() < 0.33 ? out.reverse() : out;
}

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const f1 = (x: number) => x.toFixed(1);

const items = corpus();
const visible = items.filter((it) => !it.hidden);
const qs = queries(items);
console.log(`corpus: ${FACTS} facts, ${NARRATIVES} narratives, ${DIGESTS} digests (${items.length - visible.length} hidden); ${qs.length} queries`);
console.log(`  words queries (2-3 words of a text, none adjacent), e.g. ${qs.filter((x) => x.kind.startsWith('words')).slice(0, 4).map((x) => JSON.stringify(x.q)).join(', ')}`);

let t0 = process.hrtime.bigint();
const index = buildIndex(items);
const buildMs = ms(t0);
t0 = process.hrtime.bigint();
const saved = serializeIndex(index, 'bench-key');
const saveMs = ms(t0);
t0 = process.hrtime.bigint();
const loaded = loadIndex(saved);
const loadMs = ms(t0);
if (!loaded || loaded.key !== 'bench-key') throw new Error('load failed');
console.log(`build ${f1(buildMs)} ms   serialize ${f1(saveMs)} ms, ${(saved.length / 1048576).toFixed(1)} MiB   load ${f1(loadMs)} ms (${f1(buildMs / loadMs)}x faster than a build)   vocabulary ${index.words} words`);

// Indexed: the full searchMemory call, on the loaded index. One warm-up round, then each query's
// time is the median of three runs (a stray pause elsewhere on the machine does not count).
const opts = { now, limit: 20 };
const ROUNDS = 3;
const runs = qs.map(() => [] as number[]);
for (let round = 0; round <= ROUNDS; round++) {
  qs.forEach(({ q }, n) => {
    t0 = process.hrtime.bigint();
    searchMemory(loaded.index, q, opts);
    if (round) runs[n]!.push(ms(t0));
  });
}
const times = runs.map(median);
const byKind = new Map<string, number[]>();
qs.forEach(({ kind }, n) => byKind.set(kind, [...(byKind.get(kind) ?? []), times[n]!]));
const p95 = percentile(times, 95);
console.log(`indexed searchMemory: p50 ${f1(median(times))} ms   p95 ${f1(p95)} ms   max ${f1(Math.max(...times))} ms   (${qs.length} queries, median of ${ROUNDS} runs each)`);
for (const [kind, ts] of byKind) console.log(`  ${kind.padEnd(13)} p50 ${f1(median(ts)).padStart(5)} ms   p95 ${f1(percentile(ts, 95)).padStart(5)} ms   max ${f1(Math.max(...ts)).padStart(5)} ms   (${ts.length} queries)`);
console.log(`${p95 <= GOAL_P95 ? 'goal met' : 'GOAL MISSED'}: p95 ${f1(p95)} ms <= ${GOAL_P95} ms`);

// Plain Fuse over every visible item: the baseline for both time and agreement (minutes, so
// BENCH_QUICK=1 skips it while tuning).
if (process.env.BENCH_QUICK) process.exit(0);
const plain = plainFuse(visible);
const plainTimes: number[] = [];
let agreeFuse = 0;
let agreeFinal = 0;
const misses: string[] = [];
const agreedByKind = new Map<string, number>();
const ids = (xs: { item: MemoryItem }[]) => new Set(xs.map((x) => x.item.id));
qs.forEach(({ q }, n) => {
  t0 = process.hrtime.bigint();
  const all = plain.search(fuseQuery(q));
  if (n % Math.ceil(qs.length / PLAIN_TIMED) === 0) plainTimes.push(ms(t0));
  const score = new Map(all.map((r) => [r.item.id, r.score ?? 0]));

  const top = all.slice(0, 10);
  const mine = fuseStage(loaded.index, q, opts);
  const tenth = top[top.length - 1]?.score;
  const same = mine.length === top.length && mine.every((h) => ids(top).has(h.item.id) || (top.length === 10 && score.get(h.item.id) === tenth));
  if (same) {
    agreeFuse++;
    agreedByKind.set(qs[n]!.kind, (agreedByKind.get(qs[n]!.kind) ?? 0) + 1);
  } else misses.push(q);

  const blended = all.map((r) => ({ id: r.item.id, s: blendScore(r.item, r.score ?? 0, now) })).sort((a, b) => b.s - a.s);
  const want = blended.slice(0, 10);
  const got = searchMemory(loaded.index, q, { now, limit: 10 });
  const last = want[want.length - 1]?.s;
  const byId = new Map(blended.map((b) => [b.id, b.s]));
  if (got.length === want.length && got.every((h) => want.some((x) => x.id === h.item.id) || (want.length === 10 && byId.get(h.item.id) === last))) agreeFinal++;
});
console.log(`plain Fuse over ${visible.length} items: p50 ${f1(median(plainTimes))} ms   p95 ${f1(percentile(plainTimes, 95))} ms   (${plainTimes.length} queries)`);
console.log('agreement: the indexed Fuse stage and plain Fuse find the same top 10 (as sets; an item in one and not the');
console.log('  other still agrees when its Fuse score equals plain Fuse\'s 10th score: a tie Fuse breaks by position)');
const share = agreeFuse / qs.length;
console.log(`  Fuse stage: ${agreeFuse}/${qs.length} = ${(share * 100).toFixed(1)}%${misses.length ? `   differ: ${misses.slice(0, 8).map((q) => JSON.stringify(q)).join(', ')}` : ''}`);
console.log(`  by query type: ${[...byKind].map(([kind, ts]) => `${kind} ${agreedByKind.get(kind) ?? 0}/${ts.length}`).join(', ')}`);
console.log(`  final blended top 10 vs plain Fuse + the same blend: ${agreeFinal}/${qs.length} = ${((agreeFinal / qs.length) * 100).toFixed(1)}%`);
console.log(`${share >= GOAL_AGREEMENT ? 'goal met' : 'GOAL MISSED'}: agreement ${(share * 100).toFixed(1)}% >= ${GOAL_AGREEMENT * 100}%`);
