import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadRules } from '../rules/load.js';
import type { FitnessSnapshot } from '../store/schemas.js';
import type { Workspace } from '../workspace/workspace.js';
import { planConsolidation, renderDigest } from './consolidate-plan.js';
import { fitnessSnapshot } from './fitness.js';
import { refreshMemoryIndex } from './index-file.js';
import { journalFilesBySession } from '../store/raw-journal-files.js';
import { sessionFileName } from '../store/raw-journal.js';
import { rememberSessions } from './remember.js';

export interface ConsolidateResult {
  /** Sessions whose narrative was missing or behind their journal, made first. */
  narrated: string[];
  weekly: string[];
  monthly: string[];
  foldedNarratives: string[];
  foldedWeeklies: string[];
  expiredFacts: { id: string; statement: string; category: string; expires: string | null }[];
  fitness: FitnessSnapshot;
  commit: string | null;
  dryRun: boolean;
}

export function countSkills(root: string): number {
  const dir = join(root, 'skills');
  if (!existsSync(dir)) return 0;
  return readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory() && existsSync(join(dir, e.name, 'SKILL.md'))).length;
}

/** Sessions that have a journal but no narrative, or a narrative older than their last event. */
async function sessionsBehind(ws: Workspace): Promise<string[]> {
  const [sessions, narratives, digests, forgotten] = [await ws.store.sessions.list(), await ws.store.narratives.list(), await ws.store.digests.list(), await ws.store.forgotten.ids()];
  const built = new Map(narratives.map((n) => [n.id, n.end]));
  const folded = new Set(digests.flatMap((d) => d.sessions));
  const files = journalFilesBySession(ws.root);
  return sessions
    .filter((s) => !folded.has(s.id) && !forgotten.has(`session:${s.id}`) && (built.get(s.id) ?? '') < s.lastSeen)
    .map((s) => s.id)
    .filter((id) => files.has(sessionFileName(id)));
}

/**
 * `nevo-tui memory consolidate`: catches up narratives, folds old narratives into weekly digests and
 * old weeklies into monthly ones, drops expired facts and writes the day's fitness snapshot, as one
 * commit. Running it again the same day changes nothing; a run killed half-way is finished by the
 * store's journal or redone whole by the next run.
 */
export async function consolidateMemory(ws: Workspace, opts: { dryRun?: boolean } = {}): Promise<ConsolidateResult> {
  const dryRun = opts.dryRun ?? false;
  const behind = await sessionsBehind(ws);
  if (!dryRun && behind.length) await rememberSessions(ws, behind);
  const before = await ws.history.head();

  const result = await ws.store.transact(
    async (tx) => {
      const [narratives, digests, facts] = [await tx.narratives.list(), await tx.digests.list(), await tx.facts.list()];
      const now = ws.clock();
      const withText = narratives.map((record) => {
        const abs = join(ws.root, record.file);
        return { record, markdown: existsSync(abs) ? readFileSync(abs, 'utf8') : '' };
      });
      const plan = planConsolidation({
        now,
        timeZone: ws.config.timeZone,
        weeklyAfterDays: ws.config.memory.weeklyAfterDays,
        monthlyAfterDays: ws.config.memory.monthlyAfterDays,
        narratives: withText,
        digests,
        facts,
      });
      const folded = new Set(plan.foldedNarratives.map((n) => n.id));
      const foldedWeeklies = new Set(plan.foldedWeeklies.map((w) => w.id));
      const expired = new Set(plan.expiredFacts.map((f) => f.id));
      const liveFacts = facts.length - expired.size;
      const liveNarratives = narratives.length - folded.size;
      const digestIds = new Set([...digests.map((d) => d.id), ...plan.digests.map((d) => d.id)]);
      for (const id of foldedWeeklies) digestIds.delete(id);

      const fitness = fitnessSnapshot({
        now,
        timeZone: ws.config.timeZone,
        incidents: await ws.store.incidentRows(),
        rules: loadRules(ws.root).rules,
        skills: countSkills(ws.root),
        facts: liveFacts,
        narratives: liveNarratives,
        digests: digestIds.size,
        telemetry: await tx.telemetry.list(),
      });

      const out = {
        narrated: behind,
        weekly: plan.digests.filter((d) => d.period === 'weekly').map((d) => d.id),
        monthly: plan.digests.filter((d) => d.period === 'monthly').map((d) => d.id),
        foldedNarratives: [...folded],
        foldedWeeklies: [...foldedWeeklies],
        expiredFacts: plan.expiredFacts.map((f) => ({ id: f.id, statement: f.statement, category: f.category, expires: f.expires })),
        fitness,
        dryRun,
      };
      if (dryRun) return out;

      for (const d of plan.digests) tx.writeFile(d.file, renderDigest(d));
      for (const w of plan.foldedWeeklies) tx.writeFile(w.file, null);
      for (const n of plan.foldedNarratives) tx.writeFile(n.file, null);
      await tx.digests.upsert(plan.digests);
      await tx.digests.remove(foldedWeeklies);
      await tx.narratives.remove(folded);
      await tx.facts.remove(expired);

      // The day's snapshot: the first run of the day writes it, a later one only if something moved.
      const old = await tx.fitness.get(fitness.id);
      const same = old !== undefined && JSON.stringify({ ...old, at: '' }) === JSON.stringify({ ...fitness, at: '' });
      if (!same) await tx.fitness.upsert([fitness]);
      const changes = [
        folded.size ? `${folded.size} narrative(s) into digests` : '',
        foldedWeeklies.size ? `${foldedWeeklies.size} weekly digest(s) into ${out.monthly.length} monthly` : '',
        expired.size ? `${expired.size} expired fact(s) out` : '',
      ].filter(Boolean);
      tx.forceCommit = changes.length > 0 || !same;
      tx.message('memory', `consolidate${changes.length ? `: ${changes.join(', ')}` : `: fitness snapshot ${fitness.id}`}`);
      return out;
    },
    { purpose: 'memory consolidate' },
  );
  if (dryRun) return { ...result, commit: null };
  const head = await ws.history.head();
  await refreshMemoryIndex(ws);
  return { ...result, commit: head !== before ? head : null };
}
