import { describe, expect, it } from 'vitest';
import type { MemoryItem } from '../../src/memory/item.js';
import { candidates } from '../../src/memory/search/candidates.js';
import { buildIndex, loadIndex, savedIndexKey, serializeIndex, type MemoryIndex } from '../../src/memory/search/index.js';
import { blendScore, fuseQuery, fuseStage, plainFuse, plainSearch, searchMemory, type FuseHit, type SearchHit } from '../../src/memory/search/rank.js';

const now = new Date('2026-11-20T12:00:00Z');
const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000).toISOString();

function item(id: string, text: string, over: Partial<MemoryItem> = {}): MemoryItem {
  return { id, kind: 'fact', title: text.slice(0, 60), text, category: 'lesson', time: daysAgo(10), confidence: 0.8, pinned: false, hidden: false, ...over };
}

const facts: MemoryItem[] = [
  item('pnpm', 'Use pnpm, not npm'),
  item('ci', 'Run npm ci on the build server, never npm install', { category: 'config', time: daysAgo(40) }),
  item('typecheck', 'Run the typecheck before every commit', { category: 'preference' }),
  item('vitest', 'Tests run with vitest in watch mode', { category: 'project', time: daysAgo(2) }),
  item('docker', 'docker compose up starts postgres on port 5432', { category: 'config', time: daysAgo(200) }),
  item('secret', 'The staging token lives in the vault', { hidden: true }),
  item('narr', 'Session on atlas: moved the build to pnpm workspaces and fixed the flaky vitest suite.', { kind: 'narrative', category: 'narrative', confidence: 1, session: 's-1', time: daysAgo(1) }),
  item('digest', 'Week 2026-W46: three sessions, mostly about the typecheck and the release.', { kind: 'digest', category: 'weekly', confidence: 1, time: daysAgo(5) }),
  item('cafe', 'Café ÉCOLE: the Straße parser lowercases Unicode', { category: 'lesson' }),
];

const ids = (hits: { item: MemoryItem }[]) => hits.map((h) => h.item.id);
const search = (index: MemoryIndex, q: string, opts: Partial<Parameters<typeof searchMemory>[2]> = {}) => searchMemory(index, q, { now, ...opts });

describe('memory search', () => {
  const index = buildIndex(facts);

  it('tolerates typos: "pnmp" finds "Use pnpm, not npm" first', () => {
    const hits = search(index, 'pnmp');
    expect(hits[0]?.item.id).toBe('pnpm');
    expect(hits[0]!.why.parts[0]).toMatch(/close match for "pnmp", 1 edit away/);
    expect(ids(search(index, 'tpyecheck'))).toContain('typecheck');
  });

  it('matches inside words: "npm" finds the pnpm fact', () => {
    expect(ids(search(index, 'npm'))).toEqual(expect.arrayContaining(['pnpm', 'ci']));
    expect(candidates(index, 'npm').map((i) => facts[i]!.id)).toContain('pnpm');
  });

  it('lowercases as Fuse does, Unicode included', () => {
    expect(ids(search(index, 'école'))).toEqual(['cafe']);
    expect(ids(search(index, 'ÉCOLE'))).toEqual(['cafe']);
    expect(ids(search(index, 'straße'))).toEqual(['cafe']);
  });

  it('returns nothing for a query that matches nothing', () => {
    expect(search(index, 'zygomorphic')).toEqual([]);
    expect(search(index, 'qqqq xxxx')).toEqual([]);
  });

  it('filters before ranking: category, since, kinds', () => {
    expect(ids(search(index, 'npm', { category: 'CONFIG' }))).toEqual(['ci']);
    expect(ids(search(index, 'vitest', { since: daysAgo(1.5) }))).toEqual(['narr']);
    expect(ids(search(index, 'vitest', { since: daysAgo(3).slice(0, 10) })).sort()).toEqual(['narr', 'vitest']);
    expect(ids(search(index, 'typecheck', { kinds: ['digest'] }))).toEqual(['digest']);
    expect(() => search(index, 'npm', { since: 'last tuesday' })).toThrow(/since/);
  });

  it('leaves hidden items out unless asked', () => {
    expect(ids(search(index, 'staging token'))).toEqual([]);
    expect(ids(search(index, 'staging token', { includeHidden: true }))).toEqual(['secret']);
    expect(ids(search(index, ''))).not.toContain('secret');
  });

  it('explains every hit: the match, the age, the confidence, the blend', () => {
    const [hit] = search(index, 'docker compose');
    expect(hit!.item.id).toBe('docker');
    const { why } = hit!;
    expect(why.parts[0]).toMatch(/^every word matches \("docker": exact, "compose": exact\) in 8 words \(fuse 0\.\d+/);
    expect(why.parts.some((p) => /200 days old: recency 0\.01 \(half-life 30 days\)/.test(p))).toBe(true);
    expect(why.parts).toContain('confidence 0.80');
    expect(why.match).toBeCloseTo(1 - why.fuseScore, 12);
    expect(hit!.score).toBeCloseTo(0.7 * why.match + 0.15 * why.recency + 0.15 * why.confidence, 12);
    expect(hit!.score).toBe(blendScore(hit!.item, why.fuseScore, now));
    expect(why.parts.at(-1)).toMatch(/^score 0.7 × .* = /);
  });

  it('browses with an empty query: recency, confidence and pins, no match part', () => {
    const hits = search(index, '   ');
    expect(hits.length).toBe(facts.length - 1);
    for (let k = 1; k < hits.length; k++) expect(hits[k - 1]!.score).toBeGreaterThanOrEqual(hits[k]!.score);
    expect(hits[0]!.item.id).toBe('narr'); // a day old, confidence 1
    expect(hits[0]!.why.match).toBe(0);
    expect(hits[0]!.why.parts[0]).toMatch(/no query/);
    expect(search(index, '', { limit: 3 })).toHaveLength(3);
  });
});

describe('several words: every word matches, each fuzzily, anywhere in the text', () => {
  const rule = item('rule', 'Read a file with the Read tool before you edit or overwrite it', { category: 'preference' });
  const digest = item('digest-jan', 'Month 2026-01 · 31 sessions. Failures: Bash `pnpm lint`: Exit code 1 lint: 3 problems in src/day0.ts (2 times). Files changed most: src/day0.ts, src/index.ts, package.json.', { kind: 'digest', category: 'monthly', confidence: 1 });
  const all = [...facts, rule, digest, item('important', 'The important rule: never push to main')];
  const index = buildIndex(all);
  const fuse = plainFuse(all.filter((it) => !it.hidden));

  it('finds words that are not next to each other, in any order', () => {
    expect(ids(search(index, 'read before edit'))).toEqual(['rule']);
    expect(ids(search(index, 'edit before read'))).toEqual(['rule']);
    expect(ids(search(index, 'overwrite read'))).toEqual(['rule']);
    expect(ids(search(index, 'lint problems day0'))[0]).toBe('digest-jan');
    expect(ids(search(index, 'day0 lint problems'))[0]).toBe('digest-jan');
  });

  it('tolerates a typo in each word, and explains the match word by word', () => {
    const [hit] = search(index, 'read befor edit');
    expect(hit?.item.id).toBe('rule');
    expect(hit!.why.parts[0]).toMatch(/^every word matches \("read": exact, "befor": exact, "edit": exact\) in 13 words/);
    // "befor" is part of "before": exact. A swapped pair of letters is two edits (Fuse's bitap), so
    // "raed" is out of a 4-letter word's budget of one.
    const [typo] = search(index, 'reed befroe edit');
    expect(typo?.item.id).toBe('rule');
    expect(typo!.why.parts[0]).toMatch(/"reed": 1 edit away, "befroe": 2 edits away, "edit": exact/);
    expect(search(index, 'raed before edit')).toEqual([]);
    expect(ids(search(index, 'lint problmes day0'))[0]).toBe('digest-jan');
    // Each word has its own error budget: a word too far off rules the item out.
    expect(search(index, 'read bxfxrx edit')).toEqual([]);
  });

  it('needs every word: one that matches nowhere finds nothing', () => {
    expect(search(index, 'read before zygomorphic')).toEqual([]);
    expect(search(index, 'pnpm kubernetes')).toEqual([]);
  });

  it('matches a word as it is being typed', () => {
    for (const q of ['pn', 'pnp', 'pnpm']) expect(ids(search(index, q))).toContain('pnpm');
    for (const q of ['read b', 'read be', 'read bef', 'read before e']) expect(ids(search(index, q))[0]).toBe('rule');
  });

  it("takes Fuse's operator characters as plain words: nothing excluded, nothing thrown", () => {
    expect(fuseQuery('  !important ')).toBe('important');
    expect(fuseQuery('^foo  foo$ =bar \'baz !^qux$')).toBe('foo foo bar baz qux');
    expect(fuseQuery('a | b')).toBe('a b');
    expect(fuseQuery('npm|pnpm "docker compose"')).toBe('npm pnpm docker compose');
    expect(fuseQuery('$HOME it\'s a$b')).toBe('$HOME it\'s a$b');
    expect(fuseQuery(' | ! ^ $ ')).toBe('');
    const same: [string, string][] = [
      ['!important', 'important'],
      ['^pnpm', 'pnpm'],
      ['pnpm$', 'pnpm'],
      ['=pnpm', 'pnpm'],
      ["'vitest", 'vitest'],
      ['npm | pnpm', 'npm pnpm'],
      ['docker|compose', 'docker compose'],
      ['"docker compose"', 'docker compose'],
      ['!read ^before edit$', 'read before edit'],
    ];
    for (const [typed, plain] of same) {
      const hits = search(index, typed);
      expect(hits.length, typed).toBeGreaterThan(0);
      expect(ids(hits), typed).toEqual(ids(search(index, plain)));
      expect(hits.map((h) => h.score)).toEqual(search(index, plain).map((h) => h.score));
      // The baseline reads the query the same way.
      expect(ids(fuseStage(index, typed, { now }))).toEqual(ids(plainSearch(fuse, typed)));
    }
    expect(ids(search(index, '!important'))).toEqual(['important']);
    expect(search(index, '!important')[0]!.why.parts[1]).toMatch(/^searched for "important"/);
    // Operators alone leave no words: the empty query, which browses.
    for (const q of ['|', '!', '^ $', '" "']) {
      const hits = search(index, q);
      expect(hits.length, q).toBeGreaterThan(0);
      expect(hits[0]!.why.match).toBe(0);
    }
  });

  it('scores as plain Fuse does: the mean of the words, raised to the length norm', () => {
    for (const q of ['read before edit', 'edit before read', 'reed befroe edit', 'lint problems day0', 'npm pnpm', 'run the', 'vitest suite watch']) {
      const want = fuse.search(fuseQuery(q)).slice(0, 10);
      const mine = fuseStage(index, q, { now });
      expect(ids(mine), q).toEqual(ids(want));
      expect(mine.map((h) => h.fuseScore)).toEqual(want.map((r) => r.score));
    }
  });
});

describe('ranking agrees with intuition', () => {
  it('an exact match beats a typo, all else equal', () => {
    const index = buildIndex([item('typo', 'Run vitset before the release'), item('exact', 'Run vitest before the release')]);
    expect(ids(search(index, 'vitest'))).toEqual(['exact', 'typo']);
  });

  it('between equal matches, the pinned, the recent and the confident come first', () => {
    const same = 'Deploy with kubectl rollout restart';
    const index = buildIndex([
      item('old', same, { time: daysAgo(300) }),
      item('recent', same, { time: daysAgo(1) }),
      item('pinned', same, { time: daysAgo(300), pinned: true }),
      item('unsure', same, { time: daysAgo(300), confidence: 0.3 }),
    ]);
    const hits = search(index, 'kubectl rollout');
    expect(ids(hits)).toEqual(['pinned', 'recent', 'old', 'unsure']);
    expect(hits[0]!.why.parts).toContain('pinned: +0.25');
    expect(new Set(hits.map((h) => h.why.fuseScore)).size).toBe(1);
  });

  it('a pinned, recent, confident item beats an equal match that is old and doubtful', () => {
    const index = buildIndex([item('stale', 'Prefer ruff over black', { time: daysAgo(400), confidence: 0.4 }), item('fresh', 'Prefer ruff over black', { time: daysAgo(0), confidence: 1, pinned: true })]);
    expect(ids(search(index, 'ruff'))).toEqual(['fresh', 'stale']);
  });
});

describe('saving the index', () => {
  it('loads back to the same results, with the key it was saved with', () => {
    const extra = { ...facts[0]!, expires: '2027-01-01' } as MemoryItem;
    const index = buildIndex([...facts.slice(1), extra]);
    const buf = serializeIndex(index, 'facts:12:34');
    expect(savedIndexKey(buf)).toBe('facts:12:34');
    const loaded = loadIndex(buf);
    expect(loaded?.key).toBe('facts:12:34');
    for (const q of ['pnmp', 'npm', 'vitest suite', '', 'école', 'a query longer than thirty-two characters about pnpm']) {
      expect(search(loaded!.index, q, { includeHidden: true })).toEqual(search(index, q, { includeHidden: true }));
    }
    for (let i = 0; i < index.size; i++) expect(loaded!.index.item(i)).toEqual(index.item(i));
  });

  it('keeps every string as UTF-8 writes it: accents, emoji, and a lone surrogate (cut from a pair) as U+FFFD, never joined to its neighbour', () => {
    // A title cut after the first half of a pair, then a text that starts with a second half.
    const odd = { ...item('cut', '\ude00 starts with half a pair'), title: 'ends with half a pair \ud83d' };
    const items = [item('accents', 'École : préférer pnpm à npm'), item('emoji', 'ship it 🚀 then 😀'), odd, item('after', 'plain ascii after them')];
    const loaded = loadIndex(serializeIndex(buildIndex(items), 'k'))!.index;
    const utf8 = (s: string) => Buffer.from(s, 'utf8').toString('utf8');
    for (let i = 0; i < items.length; i++) {
      expect(loaded.item(i).title).toBe(utf8(items[i]!.title));
      expect(loaded.item(i).text).toBe(utf8(items[i]!.text));
      expect(loaded.item(i).id).toBe(items[i]!.id);
    }
    expect(loaded.item(2).title.endsWith('\ufffd')).toBe(true);
  });

  it('loads from an unaligned buffer, and refuses what is not an index', () => {
    const buf = serializeIndex(buildIndex(facts), 'k');
    const shifted = Buffer.alloc(buf.length + 3);
    buf.copy(shifted, 3);
    const loaded = loadIndex(shifted.subarray(3));
    expect(ids(search(loaded!.index, 'pnpm'))).toEqual(ids(search(buildIndex(facts), 'pnpm')));
    expect(loadIndex(Buffer.from('not an index at all'))).toBeNull();
    expect(loadIndex(buf.subarray(0, buf.length - 100))).toBeNull();
    expect(savedIndexKey(Buffer.alloc(3))).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------
// A generated corpus: the Fuse stage over indexed candidates against Fuse over every item.

function corpus(size: number): MemoryItem[] {
  let seed = 42;
  const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
  const tools = 'pnpm npm yarn vitest jest eslint prettier tsc esbuild vite docker kubectl terraform git cargo pytest ruff postgres redis nginx'.split(' ');
  const words = 'cache index query schema migration endpoint handler router config token session build release deploy rollback branch commit merge rebase lint format test flaky timeout lockfile workspace package plugin port proxy'.split(' ');
  const paths = 'src/index.ts src/memory/item.ts package.json tsconfig.json .github/workflows/ci.yml bench/run.mjs test/setup.ts'.split(' ');
  const sentences = [
    () => `Use ${pick(tools)}, not ${pick(tools)}`,
    () => `Always run ${pick(tools)} before a ${pick(words)}`,
    () => `${pick(paths)} sets the ${pick(words)} ${pick(words)}`,
    () => `When ${pick(tools)} fails with a ${pick(words)} error, clear the ${pick(words)} cache`,
    () => `The ${pick(words)} ${pick(words)} lives in ${pick(paths)}`,
  ];
  return Array.from({ length: size }, (_, i) => {
    let text = pick(sentences)();
    while (rand() < 0.4) text += `; ${pick(sentences)()}`;
    return item(`f${i}`, text, { time: daysAgo(rand() * 365), confidence: Math.round(rand() * 10) / 10, pinned: rand() < 0.02, hidden: rand() < 0.02 });
  });
}

/** Same top 10 as sets; an item in one only still agrees when Fuse scores it as plain Fuse's 10th. */
function agree(mine: FuseHit[], plain: FuseHit[], score: Map<string, number>): boolean {
  const want = new Set(ids(plain));
  const tenth = plain.at(-1)?.fuseScore;
  return mine.length === plain.length && mine.every((h) => want.has(h.item.id) || (plain.length === 10 && score.get(h.item.id) === tenth));
}

describe('the indexed Fuse stage against plain Fuse', () => {
  const items = corpus(2000);
  const index = buildIndex(items);
  const fuse = plainFuse(items.filter((it) => !it.hidden));
  const queries = ['pnpm', 'pnmp', 'npm', 'np', 'vitets', 'lockfile', 'lokcfile', 'flaky test', 'clear the cache', 'package.json', 'src/memory', 'ci.yml', 'docker', 'kubctl', 'terraform', 'rebase', 'merge', 'schema migration', 'tsconfig', 'eslint', 'prettier', 'timeout error', 'cargo', 'redis', 'postgres', 'nginx proxy', 'port', 'release', 'rollback', 'deploy', 'session token', 'router', 'handler', 'endpoint', 'query', 'index', 'workspace package', 'plugin', 'format', 'lint', 'before a commit', 'use yarn', 'not jest', 'esbuild', 'vite', 'ruff', 'pytest', 'git', 'the cache lives in', 'sets the build', 'use not', 'run before', 'clear cache', 'fails error', 'lives src', 'sets package', 'vitest cache', 'cache error lockfile', 'when fails redis', 'before always', 'pnpm commit', 'eslint tsconfig', 'timeout redis', 'rebase cahce', 'deploy flaky'];

  it(`agrees on the top 10 for at least 90% of ${queries.length} queries`, () => {
    expect(queries).toHaveLength(65);
    let same = 0;
    for (const q of queries) {
      const all = fuse.search(fuseQuery(q));
      const score = new Map(all.map((r) => [r.item.id, r.score ?? 0]));
      const mine = fuseStage(index, q, { now });
      expect(mine.every((h) => h.fuseScore === score.get(h.item.id))).toBe(true); // Fuse's own scores
      if (agree(mine, plainSearch(fuse, q), score)) same++;
    }
    expect(same / queries.length).toBeGreaterThanOrEqual(0.9);
  });

  it('blends the same results as plain Fuse followed by the blend', () => {
    for (const q of ['pnpm', 'lokcfile', 'clear the cache', 'package.json', 'cache error lockfile', 'rebase cahce']) {
      const want = fuse
        .search(fuseQuery(q))
        .map((r) => ({ id: r.item.id, score: blendScore(r.item, r.score ?? 0, now) }))
        .sort((a, b) => b.score - a.score)
        .slice(0, 10);
      const got: SearchHit[] = searchMemory(index, q, { now, limit: 10 });
      expect(got.map((h) => h.score)).toEqual(want.map((w) => w.score));
    }
  });
});
