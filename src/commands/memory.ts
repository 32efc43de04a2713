import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { emit } from '../output.js';
import { shortOid } from '../util/format.js';
import { consolidateMemory } from '../memory/consolidate.js';
import { forgetMemory, markMemory, readMemoryRecord, type Mark } from '../memory/curate.js';
import { parseItemId } from '../memory/items.js';
import { addFact } from '../memory/add.js';
import { provenanceOf } from '../memory/facts.js';
import { decidePendingFact, pendingFacts } from '../memory/pending.js';
import { withCommit } from '../store/with-commit.js';
import { rememberSessions } from '../memory/remember.js';
import { searchWorkspaceMemory } from '../memory/search.js';
import type { SearchHit } from '../memory/search/rank.js';
import { checkCategory, checkDate } from './memory-search.js';
import { FACT_CATEGORIES, type FactCategory } from '../store/vocabulary.js';
import { workspaceOf } from './context.js';

export async function show(id: string, opts: { query?: string; json?: boolean }, cmd: Command): Promise<void> {
  const ws = workspaceOf(cmd);
  const split = parseItemId(id);
  const found = await readMemoryRecord(ws, split);
  if (!found) throw new UserError(`No memory item ${id}; \`nevo-tui memory search\` lists what there is.`);
  const { record, markdown } = found;
  let why: SearchHit['why'] | null = null;
  if (opts.query) {
    const { hits } = await searchWorkspaceMemory(ws, opts.query, { all: true, limit: 1000 });
    why = hits.find((h) => h.item.id === id)?.why ?? null;
  }
  emit(opts.json, { id, kind: split.kind, record, markdown, why }, () =>
    [
      markdown ?? Object.entries(record).map(([k, v]) => `${k.padEnd(14)} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`).join('\n'),
      why ? `\nWhy it ranks there for "${opts.query}":\n${why.parts.map((p) => `  - ${p}`).join('\n')}` : '',
    ]
      .filter(Boolean)
      .join('\n'),
  );
}

export async function consolidate(opts: { dryRun?: boolean; json?: boolean }, cmd: Command): Promise<void> {
  const ws = workspaceOf(cmd);
  const r = await consolidateMemory(ws, { dryRun: opts.dryRun ?? false });
  emit(opts.json, r, () =>
    [
      r.dryRun ? 'Dry run: nothing was changed.' : '',
      r.narrated.length ? `Narratives ${r.dryRun ? 'to catch up' : 'caught up'}: ${r.narrated.length} session(s).` : '',
      `Narratives folded into weekly digests: ${r.foldedNarratives.length}${r.weekly.length ? ` (${r.weekly.join(', ')})` : ''}.`,
      `Weekly digests folded into monthly ones: ${r.foldedWeeklies.length}${r.foldedWeeklies.length && r.monthly.length ? ` (${r.monthly.join(', ')})` : ''}.`,
      `Expired facts out of the live store: ${r.expiredFacts.length}${r.expiredFacts.length ? ` (they stay in git history)` : ''}.`,
      `Fitness ${r.fitness.id}: ${r.fitness.incidents.open} open incident(s), ${r.fitness.incidents.closed} closed, ${r.fitness.rules.active} active rule(s), ${r.fitness.skills} skill(s), ${r.fitness.facts} fact(s), failure rate ${(r.fitness.failureRate * 100).toFixed(1)}% over 7 days.`,
      r.commit ? `Committed ${r.commit.slice(0, 7)}.` : r.dryRun ? '' : 'Nothing new to commit.',
    ]
      .filter(Boolean)
      .join('\n'),
  );
}

export async function forget(words: string[], opts: { category?: string; from?: string; to?: string; session?: string; id?: string[]; dryRun?: boolean; json?: boolean }, cmd: Command): Promise<void> {
  const ws = workspaceOf(cmd);
  const r = await forgetMemory(
    ws,
    {
      query: words.join(' ') || undefined,
      category: checkCategory(opts.category),
      from: checkDate(opts.from, '--from'),
      to: checkDate(opts.to, '--to'),
      session: opts.session,
      ids: opts.id,
    },
    { dryRun: opts.dryRun ?? false },
  );
  emit(opts.json, r, () =>
    r.items.length
      ? [
          `${r.dryRun ? 'Would forget' : 'Forgot'} ${r.items.length} item(s):`,
          ...r.items.map((i) => `  ${i.id}  ${i.title.replace(/\s+/g, ' ').slice(0, 80)}`),
          r.commit ? `Committed ${r.commit.slice(0, 7)}; \`nevo-tui revert ${r.commit.slice(0, 7)}\` brings them back.` : '',
        ]
          .filter(Boolean)
          .join('\n')
      : 'Nothing in memory matches; nothing was forgotten.',
  );
}

function mark(which: Mark) {
  return async (id: string, opts: { json?: boolean }, cmd: Command): Promise<void> => {
    const ws = workspaceOf(cmd);
    const r = await markMemory(ws, id, which);
    emit(opts.json, r, () => `${id}: ${r.pinned ? 'pinned' : 'not pinned'}, ${r.hidden ? 'never recalled' : 'recalled'}.`);
  };
}

export const pin = mark('pin');
export const unpin = mark('unpin');
export const hide = mark('hide');
export const unhide = mark('unhide');

export async function narrate(sessions: string[], opts: { json?: boolean }, cmd: Command): Promise<void> {
  const ws = workspaceOf(cmd);
  const ids = sessions.length ? sessions : (await ws.store.sessions.list()).map((s) => s.id);
  const r = await rememberSessions(ws, ids, { force: true });
  emit(opts.json, { narratives: r }, () =>
    r.length
      ? r.map((n) => `${n.session.slice(0, 8)}  ${n.bytesIn} → ${n.bytesOut} bytes (${n.bytesOut ? Math.round(n.bytesIn / n.bytesOut) : 0}:1), ${n.factsAdded} new fact(s)  ${n.narrative}${n.fallback ? `\n    external command not used: ${n.fallback}` : ''}`).join('\n')
      : sessions.length
        ? `No journal for ${sessions.join(', ')} (or it was forgotten); \`nevo-tui memory search --kind narrative\` lists the sessions with a narrative.`
        : 'No session has a journal yet.',
  );
}

export async function add(words: string[], opts: { category: string; json?: boolean }, cmd: Command): Promise<void> {
  const ws = workspaceOf(cmd);
  if (!(FACT_CATEGORIES as readonly string[]).includes(opts.category)) throw new UserError(`--category must be one of ${FACT_CATEGORIES.join(', ')}, not "${opts.category}".`);
  // Claude Code sets CLAUDECODE=1 in the shells it runs: there, it is the agent adding, not a person.
  const by = process.env.CLAUDECODE === '1' ? 'agent' : 'person';
  const r = await addFact(ws, words.join(' '), opts.category as FactCategory, by);
  emit(opts.json, r, () =>
    r.fact.pending
      ? `Proposed fact:${r.fact.id} (${r.fact.category}): an agent's ${r.fact.category} waits for a person's review and is not recalled until then (\`nevo-tui memory approve fact:${r.fact.id}\` or \`memory reject\`).`
      : `${r.added ? 'Remembered' : 'Confirmed'} fact:${r.fact.id} (${r.fact.category}, expires ${r.fact.expires ?? 'never'}).`,
  );
}

/** `nevo-tui memory pending`: proposed preferences and lessons waiting for a person. */
export async function pending(opts: { json?: boolean }, cmd: Command): Promise<void> {
  const ws = workspaceOf(cmd);
  const facts = await pendingFacts(ws);
  emit(opts.json, { facts }, () =>
    facts.length ? facts.map((f) => `fact:${f.id}  ${f.category.padEnd(10)} from ${provenanceOf(f)}  ${f.statement.slice(0, 90)}`).join('\n') : 'No fact waits for review.',
  );
}

function decide(decision: 'approve' | 'reject') {
  return async (id: string, opts: { reason?: string; json?: boolean }, cmd: Command): Promise<void> => {
    const ws = workspaceOf(cmd);
    const { value: f, commit } = await withCommit(ws, () => decidePendingFact(ws, id, decision, opts.reason));
    // The fact as before, with the commit that `nevo-tui revert` takes back.
    emit(opts.json, { ...f, commit }, () => `${decision === 'approve' ? `Approved fact:${f.id}: recalled from now on as a person's ${f.category}.` : `Rejected fact:${f.id}: removed, and never taken up again.`} (commit ${shortOid(commit)})`);
  };
}

export const approve = decide('approve');
export const reject = decide('reject');
